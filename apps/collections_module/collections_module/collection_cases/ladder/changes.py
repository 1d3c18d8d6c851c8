"""What the run writes on a case: its fields, its invoice lines, its stage-history row and the timeline's
changes. A closing case frees its open-case key; an open case keeps it (R-B1..R-B7)."""

from datetime import date

import frappe
from frappe import _

from collections_module.collection_cases.ladder.model import GRADE_CHANGED, CasePlan, after_promise
from collections_module.guards import invariant_key
from collections_module.messages import tr
from collections_module.policy import grading
from collections_module.policy.dates import aging_bucket


def _line_rows(plan: CasePlan) -> list[dict]:
	return [
		{
			"debt" if x.invoice in plan.debts else "sales_invoice": x.invoice,
			"due_date": x.due_date,
			"outstanding": x.outstanding,
			"days_overdue": x.days_overdue,
		}
		for x in plan.lines
	]


def _case_values(plan: CasePlan, on_date: date, case) -> tuple[dict, dict | None, dict]:
	"""What the run writes on a case: its fields, the stage-history row (if the stage changes) and the
	timeline's changes (stage, status, policy)."""
	d = plan.decision
	if plan.close:
		values = {
			"status": "Closed",
			"closed_on": on_date,
			"total_outstanding": 0,
			"oldest_days_overdue": 0,
			"overdue_bucket": "",
			"current_stage": "",
			"next_action_date": None,
			"as_of_date": on_date,
			"open_key": None,
		}
		row = {
			"changed_on": on_date,
			"from_stage": case.current_stage or "",
			"to_stage": "",
			"reason": _("Nothing overdue any more: case closed."),
		}
	else:
		values = {
			"open_key": invariant_key(plan.customer, plan.company),
			"policy": plan.policy,
			"policy_note": plan.policy_note,
			"total_outstanding": plan.total,
			"unallocated_credit": plan.credit,
			"oldest_days_overdue": plan.oldest_days,
			"oldest_due_date": min(x.due_date for x in plan.lines),
			"overdue_bucket": aging_bucket(plan.oldest_days),
			"as_of_date": on_date,
			"next_action_date": d.next_action_date,
			"risk_grade": plan.risk_grade,
			"computed_grade": plan.grade.grade,
			"risk_score": plan.grade.score,
			"grade_why": grading.grade_text(plan.grade, _),
			# the facts as templates and arguments too, so the form shows them in each reader's language
			"grade_factors": frappe.as_json([list(f) for f in plan.grade.factors], indent=None),
		}
		row = None
		if d.stage_changed:
			notified = "; ".join(
				f"{_(role)}: {', '.join(users) or '-'}" for role, users in plan.notify.items()
			)
			row = {
				"changed_on": on_date,
				"from_stage": case.current_stage or "",
				"to_stage": d.stage.name if d.stage else "",
				"policy": plan.policy,
				"policy_row": d.stage.row if d.stage else 0,
				"days_overdue": plan.oldest_days,
				"outstanding": plan.total,
				"reason": tr(d.reason, _with_currency(d, plan)),
				# kept as template and arguments too, so the form shows it in each reader's language
				"reason_template": d.reason,
				"reason_args": frappe.as_json(_with_currency(d, plan), indent=None),
				"notified": notified,
			}
			values["current_stage"] = d.stage.name if d.stage else ""
			values["stage_entered_on"] = d.entered_on
		if grading.grade_change(case.get("risk_grade"), plan.risk_grade):
			# logged like a stage change: on the stage's own row, or a row of its own (R-E3)
			row = row or {
				"changed_on": on_date,
				"from_stage": case.current_stage or "",
				"to_stage": case.current_stage or "",
				"policy": plan.policy,
				"days_overdue": plan.oldest_days,
				"outstanding": plan.total,
				"reason": tr(GRADE_CHANGED, [case.get("risk_grade") or "-", plan.risk_grade]),
				"reason_template": GRADE_CHANGED,
				"reason_args": frappe.as_json([case.get("risk_grade") or "-", plan.risk_grade], indent=None),
			}
			row["from_grade"] = case.get("risk_grade") or ""
			row["to_grade"] = plan.risk_grade
		if d.follow_up_due:
			values["last_follow_up_on"] = on_date
		if plan.promise:
			values["promise_status"] = plan.promise
			values["status"] = after_promise(case.status, plan.promise)
		if plan.status:
			values["status"] = plan.status
	changed = [
		[f, case.get(f), values[f]]
		for f in ("status", "current_stage", "policy", "risk_grade")
		if f in values and (case.get(f) or "") != (values[f] or "")
	]
	return values, row, {"changed": changed, "added": [["stage_history", row]] if row else []}


def _with_currency(d, plan) -> list:
	"""The stage's reason arguments with the amount in the company's currency ("$ 12,000.00"): the
	policy core states it as a bare number."""
	from frappe.utils import fmt_money

	from collections_module.policy import ladder as lad

	args = list(d.reason_args)
	if d.reason in (lad.ROW_COVERS, lad.NO_ROW) and len(args) > 1:
		currency = frappe.get_cached_value("Company", plan.company, "default_currency")
		args[1] = fmt_money(plan.total, currency=currency)
	return args
