// A red banner on the forms of a customer whose stock release is locked (R-B7). The refusal itself is
// server-side (integrations/erpnext/shipment_guard.py); this only tells the user before they try.
if (!window.collections_module_lock_banner) {
	window.collections_module_lock_banner = true;
	const show = (frm, customer, company) => {
		if (!customer) return;
		frappe
			.xcall("collections_module.enforcement.api.lock_banner", { customer, company })
			.then((locks) => {
				(locks || []).forEach((lock) => {
					frm.dashboard.set_headline_alert(
						`<b>${__("Stock release locked")}</b>: ${frappe.utils.escape_html(
							__("{0} ({1}): {2} overdue, {3} days. Ask: {4}", [
								lock.name,
								lock.company,
								format_currency(lock.overdue_amount, lock.currency),
								lock.oldest_days_overdue,
								lock.ask || "",
							])
						)}${
							lock.pass_open
								? " " + frappe.utils.escape_html(__("A one-shipment pass is open: the next delivery goes through."))
								: ""
						}`,
						"red"
					);
				});
			});
	};
	["Delivery Note", "Pick List", "Sales Order"].forEach((doctype) => {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				if (frm.doc.docstatus === 0 || doctype === "Sales Order") show(frm, frm.doc.customer, frm.doc.company);
			},
			customer(frm) {
				show(frm, frm.doc.customer, frm.doc.company);
			},
		});
	});
	frappe.ui.form.on("Customer", {
		refresh(frm) {
			if (!frm.is_new()) show(frm, frm.doc.name);
		},
	});
}
