// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Contact Log", {
	collection_case(frm) {
		if (!frm.doc.collection_case || frm.__intro_for === frm.doc.collection_case) return;
		frm.__intro_for = frm.doc.collection_case;
		frappe.db.get_doc("Collection Case", frm.doc.collection_case).then((c) => {
			const names = ["", ...(c.contact_points || []).map((p) => p.contact_name)];
			frm.set_df_property("contact_point", "options", names);
			if (c.last_contact_summary) {
				frm.set_intro(`${__("Last contact")}: ${frappe.utils.escape_html(c.last_contact_summary)}<br>${__("Next step")}: ${frappe.utils.escape_html(c.next_step || "-")}`, "blue");
			}
		});
	},
	onload(frm) {
		if (frm.doc.collection_case) frm.trigger("collection_case");
	},
});
