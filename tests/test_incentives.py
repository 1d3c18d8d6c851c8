"""Rewards and penalties (issue 19): the Incentive Plan, its validation and the monthly statement."""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from collections_module.policy.incentives import (
	CAP,
	COMMISSION,
	FLOOR,
	LATE_ENTRIES,
	QUALITY_GATE,
	REFUSALS,
	IncentivePlan,
	InvalidPlan,
	Tier,
	check_plan,
	plan_problems,
	statement,
	tier_for,
)

# Nothing below 80 % of the target, 2 % from 80 %, 3 % from 100 %, 4 % from 120 %; a quality gate of
# 80 paying half below it; 50 per refused contact, 20 per late entry.
PLAN = IncentivePlan(
	tiers=(Tier(80, 2, 100), Tier(100, 3, 120), Tier(120, 4)),
	quality_gate=80,
	below_gate_share=50,
	refusal_penalty=50,
	late_entry_penalty=20,
)


def kinds(s):
	return [(line.kind, line.amount) for line in s.lines]


def test_a_month_above_target():
	s = statement(PLAN, 12_000, 10_000, quality_score=90, refusals=2, late_entries=1)
	assert (s.achievement, s.tier, s.rate) == (120, 3, 4)
	assert (s.commission, s.penalties, s.total) == (480, 120, 360)
	assert kinds(s) == [(COMMISSION, 480), (REFUSALS, -100), (LATE_ENTRIES, -20)]
	assert sum(line.amount for line in s.lines) == s.total
	assert s.formula == (
		"12,000.00 ÷ 10,000.00 = 120 % → tier 3: 4 % × 12,000.00 = 480.00; "
		"− refused contacts: 2 × 50.00; − late entries: 1 × 20.00; total 360.00"
	)


def test_tier_boundaries():
	assert [tier_for(PLAN, a) for a in (None, 0, 79.9, 80, 99.99, 100, 119, 120, 500)] == [
		None,
		None,
		None,
		1,
		1,
		2,
		2,
		3,
		3,
	]
	assert statement(PLAN, 7_999, 10_000).commission == 0
	assert statement(PLAN, 8_000, 10_000).commission == 160


def test_below_the_quality_gate_half_is_paid_and_none_when_the_share_is_zero():
	s = statement(PLAN, 10_000, 10_000, quality_score=72)
	assert kinds(s) == [(COMMISSION, 300), (QUALITY_GATE, -150)]
	assert s.commission == s.total == 150
	assert "quality 72 < 80: × 50 % = 150.00" in s.formula
	nothing = IncentivePlan(PLAN.tiers, quality_gate=80)
	assert statement(nothing, 10_000, 10_000, quality_score=79.9).total == 0
	assert statement(nothing, 10_000, 10_000, quality_score=80).total == 300  # at the gate passes


def test_a_month_without_review_passes_unless_the_plan_says_not():
	assert statement(PLAN, 10_000, 10_000).total == 300
	strict = IncentivePlan(PLAN.tiers, quality_gate=80, no_review_passes=False)
	s = statement(strict, 10_000, 10_000)
	assert s.total == 0 and "no reviewed call" in s.lines[1].description


def test_the_cap_and_the_floor():
	capped = IncentivePlan(PLAN.tiers, cap=250, refusal_penalty=100)
	s = statement(capped, 10_000, 10_000, refusals=1)
	assert kinds(s) == [(COMMISSION, 300), (CAP, -50), (REFUSALS, -100)]
	assert s.total == 150
	s = statement(capped, 10_000, 10_000, refusals=5)
	assert kinds(s)[-1] == (FLOOR, 250) and s.total == 0
	owed = IncentivePlan(PLAN.tiers, refusal_penalty=100, allow_negative=True)
	assert statement(owed, 0, 10_000, refusals=2).total == -200


def test_without_a_target_no_commission_but_penalties():
	s = statement(PLAN, 10_000, None, late_entries=3)
	assert s.achievement is None and s.tier is None and s.commission == 0
	assert kinds(s) == [(COMMISSION, 0), (LATE_ENTRIES, -60), (FLOOR, 60)]
	assert statement(PLAN, 10_000, 0).achievement is None


def test_the_formula_is_translated():
	fr = {
		"{0} ÷ {1} = {2} % → tier {3}: {4} % × {0} = {5}": "{0} / {1} = {2} % → palier {3} : {4} % × {0} = {5}",
		"total {0}": "total {0}",
		"Commission: {0} % of {1} recovered (tier {2}, from {3} % of the target)": "Commission : {0} %",
	}
	s = statement(PLAN, 10_000, 10_000, translate=lambda t: fr.get(t, t), fmt=lambda x: f"{x:.0f}")
	assert s.formula == "10000 / 10000 = 100 % → palier 2 : 3 % × 10000 = 300; total 300"
	assert s.lines[0].description == "Commission : 3 %"


