"""What-if preview of a policy change: today's ladder planned twice on the same ledger, once with the
saved policies and once with the edited (unsaved) rows of one policy. Nothing is written."""

from collections import Counter

import frappe
from frappe import _

from collections_module.collection_cases.ladder.jobs import run
from collections_module.collection_cases.ladder.model import RunReport
from collections_module.collection_cases.policies import load_ladders, stage_from_row
from collections_module.policy.ladder import validate_stages

SHOWN = 50  # cases listed by name; the counts cover all


def summarize(report: RunReport, policy: str) -> dict:
	mine = [p for p in report.cases if p.policy == policy and not p.close]
	follow_ups = Counter(
		owner for p in report.cases if p.decision and p.decision.follow_up_due for owner in p.owners
	)
	escalations = Counter(role for p in report.cases for role in p.notify)
	proposals = [lk for lk in report.locks if lk.action == "propose"]
	return {
		"cases": len(mine),
		"stage_changes": sum(1 for p in mine if p.decision and p.decision.stage_changed),
		"escalations": {_(role): n for role, n in sorted(escalations.items())},
		"lock_proposals": len(proposals),
		"lock_customers": sorted({lk.customer for lk in proposals})[:SHOWN],
		"letters": len(report.letters),
		"follow_ups": len([p for p in report.cases if p.decision and p.decision.follow_up_due]),
		"follow_ups_by_collector": dict(sorted(follow_ups.items())),
	}


def preview_policy(policy: str, stages: str | list) -> dict:
	"""For the 'Preview Changes' button of a Collection Policy: today's run with the saved policy
	beside today's run with the rows as edited on the form."""
	frappe.has_permission("Collection Policy", "write", policy, throw=True)
	rows = frappe.parse_json(stages) if isinstance(stages, str) else stages
	edited = [stage_from_row(frappe._dict(row, idx=row.get("idx") or i)) for i, row in enumerate(rows, 1)]
	errors = validate_stages(edited)
	if errors:
		frappe.throw("<br>".join(errors), title=_("This ladder is ambiguous"))
	saved_ladders = load_ladders()
	edited_ladders = {**saved_ladders, policy: edited}
	frappe.db.savepoint("collections_preview")
	try:
		before = run(dry_run=True, ladders=saved_ladders)
		after = run(dry_run=True, ladders=edited_ladders)
	finally:
		frappe.db.rollback(save_point="collections_preview")  # a preview writes nothing, whatever happens
	saved_stage = {
		(p.customer, p.company): p.decision.stage.name if p.decision and p.decision.stage else ""
		for p in before.cases
	}
	moved = []
	for p in after.cases:
		if p.policy != policy or p.close:
			continue
		now = p.decision.stage.name if p.decision and p.decision.stage else ""
		was = saved_stage.get((p.customer, p.company), "")
		if now != was:
			moved.append(
				{
					"customer": p.customer,
					"company": p.company,
					"case": p.case.name if p.case else "",
					"saved": _(was) if was else "",
					"edited": _(now) if now else "",
				}
			)
	return {
		"saved": summarize(before, policy),
		"edited": summarize(after, policy),
		"cases_moved": len(moved),
		"moved": moved[:SHOWN],
	}
