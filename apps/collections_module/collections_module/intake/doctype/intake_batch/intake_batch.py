# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, get_datetime, getdate, now_datetime

from collections_module.intake.batches import deadline, debt_arrived, import_on_time
from collections_module.policy import filtering


class IntakeBatch(Document):
	"""Accounts a client hands in at one time (案件批次): imported through Data Import into Debts, then
	allocated the same day and filtered by the batch's deadline."""

	def validate(self):
		self.import_on_time = import_on_time(self.received_at, self.imported_at)
		self.filtering_deadline = deadline(self.received_at, self.debt_count or 0)

	def on_trash(self):
		if frappe.db.exists("Debt", {"intake_batch": self.name}):
			frappe.throw(_("Batch {0} has debts; it is kept with them.").format(self.name))
