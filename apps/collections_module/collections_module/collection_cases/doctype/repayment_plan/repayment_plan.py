# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, nowdate

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
			self.approved_by, self.approved_on = frappe.session.user, nowdate()
			if frappe.db.exists(
				"Repayment Plan",
				{"collection_case": self.collection_case, "status": "Approved", "name": ["!=", self.name]},
			):
				frappe.throw(_("This case already follows an approved repayment plan."))

	def on_update(self):
		"""An approved plan takes effect at once: the case follows it (no ladder follow-ups while the
		installments are met, R-D4); the daily run gives each installment its status from the ledger."""
		before = self.get_doc_before_save()
		if not (before and before.status != "Approved" and self.status == "Approved"):
			return
		case = frappe.db.get_value(
			"Collection Case", self.collection_case, ["status", "disputed"], as_dict=True
		)
		if case and case.status in ("Open", "In Progress", "Promise to Pay") and not case.disputed:
			first = min(str(row.due_date) for row in self.installments) if self.installments else None
			frappe.db.set_value(
				"Collection Case",
				self.collection_case,
				{"status": "Repayment Plan", "next_action_date": first},
			)
			from collections_module.bulk import close_follow_ups

			close_follow_ups("Collection Case", [self.collection_case])  # the plan is what is followed now
