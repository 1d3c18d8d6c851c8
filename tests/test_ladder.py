from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import ladder, roles
from collections_module.policy.ladder import (
	DEFAULT_LADDER,
	CaseState,
	PolicyChoice,
	Stage,
	case_stage_for,
	decide,
	escalations,
	next_follow_up,
	resolve_policy,
	stage_for,
	stage_owners,
	validate_stages,
)

STAGES = list(DEFAULT_LADDER)
D0 = date(2026, 6, 1)


@pytest.mark.parametrize(
	"days, stage",
	[
		(-8, None),
		(-7, "Pre-due Reminder"),
		(0, "Pre-due Reminder"),
		(1, "Overdue Week 1"),
		(7, "Overdue Week 1"),
		(8, "Overdue Week 2"),
		(14, "Overdue Week 2"),
		(15, "Daily Follow-up"),
		(28, "Daily Follow-up"),
		(29, "Supervisor"),
		(30, "Supervisor"),
		(31, "Manager"),
		(60, "Manager"),
		(61, "General Manager"),
		(90, "General Manager"),
		(91, "Stock Release Lock"),
		(120, "Stock Release Lock"),
		(121, "Formal Letters"),
		(10_000, "Formal Letters"),
	],
)
def test_default_ladder_boundaries(days, stage):
	found = stage_for(STAGES, days)
	assert (found.name if found else None) == stage


@pytest.mark.parametrize(
	"days, cadence", [(1, 2), (7, 2), (8, 2), (14, 2), (15, 1), (28, 1), (29, 1), (90, 1)]
)
def test_default_cadence(days, cadence):
	assert stage_for(STAGES, days).cadence_days == cadence


@pytest.mark.parametrize(
	"days, owner, escalate",
	[
		(1, roles.COLLECTOR, None),
		(15, roles.COLLECTOR, None),
		(29, roles.SUPERVISOR, roles.SUPERVISOR),
		(31, roles.SUPERVISOR, roles.MANAGER),
		(61, roles.MANAGER, roles.GENERAL_MANAGER),
		(91, roles.MANAGER, roles.OWNER),
	],
)
def test_default_owner_and_escalation(days, owner, escalate):
	s = stage_for(STAGES, days)
	assert (s.owner_role, s.escalate_to_role) == (owner, escalate)


def test_lock_and_letters_need_the_owners_approval():
	assert stage_for(STAGES, 91).needs_approval and stage_for(STAGES, 91).action == ladder.STOCK_LOCK
	assert stage_for(STAGES, 121).needs_approval and stage_for(STAGES, 121).action == ladder.LETTER
	assert not any(s.needs_approval for s in STAGES if s.from_day < 91)


def test_default_ladder_is_valid_and_has_no_gaps_from_due_date():
	assert validate_stages(STAGES) == []
	for days in range(-7, 400):
		assert stage_for(STAGES, days) is not None, days


def test_case_stage_never_is_the_reminder_row():
	assert case_stage_for(STAGES, 0) is None
	assert case_stage_for(STAGES, -3) is None
	assert case_stage_for(STAGES, 1).name == "Overdue Week 1"


def test_validate_reports_overlap_inverted_range_duplicates_and_negative_cadence():
	bad = [
		Stage("A", 1, 10, row=1),
		Stage("B", 5, 3, row=2),
		Stage("A", 20, None, cadence_days=-1, row=3),
		Stage("C", 30, 40, row=4),
	]
	errors = validate_stages(bad)
	assert any("'To Day' 3 is before 'From Day' 5" in e for e in errors)
	assert any("cadence cannot be negative" in e for e in errors)
	assert any("'A' is used more than once" in e for e in errors)
	assert any("overlap" in e and "A, days 20+" in e for e in errors)  # open-ended row before C
	assert validate_stages([]) == ["A collection policy needs at least one stage."]


def test_validate_accepts_a_gap():
	assert validate_stages([Stage("A", 1, 10, row=1), Stage("B", 20, None, row=2)]) == []
	assert stage_for([Stage("A", 1, 10), Stage("B", 20, None)], 15) is None


def test_administrator_edited_ladder_is_honoured():
	edited = [replace(s, from_day=46, to_day=None) if s.name == "Formal Letters" else s for s in STAGES]
	edited = [replace(s, to_day=45) if s.name == "Manager" else s for s in edited]
	edited = [s for s in edited if s.name not in ("General Manager", "Stock Release Lock")]
	assert validate_stages(edited) == []
	assert stage_for(edited, 46).name == "Formal Letters"


# --- follow-up cadence -----------------------------------------------------------------------


def test_entering_a_stage_calls_for_a_follow_up_that_day():
	s = stage_for(STAGES, 1)
	assert next_follow_up(s, D0) == D0
	# a contact before entering does not count for the new stage
	assert next_follow_up(s, D0, last_contact_on=D0 - timedelta(days=1)) == D0


