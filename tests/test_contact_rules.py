from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import contact_rules as cr
from collections_module.policy.contact_rules import (
	REGULATION_F,
	SOURCE_RULES,
	Contact,
	RuleSet,
	case_gate,
	check_contact,
	promise_outcome,
	timing_advice,
)

SH = "Asia/Shanghai"
NY = "America/New_York"


def at(tz, y, mo, d, h, mi=0, s=0):
	return datetime(y, mo, d, h, mi, s, tzinfo=ZoneInfo(tz))


# --- R-C2 window, several zones, DST ----------------------------------------------------------


@pytest.mark.parametrize(
	"local, allowed",
	[
		((7, 59, 59), False),
		((8, 0, 0), True),
		((12, 0, 0), True),
		((21, 0, 0), True),
		((21, 0, 1), False),
		((23, 30, 0), False),
	],
)
@pytest.mark.parametrize("tz", [SH, NY, "Europe/London", "UTC"])
def test_hours_window_edges_in_the_debtors_zone(tz, local, allowed):
	v = check_contact(SOURCE_RULES, tz, Contact(at(tz, 2026, 6, 3, *local)), [])
	assert v.allowed is allowed
	if not allowed:
		assert v.rule == "hours" and "08:00-21:00" in v.text


def test_same_instant_is_allowed_in_one_zone_and_refused_in_another():
	moment = datetime(2026, 6, 3, 1, 30, tzinfo=timezone.utc)  # 09:30 Shanghai, 21:30 New York (EDT)
	assert check_contact(SOURCE_RULES, SH, Contact(moment), []).allowed
	v = check_contact(SOURCE_RULES, NY, Contact(moment), [])
	assert not v.allowed and v.next_allowed == at(NY, 2026, 6, 3, 8)


def test_next_allowed_time_before_and_after_the_window():
	early = check_contact(SOURCE_RULES, SH, Contact(at(SH, 2026, 6, 3, 6, 15)), [])
	assert early.next_allowed == at(SH, 2026, 6, 3, 8)
	late = check_contact(SOURCE_RULES, SH, Contact(at(SH, 2026, 6, 3, 22)), [])
	assert late.next_allowed == at(SH, 2026, 6, 4, 8)


def test_window_across_the_us_spring_forward():
	# 2026-03-08 02:00 EST -> 03:00 EDT. 12:30 UTC is 07:30 EST on the 7th but 08:30 EDT on the 8th.
	assert not check_contact(
		SOURCE_RULES, NY, Contact(datetime(2026, 3, 7, 12, 30, tzinfo=timezone.utc)), []
	).allowed
	assert check_contact(
		SOURCE_RULES, NY, Contact(datetime(2026, 3, 8, 12, 30, tzinfo=timezone.utc)), []
	).allowed
	v = check_contact(
		SOURCE_RULES, NY, Contact(datetime(2026, 3, 8, 11, 30, tzinfo=timezone.utc)), []
	)  # 07:30 EDT
	assert v.next_allowed == at(NY, 2026, 3, 8, 8) and v.next_allowed.astimezone(timezone.utc).hour == 12


def test_window_across_the_autumn_fall_back():
	# 2026-11-01 02:00 EDT -> 01:00 EST: 08:00 local is 12:00 UTC before, 13:00 UTC after
	assert not check_contact(
		SOURCE_RULES, NY, Contact(datetime(2026, 11, 1, 12, 30, tzinfo=timezone.utc)), []
	).allowed
	assert check_contact(
		SOURCE_RULES, NY, Contact(datetime(2026, 10, 31, 12, 30, tzinfo=timezone.utc)), []
	).allowed


def test_letters_and_inbound_contacts_are_not_timed():
	night = at(SH, 2026, 6, 3, 23)
	assert check_contact(SOURCE_RULES, SH, Contact(night, channel="Letter"), []).allowed
	assert check_contact(SOURCE_RULES, SH, Contact(night, direction="Inbound"), []).allowed
	assert not check_contact(SOURCE_RULES, SH, Contact(night, channel="SMS"), []).allowed


