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
		show_customer_overview(frm);
		const contact_buttons = [
			[__("Log Contact"), "Contact Log"],
			[__("Record Visit"), "Visit Record"],
			[__("Request Waiver"), "Collection Waiver"],
			[__("Repayment Plan"), "Repayment Plan"],
		];
		for (const [label, doctype] of contact_buttons) {
			if (frappe.model.can_create(doctype)) {
				frm.add_custom_button(label, () => frappe.new_doc(doctype, { collection_case: frm.doc.name }), __("Contact", null, "Collection Case"));
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

// The customer overview: what the customer owes the company by age, the case's contacts and visits, its
// promises, its invoices (with their PDF) and an open one-shipment pass — one call, read by the server
// for whoever reads the case; everything shown in the reader's language, people by name.

function show_customer_overview(frm) {
	const token = (frm.__overview_token = (frm.__overview_token || 0) + 1);
	frappe.xcall("collections_module.collection_cases.overview_api.get_case_overview", { case: frm.doc.name }).then((data) => {
		// a newer refresh (or another case) took over the form meanwhile
		if (token !== frm.__overview_token || !data || data.case !== frm.doc.name) return;
		frm.dashboard.parent.find(".cm-customer-overview").remove();
		frm.dashboard.add_section(overview_html(frm, data), __("Customer overview"), "custom cm-customer-overview");
		frm.dashboard.show();
		for (const p of data.stock_passes || []) frm.dashboard.add_comment(pass_text(p), "yellow", true);
	});
}

function overview_html(frm, data) {
	const money = (value) => format_currency(value || 0, data.currency);
	return [
		overview_ageing(data, money),
		overview_timeline(data),
		overview_promises(data, money),
		overview_invoices(data, money),
	].join("");
}

const esc_text = (value) => (value === null || value === undefined ? "" : frappe.utils.escape_html(String(value)));
const user_date = (value) => (value ? frappe.datetime.str_to_user(value) : "");

function overview_table(title, headers, rows, empty) {
	const head = headers.map(([label, right]) => `<th${right ? ' class="text-right"' : ""}>${esc_text(label)}</th>`);
	const body = rows.length
		? rows.map((cells) => `<tr>${cells.join("")}</tr>`).join("")
		: `<tr><td colspan="${headers.length}" class="text-muted">${esc_text(empty)}</td></tr>`;
	return `<div class="col-sm-12"><h6 class="mt-3">${esc_text(title)}</h6>
		<table class="table table-bordered table-sm small"><thead><tr>${head.join("")}</tr></thead>
		<tbody>${body}</tbody></table></div>`;
}

const td = (html, right) => `<td${right ? ' class="text-right"' : ""}>${html}</td>`;

function overview_ageing(data, money) {
	const label = (b) =>
		!b.from ? __("Not yet due") : b.to ? __("{0}-{1} days", [b.from, b.to]) : __("Over {0} days", [b.from - 1]);
	const rows = data.ageing.map((b) => [td(esc_text(label(b))), td(b.count || 0, true), td(money(b.amount), true)]);
	rows.push([td(`<b>${esc_text(__("Total overdue"))}</b>`), td(""), td(`<b>${money(data.overdue)}</b>`, true)]);
	return overview_table(
		__("Open receivables by days overdue (on {0})", [user_date(data.as_of)]),
		[[__("Days Overdue")], [__("Documents", null, "Collection Case"), true], [__("Outstanding"), true]],
		rows,
		""
	);
}

function overview_timeline(data) {
	const rows = data.timeline.map((r) => {
		let what = esc_text(__(r.channel));
		if (r.direction) what += ` · ${esc_text(__(r.direction))}`;
		if (r.planned) what += ` <span class="text-muted">(${esc_text(__("planned", null, "Collection Case"))})</span>`;
		if (r.late_entry) what += ` <span class="text-muted">[${esc_text(__("late entry"))}]</span>`;
		const link = frappe.utils.get_form_link(r.doctype, r.name, true, esc_text(user_date(r.time) || r.name));
		return [td(link), td(what), td(esc_text(r.outcome ? __(r.outcome) : "")), td(esc_text(r.collectors.join(", "))), td(esc_text(r.summary))];
	});
	return overview_table(
		__("Contacts and visits (latest {0})", [20]),
		[[__("When")], [__("Channel")], [__("Outcome")], [__("Collector")], [__("Summary")]],
		rows,
		__("No contact recorded yet.")
	);
}

function overview_promises(data, money) {
	const status = { Kept: ["green", __("Kept")], Broken: ["red", __("Broken")], Pending: ["orange", __("Pending", null, "Collection Case")] };
	const rows = data.promises.map((p) => {
		const [colour, label] = status[p.status] || ["gray", ""];
		const pill = label ? `<span class="indicator-pill ${colour}">${esc_text(label)}</span>` : "";
		return [
			td(frappe.utils.get_form_link("Contact Log", p.name, true, esc_text(user_date(p.made_on) || p.name))),
			td(money(p.amount), true),
			td(esc_text(user_date(p.date))),
			td(pill),
			td(esc_text(p.collector)),
		];
	});
	return overview_table(
		__("Promises to pay"),
		[[__("Made On")], [__("Promised Amount"), true], [__("Promised Date")], [__("Promise Status")], [__("Collector")]],
		rows,
		__("No promise to pay recorded.")
	);
}

function overview_invoices(data, money) {
	const rows = data.invoices.map((r) => {
		let doc_html = esc_text(r.sales_invoice);
		if (r.debt) doc_html = frappe.utils.get_form_link("Debt", r.debt, true, esc_text(r.debt));
		let pdf = "";
		if (r.pdf) {
			const query = `case=${encodeURIComponent(data.case)}&invoice=${encodeURIComponent(r.sales_invoice)}`;
			pdf = `<a href="/api/method/collections_module.collection_cases.overview_api.invoice_pdf?${query}" target="_blank" rel="noopener">${esc_text(__("PDF"))}</a>`;
		}
		return [td(doc_html), td(esc_text(user_date(r.due_date))), td(r.days_overdue || 0, true), td(money(r.outstanding), true), td(pdf)];
	});
	return overview_table(
		__("Overdue Invoices"),
		[[__("Invoice", null, "Collection Case")], [__("Due Date")], [__("Days Overdue"), true], [__("Overdue Outstanding"), true], [""]],
		rows,
		__("No overdue invoice.")
	);
}

function pass_text(p) {
	const lock = frappe.utils.get_form_link("Stock Release Lock", p.lock, true, esc_text(p.lock));
	const granted = frappe.datetime.str_to_user(p.granted_on) || "";
	let html = __("A one-shipment pass is open until a Delivery Note uses it: {0}, granted by {1} on {2}.", [
		lock,
		esc_text(p.granted_by || "-"),
		esc_text(granted || "-"),
	]);
	if (p.reason) html += ` ${esc_text(__("Reason", null, "Collection Case"))}: ${esc_text(p.reason)}`;
	return html;
}
