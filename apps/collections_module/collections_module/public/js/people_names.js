// Wherever the desk shows a user of collections (a Link to User in a form, list, grid or report), it
// shows the person's full name; the link still opens the user. The names come with the boot
// (people.boot_session).
(function () {
	const people = () => (frappe.boot && frappe.boot.collection_people) || {};
	const link_title = frappe.utils.get_link_title;
	frappe.utils.get_link_title = function (doctype, name) {
		const title = link_title.call(this, doctype, name);
		if (title || doctype !== "User" || !name) return title;
		return people()[name];
	};
	frappe.collections_person = (user) => (user && people()[user]) || user || "";
	// editable Link fields to User show the title too (as for a DocType shown by its title)
	const show_user_titles = () => {
		if (!frappe.boot) return;
		frappe.boot.link_title_doctypes = frappe.boot.link_title_doctypes || [];
		if (!frappe.boot.link_title_doctypes.includes("User")) frappe.boot.link_title_doctypes.push("User");
	};
	show_user_titles();
	$(document).on("app_ready", show_user_titles);
})();
