"""The evidence pack of a legal action (R-F2): one PDF with the case's invoices and debts, the customer's
statements and delivery notes, the letters sent (their own PDFs appended), and every contact and visit
logged, in time order; attached to the action."""

import io

import frappe
from frappe import _
from frappe.utils import escape_html, fmt_money, format_datetime, formatdate, get_url, now_datetime

from collections_module.pdf import CSS, letterhead_html

CASE = "Collection Case"


def gather(action) -> dict:
	case = frappe.get_doc(CASE, action.collection_case)
	invoices = [r.sales_invoice for r in case.invoices if r.sales_invoice]
	return {
		"case": case,
		"lines": case.invoices,
		"invoices": frappe.get_all(
			"Sales Invoice",
			filters={"name": ["in", invoices or [""]]},
			fields=["name", "posting_date", "due_date", "base_grand_total", "outstanding_amount"],
			order_by="posting_date",
		),
		"debts": frappe.get_all(
			"Debt",
			filters={"customer": case.customer, "company": case.company},
			fields=[
				"name",
				"client",
				"account_no",
				"due_date",
				"principal",
				"interest",
				"fees",
				"outstanding",
			],
			order_by="due_date",
		),
		"statements": frappe.get_all(
			"Customer Statement",
			filters={"customer": case.customer, "company": case.company},
			fields=["name", "period", "status", "closing_balance", "sent_on", "confirmed_on"],
			order_by="from_date",
		),
		"deliveries": frappe.get_all(
			"Delivery Note",
			filters={"customer": case.customer, "company": case.company, "docstatus": 1},
			fields=["name", "posting_date", "base_grand_total", "status"],
			order_by="posting_date",
		),
		"letters": frappe.get_all(
			"Collection Letter",
			filters={"collection_case": case.name},
			fields=["name", "letter_type", "status", "issued_on", "registered_mail_no", "pdf_file"],
			order_by="creation",
		),
		"contacts": frappe.get_all(
			"Contact Log",
			filters={"collection_case": case.name, "docstatus": ["<", 2]},
			fields=["name", "start_time", "channel", "direction", "collector", "outcome", "summary"],
			order_by="start_time",
		),
		"visits": frappe.get_all(
			"Visit Record",
			filters={"collection_case": case.name, "docstatus": ["<", 2]},
			fields=["name", "actual_time", "planned_time", "outcome", "summary", "persons_met"],
			order_by="planned_time",
		),
	}


