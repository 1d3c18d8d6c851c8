# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, nowdate

from collections_module.guards import freeze_after, not_own_approval, track_terms_author

TERMS = ("collection_case", "sales_invoice", "waiver_type", "amount")


class CollectionWaiver(Document):
	"""A reduction of interest, penalty or principal (R-C8, R-F3). Only approval through the
	'Collection Waiver' Workflow writes it off in the ledger; before that nothing changes."""

	def validate(self):
		freeze_after(
			self,
			["collection_case", "sales_invoice", "waiver_type", "amount", "reason"],
			("Requested",),
			"decided",
		)
		track_terms_author(self, TERMS)
		invoice = frappe.db.get_value(
			"Sales Invoice", self.sales_invoice, ["customer", "outstanding_amount", "docstatus"], as_dict=True
		)
		if not invoice or invoice.docstatus != 1 or invoice.customer != self.customer:
			frappe.throw(_("Choose a submitted Sales Invoice of {0}.").format(self.customer))
		if flt(self.amount) <= 0:
			frappe.throw(_("The amount to waive must be positive."))
		if self.status != "Approved" and flt(self.amount) > flt(invoice.outstanding_amount):
			frappe.throw(
				_("{0} is more than the invoice's outstanding {1}.").format(
					flt(self.amount), flt(invoice.outstanding_amount)
				)
			)
		before = self.get_doc_before_save()
		if before and before.status != self.status and self.status == "Approved":
			not_own_approval(self)
			self.approved_by = frappe.session.user

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.status != "Approved" and self.status == "Approved" and not self.journal_entry:
			self.db_set("journal_entry", self.write_off())

	def write_off(self) -> str:
		si = frappe.get_doc("Sales Invoice", self.sales_invoice)
		write_off_account, cost_center = frappe.get_cached_value(
			"Company", si.company, ["write_off_account", "cost_center"]
		)
		if not write_off_account:
			frappe.throw(_("Set a Write Off Account on company {0} first.").format(si.company))
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"voucher_type": "Write Off Entry",
				"company": si.company,
				"posting_date": nowdate(),
				"user_remark": _("{0} waiver {1} approved by {2}: {3}").format(
					_(self.waiver_type), self.name, self.approved_by, self.reason
				),
				"accounts": [
					{
						"account": si.debit_to,
						"party_type": "Customer",
						"party": si.customer,
						"credit_in_account_currency": flt(self.amount),
						"reference_type": "Sales Invoice",
						"reference_name": si.name,
						"cost_center": cost_center,
					},
					{
						"account": write_off_account,
						"debit_in_account_currency": flt(self.amount),
						"cost_center": cost_center,
					},
				],
			}
		)
		je.flags.ignore_permissions = True
		je.insert()
		je.submit()
		return je.name