def test_weekdays_rule():
	weekdays_only = RuleSet(name="Weekdays", weekdays=frozenset(range(5)))
	saturday = at(SH, 2026, 6, 6, 10)
	v = check_contact(weekdays_only, SH, Contact(saturday), [])
	assert not v.allowed and v.rule == "weekday" and v.next_allowed == at(SH, 2026, 6, 8, 8)


# --- R-C3 daily caps at the boundary ---------------------------------------------------------------


def calls(n, day=3, effective=False, tz=SH, start_hour=9):
	return [
		Contact(at(tz, 2026, 6, day, start_hour) + timedelta(minutes=5 * i), effective=effective)
		for i in range(n)
	]


def test_tenth_call_allowed_eleventh_refused():
	nine, ten = calls(9), calls(10)
	probe = Contact(at(SH, 2026, 6, 3, 15))
	assert check_contact(SOURCE_RULES, SH, probe, nine).allowed
	v = check_contact(SOURCE_RULES, SH, probe, ten)
	assert not v.allowed and v.rule == "calls per day" and v.next_allowed == at(SH, 2026, 6, 4, 8)


def test_fifth_effective_conversation_allowed_sixth_refused():
	probe = Contact(at(SH, 2026, 6, 3, 16), effective=True)
	assert check_contact(SOURCE_RULES, SH, probe, calls(4, effective=True)).allowed
	v = check_contact(SOURCE_RULES, SH, probe, calls(5, effective=True))
	assert not v.allowed and v.rule == "effective conversations per day"
	# a sixth call that reaches nobody is still allowed
	assert check_contact(SOURCE_RULES, SH, Contact(at(SH, 2026, 6, 3, 16)), calls(5, effective=True)).allowed


def test_second_visit_allowed_third_refused():
	visit = Contact(at(SH, 2026, 6, 3, 15), channel="Visit")
	one = [Contact(at(SH, 2026, 6, 3, 10), channel="Visit")]
	two = [*one, Contact(at(SH, 2026, 6, 3, 13), channel="Visit")]
	assert check_contact(SOURCE_RULES, SH, visit, one).allowed
	v = check_contact(SOURCE_RULES, SH, visit, two)
	assert not v.allowed and v.rule == "visits per day"


def test_caps_count_the_debtors_local_day():
	# 10 calls on the 3rd in Shanghai; on the 4th the count starts again
	ten = calls(10)
	morning = Contact(at(SH, 2026, 6, 4, 8))
	assert check_contact(SOURCE_RULES, SH, morning, ten).allowed


# --- Regulation F: 7 calls in 7 days, 7 quiet days after a conversation ----------------------------


def test_rolling_seven_in_seven():
	week = [Contact(at(NY, 2026, 6, d, 10)) for d in range(1, 8)]  # 7 calls, June 1..7
	v = check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 7, 15)), week)
	assert not v.allowed and v.rule == "rolling calls"
	assert v.next_allowed == at(NY, 2026, 6, 8, 10)  # the June 1 call leaves the window
	assert check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 8, 10, 0, 1)), week).allowed
	assert check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 7, 15)), week[:6]).allowed


def test_quiet_days_after_a_conversation():
	talk = [Contact(at(NY, 2026, 6, 1, 10), effective=True)]
	v = check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 5, 10)), talk)
	assert not v.allowed and v.rule == "quiet days after a conversation"
	assert v.next_allowed == at(NY, 2026, 6, 8, 10)
	assert check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 8, 10)), talk).allowed
	# an e-mail is not a call
	assert check_contact(REGULATION_F, NY, Contact(at(NY, 2026, 6, 5, 10), channel="Email"), talk).allowed


