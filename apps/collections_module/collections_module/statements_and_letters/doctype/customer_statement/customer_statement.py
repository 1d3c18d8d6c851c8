# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate, nowdate

from collections_module.contact_conduct.system_contacts import log_system_contact
from collections_module.policy.statements import deadlines

PRINT_FORMATS = {"en": "Customer Statement EN", "zh": "Customer Statement ZH"}

# Kept by the server alone: whatever a request sends for them is replaced by the stored (or computed)
# value, in every state, so a statement always shows the General Ledger as it is.
SERVER_FIELDS = (
	"period",
	"currency",
	"visit_suggested",
	"opening_balance",
	"total_invoiced",
	"total_paid",
	"closing_balance",
	"lines",
	"sent_on",
	"confirmed_on",
	"passed_to_finance_on",
	"invoiced_on",
	"last_follow_up_on",
	"follow_up_stage",
	"follow_up_stage_since",
)
# What the statement is of: fixed once it has left Draft.
SUBJECT_FIELDS = ("customer", "company", "from_date", "to_date")


class CustomerStatement(Document):
	"""A customer's statement for a month (R-A1): General Ledger lines with opening and closing balance,
	plus the period's deliveries not yet invoiced. Its confirmation cycle (R-A2, R-A3) is the
	'Customer Statement' Workflow; the deadlines come from Collection Settings."""

	def before_insert(self):
		self.period = f"{getdate(self.from_date):%Y-%m}"  # part of the name

	def validate(self):
		self.keep_server_fields()
		self.period = f"{getdate(self.from_date):%Y-%m}"
		if self.is_new():
			self.validate_one_per_period()
		self.currency = frappe.get_cached_value("Company", self.company, "default_currency")
		self.receipt_settled = frappe.db.get_value("Customer", self.customer, "collection_receipt_settled")
		self.contact_email = self.contact_email or frappe.db.get_value("Customer", self.customer, "email_id")
		self.set_deadlines()
		if self.status == "Draft":
			self.build_lines()
		self.check_transition()

	def keep_server_fields(self):
		"""Figures, lines and stamps are the server's: values sent by the client are dropped."""
		before = self.get_doc_before_save()
		if before is None:
			for field in SERVER_FIELDS:
				if field != "lines":
					self.set(field, None)
			self.set("lines", [])
			return
		for field in SERVER_FIELDS:
			if field == "lines":
				self.set("lines", [row.as_dict() for row in before.lines])
			else:
				self.set(field, before.get(field))
		if before.status != "Draft":
			for field in SUBJECT_FIELDS:
				self.set(field, before.get(field))

	def validate_one_per_period(self):
		existing = frappe.db.get_value(
			"Customer Statement",
			{
				"customer": self.customer,
				"company": self.company,
				"from_date": self.from_date,
				"to_date": self.to_date,
			},
		)
		if existing:
			frappe.throw(
				_("{0} already has the statement {1} for this period.").format(self.customer, existing),
				frappe.DuplicateEntryError,
			)

	def set_deadlines(self):
		s = frappe.get_cached_doc("Collection Settings")
		d = deadlines(
			getdate(self.to_date),
			s.prepare_by_day or 5,
			s.send_by_day or 8,
			s.confirm_by_day or 20,
			s.finance_by_day or 30,
		)
		self.prepare_by, self.send_by, self.confirm_by, self.finance_by = (
			d.prepare_by,
			d.send_by,
			d.confirm_by,
			d.finance_by,
		)

	def build_lines(self):
		"""Opening balance, the period's GL movements by voucher and the running balance: by
		construction the closing balance is the General Ledger's for the customer on the last day."""
		gl = frappe.qb.DocType("GL Entry")
		base = (
			(gl.party_type == "Customer")
			& (gl.party == self.customer)
			& (gl.company == self.company)
			& (gl.is_cancelled == 0)
		)
		opening = (
			frappe.qb.from_(gl)
			.select(Sum(gl.debit - gl.credit))
			# as ERPNext's General Ledger: opening entries (go-live balances) count as opening whatever their date
			.where(base & ((gl.posting_date < self.from_date) | (gl.is_opening == "Yes")))
			.run()
		)[0][0]
		movements = (
			frappe.qb.from_(gl)
			.select(
				gl.posting_date,
				gl.voucher_type,
				gl.voucher_no,
				Sum(gl.debit).as_("debit"),
				Sum(gl.credit).as_("credit"),
			)
			.where(
				base
				& (gl.posting_date >= self.from_date)
				& (gl.posting_date <= self.to_date)
				& (gl.is_opening != "Yes")
			)
			.groupby(gl.posting_date, gl.voucher_type, gl.voucher_no)
			.orderby(gl.posting_date)
			.orderby(gl.voucher_no)
			.run(as_dict=True)
		)
		deliveries = frappe.get_all(
			"Delivery Note",
			filters={
				"customer": self.customer,
				"company": self.company,
				"docstatus": 1,
				"posting_date": ["between", [self.from_date, self.to_date]],
				"per_billed": ["<", 100],
			},
			fields=["name", "posting_date", "base_grand_total", "per_billed"],
			order_by="posting_date",
		)
		self.opening_balance = flt(opening)
		balance = self.opening_balance
		rows = []
		for m in movements:
			balance += flt(m.debit) - flt(m.credit)
			kind = (
				_("Credit Note")
				if m.voucher_type == "Sales Invoice" and flt(m.credit) > flt(m.debit)
				else _(m.voucher_type)
			)
			rows.append(
				{
					"posting_date": m.posting_date,
					"voucher_type": m.voucher_type,
					"voucher_no": m.voucher_no,
					"description": kind,
					"debit": m.debit,
					"credit": m.credit,
					"balance": balance,
					"currency": self.currency,
				}
			)
		for dn in deliveries:
			rows.append(
				{
					"posting_date": dn.posting_date,
					"voucher_type": "Delivery Note",
					"voucher_no": dn.name,
					"description": _("Delivered, not yet invoiced"),
					"delivered_amount": flt(dn.base_grand_total) * (100 - flt(dn.per_billed)) / 100,
					"currency": self.currency,
				}
			)
		rows.sort(key=lambda r: (str(r["posting_date"]), r["voucher_type"] == "Delivery Note"))
		self.set("lines", rows)
		self.total_invoiced = sum(flt(m.debit) for m in movements)
		self.total_paid = sum(flt(m.credit) for m in movements)
		self.closing_balance = balance

	def check_transition(self):
		before = self.get_doc_before_save()
		if not before or before.status == self.status:
			return
		today = getdate(nowdate())
		required = {
			"Sent": ("contact_email", _("Give the customer's billing e-mail (Send To) before sending.")),
			"Confirmed": (
				"invoicing_details",
				_("Record the invoicing details (开票信息) the customer gave to confirm."),
			),
			"Invoiced": ("invoice_dispatch_info", _("Record where the invoice was sent (发票寄送信息).")),
			"Disputed": ("dispute_details", _("Describe what the customer disputes.")),
		}
		if self.status in required and not self.get(required[self.status][0]):
			frappe.throw(required[self.status][1])
		stamps = {
			"Sent": "sent_on",
			"Confirmed": "confirmed_on",
			"With Finance": "passed_to_finance_on",
			"Invoiced": "invoiced_on",
		}
		if self.status in stamps:
			self.set(stamps[self.status], today)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.status != "Sent" and self.status == "Sent":
			self.send()
		if before and before.status != self.status:
			from collections_module.bulk import close_follow_ups

			# the step that was chased is done (prepared, sent, or answered by the customer)
			close_follow_ups(self.doctype, [self.name])

	def send(self):
		"""E-mail the statement with its PDF to the billing contact; log it on the customer's case (R-A2)."""
		from collections_module.pdf import attach_pdf

		language = (
			"zh"
			if (frappe.db.get_value("Customer", self.customer, "language") or "").startswith("zh")
			else "en"
		)
		_pdf, url = attach_pdf(self, PRINT_FORMATS[language])
		template = frappe.db.get_single_value("Collection Settings", "statement_email_template")
		if template:
			email = frappe.get_doc("Email Template", template).get_formatted_email(self.as_dict())
			subject, message = email["subject"], email["message"]
		else:
			subject, message = _("Statement {0} for {1}").format(self.period, self.customer_name), ""
		frappe.sendmail(
			recipients=[self.contact_email],
			subject=subject,
			message=message,
			attachments=[{"file_url": url}],  # Frappe's queue keeps attachments by file
			reference_doctype=self.doctype,
			reference_name=self.name,
		)
		log_system_contact(
			self.customer,
			self.company,
			"Email",
			_("Statement {0} sent to {1}").format(self.name, self.contact_email),
		)
