# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_first_day

from collections_module.team import incentives


class IncentiveStatement(Document):
	"""A collector's incentive for a month and company (issue 19), computed by the server from the
	recovery ledger and the month's figures under an Incentive Plan, with the formula shown; reviewed by
	a collection manager, after which its figures are fixed. One per collector, month and company, held
	by a unique key in the database."""

	def validate(self):
		self.month = get_first_day(self.month)
		self.statement_key = f"{self.collector}:{self.month}:{self.company}"
		other = frappe.db.get_value(
			self.doctype, {"statement_key": self.statement_key, "name": ["!=", self.name]}
		)
		if other:
			frappe.throw(
				_("{0} already has an incentive statement for this month: {1}.").format(
					self.collector, other
				),
				frappe.DuplicateEntryError,
			)
		incentives.check_status(self)

	def on_trash(self):
		if self.status == incentives.REVIEWED:
			frappe.throw(_("A reviewed incentive statement cannot be deleted."), frappe.PermissionError)
