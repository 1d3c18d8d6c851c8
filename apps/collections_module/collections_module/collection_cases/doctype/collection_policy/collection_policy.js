// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Collection Policy", {
	refresh(frm) {
		frm.set_intro(
			__("Days are counted from each invoice's due date (negative = before it). Every number is yours to change; the ladder is checked for overlaps when you save."),
			"blue"
		);
		if (!frm.is_new() && frm.perm[0]?.write) {
			frm.add_custom_button(__("Preview Changes"), () => preview(frm));
		}
	},
});

function preview(frm) {
	frappe
		.xcall("collections_module.collection_cases.api.preview_policy", { policy: frm.doc.name, stages: frm.doc.stages })
		.then((r) => {
			const esc = frappe.utils.escape_html;
			const figures = (s) => ({
				[__("Cases on this policy")]: s.cases,
				[__("Stage changes today")]: s.stage_changes,
				[__("Follow-ups today")]: s.follow_ups,
				[__("Lock proposals")]: s.lock_proposals,
				[__("Letters")]: s.letters,
			});
			const saved = figures(r.saved);
			const edited = figures(r.edited);
			let html = `<table class="table table-bordered"><thead><tr><th></th><th>${__("Saved")}</th><th>${__("As edited")}</th></tr></thead><tbody>`;
			Object.keys(saved).forEach((k) => {
				html += `<tr><td>${esc(k)}</td><td>${saved[k]}</td><td>${edited[k]}</td></tr>`;
			});
			const roles = new Set([...Object.keys(r.saved.escalations), ...Object.keys(r.edited.escalations)]);
			roles.forEach((role) => {
				html += `<tr><td>${esc(__("Escalations to {0}", [role]))}</td><td>${r.saved.escalations[role] || 0}</td><td>${r.edited.escalations[role] || 0}</td></tr>`;
			});
			const people = new Set([...Object.keys(r.saved.follow_ups_by_collector), ...Object.keys(r.edited.follow_ups_by_collector)]);
			people.forEach((user) => {
				html += `<tr><td>${esc(__("Follow-ups for {0}", [frappe.collections_person(user)]))}</td><td>${r.saved.follow_ups_by_collector[user] || 0}</td><td>${r.edited.follow_ups_by_collector[user] || 0}</td></tr>`;
			});
			html += "</tbody></table>";
			html += `<p>${esc(__("{0} cases would be at another stage than with the saved policy.", [r.cases_moved]))}</p>`;
			if (r.moved.length) {
				html += `<table class="table table-condensed"><thead><tr><th>${__("Customer")}</th><th>${__("Saved")}</th><th>${__("As edited")}</th></tr></thead><tbody>`;
				r.moved.forEach((m) => {
					html += `<tr><td>${esc(m.customer)}</td><td>${esc(m.saved || "-")}</td><td>${esc(m.edited || "-")}</td></tr>`;
				});
				html += "</tbody></table>";
			}
			html += `<p class="text-muted">${esc(__("Nothing has been saved or sent. Save the policy to apply the edited rows."))}</p>`;
			frappe.msgprint({ title: __("Preview of today's run"), message: html, wide: true });
		});
}
