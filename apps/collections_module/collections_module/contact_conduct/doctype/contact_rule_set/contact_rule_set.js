// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Contact Rule Set", {
	refresh(frm) {
		if (!frm.is_new() && frm.perm[0]?.write) {
			frm.add_custom_button(__("Preview Changes"), () => preview(frm));
		}
	},
});

function preview(frm) {
	frappe
		.xcall("collections_module.contact_conduct.api.preview_rule_set", { rule_set: frm.doc.name, values: frm.doc })
		.then((r) => {
			const esc = frappe.utils.escape_html;
			let html = `<p>${esc(
				__("The last {0} days' contacts on the {1} cases that follow these rules, each judged again as it was made.", [r.days, r.cases])
			)}</p>`;
			html += `<table class="table table-bordered"><thead><tr><th></th><th>${__("Saved")}</th><th>${__("As edited")}</th></tr></thead><tbody>`;
			html += `<tr><td>${esc(__("Contacts replayed"))}</td><td>${r.contacts}</td><td>${r.contacts}</td></tr>`;
			html += `<tr><td>${esc(__("Would have been refused"))}</td><td>${r.saved_refused}</td><td>${r.edited_refused}</td></tr>`;
			html += "</tbody></table>";
			const list = (title, counts) => {
				const keys = Object.keys(counts);
				if (!keys.length) return "";
				let out = `<p><b>${esc(title)}</b></p><ul>`;
				keys.forEach((k) => (out += `<li>${esc(k)}: ${counts[k]}</li>`));
				return out + "</ul>";
			};
			html += list(__("Refused only under the edited rules, by rule"), r.newly_refused);
			html += list(__("Allowed only under the edited rules, by the saved rule they broke"), r.newly_allowed);
			const people = Object.keys(r.by_collector);
			if (people.length) {
				html += `<table class="table table-condensed"><thead><tr><th>${__("Collector")}</th><th>${__("Contacts")}</th><th>${__("Newly refused")}</th><th>${__("Newly allowed")}</th></tr></thead><tbody>`;
				people.forEach((user) => {
					const p = r.by_collector[user];
					html += `<tr><td>${esc(frappe.collections_person(user))}</td><td>${p.contacts}</td><td>${p.newly_refused}</td><td>${p.newly_allowed}</td></tr>`;
				});
				html += "</tbody></table>";
			}
			html += `<p class="text-muted">${esc(__("Nothing has been saved. Save the rule set to apply the edited values."))}</p>`;
			frappe.msgprint({ title: __("Preview of the edited contact rules"), message: html, wide: true });
		});
}
