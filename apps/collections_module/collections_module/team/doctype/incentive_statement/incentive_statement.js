// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

const INCENTIVE_REVIEWERS = ["Collection Manager", "Collection General Manager", "Business Owner", "System Manager"];

frappe.ui.form.on("Incentive Statement", {
	refresh(frm) {
		const reviewer = frappe.user.has_role(INCENTIVE_REVIEWERS) && frm.doc.collector !== frappe.session.user;
		if (frm.doc.status === "Draft" && !frm.is_new() && reviewer) {
			frm.add_custom_button(__("Mark Reviewed"), () => {
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("Note for the collector") },
					(values) =>
						frappe
							.xcall("collections_module.team.api.review_incentive_statement", {
								statement: frm.doc.name,
								note: values.note,
							})
							.then(() => frm.reload_doc()),
					__("Review the incentive statement"),
					__("Mark Reviewed")
				);
			}).addClass("btn-primary");
		}
		if (frm.doc.status === "Reviewed") {
			frm.set_intro(__("Reviewed: the figures are fixed."), "green");
		}
	},
});
