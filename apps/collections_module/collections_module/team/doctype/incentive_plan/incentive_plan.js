// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Incentive Plan", {
	refresh(frm) {
		const reviewers = ["Collection Manager", "Collection General Manager", "Business Owner", "System Manager"];
		if (frm.is_new() || !frm.doc.active || !frappe.user.has_role(reviewers)) return;
		frm.add_custom_button(__("Draft Statements"), () => {
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
						.xcall("collections_module.team.api.draft_incentive_statements", {
							...values,
							plan: frm.doc.name,
						})
						.then((names) => {
							frappe.show_alert({
								message: __("{0} statements drafted.", [names.length]),
								indicator: "green",
							});
							frappe.set_route("List", "Incentive Statement");
						}),
				__("Draft the month's incentive statements"),
				__("Draft Statements")
			);
		});
	},
});