def test_next_allowed_passes_every_rule_at_once():
	# late evening, daily cap reached: next allowed is tomorrow's window start
	rules = RuleSet(name="tight", max_calls_per_day=2)
	history = calls(2, start_hour=20)
	v = check_contact(rules, SH, Contact(at(SH, 2026, 6, 3, 20, 30)), history)
	assert v.next_allowed == at(SH, 2026, 6, 4, 8)


@given(
	st.integers(min_value=0, max_value=60 * 24 * 14 - 1),
	st.sampled_from([SH, NY, "Europe/Berlin", "Australia/Sydney"]),
)
def test_next_allowed_is_always_allowed_and_never_earlier(minutes, tz):
	probe_at = datetime(2026, 3, 1, tzinfo=timezone.utc) + timedelta(minutes=minutes)
	history = calls(3, day=2, tz=tz)
	v = check_contact(REGULATION_F, tz, Contact(probe_at), history)
	if not v.allowed:
		assert v.next_allowed > probe_at
		assert check_contact(REGULATION_F, tz, Contact(v.next_allowed), history).allowed


# --- R-C4 advice, R-C5..C7 gates, R-D4 promises -------------------------------------------------


def test_timing_advice():
	monday_morning = timing_advice(at(SH, 2026, 6, 1, 9), SH)
	assert monday_morning.good == ["morning", "Monday", "start of the month"] and monday_morning.avoid == []
	assert timing_advice(at(SH, 2026, 6, 27, 10), SH).avoid == ["weekend"]
	assert "month end" in timing_advice(at(SH, 2026, 6, 29, 10), SH).avoid
	assert "month end" not in timing_advice(at(SH, 2026, 6, 27, 10), SH).avoid
	assert "end of the working morning/afternoon" in timing_advice(at(SH, 2026, 6, 10, 11, 45), SH).avoid
	assert "end of the working morning/afternoon" in timing_advice(at(SH, 2026, 6, 10, 17, 40), SH).avoid
	assert timing_advice(at(SH, 2026, 2, 27, 10), SH).avoid == ["month end"]  # Feb 2026 has 28 days


def test_case_gates():
	assert case_gate(disputed=True, verified=True).rule == "dispute"
	assert case_gate(disputed=False, verified=False).rule == "verification"
	assert case_gate(False, True, cr.DO_NOT_CONTACT).rule == "do not contact"
	sensitive = case_gate(False, True, cr.SENSITIVE)
	assert sensitive.allowed and "handle with care" in sensitive.warning
	assert case_gate(False, True).allowed


@pytest.mark.parametrize(
	"paid, on, outcome",
	[
		(500.0, date(2026, 6, 10), cr.KEPT),
		(499.999, date(2026, 6, 10), cr.KEPT),
		(300.0, date(2026, 6, 10), cr.PENDING),
		(300.0, date(2026, 6, 11), cr.BROKEN),
		(0.0, date(2026, 6, 11), cr.BROKEN),
		(600.0, date(2026, 6, 20), cr.KEPT),
	],
)
def test_promise_outcome(paid, on, outcome):
	assert promise_outcome(500.0, date(2026, 6, 10), paid, on) == outcome


def test_replay_judges_each_contact_against_those_before_it():
	from collections_module.policy.contact_rules import Contact, RuleSet, replay

	tz = "Asia/Shanghai"
	day = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, a Monday
	calls = [Contact(day + timedelta(minutes=10 * i)) for i in range(4)]
	late = Contact(datetime(2026, 3, 2, 13, 30, tzinfo=timezone.utc))  # 21:30 there
	two_a_day = RuleSet(max_calls_per_day=2)
	verdicts = replay(two_a_day, tz, [late, *reversed(calls)])  # any input order
	assert [v.allowed for v in verdicts] == [False, False, False, True, True]
	assert verdicts[0].rule == "hours"
	assert verdicts[1].rule == "calls per day"
	assert [v.allowed for v in replay(RuleSet(), tz, calls)] == [True] * 4
