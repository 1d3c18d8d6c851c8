"""Weekly reports (R-G2): the week due and the collectors who have not reported."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy.weekly import missing_reports, previous_week, week_of


@pytest.mark.parametrize(
	"today, week",
	[
		(date(2026, 6, 10), (date(2026, 6, 1), date(2026, 6, 7))),  # a Wednesday
		(date(2026, 6, 8), (date(2026, 6, 1), date(2026, 6, 7))),  # Monday: last week just ended
		(date(2026, 6, 7), (date(2026, 5, 25), date(2026, 5, 31))),  # Sunday: this week is not over
		(date(2026, 1, 1), (date(2025, 12, 22), date(2025, 12, 28))),  # across the new year
		(date(2027, 1, 4), (date(2026, 12, 28), date(2027, 1, 3))),  # ISO week 2026-W53
	],
)
def test_previous_week(today, week):
	assert previous_week(today) == week


def test_week_of():
	assert week_of(date(2026, 6, 10)) == (date(2026, 6, 8), date(2026, 6, 14))
	assert week_of(date(2026, 6, 14)) == (date(2026, 6, 8), date(2026, 6, 14))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_previous_week_is_the_last_complete_iso_week(today):
	monday, sunday = previous_week(today)
	assert monday.isoweekday() == 1 and sunday.isoweekday() == 7
	assert sunday - monday == timedelta(days=6)
	assert sunday < today <= sunday + timedelta(days=7)
	assert monday.isocalendar()[:2] == sunday.isocalendar()[:2]


def test_missing_reports():
	assert missing_reports(["cai", "amy", "bob"], ["amy"]) == ["cai", "bob"]
	assert missing_reports(["amy", "amy", "", "bob"], []) == ["amy", "bob"]
	assert missing_reports(["amy"], ["amy", "zed"]) == []  # a report from someone not listed is no matter
	assert missing_reports([], ["amy"]) == []