# --- validation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"tiers, problem",
	[
		((), "The plan has no tier"),
		((Tier(0, 120),), "Tier 1: the rate 120 % is not between 0 and 100"),
		((Tier(0, -1),), "Tier 1: the rate -1 % is not between 0 and 100"),
		((Tier(-5, 1),), "Tier 1: it starts at -5 %, below 0"),
		((Tier(50, 1, 50),), "Tier 1: it ends at 50 %, not above its start at 50 %"),
		((Tier(100, 3), Tier(80, 4)), "Tier 2: it starts at 80 %, not above the tier before (100 %)"),
		(
			(Tier(80, 2, 110), Tier(100, 3)),
			"Tier 2: it starts at 100 %, overlapping the tier before, which ends at 110 %",
		),
		(
			(Tier(80, 2, 90), Tier(100, 3)),
			"Tier 2: it starts at 100 %, leaving a gap after the tier before, which ends at 90 %",
		),
		((Tier(80, 3), Tier(100, 2)), "Tier 2: its rate 2 % is below the rate of the tier before (3 %)"),
	],
)
def test_invalid_tiers(tiers, problem):
	problems = [t.format(*a) for t, a in plan_problems(IncentivePlan(tiers))]
	assert problem in problems
	with pytest.raises(InvalidPlan):
		statement(IncentivePlan(tiers), 1_000, 1_000)


def test_invalid_gate_share_penalties_and_cap():
	bad = IncentivePlan(
		PLAN.tiers, quality_gate=101, below_gate_share=-1, refusal_penalty=-1, late_entry_penalty=-2, cap=-5
	)
	assert [t.format(*a) for t, a in plan_problems(bad)] == [
		"The quality gate 101 is not between 0 and 100",
		"The share paid below the gate, -1 %, is not between 0 and 100",
		"The penalty per refusal is negative",
		"The penalty per late entry is negative",
		"The cap -5 is negative",
	]
	assert plan_problems(PLAN) == []
	check_plan(PLAN)
	with pytest.raises(InvalidPlan, match="quality gate"):
		check_plan(bad)


# --- properties ---------------------------------------------------------------------------------------


@st.composite
def plans(draw):
	starts = sorted(draw(st.sets(st.integers(min_value=0, max_value=200), min_size=1, max_size=5)))
	rates = sorted(
		draw(st.lists(st.integers(min_value=0, max_value=100), min_size=len(starts), max_size=len(starts)))
	)
	ends = [*starts[1:], None]
	with_ends = draw(st.booleans())
	tiers = tuple(Tier(s, r, e if with_ends else None) for s, r, e in zip(starts, rates, ends, strict=True))
	return IncentivePlan(
		tiers,
		quality_gate=draw(st.none() | st.integers(min_value=0, max_value=100)),
		below_gate_share=draw(st.integers(min_value=0, max_value=100)),
		refusal_penalty=draw(st.integers(min_value=0, max_value=500)),
		late_entry_penalty=draw(st.integers(min_value=0, max_value=500)),
		cap=draw(st.none() | st.integers(min_value=0, max_value=100_000)),
		allow_negative=draw(st.booleans()),
	)


money = st.integers(min_value=0, max_value=1_000_000)


@given(
	plans(),
	money,
	money,
	st.none() | st.integers(min_value=1, max_value=1_000_000),
	st.integers(min_value=0, max_value=100),
	st.integers(min_value=0, max_value=20),
	st.integers(min_value=0, max_value=20),
)
def test_more_recovered_never_pays_less_above_the_gate(plan, a, b, target, score, refusals, late):
	assume(plan.quality_gate is None or score >= plan.quality_gate)
	assert plan_problems(plan) == []
	low, high = sorted((a, b))
	s_low = statement(plan, low, target, score, refusals, late)
	s_high = statement(plan, high, target, score, refusals, late)
	assert s_low.total <= s_high.total
	assert s_low.commission <= s_high.commission


@given(
	plans(), money, st.none() | money, st.none() | st.integers(min_value=0, max_value=100), st.integers(0, 9)
)
def test_the_lines_add_up_to_the_total(plan, recovered, target, score, refusals):
	s = statement(plan, recovered, target, score, refusals, refusals)
	assert round(math.fsum(line.amount for line in s.lines), 2) == s.total  # to the cent
	assert s.commission <= (plan.cap if plan.cap is not None else float("inf"))
	assert s.total >= 0 or plan.allow_negative
