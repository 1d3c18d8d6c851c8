// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

function show_stages_of_type(frm) {
	// only the stages of this kind of action (a lawsuit's, an agency's...), not all of them
	const stages = (frm.doc.__onload?.stages_by_type || {})[frm.doc.legal_type];
	if (!stages) return;
	const options = ["", ...stages];
	if (frm.doc.stage && !options.includes(frm.doc.stage)) options.push(frm.doc.stage);
	frm.set_df_property("stage", "options", options);
}

frappe.ui.form.on("Legal Action", {
	legal_type(frm) {
		show_stages_of_type(frm);
	},
	refresh(frm) {
		show_stages_of_type(frm);
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
