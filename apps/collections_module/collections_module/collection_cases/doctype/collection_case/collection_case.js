// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

// Who may hand a case to another collector (the server checks the same roles).
const CASE_LEADS = ["Collection Supervisor", "Collection Manager", "Collection General Manager", "Business Owner", "System Manager"];

frappe.ui.form.on("Collection Case", {
	refresh(frm) {
		set_why_headline(frm);
		show_grade_why(frm);
		frm.set_query("collector", () => ({ query: "frappe.core.doctype.user.user.user_query", filters: { ignore_user_type: 0 } }));
		if (frm.is_new()) return;
		show_contact_status(frm);
		const contact_buttons = [
			[__("Log Contact"), "Contact Log"],
			[__("Record Visit"), "Visit Record"],
			[__("Request Waiver"), "Collection Waiver"],
			[__("Repayment Plan"), "Repayment Plan"],
		];
		for (const [label, doctype] of contact_buttons) {
			if (frappe.model.can_create(doctype)) {
				frm.add_custom_button(label, () => frappe.new_doc(doctype, { collection_case: frm.doc.name }), __("Contact"));
			}
		}
		if (frappe.user.has_role(CASE_LEADS)) add_reassign_button(frm);
		if (frappe.user.has_role(CASE_LEADS) && !frm.doc.legal_action && frm.doc.status !== "Closed") {
			frm.add_custom_button(__("Propose Legal Action"), () =>
				frappe.new_doc("Legal Action", { collection_case: frm.doc.name })
			);
		}
	},
});

// The "why" headline: when the stage was entered and on what figures, and where the case stands now.
function set_why_headline(frm) {
	const doc = frm.doc;
	const history = doc.stage_history || [];
	if (!doc.current_stage || !history.length) return;
	// the row the stage was entered on (a row that only logs a change of risk grade keeps the stage)
	const entered_rows = history.filter((row) => row.to_stage === doc.current_stage && row.from_stage !== row.to_stage);
	const entry = entered_rows.slice(-1)[0] || history.slice(-1)[0];
	const esc = frappe.utils.escape_html;
	// in the company currency, as the form shows the figures (the fields' Currency option)
	const money = (value) => frappe.format(value || 0, frm.fields_dict.total_outstanding.df, { inline: true }, doc);
	const date = (value) => (value ? frappe.datetime.str_to_user(value) : "-");
	const entered = __("{0} since {1} (entered at {2} days, {3} overdue).", [
		__(doc.current_stage),
		date(entry.changed_on),
		entry.days_overdue || 0,
		money(entry.outstanding),
	]);
	const as_of = doc.as_of_date || frappe.datetime.get_today();
	const now =
		as_of === frappe.datetime.get_today()
			? __("Today: {0} days, {1} overdue.", [doc.oldest_days_overdue || 0, money(doc.total_outstanding)])
			: __("On {0}: {1} days, {2} overdue.", [date(as_of), doc.oldest_days_overdue || 0, money(doc.total_outstanding)]);
	let html = `<b>${esc(entered)}</b> ${esc(now)}`;
	const reason = stage_reason(entry);
	if (reason) html += `<br><span class="text-muted">${esc(__("Why {0}?", [__(doc.current_stage)]))} ${esc(reason)}</span>`;
	frm.dashboard.set_headline(html);
}

// The stage's reason in the reader's language: its template and arguments when the run kept them,
// else the sentence as it was written.
function stage_reason(entry) {
	if (entry.reason_template) {
		try {
			const args = JSON.parse(entry.reason_args || "[]").map((a) => (typeof a === "string" ? __(a) : a));
			return __(entry.reason_template, args);
		} catch (e) {
			// an unreadable argument list: the stored sentence below
		}
	}
	return entry.reason || "";
}

function add_reassign_button(frm) {
	frm.add_custom_button(__("Reassign"), () => {
		frappe.prompt(
			[
				{ fieldname: "collector", fieldtype: "Link", options: "User", label: __("New Collector"), reqd: 1 },
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
			],
			({ collector, reason }) =>
				frappe
					.xcall("collections_module.collection_cases.doctype.collection_case.collection_case.reassign", {
						case: frm.doc.name,
						collector,
						reason,
					})
					.then(() => frm.reload_doc()),
			__("Hand the case to another collector")
		);
	});
}

function show_contact_status(frm) {
	frappe.xcall("collections_module.contact_conduct.api.contact_status", { case: frm.doc.name }).then((s) => {
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

// "Why this grade" in the reader's language, from the facts the daily run stored with their points.
function show_grade_why(frm) {
	if (!frm.doc.grade_factors || !frm.fields_dict.grade_why) return;
	let factors;
	try {
		factors = JSON.parse(frm.doc.grade_factors);
	} catch (e) {
		return;
	}
	const parts = factors
		.filter(([, , points]) => points)
		.map(([template, args, points]) => `${__(template, (args || []).map((a) => (typeof a === "string" ? __(a) : a)))} +${points}`);
	const head = `${frm.doc.computed_grade} (${frm.doc.risk_score})`;
	const text = parts.length ? `${head}: ${parts.join(", ")}` : head;
	frm.fields_dict.grade_why.$wrapper.find(".control-value, .like-disabled-input").text(text);
}
