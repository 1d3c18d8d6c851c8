// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Incentive Statement"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		return doc.status === "Reviewed"
			? [__("Reviewed"), "green", "status,=,Reviewed"]
			: [__("Draft"), "orange", "status,=,Draft"];
	},
	onload(listview) {
		const reviewers = ["Collection Manager", "Collection General Manager", "Business Owner", "System Manager"];
		if (!frappe.user.has_role(reviewers)) return;
		listview.page.add_inner_button(__("Draft Statements"), () => draft_incentive_statements(listview));
	},
};

function draft_incentive_statements(listview) {
	frappe.prompt(
		[
			{
				fieldname: "month",
				fieldtype: "Date",
				label: __("Month"),
				reqd: 1,
				default: moment().subtract(1, "month").startOf("month").format("YYYY-MM-DD"),
				description: __("Any day of the month."),
			},
			{
				fieldname: "company",
				fieldtype: "Link",
				options: "Company",
				label: __("Company"),
				default: frappe.defaults.get_user_default("Company"),
			},
		],
		(values) =>
			frappe
				.xcall("collections_module.team.api.draft_incentive_statements", values)
				.then((names) => {
					frappe.show_alert({ message: __("{0} statements drafted.", [names.length]), indicator: "green" });
					listview && listview.refresh();
				}),
		__("Draft the month's incentive statements"),
		__("Draft Statements")
	);
}
