// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Call Quality Review", {
	refresh(frm) {
		if (frm.doc.docstatus === 1 && !frm.doc.acknowledged && frm.doc.collector === frappe.session.user) {
			frm.add_custom_button(__("Acknowledge"), () => {
				frappe.prompt(
					{ fieldname: "comment", fieldtype: "Small Text", label: __("Your Comment") },
					(values) =>
						frappe
							.xcall("collections_module.team.api.acknowledge", { review: frm.doc.name, comment: values.comment })
							.then(() => frm.reload_doc()),
					__("Acknowledge the review"),
					__("Acknowledge")
				);
			}).addClass("btn-primary");
		}
	},
});
