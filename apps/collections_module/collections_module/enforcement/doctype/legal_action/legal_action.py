# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, nowdate

from collections_module.bulk import close_follow_ups
from collections_module.guards import invariant_key
from collections_module.messages import tr
from collections_module.policy import legal, roles

APPROVED, REJECTED = "Approved", "Rejected"
CASE = "Collection Case"
# the date each stage records, when the user has not given it
STAGE_DATES = {
	"Filed": "filed_on",
	"Hearing": "hearing_on",
	"Judgment": "judgment_on",
	"Enforcement": "enforcement_on",
}


class LegalAction(Document):
	"""A case taken to an agency, a lawyer or the courts, or restructured or disposed of (R-F1..R-F4).
	It starts only once the owner approves it (Workflow); while it runs the case is in Legal status
	and the ladder's own follow-ups stop. One live action per case, held by a unique key."""

	def onload(self):
		"""The form offers only the stages of the action's type (the server checks again)."""
		self.set_onload("stages_by_type", {t: list(legal.STAGES[t]) for t in legal.LEGAL_TYPES})

	def validate(self):
		self.total_cost = flt(self.fees) + flt(self.commission) + flt(self.other_costs)
		self.total_cost += sum(flt(c.amount) for c in self.get("costs") or [])
		before = None if self.is_new() else self.get_doc_before_save()
		if before:
			# the evidence is the one prepare_evidence attached; the case is the one the action began on
			for field in ("evidence_pack", "evidence_prepared_on", "collection_case", "proposed_by_run"):
				self.set(field, before.get(field))
			if before.stage and not self.stage:
				frappe.throw(_("A legal action that has started keeps its stage; close it instead."))
		else:
			self.evidence_pack = self.evidence_prepared_on = None
			if not self.amount_claimed and self.collection_case:  # what is owed, as the case states it
				self.amount_claimed = frappe.db.get_value(
					"Collection Case", self.collection_case, "total_outstanding"
				)
		if self.has_value_changed("stage") and self.stage:
			if self.approval_state != APPROVED:
				frappe.throw(_("A legal action starts only once the Business Owner has approved it."))
			errors = legal.stage_errors(
				self.legal_type, before.stage if before else None, self.stage, bool(self.evidence_pack)
			)
			if errors:
				frappe.throw("<br>".join(tr(t, a) for t, a in errors), title=_("Stage not allowed"))
			if (self.legal_type, self.stage) in legal.APPROVAL_STAGES and not self.flags.ignore_permissions:
				if roles.OWNER not in frappe.get_roles():
					frappe.throw(
						_("Only the Business Owner sets {0} to {1}.").format(
							_(self.legal_type), _(self.stage)
						),
						frappe.PermissionError,
					)
			field = STAGE_DATES.get(self.stage)
			if field and not self.get(field):
				self.set(field, nowdate())
			if self.stage == legal.CLOSED:
				self.closed_on = nowdate()
		if before and before.legal_type != self.legal_type and before.stage:
			frappe.throw(_("The type of a legal action that has started cannot change."))
		if self.approval_state == APPROVED and not self.started_on:
			self.started_on = nowdate()
		live = self.approval_state != REJECTED and self.stage != legal.CLOSED
		self.open_key = invariant_key(self.collection_case, self.doctype) if live else None
		if self.open_key:
			other = frappe.db.get_value(
				"Legal Action", {"open_key": self.open_key, "name": ["!=", self.name or ""]}
			)
			if other:
				frappe.throw(
					_("Case {0} already has a legal action under way: {1}.").format(
						self.collection_case, other
					),
					frappe.DuplicateEntryError,
				)

	def on_update(self):
		self.update_case()

	def update_case(self):
		"""The case shows the action and its stage while it runs, in Legal status, with the ladder's
		follow-ups closed; once it is closed or rejected the case goes back to the ladder."""
		case = frappe.db.get_value(CASE, self.collection_case, ["status", "legal_action"], as_dict=True)
		if case is None:
			return
		running = self.approval_state == APPROVED and self.stage != legal.CLOSED
		if running:
			frappe.db.set_value(
				CASE,
				self.collection_case,
				{
					"legal_action": self.name,
					"legal_stage": _(self.stage or APPROVED),
					"status": "Legal" if case.status != "Closed" else case.status,
				},
			)
			close_follow_ups(CASE, [self.collection_case])
		elif case.legal_action == self.name:
			frappe.db.set_value(
				CASE,
				self.collection_case,
				{
					"legal_action": None,
					"legal_stage": "",
					"status": "Open" if case.status == "Legal" else case.status,
				},
			)


@frappe.whitelist()
def prepare_evidence(action: str) -> str:
	"""One PDF of the case's documents (invoices, statements, delivery notes, letters, contacts and
	visits), attached to the action (R-F2)."""
	from collections_module.enforcement.evidence import attach_evidence

	doc = frappe.get_doc("Legal Action", action)
	doc.check_permission("write")
	return attach_evidence(doc)
