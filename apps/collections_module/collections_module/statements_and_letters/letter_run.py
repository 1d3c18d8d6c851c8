"""The daily run's part for formal letters (R-B8): a case at its policy's letter stage gets a draft
collection letter, which only the Business Owner can approve for issue."""

from dataclasses import dataclass

import frappe

from collections_module.policy.ladder import LETTER


@dataclass
class LetterPlan:
	customer: str
	company: str
	case: str | None

	def line(self) -> str:
		return f"LETTER propose a collection letter for {self.customer} / {self.company}"


def plan_letters(case_plans) -> list[LetterPlan]:
	at_stage = [
		p
		for p in case_plans
		if p.decision and p.decision.stage and p.decision.stage.action == LETTER and not p.paused
	]
	if not at_stage:
		return []
	cases = [p.case.name for p in at_stage if p.case]
	has_letter = set(
		frappe.get_all(
			"Collection Letter",
			filters={"collection_case": ["in", cases or [""]]},  # one proposal a case, even if rejected
			pluck="collection_case",
		)
	)
	return [
		LetterPlan(p.customer, p.company, p.case.name if p.case else None)
		for p in at_stage
		if not (p.case and p.case.name in has_letter)
	]


def apply_letters(plans: list[LetterPlan]):
	language = frappe.db.get_single_value("Collection Settings", "default_letter_language") or "en"
	for p in plans:
		case = p.case or frappe.db.get_value(
			"Collection Case", {"customer": p.customer, "company": p.company, "status": ["!=", "Closed"]}
		)
		doc = frappe.get_doc(
			{
				"doctype": "Collection Letter",
				"letter_type": "Collection Letter",
				"language": language,
				"collection_case": case,
			}
		)
		doc.flags.ignore_permissions = True
		doc.insert()
