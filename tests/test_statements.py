from datetime import date, timedelta

import pytest

from collections_module.policy import roles
from collections_module.policy.ladder import CaseState, decide, stage_for
from collections_module.policy.statements import (
	RECEIPT_LADDER,
	STATEMENT_LADDER,
	chronically_late,
	deadlines,
	previous_month,
)


@pytest.mark.parametrize(
	"on, first, last",
	[
		(date(2026, 11, 1), date(2026, 10, 1), date(2026, 10, 31)),
		(date(2026, 3, 15), date(2026, 2, 1), date(2026, 2, 28)),
		(date(2026, 1, 1), date(2025, 12, 1), date(2025, 12, 31)),
	],
)
def test_previous_month(on, first, last):
	assert previous_month(on) == (first, last)


def test_default_deadlines_and_short_months():
	d = deadlines(date(2026, 10, 31))
	assert (d.prepare_by, d.send_by, d.confirm_by, d.finance_by) == (
		date(2026, 11, 5),
		date(2026, 11, 8),
		date(2026, 11, 20),
		date(2026, 11, 30),
	)
	feb = deadlines(date(2026, 1, 31))
	assert feb.finance_by == date(2026, 2, 28)  # day 30 of February is its last day
	custom = deadlines(date(2026, 10, 31), prepare=3, send=6, confirm=15, finance=25)
	assert (custom.prepare_by, custom.finance_by) == (date(2026, 11, 3), date(2026, 11, 25))


@pytest.mark.parametrize(
	"days, stage, cadence",
	[
		(0, None, None),
		(1, "Statement Sent", 2),
		(14, "Statement Sent", 2),
		(15, "Statement Unconfirmed 2 Weeks", 1),
		(28, "Statement Unconfirmed 2 Weeks", 1),
		(29, "Statement to Supervisor", 1),
		(90, "Statement to Supervisor", 1),
	],
)
def test_statement_follow_up_ladder(days, stage, cadence):
	found = stage_for(list(STATEMENT_LADDER), days)
	assert (found.name if found else None, found.cadence_days if found else None) == (stage, cadence)


def test_unconfirmed_statement_follow_up_days_and_one_escalation():
	sent = date(2026, 11, 8)
	state, days_with_follow_up, escalations = CaseState(), [], []
	for offset in range(1, 32):
		on = sent + timedelta(days=offset)
		d = decide(state, list(STATEMENT_LADDER), offset, 0.0, on)
		if d.follow_up_due:
			days_with_follow_up.append(offset)
		escalations += d.notify_roles
		state = CaseState(
			"Open", d.stage.name, d.entered_on, None, on if d.follow_up_due else state.last_follow_up_on
		)
	assert days_with_follow_up == [
		1,
		3,
		5,
		7,
		9,
		11,
		13,
		15,
		16,
		17,
		18,
		19,
		20,
		21,
		22,
		23,
		24,
		25,
		26,
		27,
		28,
		29,
		30,
		31,
	]
	assert escalations == [roles.SUPERVISOR]


def test_receipt_settled_customers_are_followed_daily_once_receipts_are_in():
	stage = stage_for(list(RECEIPT_LADDER), 0)
	assert stage.cadence_days == 1 and stage_for(list(RECEIPT_LADDER), 10) is stage


@pytest.mark.parametrize(
	"delays, late",
	[
		([0, -2, 0], False),
		([3, 0, 5], True),
		([None, 1, 0], True),
		([1, 0, 0], False),
		([1, 0, 0, 5, 5], False),
		([], False),
		([None, None], True),
	],
)
def test_chronically_late(delays, late):
	assert chronically_late(delays) is late


def test_statement_deadlines_are_chased_after_the_day():
	from collections_module.policy.statements import PREPARE_LATE, SEND_LATE, late_step

	d = deadlines(date(2026, 10, 31))
	assert late_step("Draft", d.prepare_by, d.send_by, d.prepare_by) is None  # on the day: not late yet
	assert late_step("Draft", d.prepare_by, d.send_by, date(2026, 11, 6)) == PREPARE_LATE
	assert late_step("Draft", d.prepare_by, d.send_by, date(2026, 11, 9)) == PREPARE_LATE
	assert late_step("Under Review", d.prepare_by, d.send_by, date(2026, 11, 8)) is None
	assert late_step("Under Review", d.prepare_by, d.send_by, date(2026, 11, 9)) == SEND_LATE
	assert late_step("Sent", d.prepare_by, d.send_by, date(2026, 11, 30)) is None
	assert (PREPARE_LATE.owner_role, PREPARE_LATE.escalate_to_role) == (roles.COLLECTOR, roles.SUPERVISOR)
	assert (SEND_LATE.owner_role, SEND_LATE.escalate_to_role) == (roles.SUPERVISOR, roles.MANAGER)