def test_cadence_counts_from_the_latest_contact_or_follow_up():
	s = stage_for(STAGES, 1)  # every 2 days
	assert next_follow_up(s, D0, last_follow_up_on=D0) == D0 + timedelta(days=2)
	assert next_follow_up(
		s, D0, last_contact_on=D0 + timedelta(days=1), last_follow_up_on=D0
	) == D0 + timedelta(days=3)
	daily = stage_for(STAGES, 15)
	assert next_follow_up(daily, D0, last_contact_on=D0 + timedelta(days=4)) == D0 + timedelta(days=5)


def test_once_only_stage_has_nothing_after_its_first_follow_up():
	once = Stage("Once", 1, None, cadence_days=0)
	assert next_follow_up(once, D0) == D0
	assert next_follow_up(once, D0, last_follow_up_on=D0) is None


# --- escalations -------------------------------------------------------------------------------


def test_escalations_fire_on_entering_each_level_once():
	by = {s.name: s for s in STAGES}
	assert escalations(STAGES, by["Daily Follow-up"], by["Supervisor"]) == [roles.SUPERVISOR]
	assert escalations(STAGES, by["Supervisor"], by["Manager"]) == [roles.MANAGER]
	assert escalations(STAGES, by["Manager"], by["General Manager"]) == [roles.GENERAL_MANAGER]
	assert escalations(STAGES, by["General Manager"], by["Stock Release Lock"]) == [roles.OWNER]
	assert escalations(STAGES, by["Overdue Week 1"], by["Overdue Week 2"]) == []


def test_a_case_first_seen_late_tells_every_level_it_passed():
	by = {s.name: s for s in STAGES}
	assert escalations(STAGES, None, by["General Manager"]) == [
		roles.SUPERVISOR,
		roles.MANAGER,
		roles.GENERAL_MANAGER,
	]
	assert escalations(STAGES, by["Overdue Week 1"], by["Manager"]) == [roles.SUPERVISOR, roles.MANAGER]


def test_moving_down_or_staying_tells_nobody():
	by = {s.name: s for s in STAGES}
	assert escalations(STAGES, by["Manager"], by["Overdue Week 1"]) == []
	assert escalations(STAGES, by["Manager"], by["Manager"]) == []


# --- owners --------------------------------------------------------------------------------------


def test_stage_owners():
	holders = {roles.SUPERVISOR: ["sup2@x", "sup1@x"], roles.COLLECTOR: ["c1@x"]}
	col = stage_for(STAGES, 1)
	sup = stage_for(STAGES, 29)
	mgr = stage_for(STAGES, 61)
	assert stage_owners(col, "c1@x", holders) == ["c1@x"]
	assert stage_owners(sup, "c1@x", holders) == ["sup1@x", "sup2@x"]
	assert stage_owners(sup, "sup2@x", holders) == ["sup2@x"]  # collector holds the role
	assert stage_owners(mgr, "c1@x", holders) == ["c1@x"]  # nobody holds it: not lost
	assert stage_owners(mgr, None, holders) == []
	assert stage_owners(col, None, holders) == ["sup1@x", "sup2@x"]  # unassigned: team leads allocate
	assert stage_owners(col, None, {}) == []


# --- decide: one case, one date ------------------------------------------------------------------


def test_decide_new_case_enters_stage_follows_up_and_notifies():
	d = decide(CaseState(), STAGES, 35, 1200.0, D0, policy="Default")
	assert d.stage.name == "Manager" and d.stage_changed and d.entered_on == D0
	assert d.notify_roles == [roles.SUPERVISOR, roles.MANAGER]
	assert d.follow_up_due and d.next_action_date == D0 + timedelta(days=1)
	assert (
		"35 days overdue" in d.reason_text and "stage 'Manager'" in d.reason_text and "31–60" in d.reason_text
	)
	assert "1,200.00" in d.reason_text


def test_decide_is_idempotent_for_the_same_date():
	first = decide(CaseState(), STAGES, 3, 100.0, D0)
	stored = CaseState("Open", first.stage.name, first.entered_on, None, D0)
	again = decide(stored, STAGES, 3, 100.0, D0)
	assert not again.stage_changed and not again.follow_up_due and again.notify_roles == []
	assert again.next_action_date == D0 + timedelta(days=2)


def test_decide_every_two_days_then_daily():
	state = CaseState()
	follow_ups = []
	for offset in range(0, 20):  # oldest invoice 1..20 days overdue
		on = D0 + timedelta(days=offset)
		d = decide(state, STAGES, 1 + offset, 50.0, on)
		if d.follow_up_due:
			follow_ups.append(1 + offset)
		state = CaseState(
			"Open",
			d.stage.name,
			d.entered_on,
			None,
			on if d.follow_up_due else state.last_follow_up_on,
		)
	assert follow_ups == [1, 3, 5, 7, 8, 10, 12, 14, 15, 16, 17, 18, 19, 20]


def test_decide_contact_logged_pushes_the_next_follow_up():
	d = decide(
		CaseState("Open", "Overdue Week 1", D0, D0 + timedelta(days=1), D0),
		STAGES,
		3,
		10.0,
		D0 + timedelta(days=2),
	)
	assert not d.follow_up_due and d.next_action_date == D0 + timedelta(days=3)


