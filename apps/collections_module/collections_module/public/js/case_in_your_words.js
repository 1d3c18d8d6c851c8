// Values on the collection case that a person reads — its status, stage names, the reasons the ladder
// gave — are shown in the reader's language. The server stores them once (in the site's language, with
// the reason also as a sentence template and its arguments); this only changes how they are shown.
frappe.ui.form.on("Collection Case", {
	onload(frm) {
		const in_words = (value) => (value ? frappe.utils.escape_html(__(String(value), null, "Collection Case")) : "");
		["status", "current_stage", "policy_note", "promise_status"].forEach((fieldname) => {
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
