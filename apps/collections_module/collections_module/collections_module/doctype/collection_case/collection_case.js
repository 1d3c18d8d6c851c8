// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Collection Case", {
	refresh(frm) {
		const last = (frm.doc.stage_history || []).slice(-1)[0];
		if (frm.doc.current_stage && last) {
			frm.dashboard.set_headline(
				`<b>${frappe.utils.escape_html(__("Why {0}?", [__(frm.doc.current_stage)]))}</b> ${frappe.utils.escape_html(last.reason || "")}`
			);
		}
		frm.set_query("collector", () => ({ query: "frappe.core.doctype.user.user.user_query", filters: { ignore_user_type: 0 } }));
	},
});
