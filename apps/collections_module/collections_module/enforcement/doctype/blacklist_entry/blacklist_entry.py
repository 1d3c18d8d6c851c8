# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import json

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from collections_module.enforcement.locks import log_state_change
from collections_module.guards import freeze_after
from collections_module.policy import stock_lock as sl


class BlacklistEntry(Document):
	"""A listed malicious defaulter (R-G4). Listing and removal go through the 'Blacklist Entry'
	Workflow (the Business Owner approves); the effects are settings in Collection Settings."""

	def validate(self):
		if not (self.customer or self.id_number or self.phone):
			frappe.throw(_("Name the customer, or for consumer debt the person's ID number or phone."))
		if self.expiry_date and self.start_date and self.expiry_date < self.start_date:
			frappe.throw(_("The expiry date is before the start date."))
		if self.is_new():
			self.proposed_by = frappe.session.user
			self.validate_one_live_entry()
		frozen = [
			"customer",
			"id_number",
			"phone",
			"person_name",
			"start_date",
			"expiry_date",
			"reason_category",
			"reason",
		]
		freeze_after(self, frozen, (sl.BL_PROPOSED,), "approved by the owner")
		before = self.get_doc_before_save()
		if before and before.status != self.status:
			user, now = frappe.session.user, now_datetime()
			if self.status == sl.BL_ACTIVE and before.status == sl.BL_PROPOSED:
				self.approved_by, self.approved_on = user, now
			if self.status == sl.BL_REMOVED:
				self.removed_by, self.removed_on = user, now
			if self.status == sl.BL_REMOVAL_PROPOSED and not self.removal_reason:
				frappe.throw(_("Write down why the listing should be removed (Removal Reason)."))

	def validate_one_live_entry(self):
		if not self.customer:
			return
		live_states = [sl.BL_PROPOSED, sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED]
		today = frappe.utils.nowdate()
		live = next(  # an entry past its expiry date has ended, whether or not the job marked it yet
			(
				e.name
				for e in frappe.get_all(
					"Blacklist Entry",
					filters={"customer": self.customer, "status": ["in", live_states]},
					fields=["name", "expiry_date"],
				)
				if not e.expiry_date or str(e.expiry_date) >= today
			),
			None,
		)
		if live:
			frappe.throw(
				_("{0} is already on the blacklist: {1}.").format(self.customer, live),
				frappe.DuplicateEntryError,
			)

	def on_update(self):
		before = self.get_doc_before_save()
		was = before.status if before else None
		if was == self.status:
			return
		if was:
			log_state_change(self, was)
		if self.customer and self.status == sl.BL_REMOVED:
			self.restore_credit()

	def restore_credit(self):
		"""Entries listed by an earlier version lowered the customer's credit limits and kept the old
		ones here; those are put back exactly. (Listing now holds credit without touching the
		customer: see integrations/erpnext/blacklist_guard.py.)"""
		if not self.held_credit_limits:
			return
		customer = frappe.get_doc("Customer", self.customer)
		customer.credit_limits = []
		for row in json.loads(self.held_credit_limits or "[]"):
			customer.append("credit_limits", row)
		customer.flags.ignore_permissions = True
		customer.save()
		self.db_set("held_credit_limits", None)
