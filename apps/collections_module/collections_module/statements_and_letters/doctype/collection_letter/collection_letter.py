# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, fmt_money, now_datetime

from collections_module.guards import freeze_after
from collections_module.policy import letters

PRINT_FORMATS = {"en": "Collection Letter EN", "zh": "Collection Letter ZH"}


class CollectionLetter(Document):
	"""A collection (催款函), reconciliation (对账函) or lawyer's letter (律师函) (R-B8, R-D3). Only the
	Business Owner approves it (the 'Collection Letter' Workflow); issuing renders the PDF, attaches it,
	sends it and/or records the registered-mail number, and logs the contact."""

	def validate(self):
		if self.is_new():
			self.fill_from_case()
		# what the owner approves is what is issued (R-B8)
		content = ["letter_type", "language", "collection_case", "letter_template", "subject", "consequences"]
		content += ["invoices", "total_outstanding", "oldest_days_overdue", "recipient_email"]
		freeze_after(self, content, ("Draft",), "sent for approval")
		before = self.get_doc_before_save()
		if before and before.status != self.status:
			self.check_transition(before.status)

	def fill_from_case(self):
		case = frappe.get_doc("Collection Case", self.collection_case)
		self.customer, self.customer_name, self.company = case.customer, case.customer_name, case.company
		self.total_outstanding, self.oldest_days_overdue = case.total_outstanding, case.oldest_days_overdue
		self.set(
			"invoices",
			[
				{
					"sales_invoice": r.sales_invoice,
					"debt": r.debt,
					"due_date": r.due_date,
					"outstanding": r.outstanding,
					"days_overdue": r.days_overdue,
				}
				for r in case.invoices
			],
		)
		self.recipient_email = self.recipient_email or frappe.db.get_value(
			"Customer", case.customer, "email_id"
		)
		template = self.letter_template or frappe.db.get_value(
			"Letter Template", {"letter_type": self.letter_type, "language": self.language}
		)
		if template:
			t = frappe.get_doc("Letter Template", template)
			self.letter_template = t.name
			self.subject = self.subject or frappe.render_template(t.subject, {"doc": self})
			self.consequences = self.consequences or frappe.render_template(t.consequences, {"doc": self})

	def check_transition(self, previous: str):
		if self.status in ("Approved", "Issued"):
			self.check_ledger()
		if self.status == "Approved":
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()
		if self.status == "Issued":
			if previous != "Approved":  # R-B8: never issued without the owner's approval
				frappe.throw(
					_("A {0} can only be issued after the Business Owner approves it.").format(
						_(self.letter_type)
					),
					frappe.PermissionError,
				)
			if "Registered Mail" in (self.delivery_method or "") and not self.registered_mail_no:
				frappe.throw(_("Record the registered-mail number to issue by registered mail."))
			if "Email" in (self.delivery_method or "") and not self.recipient_email:
				frappe.throw(_("Give the recipient's e-mail to issue by e-mail."))
			self.issued_by, self.issued_on = frappe.session.user, now_datetime()

	def check_ledger(self):
		"""R-C10: what the owner approves and what is issued is what the customer owes that day (the
		case follows the ledger at every posting; letter_check restates or withdraws letters in flight)."""
		case = frappe.db.get_value(
			"Collection Case", self.collection_case, ["status", "total_outstanding"], as_dict=True
		)
		owed = flt(case.total_outstanding) if case else 0.0
		verdict = letters.letter_verdict(
			flt(self.total_outstanding), owed, bool(case) and case.status != "Closed"
		)
		if verdict == letters.WITHDRAW:
			frappe.throw(
				_("{0} owes nothing overdue any more: this letter cannot go out.").format(self.customer_name)
			)
		if verdict == letters.REFRESH:
			currency = frappe.get_cached_value("Company", self.company, "default_currency")
			frappe.throw(
				_("{0} now owes {1}, not the {2} this letter states: reload it to see it restated.").format(
					self.customer_name,
					fmt_money(owed, currency=currency),
					fmt_money(self.total_outstanding, currency=currency),
				)
			)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.status != "Issued" and self.status == "Issued":
			self.issue()

	def issue(self):
		from collections_module.contact_conduct.system_contacts import log_system_contact
		from collections_module.pdf import attach_pdf

		_pdf, url = attach_pdf(self, PRINT_FORMATS.get(self.language, PRINT_FORMATS["en"]), field="pdf_file")
		self.db_set("pdf_file", url)
		if "Email" in (self.delivery_method or ""):
			frappe.sendmail(
				recipients=[self.recipient_email],
				subject=self.subject or _(self.letter_type),
				message=_("Please find our {0} attached.").format(_(self.letter_type)),
				attachments=[{"file_url": url}],  # Frappe's queue keeps attachments by file
				reference_doctype=self.doctype,
				reference_name=self.name,
			)
		how = ", ".join(
			filter(
				None,
				[
					self.recipient_email if "Email" in self.delivery_method else None,
					_("registered mail {0}").format(self.registered_mail_no)
					if self.registered_mail_no
					else None,
				],
			)
		)
		log_system_contact(
			self.customer,
			self.company,
			"Letter",
			_("{0} {1} issued ({2}).").format(_(self.letter_type), self.name, how),
		)
