// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Stock Release Lock", {
	refresh(frm) {
		if (["Active", "Release Proposed"].includes(frm.doc.status)) {
			frm.dashboard.set_headline_alert(
				`<b>${__("Shipments to {0} are refused.", [frappe.utils.escape_html(frm.doc.customer_name || frm.doc.customer)])}</b>`,
				"red"
			);
			if (!frm.doc.__onload?.can_grant_pass) return;
			frm.add_custom_button(__("Grant One-shipment Pass"), () => {
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					({ reason }) =>
						frappe
							.xcall("collections_module.enforcement.doctype.stock_release_lock.stock_release_lock.grant_pass", {
								lock: frm.doc.name,
								reason,
							})
							.then(() => frm.reload_doc()),
					__("Let one Delivery Note through")
				);
			});
		}
	},
});
