// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Collection Policy", {
	refresh(frm) {
		frm.set_intro(
			__("Days are counted from each invoice's due date (negative = before it). Every number is yours to change; the ladder is checked for overlaps when you save."),
			"blue"
		);
	},
});
