# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, nowdate

from collections_module.guards import invariant_key
from collections_module.messages import tr
from collections_module.policy import grading, roles

OVERRIDDEN = "Risk grade {0} → {1}, set by a supervisor: {2}"
OVERRIDE_REMOVED = "Risk grade {0} → {1}: the override was removed."
CASE_LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


class CollectionCase(Document):
	"""A customer's overdue debt with one company. Figures, stage and history are kept by the ladder run
	(collections_module.collection_cases.ladder) and the ledger events; people change status, collector, contact
	points, verification and disputes."""

	def validate(self):
		from collections_module.contact_conduct.conduct import valid_timezone

		# one open case per customer and company, held by a unique key in the database (set only while
		# the case is open), so no path — two runs at once, a run killed and rerun — can make a second
		self.open_key = None if self.status == "Closed" else invariant_key(self.customer, self.company)
		if self.is_new():
			self.validate_one_open_case()
			customer_tz = frappe.db.get_value("Customer", self.customer, "collection_timezone")
			if not self.debtor_timezone and valid_timezone(customer_tz):
				self.debtor_timezone = customer_tz
		if self.has_value_changed("status") and self.status == "Closed" and self.total_outstanding:
			frappe.throw(
				_(
					"Case {0} still has {1} overdue; it closes by itself when the overdue invoices are paid."
				).format(self.name, frappe.format_value(self.total_outstanding, {"fieldtype": "Currency"}))
			)
		if self.debtor_timezone:
			if not valid_timezone(self.debtor_timezone):
				frappe.throw(
					_("{0} is not a time zone name (e.g. Asia/Shanghai).").format(self.debtor_timezone)
				)
		if self.has_value_changed("collector") and not self.is_new() and not self.flags.ignore_permissions:
			if not set(frappe.get_roles()) & CASE_LEADS:
				frappe.throw(
					_("Only a collection supervisor (or above) assigns a case."), frappe.PermissionError
				)
		self.log_assignment()
		self.guard_lead_decisions()
		self.apply_dispute()
		self.apply_grade_override()
		if self.has_value_changed("verified") and self.verified:
			self.verified_by = frappe.session.user

	def log_assignment(self):
		"""Every change of collector is a row of the case's hand-over history, which decides whose a
		payment is in the performance reports (R-G1); ``reassign`` writes its own row with the reason."""
		if not self.has_value_changed("collector") or self.flags.reassignment_logged:
			return
		before = None if self.is_new() else self.get_doc_before_save()
		previous = before.collector if before else None
		if (previous or None) == (self.collector or None):
			return
		self.append(
			"reassignments",
			{
				"reassigned_on": now_datetime(),
				"from_collector": previous,
				"to_collector": self.collector,
				"reason": _("Assigned on the case form."),
				"reassigned_by": frappe.session.user,
			},
		)

	def guard_lead_decisions(self):
		"""A collector may raise a dispute and record a verification they made; only a supervisor (or
		above) resolves a dispute or withdraws a verification (R-C6, R-C7). The other fields that drive
		the ladder and the contact rules are at permission level 1, which collectors only read."""
		if self.is_new() or self.flags.ignore_permissions or set(frappe.get_roles()) & CASE_LEADS:
			return
		before = self.get_doc_before_save()
		if before is None:
			return
		if before.disputed and not self.disputed:
			frappe.throw(
				_("Only a collection supervisor (or above) can resolve a dispute."), frappe.PermissionError
			)
		if before.verified and not self.verified:
			frappe.throw(
				_("Only a collection supervisor (or above) can withdraw a verification."),
				frappe.PermissionError,
			)

	def apply_dispute(self):
		"""A dispute pauses collection at once (R-C6); resolving it resumes what was pending: a plan in effect, a promise
		still to be kept (the daily run settles both), else the case is open again."""
		if not self.has_value_changed("disputed"):
			return
		if self.disputed:
			self.status = "Paused"
		elif self.status == "Paused":
			if frappe.db.exists("Repayment Plan", {"collection_case": self.name, "status": "Approved"}):
				self.status = "Repayment Plan"
			else:
				self.status = "Promise to Pay" if self.promise_status == "Pending" else "Open"

	def apply_grade_override(self):
		"""A supervisor's override of the risk grade (R-E3, R-G3): with a reason, logged like a stage
		change; the case then follows that grade's policy (on_update runs the ladder for the customer).
		The override is at permission level 1, which collectors only read."""
		if self.is_new() or not self.has_value_changed("grade_override"):
			return
		if self.grade_override and not (self.grade_override_reason or "").strip():
			frappe.throw(_("Give the reason for overriding the risk grade."))
		self.grade_overridden_by = frappe.session.user if self.grade_override else None
		if not self.grade_override:
			self.grade_override_reason = None
		worked_by = grading.effective_grade(self.computed_grade, self.grade_override)
		if grading.grade_change(self.risk_grade, worked_by):
			template, args = (
				(OVERRIDDEN, [self.risk_grade or "-", worked_by, self.grade_override_reason.strip()])
				if self.grade_override
				else (OVERRIDE_REMOVED, [self.risk_grade or "-", worked_by])
			)
			self.append(
				"stage_history",
				{
					"changed_on": nowdate(),
					"from_stage": self.current_stage or "",
					"to_stage": self.current_stage or "",
					"from_grade": self.risk_grade or "",
					"to_grade": worked_by,
					"policy": self.policy,
					"days_overdue": self.oldest_days_overdue,
					"outstanding": self.total_outstanding,
					"reason": tr(template, args),
					"reason_template": template,
					"reason_args": frappe.as_json(args, indent=None),
					"notified": frappe.session.user,
				},
			)
			self.risk_grade = worked_by
		self.flags.regrade = self.status != "Closed"

	def on_update(self):
		if self.flags.regrade:  # the grade's policy applies at once, not at the next daily run
			from collections_module.collection_cases.ladder.jobs import run

			self.flags.regrade = False
			run(customers=[self.customer], follow_ups=False, reminders=False)
			# what the run wrote, so the form that saved goes on from it (and can save again)
			self.update(
				frappe.db.get_value(
					self.doctype,
					self.name,
					[
						"modified",
						"policy",
						"policy_note",
						"current_stage",
						"stage_entered_on",
						"next_action_date",
					],
					as_dict=True,
				)
			)
		before = self.get_doc_before_save()
		if self.disputed and not (before and before.disputed):
			self.notify_dispute()
		if before is not None and self.collector and (before.collector or None) != self.collector:
			self.move_follow_ups(before.collector)
		checklist = ("checked_name", "checked_id_number", "checked_phones", "checked_employer")
		checklist += ("checked_addresses", "checked_amount")
		if (
			before is not None
			and self.filtering_deadline
			and any(bool(before.get(f)) != bool(self.get(f)) for f in checklist)
		):
			from collections_module.intake.allocation import update_filtering

			update_filtering(self.name)  # the checklist completed: the calls made can class the case
		if before is not None and (before.collector or None) != (self.collector or None):
			from collections_module.integrations.erpnext.recoveries import rebuild

			rebuild([self.customer])  # the day's recoveries are the new holder's

	def move_follow_ups(self, previous: str | None):
		"""Follow-ups move with the case, however its collector changes (a supervisor's save, `reassign`,
		the daily run): the previous collector's open ToDos on the case — or, when it had no collector,
		the follow-ups the daily run gave the supervisors to allocate it — are cancelled and assigned to
		the new collector with the same description and date."""
		from frappe.desk.form.assign_to import add as assign
		from frappe.desk.form.assign_to import set_status

		holders = [previous] if previous else self.allocation_holders()
		holders = [u for u in holders if u and u != self.collector]
		if not holders:
			return
		todos = frappe.get_all(
			"ToDo",
			filters={
				"reference_type": self.doctype,
				"reference_name": self.name,
				"status": "Open",
				"allocated_to": ["in", holders],
			},
			fields=["name", "allocated_to", "description", "date"],
			order_by="date asc, creation asc",
		)
		if not todos:
			return
		for todo in todos:
			set_status(
				self.doctype,
				self.name,
				todo=todo.name,
				assign_to=todo.allocated_to,
				status="Cancelled",
				ignore_permissions=True,
			)
		# one open ToDo per user and document (Frappe's rule): the supervisors' copies of one follow-up
		# become one; distinct follow-ups are kept together, due on the earliest date
		descriptions = list(dict.fromkeys(t.description or "" for t in todos))
		due = min((t.date for t in todos if t.date), default=None)
		existing = frappe.db.get_value(
			"ToDo",
			{
				"reference_type": self.doctype,
				"reference_name": self.name,
				"status": "Open",
				"allocated_to": self.collector,
			},
			["name", "date"],
			as_dict=True,
		)
		if existing:  # the new collector already follows the case up: it is due when the moved one was
			if due and (not existing.date or getdate(due) < getdate(existing.date)):
				frappe.db.set_value("ToDo", existing.name, "date", due)
		else:
			assign(
				{
					"assign_to": [self.collector],
					"doctype": self.doctype,
					"name": self.name,
					"description": "<br><br>".join(d for d in descriptions if d),
					"date": due or nowdate(),
				},
				ignore_permissions=True,
			)
		# the ToDos keep the case's assignment list up to date in the database; keep this copy in step
		self._assign = frappe.db.get_value(self.doctype, self.name, "_assign")

	def allocation_holders(self) -> list[str]:
		"""The supervisors holding the daily run's follow-ups of an unassigned case, given to them to
		allocate it (a collector's stage); at a supervisor's or higher stage the follow-ups are theirs."""
		from collections_module.people import role_holders

		owner_role = (
			frappe.db.get_value(
				"Collection Policy Stage",
				{"parenttype": "Collection Policy", "parent": self.policy, "stage_name": self.current_stage},
				"owner_role",
			)
			if self.policy and self.current_stage
			else None
		)
		if owner_role and owner_role != roles.COLLECTOR:
			return []
		return role_holders().get(roles.SUPERVISOR, [])

	def notify_dispute(self):
		from collections_module.people import notify, role_holders

		notify(
			role_holders().get(roles.SUPERVISOR, []),
			self.doctype,
			self.name,
			_("{0} disputes the debt: case {1} is paused and needs investigation.").format(
				self.customer_name or self.customer, self.name
			),
			self.dispute_reason or "",
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


@frappe.whitelist()
def reassign(case: str, collector: str, reason: str) -> str:
	"""The form's 'Reassign' (collection_cases.reassignment)."""
	from collections_module.collection_cases.reassignment import reassign as hand_over

	return hand_over(case, collector, reason)
