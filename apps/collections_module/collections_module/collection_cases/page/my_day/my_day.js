// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

// My Day: the collector's cases due today and overdue follow-ups, ranked by expected recovery.
// One server call (get_my_day) brings everything shown; the server decides what the user may see.
// One table serves every screen: below 600 px wide each row shows as a card (CSS only).

const MY_DAY_METHOD = "collections_module.collection_cases.api.get_my_day";
const CASE_DOCTYPE = "Collection Case";

// Pages load no stylesheet of their own: the rules live here. ".my-day-page" is the page's wrapper.
const MY_DAY_CSS = `
.my-day-page .my-day-actions { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; }
.my-day-page .my-day-actions .btn { white-space: nowrap; }
@media (max-width: 599.98px) {
	.my-day-page .page-form .frappe-control { flex: 1 1 100%; max-width: 100%; }
	.my-day-page .my-day { overflow-wrap: break-word; }
	.my-day-page .my-day-team { font-size: var(--text-sm); }
	.my-day-page .my-day-team td.text-right { white-space: nowrap; }
	.my-day-page .my-day-table,
	.my-day-page .my-day-table tbody { display: block; width: 100%; border: 0; background: none !important; }
	.my-day-page .my-day-table thead { display: none; }
	.my-day-page .my-day-table tr {
		display: flex; flex-wrap: wrap; align-items: baseline; margin-bottom: var(--margin-md);
		padding: var(--padding-sm) var(--padding-md); background: var(--card-bg);
		border: 1px solid var(--border-color); border-radius: var(--border-radius-md);
	}
	.my-day-page .my-day-table td {
		display: block; flex: 0 0 100%; min-width: 0; padding: 2px 0; border: 0 !important;
		text-align: left !important; overflow-wrap: anywhere;
	}
	.my-day-page .my-day-table td:empty { display: none; }
	.my-day-page .my-day-table td.my-day-rank { flex: 0 0 auto; padding-right: var(--padding-sm); color: var(--text-muted); }
	.my-day-page .my-day-table td.my-day-rank::before { content: "#"; }
	.my-day-page .my-day-table td.my-day-case { flex: 1 1 0; }
	.my-day-page .my-day-actions { flex-direction: row; flex-wrap: wrap; gap: 6px; margin-top: var(--margin-sm); }
	.my-day-page .my-day-actions .btn { font-size: var(--text-md); padding: 6px 12px; min-height: 36px; }
}`;

frappe.pages["my-day"].on_page_load = function (wrapper) {
	frappe.dom.set_style(MY_DAY_CSS, "my-day-style");
	$(wrapper).addClass("my-day-page");
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("My Day"), single_column: true });
	wrapper.my_day = new CollectionsMyDay(page);
};

frappe.pages["my-day"].on_page_show = function (wrapper) {
	if (frappe.route_options && frappe.route_options.collector !== undefined) {
		wrapper.my_day.collector = frappe.route_options.collector || "";
		frappe.route_options = null;
	}
	wrapper.my_day.refresh();
};

class CollectionsMyDay {
	constructor(page) {
		this.page = page;
		this.collector = "";
		this.$body = $(`<div class="my-day"></div>`).appendTo(page.main);
		page.set_secondary_action(__("Refresh"), () => this.refresh(), "refresh");
	}

	refresh() {
		this.$body.html(`<div class="text-muted p-4">${__("Loading...")}</div>`);
		return frappe.xcall(MY_DAY_METHOD, { collector: this.collector || null }).then((data) => {
			this.data = data;
			this.setup_collector_filter(data);
			this.render(data);
		});
	}

	setup_collector_filter(data) {
		if (!data.is_lead || this.collector_field) return;
		const options = [{ value: "", label: __("Whole team") }, ...(data.collectors || [])];
		this.collector_field = this.page.add_field({
			fieldname: "collector",
			fieldtype: "Select",
			label: __("Collector"),
			options,
			default: this.collector,
			change: () => {
				const value = this.collector_field.get_value() || "";
				if (value === this.collector) return;
				this.collector = value;
				this.refresh();
			},
		});
		this.collector_field.set_value(this.collector);
	}

