"""The monthly statement cycle (R-A1..R-A6): periods, deadlines, the follow-up cadence on unconfirmed
statements and the customers whose confirmation is chronically late."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from collections_module.policy import roles
from collections_module.policy.ladder import ESCALATE, FOLLOW_UP, Stage


def previous_month(on: date) -> tuple[date, date]:
	"""The calendar month before ``on``: (first day, last day)."""
	last = on.replace(day=1) - timedelta(days=1)
	return last.replace(day=1), last


def day_of_month(year: int, month: int, day: int) -> date:
	"""That day of the month, or the month's last day when it has fewer (day 30 in February)."""
	return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadlines:
	prepare_by: date  # prepared and submitted for the supervisor's review (R-A2, day 5)
	send_by: date  # reviewed and sent to the customer (R-A2, day 8)
	confirm_by: date  # the customer confirms and gives invoicing details (R-A3, day 20)
	finance_by: date  # invoicing details with finance (R-A3, day 30)


def deadlines(
	period_end: date, prepare: int = 5, send: int = 8, confirm: int = 20, finance: int = 30
) -> Deadlines:
	"""The deadlines of a statement, in the month after its period."""
	nxt = period_end + timedelta(days=1)
	y, m = nxt.year, nxt.month
	return Deadlines(*(day_of_month(y, m, d) for d in (prepare, send, confirm, finance)))


# R-A4: after sending, every 2 days for the first week (and the second); unconfirmed after 2 weeks,
# daily; 2 more weeks without progress, the supervisor. Days count from the sending date.
STATEMENT_LADDER = (
	Stage("Statement Sent", 1, 14, FOLLOW_UP, ("Email", "Phone"), 2, roles.COLLECTOR, row=1),
	Stage("Statement Unconfirmed 2 Weeks", 15, 28, FOLLOW_UP, ("Email", "Phone"), 1, roles.COLLECTOR, row=2),
	Stage(
		"Statement to Supervisor",
		29,
		None,
		ESCALATE,
		("Email", "Phone"),
		1,
		roles.SUPERVISOR,
		roles.SUPERVISOR,
		row=3,
	),
)
# R-A5: customers settled on returned receipts: daily follow-up once all receipts are in.
RECEIPT_LADDER = (
	Stage("Receipts In: Daily", 0, None, FOLLOW_UP, ("Email", "Phone"), 1, roles.COLLECTOR, row=1),
)


def chronically_late(confirm_delays: list[int | None], window: int = 3, threshold: int = 2) -> bool:
	"""R-A6: late (or never confirmed) in at least ``threshold`` of the last ``window`` months.

	``confirm_delays``: newest first, days after the confirm-by date (<= 0 on time, None never)."""
	recent = confirm_delays[:window]
	return sum(1 for d in recent if d is None or d > 0) >= threshold


# R-A2: a statement still in Draft after its prepare-by day, or still under review after its send-by
# day, is chased daily: its owner gets the follow-up, the level above is told once.
PREPARE_LATE = Stage(
	"Statement Not Prepared", 1, None, ESCALATE, ("Email",), 1, roles.COLLECTOR, roles.SUPERVISOR, row=1
)
SEND_LATE = Stage(
	"Statement Not Sent", 1, None, ESCALATE, ("Email",), 1, roles.SUPERVISOR, roles.MANAGER, row=1
)


def late_step(status: str, prepare_by: date | None, send_by: date | None, on_date: date) -> Stage | None:
	"""The deadline a statement has missed on ``on_date``, if any: preparing (still a draft after the
	prepare-by day) or sending (still under review after the send-by day)."""
	if status == "Draft" and prepare_by and on_date > prepare_by:
		return PREPARE_LATE
	if status == "Under Review" and send_by and on_date > send_by:
		return SEND_LATE
	return None