def test_decide_paused_case_gets_no_follow_up_but_keeps_stage():
	d = decide(CaseState(status="Paused"), STAGES, 40, 10.0, D0)
	assert d.stage.name == "Manager" and not d.follow_up_due
	assert d.notify_roles == [roles.SUPERVISOR, roles.MANAGER]


def test_decide_not_overdue_has_no_stage():
	d = decide(CaseState("Open", "Overdue Week 1", D0), STAGES, 0, 0.0, D0)
	assert d.stage is None and d.stage_changed and not d.follow_up_due and "no row" in d.reason_text


def test_decide_stage_down_after_payment_notifies_nobody():
	d = decide(CaseState("Open", "Manager", D0, None, D0), STAGES, 5, 10.0, D0 + timedelta(days=1))
	assert d.stage.name == "Overdue Week 1" and d.stage_changed and d.notify_roles == []
	assert d.follow_up_due  # entering the lower stage still asks for a follow-up


@given(st.integers(min_value=-400, max_value=2000))
def test_at_most_one_stage_covers_any_day(days):
	assert sum(1 for s in STAGES if s.covers(days)) <= 1


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=0, max_value=30))
def test_running_twice_never_adds_anything(days, gap):
	on = D0 + timedelta(days=gap)
	first = decide(CaseState("Open", None, None, None, None), STAGES, days, 1.0, on)
	stored = CaseState("Open", first.stage.name, first.entered_on, None, on if first.follow_up_due else None)
	second = decide(stored, STAGES, days, 1.0, on)
	assert not second.stage_changed and not second.follow_up_due and not second.notify_roles


@given(st.lists(st.integers(min_value=1, max_value=200), min_size=2, max_size=30))
def test_only_a_climb_notifies_and_only_the_levels_it_passes(days_seq):
	state = CaseState()
	prev_from = -(10**9)
	for i, days in enumerate(days_seq):
		d = decide(state, STAGES, days, 1.0, D0 + timedelta(days=i))
		cur_from = d.stage.from_day
		passed = [
			s.escalate_to_role for s in STAGES if prev_from < s.from_day <= cur_from and s.escalate_to_role
		]
		expected = list(dict.fromkeys(passed)) if d.stage_changed else []
		assert d.notify_roles == expected
		if cur_from <= prev_from:
			assert d.notify_roles == []
		prev_from = cur_from
		state = CaseState("Open", d.stage.name, d.entered_on, None, None)


def test_resolve_policy_order():
	assert resolve_policy("Cust", ["Grp", "Parent"], "Default") == "Cust"
	assert resolve_policy(None, [None, "Parent"], "Default") == "Parent"
	assert resolve_policy("", [], "Default") == "Default"
	assert resolve_policy(None, [None], None) is None


def test_unusable_policies_never_take_a_customer_off_the_ladder():
	from collections_module.policy.ladder import choose_policy

	usable = {"Default", "Parent"}
	# a disabled customer policy: the group's applies, and the skipped policy is reported
	assert choose_policy("Off", ["Parent"], "Default", usable) == PolicyChoice("Parent", "group", ("Off",))
	# disabled everywhere: the default applies
	assert choose_policy("Off", ["Gone", None], "Default", usable) == PolicyChoice(
		"Default", "default", ("Off", "Gone")
	)
	# empty names are no policy, not a skipped one
	assert choose_policy("", [None, ""], "Default", usable) == PolicyChoice("Default", "default", ())
	# an unusable default leaves no policy: the caller must say so
	assert choose_policy(None, [], "Off", usable).policy is None
	# without the usable set every named policy counts, as resolve_policy
	assert choose_policy("Off", [], "Default") == PolicyChoice("Off", "customer", ())


def test_the_risk_grade_policy_comes_after_the_customer_and_before_the_group():
	from collections_module.policy.ladder import choose_policy

	usable = {"Default", "Group", "Firm", "Own"}
	# the customer's own policy wins over its grade's
	assert choose_policy("Own", ["Group"], "Default", usable, "Firm") == PolicyChoice("Own", "customer")
	# the grade's policy wins over the group's and the default
	assert choose_policy(None, ["Group"], "Default", usable, "Firm") == PolicyChoice("Firm", "grade")
	assert choose_policy(None, [], "Default", usable, "Firm") == PolicyChoice("Firm", "grade")
	# a grade without a policy: the group's, as before
	assert choose_policy(None, ["Group"], "Default", usable, None) == PolicyChoice("Group", "group")
	# a grade mapped to an unusable policy is skipped and reported, never leaves the case without one
	assert choose_policy(None, ["Group"], "Default", usable, "Off") == PolicyChoice(
		"Group", "group", ("Off",)
	)
	assert choose_policy("Gone", [], "Default", usable, "Off") == PolicyChoice(
		"Default", "default", ("Gone", "Off")
	)
