// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

// frappe.ui.form.on("Collector Profile", {
// 	refresh(frm) {

// 	},
// });
