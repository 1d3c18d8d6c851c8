# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, nowdate

from collections_module.enforcement.locks import activate, log_state_change
from collections_module.guards import changed, freeze_after, invariant_key
from collections_module.policy import stock_lock as sl


class StockReleaseLock(Document):
	"""A lock on shipping to a customer (R-B7). Its states move through the 'Stock Release Lock'
	Workflow: only the Business Owner approves, releases or rejects; nothing blocks before approval."""

	def onload(self):
		"""The form shows the pass button only to those who may grant one (the server checks again)."""
		role = frappe.get_cached_doc("Collection Settings").pass_role or "Business Owner"
		self.set_onload("can_grant_pass", role in frappe.get_roles())

	def validate(self):
		# one live lock per customer and company, held by a unique key set only while the lock is live
		self.live_key = invariant_key(self.customer, self.company) if self.status in sl.LIVE_STATES else None
		if self.is_new():
			self.proposed_by = self.proposed_by or frappe.session.user
			self.proposed_on = self.proposed_on or now_datetime()
			self.validate_one_live_lock()
			self.fill_figures_from_case()
		self.effective_from = self.effective_from or nowdate()
		if changed(self, ["passes"]) and not self.flags.granting_pass:
			frappe.throw(
				_("One-shipment passes are granted with 'Grant One-shipment Pass' only."),
				frappe.PermissionError,
			)
		freeze_after(
			self,
			["effective_from", "reason", "overdue_amount", "oldest_days_overdue", "collection_case"],
			(sl.PROPOSED,),
			"approved by the owner",
		)
		before = self.get_doc_before_save()
		if before and before.status != self.status:
			if self.status in (sl.APPROVED, sl.ACTIVE) and before.status in (sl.PROPOSED, sl.APPROVED):
				self.check_still_owed()
			self.record_decision(before.status)

	def check_still_owed(self):
		"""Checked against the ledger when the lock takes effect, not only when it was proposed: a
		customer who has paid is never locked."""
		from collections_module.enforcement.locks import overdue_now

		if overdue_now(self.customer, self.company) <= 0:
			frappe.throw(
				_("{0} owes nothing overdue any more: the lock cannot take effect. Reject it.").format(
					self.customer_name or self.customer
				),
				title=_("Nothing overdue"),
			)

	def validate_one_live_lock(self):
		live = frappe.db.get_value(
			"Stock Release Lock",
			{"customer": self.customer, "company": self.company, "status": ["in", sl.LIVE_STATES]},
		)
		if live:
			frappe.throw(
				_("{0} already has a live stock release lock: {1}.").format(self.customer, live),
				frappe.DuplicateEntryError,
			)

	def fill_figures_from_case(self):
		case = self.collection_case or frappe.db.get_value(
			"Collection Case",
			{"customer": self.customer, "company": self.company, "status": ["!=", "Closed"]},
		)
		if case and not self.overdue_amount:
			self.collection_case = case
			self.overdue_amount, self.oldest_days_overdue = frappe.db.get_value(
				"Collection Case", case, ["total_outstanding", "oldest_days_overdue"]
			)

	def record_decision(self, previous: str):
		user, now = frappe.session.user, now_datetime()
		if previous == sl.PROPOSED and self.status in (sl.APPROVED, sl.ACTIVE, sl.REJECTED):
			self.approved_by, self.approved_on = user, now
		if self.status == sl.RELEASED:
			from collections_module.enforcement.locks import overdue_now

			self.released_by, self.released_on = user, now
			self.released_at_overdue = overdue_now(self.customer, self.company)
			if not self.release_reason:
				frappe.throw(_("Write down why the lock is released (Release Reason)."))
		if previous == sl.RELEASE_PROPOSED and self.status == sl.ACTIVE:  # 'Keep Locked', remembered
			from collections_module.enforcement.locks import overdue_now

			self.kept_on = getdate(nowdate())
			self.kept_at_overdue = overdue_now(self.customer, self.company)

	def on_update(self):
		before = self.get_doc_before_save()
		if before and before.status != self.status:
			log_state_change(self, before.status)
		if sl.activate_on(self.status, getdate(self.effective_from), getdate(nowdate())):
			activate(self.name)
			self.status = sl.ACTIVE  # what the caller sees; stored by activate()


@frappe.whitelist()
def grant_pass(lock: str, reason: str) -> str:
	"""Let one Delivery Note through a blocking lock, with a written reason. Role from Collection Settings."""
	role = frappe.get_cached_doc("Collection Settings").pass_role or "Business Owner"
	if role not in frappe.get_roles():
		frappe.throw(
			_("Only the {0} role can grant a one-shipment pass.").format(_(role)), frappe.PermissionError
		)
	if not (reason or "").strip():
		frappe.throw(_("A one-shipment pass needs a written reason."))
	doc = frappe.get_doc("Stock Release Lock", lock)
	if doc.status not in sl.BLOCKING_STATES:
		frappe.throw(_("{0} does not block shipments; no pass is needed.").format(lock))
	doc.append(
		"passes", {"reason": reason.strip(), "granted_by": frappe.session.user, "granted_on": now_datetime()}
	)
	doc.flags.granting_pass = True
	doc.save(ignore_permissions=True)
	return doc.passes[-1].name
