# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CollectionCase(Document):
	"""A customer's overdue debt with one company. Figures, stage and history are kept by the ladder run
	(collections_module.ladder_run) and the ledger events; people change status and collector."""

	def validate(self):
		if self.is_new():
			self.validate_one_open_case()
		if self.has_value_changed("status") and self.status == "Closed" and self.total_outstanding:
			frappe.throw(
				_(
					"Case {0} still has {1} overdue; it closes by itself when the overdue invoices are paid."
				).format(self.name, frappe.format_value(self.total_outstanding, {"fieldtype": "Currency"}))
			)

	def validate_one_open_case(self):
		existing = frappe.db.get_value(
			"Collection Case",
			{"customer": self.customer, "company": self.company, "status": ["!=", "Closed"]},
		)
		if existing:
			frappe.throw(
				_("{0} already has an open collection case with {1}: {2}.").format(
					self.customer, self.company, existing
				),
				frappe.DuplicateEntryError,
			)
