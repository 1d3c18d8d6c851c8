// Values on the collection case that a person reads — its status, stage names, the reasons the ladder
// gave — are shown in the reader's language. The server stores them once (in the site's language, with
// the reason also as a sentence template and its arguments); this only changes how they are shown.
// The sentences the server may store as the policy note (ladder/plan.py policy_note): read back into
// their template and arguments, and shown in the reader's language.
const POLICY_NOTES = [
	"The customer's own policy.",
	"The policy for risk grade {0}.",
	"The customer group's policy.",
	"The default policy.",
	"{0} cannot be used (disabled, deleted or without stages), so {1} applies.",
];

function from_template(value, templates) {
	if (!value) return "";
	const text = String(value);
	const parts = text.split(/(?<=\.) /); // a note may be two sentences
	if (parts.length > 1) return parts.map((part) => from_template(part, templates)).join(" ");
	for (const template of templates) {
		const pattern = "^" + template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\{\d\\\}/g, "(.+?)") + "$";
		const match = text.match(new RegExp(pattern));
		if (match) return __(template, match.slice(1).map((a) => __(a)));
	}
	return __(text, null, "Collection Case");
}

frappe.ui.form.on("Collection Case", {
	// the timeline's field changes show stored values: in the reader's words, never "null"
	timeline_refresh(frm) {
		frm.$wrapper.find(".new-timeline .timeline-content a > b, .new-timeline .timeline-content b").each(function () {
			const text = this.textContent.trim();
			if (text === "null" || text === "undefined" || text === '""') this.textContent = "—";
			else if (text && __(text, null, "Collection Case") !== text) this.textContent = __(text, null, "Collection Case");
		});
	},
	onload(frm) {
		const in_words = (value) => (value ? frappe.utils.escape_html(__(String(value), null, "Collection Case")) : "");
		const note = frm.fields_dict.policy_note;
		if (note) note.df.formatter = (value) => frappe.utils.escape_html(from_template(value, POLICY_NOTES));
		["status", "current_stage", "promise_status"].forEach((fieldname) => {
			const field = frm.fields_dict[fieldname];
			if (field) field.df.formatter = in_words;
		});
		const history = frm.fields_dict.stage_history;
		if (!history) return;
		["from_stage", "to_stage"].forEach((fieldname) => {
			const df = frappe.meta.get_docfield("Collection Case Stage Log", fieldname, frm.doc.name);
			if (df) df.formatter = in_words;
		});
		const reason = frappe.meta.get_docfield("Collection Case Stage Log", "reason", frm.doc.name);
		if (reason) {
			reason.formatter = (value, df, options, row) => {
				if (row && row.reason_template) {
					let args = [];
					try {
						args = JSON.parse(row.reason_args || "[]");
					} catch (e) {
						args = [];
					}
					return frappe.utils.escape_html(
						__(row.reason_template, args.map((a) => (typeof a === "string" ? __(a) : a)))
					);
				}
				return frappe.utils.escape_html(__(value || ""));
			};
		}
	},
});
