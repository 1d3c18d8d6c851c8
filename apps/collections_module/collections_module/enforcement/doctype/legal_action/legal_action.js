// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Legal Action", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.approval_state === "Approved" && frm.perm[0]?.write) {
			frm.add_custom_button(__("Prepare Evidence Pack"), () =>
				frappe
					.xcall("collections_module.enforcement.doctype.legal_action.legal_action.prepare_evidence", {
						action: frm.doc.name,
					})
					.then((url) => {
						frm.reload_doc();
						window.open(url);
					})
			);
		}
		if (frm.doc.approval_state !== "Approved") {
			frm.set_intro(__("The action starts once the Business Owner approves it."), "orange");
		}
	},
});
