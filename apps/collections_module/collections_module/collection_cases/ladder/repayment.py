"""What the run writes on a repayment plan in effect (R-D4): each installment's status and amount paid
from the ledger, and the plan's end (completed, or broken by a missed installment) with the reason on
its timeline. The case's own status follows in the same run (see plan._plan_case)."""

from datetime import date

import frappe
from frappe.utils import flt, getdate

from collections_module.messages import tr
from collections_module.policy import plans

PLAN = "Repayment Plan"


def store_plan_state(case_plan, on_date: date):
	check = case_plan.plan_check
	for row, state in zip(check.stored, check.states, strict=False):
		values = {"status": state.status, "paid_amount": state.paid, "paid_on": state.paid_on}
		if (
			row.status != state.status
			or flt(row.paid_amount, 2) != flt(state.paid, 2)
			or (getdate(row.paid_on) if row.paid_on else None) != state.paid_on
		):
			frappe.db.set_value("Repayment Plan Installment", row.name, values, update_modified=False)
	outcome = plans.COMPLETED if case_plan.close else check.outcome
	if outcome == plans.IN_EFFECT:
		return
	frappe.db.set_value(PLAN, check.name, {"status": outcome, "ended_on": on_date})
	if case_plan.close:
		text = tr("Nothing is owed any more: the plan is completed.", [])
	elif outcome == plans.COMPLETED:
		text = tr("Every installment is paid: the plan is completed.", [])
	else:
		missed = plans.first_missed(check.states)
		text = tr(
			"The installment of {0} due {1} was missed: the plan is broken and collection resumes.",
			[f"{missed.amount:,.2f}", frappe.format(missed.due_date, {"fieldtype": "Date"})],
		)
	frappe.get_doc(PLAN, check.name).add_comment("Info", text)


def broken_plan_text(case_plan) -> str:
	"""The first words of the follow-up when a plan was broken today."""
	check = case_plan.plan_check
	if not check or check.outcome != plans.BROKEN:
		return ""
	missed = plans.first_missed(check.states)
	return tr(
		"Repayment plan {0} broken: the installment of {1} due {2} was missed.",
		[check.name, f"{missed.amount:,.2f}", frappe.format(missed.due_date, {"fieldtype": "Date"})],
	)