	render(data) {
		const esc = frappe.utils.escape_html;
		const title = data.team
			? __("The team's day")
			: data.collector === frappe.session.user
			? __("My Day")
			: __("Day of {0}", [data.collector_name || data.collector]);
		this.page.set_title(title);
		let html = `<p class="text-muted">${esc(
			__("{0} cases due on {1}, ranked by expected recovery (overdue amount × the likelihood that a contact today leads to payment).", [
				data.total,
				frappe.datetime.str_to_user(data.today),
			])
		)}</p>`;
		if (data.note) html += `<div class="alert alert-warning">${esc(data.note)}</div>`;
		if (data.run_failures && data.run_failures.count) {
			html += `<div class="alert alert-danger run-failures">${esc(data.run_failures.message)}
				<a href="/app/collections-run-log/${encodeURIComponent(data.run_failures.log)}">${esc(__("See the run log"))}</a></div>`;
		}
		if (data.by_collector && data.by_collector.length) html += this.team_table(data.by_collector);
		if (!data.rows.length) {
			html += `<div class="text-muted p-4">${esc(__("Nothing due today."))}</div>`;
			this.$body.html(html);
			return;
		}
		html += `<table class="table table-bordered my-day-table" style="background: var(--card-bg)"><thead><tr>
			<th>#</th><th>${esc(__("Case"))}</th><th>${esc(__("Overdue"))}</th><th>${esc(__("Expected Recovery"))}</th>
			<th>${esc(__("Contact Now"))}</th><th>${esc(__("Last Contact"))} / ${esc(__("Next Step"))}</th>
			<th>${esc(__("Follow-ups"))}</th><th></th></tr></thead><tbody>`;
		data.rows.forEach((row, i) => (html += this.row_html(row, i, data.team)));
		html += `</tbody></table>`;
		this.$body.html(html);
		this.$body.find("[data-action]").on("click", (e) => {
			const $b = $(e.currentTarget);
			const row = data.rows[$b.attr("data-row")];
			if (row) this.on_action(e, row, $b.attr("data-action"));
		});
	}

	team_table(groups) {
		const esc = frappe.utils.escape_html;
		let html = `<table class="table table-sm table-bordered my-day-team" style="max-width: 720px"><thead><tr>
			<th>${esc(__("Collector"))}</th><th class="text-right">${esc(__("Cases Due"))}</th>
			<th class="text-right">${esc(__("Overdue"))}</th><th class="text-right">${esc(__("Expected Recovery"))}</th>
			</tr></thead><tbody>`;
		for (const g of groups) {
			const name = g.collector
				? `<a href="#" data-collector="${esc(g.collector)}">${esc(g.collector_name)}</a>`
				: esc(g.collector_name);
			html += `<tr><td>${name}</td><td class="text-right">${g.cases}</td>
				<td class="text-right">${esc(format_number(g.amount, null, 2))}</td>
				<td class="text-right">${esc(format_number(g.expected, null, 2))}</td></tr>`;
		}
		html += `</tbody></table>`;
		setTimeout(() =>
			this.$body.find("[data-collector]").on("click", (e) => {
				e.preventDefault();
				this.collector = $(e.currentTarget).attr("data-collector");
				this.collector_field && this.collector_field.set_value(this.collector);
				this.refresh();
			})
		);
		return html;
	}

	row_html(row, i, team) {
		const esc = frappe.utils.escape_html;
		const money = (v) => esc(format_currency(v, row.currency));
		const date = (v) => (v ? esc(frappe.datetime.str_to_user(v)) : "");
		const band_colour = { High: "green", Medium: "orange", Low: "gray" }[row.band] || "gray";
		const contact = row.contact.allowed
			? `<span class="indicator-pill green">${esc(__("Contact allowed now"))}</span>`
			: `<span class="indicator-pill red">${esc(__("No contact now"))}</span>
				<div class="small">${esc(row.contact.message)}</div>` +
			  (row.contact.next_allowed
					? `<div class="small">${esc(__("Next allowed: {0} ({1})", [row.contact.next_allowed, row.contact.timezone]))}</div>`
					: "");
		const last = row.last_contact.summary
			? `<div>${esc(row.last_contact.summary)} <span class="text-muted">${date(row.last_contact.on)}</span></div>`
			: `<div class="text-muted">${esc(__("No contact yet"))}</div>`;
		const next = row.next_step.text
			? `<div><b>${esc(__("Next step"))}:</b> ${esc(row.next_step.text)} <span class="text-muted">${date(row.next_step.date)}</span></div>`
			: "";
		const promise = row.promise.status
			? `<div class="small">${esc(__("Promise"))}: ${esc(row.promise.status_label)} ${money(row.promise.amount)} ${date(row.promise.date)}</div>`
			: "";
		const ups = row.follow_ups
			.map((f) => `<div class="small"><span class="text-muted">${date(f.date)}</span> ${esc(String(f.description || "").slice(0, 300))}</div>`)
			.join("");
		return `<tr>
			<td class="my-day-rank">${i + 1}</td>
			<td class="my-day-case"><a href="/app/collection-case/${encodeURIComponent(row.case)}"><b>${esc(row.customer_name)}</b></a>
				<div class="small text-muted">${esc(row.case)} · ${esc(row.status_label)}${row.stage_label ? " · " + esc(row.stage_label) : ""}</div>
				${team ? `<div class="small">${esc(__("Collector"))}: ${esc(row.collector_name)}</div>` : ""}</td>
			<td class="text-right">${money(row.amount)}<div class="small">${esc(__("{0} days", [row.days_overdue]))}</div>
				<div class="small text-muted">${esc(row.why_today)}</div></td>
			<td><div><b>${money(row.expected)}</b> <span class="indicator-pill ${band_colour}">${esc(row.band_label)}</span></div>
				<div class="small">${esc(row.reason)}</div></td>
			<td>${contact}</td>
			<td>${last}${next}${promise}</td>
			<td>${ups}</td>
			<td><div class="my-day-actions">${this.actions_html(row, i)}</div></td>
		</tr>`;
	}

