"""Call-quality sampling (R-G2): a reproducible, per-collector sample, and the review's score."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import sampling as sp
from collections_module.policy.sampling import QUALITY_CHECKLIST, sample, sample_size, score, week_seed

CALLS = {
	"amy": [f"CALL-{i:04d}" for i in range(1, 31)],  # 30 calls
	"bob": ["CALL-0100", "CALL-0101", "CALL-0102"],  # 3 calls
	"cai": [],  # none this week
}


# --- size -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"n, percent, minimum, size",
	[
		(0, 10, 1, 0),  # no call, nothing to sample, whatever the minimum
		(30, 10, 1, 3),  # 10 % of 30 is 3, not ceil(3.0000000000000004) = 4
		(31, 10, 1, 4),  # rounded up
		(3, 10, 1, 1),  # the minimum
		(3, 10, 2, 2),
		(2, 10, 5, 2),  # never more than there is
		(10, 0, 1, 1),
		(10, 0, 0, 0),
		(10, 100, 1, 10),
		(10, 250, 1, 10),  # percent capped at 100
		(10, -5, 0, 0),
		(7, 12.5, 1, 1),
		(100, 12.5, 1, 13),
		(1, 0.01, 0, 1),
	],
)
def test_sample_size(n, percent, minimum, size):
	assert sample_size(n, percent, minimum) == size


def test_a_percent_that_is_not_a_number_is_refused():
	with pytest.raises(ValueError):
		sample_size(10, float("nan"))


@given(
	st.integers(min_value=0, max_value=5_000),
	st.floats(min_value=0, max_value=100, allow_nan=False),
	st.integers(min_value=0, max_value=20),
)
def test_sample_size_bounds(n, percent, minimum):
	k = sample_size(n, percent, minimum)
	assert min(n, minimum) <= k <= n
	assert k >= percent * n / 100 - 1e-6  # at least the percent
	assert k <= max(percent * n / 100 + 1, minimum)  # and at most one more, or the minimum


# --- the draw ---------------------------------------------------------------------------------------


def test_each_collector_gets_their_share_and_the_minimum():
	s = sample(CALLS, 10, "seed")
	assert list(s) == ["amy", "bob", "cai"]
	assert len(s["amy"]) == 3
	assert len(s["bob"]) == 1  # 10 % of 3 is 0.3: rounded up, and the minimum anyway
	assert s["cai"] == ()
	assert set(s["amy"]) <= set(CALLS["amy"]) and set(s["bob"]) <= set(CALLS["bob"])
	assert list(s["amy"]) == sorted(s["amy"])


def test_same_seed_same_sample_other_seed_other_sample():
	assert sample(CALLS, 10, "2026-W23") == sample(CALLS, 10, "2026-W23")
	assert sample(CALLS, 10, "2026-W23")["amy"] != sample(CALLS, 10, "2026-W24")["amy"]


def test_the_draw_is_the_sha256_order():
	ids = CALLS["amy"]
	first = sorted(ids, key=lambda c: sp.draw_key("s", c))[:3]
	assert sample({"amy": ids}, 10, "s")["amy"] == tuple(sorted(first))
	assert sp.draw_key("ab", "c") != sp.draw_key("a", "bc")


def test_the_global_random_state_changes_nothing():
	random.seed(1)
	a = sample(CALLS, 20, "x")
	random.seed(2)
	assert sample(CALLS, 20, "x") == a


def test_duplicates_are_one_call():
	assert sample({"amy": ["C1", "C1", "C1"]}, 100, "x") == {"amy": ("C1",)}


def test_another_collector_does_not_change_ones_sample():
	alone = sample({"amy": CALLS["amy"]}, 10, "x")["amy"]
	assert sample(CALLS, 10, "x")["amy"] == alone


calls_by_collector = st.dictionaries(
	st.sampled_from(["amy", "bob", "cai", "dan", "eve"]),
	st.lists(st.text(alphabet="0123456789ABC-", min_size=1, max_size=8), max_size=40),
	max_size=5,
)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(
	calls_by_collector, percents, st.text(max_size=12), st.integers(min_value=0, max_value=5), st.randoms()
)
def test_same_sample_in_any_input_order(calls, percent, seed, minimum, rnd):
	items = list(calls.items())
	rnd.shuffle(items)
	shuffled = {}
	for collector, ids in items:
		ids = list(ids)
		rnd.shuffle(ids)
		shuffled[collector] = ids
	assert sample(shuffled, percent, seed, minimum) == sample(calls, percent, seed, minimum)


@given(calls_by_collector, percents, st.text(max_size=12), st.integers(min_value=0, max_value=5))
def test_sample_is_a_sized_subset_per_collector(calls, percent, seed, minimum):
	s = sample(calls, percent, seed, minimum)
	assert set(s) == set(calls)
	for collector, ids in calls.items():
		assert set(s[collector]) <= set(ids)
		assert len(s[collector]) == sample_size(len(set(ids)), percent, minimum)
		if ids and minimum:
			assert s[collector]


@given(calls_by_collector, percents, percents, st.text(max_size=12))
def test_a_larger_percent_only_adds_calls(calls, p, q, seed):
	small, large = sample(calls, min(p, q), seed), sample(calls, max(p, q), seed)
	assert all(set(small[c]) <= set(large[c]) for c in calls)


# --- the weekly seed --------------------------------------------------------------------------------


def test_week_seed_is_reproducible_and_differs_by_week_and_site():
	seed = week_seed(2026, 23, "site-secret")
	assert seed == week_seed(2026, 23, "site-secret")
	assert len(seed) == 64
	assert seed != week_seed(2026, 24, "site-secret")
	assert seed != week_seed(2027, 23, "site-secret")
	assert seed != week_seed(2026, 23, "other-site")
	assert "site-secret" not in seed and "2026" not in seed  # the stored seed gives neither away


def test_week_seed_refuses_a_week_that_does_not_exist_and_a_missing_key():
	week_seed(2026, 53, "k")  # 2026 has 53 ISO weeks
	for year, week in [(2025, 53), (2026, 0), (2026, 54)]:
		with pytest.raises(ValueError):
			week_seed(year, week, "k")
	with pytest.raises(ValueError):
		week_seed(2026, 23, "")


# --- the review -------------------------------------------------------------------------------------


def test_checklist_items():
	assert len(QUALITY_CHECKLIST) == len(set(QUALITY_CHECKLIST)) == 7
	assert sp.IDENTITY_AND_DEBT_CONFIRMED in QUALITY_CHECKLIST
	assert sp.NO_THREATS in QUALITY_CHECKLIST
	assert sp.NO_THIRD_PARTY_DISCLOSURE in QUALITY_CHECKLIST


def test_score_all_none_and_some():
	assert score(dict.fromkeys(QUALITY_CHECKLIST, True)) == 100
	assert score(dict.fromkeys(QUALITY_CHECKLIST, False)) == 0
	assert score({}) == 0  # nothing ticked is nothing respected
	checks = dict.fromkeys(QUALITY_CHECKLIST, True) | {sp.NO_THREATS: False}
	assert score(checks) == pytest.approx(600 / 7)
	missing = {k: True for k in QUALITY_CHECKLIST if k != sp.POLITE_LANGUAGE}
	assert score(missing) == pytest.approx(600 / 7)  # an item left out is not respected


def test_score_with_weights():
	weights = {sp.NO_THREATS: 4, sp.AMOUNTS_CORRECT: 0}  # the others weigh 1
	checks = dict.fromkeys(QUALITY_CHECKLIST, True) | {sp.NO_THREATS: False, sp.AMOUNTS_CORRECT: False}
	assert score(checks, weights) == pytest.approx(100 * 5 / 9)


@pytest.mark.parametrize(
	"checks, weights",
	[
		({"Polite languag": True}, None),  # misspelt
		({}, {"Unknown": 1}),
		({}, {sp.NO_THREATS: -1}),
		({}, {sp.NO_THREATS: float("inf")}),
		({}, dict.fromkeys(QUALITY_CHECKLIST, 0)),
	],
)
def test_score_refuses_unknown_items_and_bad_weights(checks, weights):
	with pytest.raises(ValueError):
		score(checks, weights)


@given(
	st.dictionaries(st.sampled_from(QUALITY_CHECKLIST), st.booleans()),
	st.dictionaries(st.sampled_from(QUALITY_CHECKLIST), st.floats(min_value=0.01, max_value=100)),
)
def test_score_between_0_and_100_and_passing_more_never_lowers_it(checks, weights):
	s = score(checks, weights)
	assert 0 <= s <= 100
	for item in QUALITY_CHECKLIST:
		assert score(checks | {item: True}, weights) >= s - 1e-9
