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
		if (frm.is_new()) return;
		show_contact_status(frm);
		frm.add_custom_button(__("Log Contact"), () => frappe.new_doc("Contact Log", { collection_case: frm.doc.name }), __("Contact"));
		frm.add_custom_button(__("Record Visit"), () => frappe.new_doc("Visit Record", { collection_case: frm.doc.name }), __("Contact"));
		frm.add_custom_button(__("Request Waiver"), () => frappe.new_doc("Collection Waiver", { collection_case: frm.doc.name }), __("Contact"));
		frm.add_custom_button(__("Repayment Plan"), () => frappe.new_doc("Repayment Plan", { collection_case: frm.doc.name }), __("Contact"));
		frm.add_custom_button(__("Reassign"), () => {
			frappe.prompt(
				[
					{ fieldname: "collector", fieldtype: "Link", options: "User", label: __("New Collector"), reqd: 1 },
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				],
				({ collector, reason }) =>
					frappe
						.xcall("collections_module.collections_module.doctype.collection_case.collection_case.reassign", {
							case: frm.doc.name,
							collector,
							reason,
						})
						.then(() => frm.reload_doc()),
				__("Hand the case to another collector")
			);
		});
	},
});

function show_contact_status(frm) {
	frappe.xcall("collections_module.contact_conduct.contact_status", { case: frm.doc.name }).then((s) => {
		const esc = frappe.utils.escape_html;
		let html = s.allowed
			? `<span class="indicator-pill green">${__("Contact allowed now")}</span>`
			: `<span class="indicator-pill red">${__("No contact now")}</span> ${esc(s.message)}` +
			  (s.next_allowed ? ` ${__("Next allowed: {0} ({1})", [esc(s.next_allowed), esc(s.timezone)])}` : "");
		if (s.good.length) html += ` · ${__("Good time")}: ${esc(s.good.join(", "))}`;
		if (s.avoid.length) html += ` · ${__("Better avoid")}: ${esc(s.avoid.join(", "))}`;
		if (frm.doc.last_contact_summary) html += `<br>${__("Last contact")}: ${esc(frm.doc.last_contact_summary)} · ${__("Next step")}: ${esc(frm.doc.next_step || "-")}`;
		frm.dashboard.add_comment(html, s.allowed ? "green" : "red", true);
	});
}
