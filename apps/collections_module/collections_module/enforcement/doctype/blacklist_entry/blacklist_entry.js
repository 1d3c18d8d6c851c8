// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Blacklist Entry", {
	refresh(frm) {
		if (["Active", "Removal Proposed"].includes(frm.doc.status)) {
			frm.dashboard.set_headline_alert(`<b>${__("Listed: new Quotations and Sales Orders are refused.")}</b>`, "red");
		}
	},
});