	actions_html(row, i) {
		// the debtor's phone (a tel: link) and e-mail come decided from the server; the rest by permission
		const esc = frappe.utils.escape_html;
		const button = (action, label, title) =>
			`<button class="btn btn-xs btn-default" data-row="${i}" data-action="${action}"${
				title ? ` title="${esc(title)}"` : ""
			}>${esc(label)}</button>`;
		const dial = String(row.phone || "").replace(/[^0-9+*#,;]/g, "");
		let html = dial
			? `<a class="btn btn-xs btn-default" data-row="${i}" data-action="tel" href="tel:${esc(dial)}">${esc(
					__("Call {0}", [row.phone])
			  )}</a>`
			: "";
		html += row.actions.map((a) => button(esc(a.action), a.label)).join("");
		if (frappe.model.can_email(CASE_DOCTYPE)) html += button("email", __("Email"), row.email || "");
		if (frappe.model.can_create("Collection Letter")) html += button("letter", __("New Letter"));
		return html;
	}

	on_action(e, row, name) {
		if (name === "tel") return this.dial(e, row);
		if (name === "email") return this.compose_email(row);
		if (name === "letter") return frappe.new_doc("Collection Letter", { collection_case: row.case });
		this.run_action(row, name);
	}

	dial(e, row) {
		// the case's contact rules hold for a tap on the number as for the call logged
		if (!row.contact.allowed) {
			e.preventDefault();
			frappe.msgprint({
				title: __("No contact now"),
				message: frappe.utils.escape_html(row.contact.text),
				indicator: "red",
			});
			return;
		}
		// the phone dials; the Log Call form opens, for the call to be recorded
		if (!row.actions.some((a) => a.action === "log_call")) return;
		const who = { relation: row.phone_relation || "Debtor" };
		if (row.phone_contact) who.contact_point = row.phone_contact;
		setTimeout(() => this.run_action(row, "log_call", who), 300);
	}

	compose_email(row) {
		// the Communication is linked to the case through ``doc`` (the composer sends doc.doctype, doc.name)
		const doc = {
			doctype: CASE_DOCTYPE,
			name: row.case,
			customer: row.customer,
			customer_name: row.customer_name,
			company: row.company,
		};
		new frappe.views.CommunicationComposer({
			doc,
			doctype: CASE_DOCTYPE,
			name: row.case,
			recipients: row.email || "",
			subject: __("Overdue balance of {0} (#{1})", [row.customer_name, row.case]),
		});
	}

	run_action(row, name, extra) {
		const action = row.actions.find((a) => a.action === name);
		if (!action) return;
		const values = Object.assign({}, action.values, extra);
		const now = frappe.datetime.now_datetime();
		if (action.doctype === "Contact Log") values.start_time = now;
		if (action.doctype === "Visit Record") values.actual_time = now;
		frappe.new_doc(action.doctype, values, (doc) => {
			if (action.doctype === "Visit Record") {
				const row_ = frappe.model.add_child(doc, "collectors");
				row_.collector = frappe.session.user;
			}
		});
	}
}
