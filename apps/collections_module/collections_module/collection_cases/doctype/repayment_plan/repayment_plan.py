# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from collections_module.guards import freeze_after, not_own_approval, track_terms_author


class RepaymentPlan(Document):
	"""An installment schedule agreed with the debtor (R-D4); it needs approval (R-C8) through the
	'Repayment Plan' Workflow."""

	def validate(self):
		freeze_after(self, ["collection_case", "installments", "reason"], ("Requested",), "decided")
		track_terms_author(self, ("collection_case", "installments"))
		if any(flt(row.amount) <= 0 for row in self.installments):
			frappe.throw(_("Every installment needs a positive amount."))
		dates = [row.due_date for row in self.installments]
		if len(set(dates)) != len(dates):
			frappe.throw(_("Two installments fall on the same date."))
		self.installments.sort(key=lambda r: str(r.due_date))
		for i, row in enumerate(self.installments, 1):
			row.idx = i
		self.total_amount = sum(flt(row.amount) for row in self.installments)
		before = self.get_doc_before_save()
		if before and before.status != self.status and self.status == "Approved":
			not_own_approval(self)
			self.approved_by = frappe.session.user
