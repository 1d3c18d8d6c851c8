"""Repayment plans in effect (R-D4): each installment's status from the money received since the plan
was approved, and what the plan means for the case (followed, completed, broken)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

PENDING = "Pending"
PAID = "Paid"
PAID_LATE = "Paid Late"
LATE = "Late"  # past its date, still within the grace days
MISSED = "Missed"

IN_EFFECT = "Approved"  # the plan's status while it is followed
COMPLETED = "Completed"
BROKEN = "Broken"

TOLERANCE = 0.005


@dataclass(frozen=True)
class InstallmentState:
	due_date: date
	amount: float
	paid: float  # covered by the receipts so far (oldest installment first)
	paid_on: date | None  # the date of the receipt that completed it
	status: str


def installment_states(
	installments: Iterable[tuple[date, float]],
	receipts: Iterable[tuple[date, float]],
	on_date: date,
	grace_days: int = 0,
) -> list[InstallmentState]:
	"""Receipts (date, amount) dated up to ``on_date`` cover the installments in due order. An
	installment is Paid when covered by its date, Paid Late when covered after it, Late when uncovered
	past its date but within ``grace_days``, Missed after that, Pending before its date."""
	rows = sorted((d, max(float(a or 0), 0.0)) for d, a in installments)
	money = sorted((d, float(a or 0)) for d, a in receipts if d <= on_date and float(a or 0) > 0)
	grace = timedelta(days=max(int(grace_days or 0), 0))
	out: list[InstallmentState] = []
	i, left = 0, money[0][1] if money else 0.0
	for due, amount in rows:
		paid, paid_on = 0.0, None
		while paid + TOLERANCE < amount and i < len(money):
			take = min(left, amount - paid)
			paid += take
			left -= take
			if paid + TOLERANCE >= amount:
				paid_on = money[i][0]
			if left <= TOLERANCE:
				i += 1
				left = money[i][1] if i < len(money) else 0.0
		paid = round(paid, 2)
		if paid_on is not None or paid + TOLERANCE >= amount:
			status = PAID if paid_on is None or paid_on <= due else PAID_LATE
		elif on_date <= due:
			status = PENDING
		elif on_date <= due + grace:
			status = LATE
		else:
			status = MISSED
		out.append(InstallmentState(due, amount, paid, paid_on, status))
	return out


def plan_outcome(states: list[InstallmentState]) -> str:
	"""Broken once an installment is missed; completed once every one is paid; else in effect."""
	if any(s.status == MISSED for s in states):
		return BROKEN
	if states and all(s.status in (PAID, PAID_LATE) for s in states):
		return COMPLETED
	return IN_EFFECT


def first_missed(states: list[InstallmentState]) -> InstallmentState | None:
	return next((s for s in states if s.status == MISSED), None)


def next_due(states: list[InstallmentState]) -> date | None:
	"""The date the case is next looked at: the first installment not yet paid."""
	return next((s.due_date for s in states if s.status not in (PAID, PAID_LATE)), None)


def after_plan(status: str, outcome: str) -> str:
	"""A completed plan leaves the case in progress (what is left is collected as usual); a broken one
	resumes the ladder; a dispute pause or legal hold stays as it is."""
	if status != "Repayment Plan" or outcome == IN_EFFECT:
		return status
	return "In Progress" if outcome == COMPLETED else "Open"