def _table(headings: list[str], rows: list[list]) -> str:
	if not rows:
		return f'<p class="muted">{escape_html(_("None."))}</p>'
	head = "".join(f"<th>{escape_html(h)}</th>" for h in headings)
	body = "".join(
		"<tr>" + "".join(f"<td>{escape_html(str(c or ''))}</td>" for c in r) + "</tr>" for r in rows
	)
	return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(action, data: dict) -> str:
	case, currency = (
		data["case"],
		frappe.get_cached_value("Company", data["case"].company, "default_currency"),
	)

	def money(x):
		return fmt_money(x or 0, currency=currency)

	sections = [
		(
			_("Overdue Invoices And Debts"),
			_table(
				[_("Document"), _("Due Date"), _("Outstanding"), _("Days Overdue")],
				[
					[r.sales_invoice or r.debt, formatdate(r.due_date), money(r.outstanding), r.days_overdue]
					for r in data["lines"]
				],
			),
		),
		(
			_("Sales Invoices"),
			_table(
				[_("Sales Invoice"), _("Posting Date"), _("Due Date"), _("Grand Total"), _("Outstanding")],
				[
					[
						i.name,
						formatdate(i.posting_date),
						formatdate(i.due_date),
						money(i.base_grand_total),
						money(i.outstanding_amount),
					]
					for i in data["invoices"]
				],
			),
		),
		(
			_("Debts Handed In"),
			_table(
				[_("Debt"), _("Client"), _("Account"), _("Due Date"), _("Outstanding")],
				[
					[d.name, d.client, d.account_no, formatdate(d.due_date), money(d.outstanding)]
					for d in data["debts"]
				],
			),
		),
		(
			_("Statements"),
			_table(
				[
					_("Customer Statement"),
					_("Period"),
					_("Status"),
					_("Closing Balance"),
					_("Sent On"),
					_("Confirmed On"),
				],
				[
					[
						s.name,
						s.period,
						_(s.status),
						money(s.closing_balance),
						formatdate(s.sent_on),
						formatdate(s.confirmed_on),
					]
					for s in data["statements"]
				],
			),
		),
		(
			_("Delivery Notes"),
			_table(
				[_("Delivery Note"), _("Posting Date"), _("Grand Total"), _("Status")],
				[
					[d.name, formatdate(d.posting_date), money(d.base_grand_total), _(d.status)]
					for d in data["deliveries"]
				],
			),
		),
		(
			_("Letters"),
			_table(
				[_("Collection Letter"), _("Type"), _("Status"), _("Issued On"), _("Registered Mail No.")],
				[
					[
						x.name,
						_(x.letter_type),
						_(x.status),
						format_datetime(x.issued_on) if x.issued_on else "",
						x.registered_mail_no,
					]
					for x in data["letters"]
				],
			),
		),
		(
			_("Contacts"),
			_table(
				[_("Time"), _("Channel"), _("Collector"), _("Outcome"), _("Summary")],
				[
					[format_datetime(c.start_time), _(c.channel), c.collector, _(c.outcome or ""), c.summary]
					for c in data["contacts"]
				],
			),
		),
		(
			_("Visits"),
			_table(
				[_("Time"), _("Persons Met"), _("Outcome"), _("Summary")],
				[
					[
						format_datetime(v.actual_time or v.planned_time),
						v.persons_met,
						_(v.outcome or ""),
						v.summary,
					]
					for v in data["visits"]
				],
			),
		),
	]
	title = _("Evidence Pack")
	facts = _table(
		[_("Legal Action"), _("Type"), _("Collection Case"), _("Customer"), _("Overdue"), _("Prepared On")],
		[
			[
				action.name,
				_(action.legal_type),
				case.name,
				case.customer_name or case.customer,
				money(case.total_outstanding),
				format_datetime(now_datetime()),
			]
		],
	)
	body = "".join(f"<h2>{escape_html(h)}</h2>{t}" for h, t in sections)
	return (
		f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
		f"{letterhead_html(case.company)}<h1>{escape_html(title)}</h1>{facts}{body}</body></html>"
	)


def render_pdf(action) -> bytes:
	"""The pack, with the letters' own PDFs appended after it."""
	from pypdf import PdfWriter
	from weasyprint import HTML

	data = gather(action)
	pack = HTML(string=render_html(action, data), base_url=get_url()).write_pdf()
	# only issued letters, and only the PDF attached to the letter itself (never another record's file)
	files = [
		frappe.db.get_value(
			"File",
			{"file_url": x.pdf_file, "attached_to_doctype": "Collection Letter", "attached_to_name": x.name},
		)
		for x in data["letters"]
		if x.pdf_file and x.status == "Issued"
	]
	files = [f for f in files if f]
	if not files:
		return pack
	writer = PdfWriter()
	writer.append(io.BytesIO(pack))
	for name in files:
		writer.append(io.BytesIO(frappe.get_doc("File", name).get_content()))
	out = io.BytesIO()
	writer.write(out)
	return out.getvalue()


def attach_evidence(action) -> str:
	pdf = render_pdf(action)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{action.name}-evidence.pdf",
			"attached_to_doctype": action.doctype,
			"attached_to_name": action.name,
			"attached_to_field": "evidence_pack",
			"content": pdf,
			"is_private": 1,
		}
	)
	file.flags.ignore_permissions = True
	file.insert()
	action.db_set({"evidence_pack": file.file_url, "evidence_prepared_on": now_datetime()})
	return file.file_url
