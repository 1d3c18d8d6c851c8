"""Same-day allocation of new cases (R-E2): hard rules, capacity, even load, reasons."""

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collections_module.policy import allocation as al
from collections_module.policy.allocation import Case, Collector, allocate, respects, violations, why_not


def ids(proposal):
	return {a.case: a.collector for a in proposal.assignments}


# --- examples -------------------------------------------------------------------------------------


def test_reason_names_the_client_and_the_load_before_and_after():
	p = allocate([Collector("li", capacity_cases=10, open_cases=3)], [Case("C1", client="ACME", amount=500)])
	a = p.by_case["C1"]
	assert a.collector == "li"
	assert (a.reason, a.args) == (al.ALLOCATED_CASES, ("ACME", 3, 4, 10))
	assert a.text == "eligible: works client ACME, load 3 → 4 of 10 cases"
	lo = p.load_of("li")
	assert (lo.cases_before, lo.cases_after, lo.new_cases) == (3, 4, 1)
	assert lo.ratio_before == pytest.approx(0.3) and lo.ratio_after == pytest.approx(0.4)


def test_amount_capacity_shows_in_the_reason_when_it_binds():
	li = Collector("li", capacity_cases=100, capacity_amount=10_000, open_amount=6_000)
	a = allocate([li], [Case("C1", client="ACME", amount=3_000)]).by_case["C1"]
	assert a.text == "eligible: works client ACME, load 6000.0 → 9000.0 of 10000.0 in amount"


def test_no_capacity_set_is_said():
	a = allocate([Collector("li")], [Case("C1", client="ACME")]).by_case["C1"]
	assert a.text == "eligible: works client ACME, load 0 → 1 cases, no capacity set"
	assert allocate([Collector("li")], [Case("C1")]).load_of("li").ratio_after is None


def test_biggest_case_goes_first_to_the_least_loaded():
	team = [Collector("a", capacity_cases=10, open_cases=2), Collector("b", capacity_cases=10, open_cases=0)]
	p = allocate(team, [Case("small", amount=10), Case("big", amount=1_000)])
	assert [x.case for x in p.assignments] == ["big", "small"]
	assert ids(p) == {"big": "b", "small": "b"}  # b would be at 2 of 10 after both, a at 3 after one


def test_load_is_a_ratio_of_capacity():
	# the same 3 open cases weigh more on a collector who can hold 5 than on one who can hold 20
	team = [Collector("a", capacity_cases=5, open_cases=3), Collector("b", capacity_cases=20, open_cases=3)]
	assert ids(allocate(team, [Case("C1")])) == {"C1": "b"}


def test_capacity_full_leaves_the_case_unallocated():
	team = [Collector("a", capacity_cases=2, open_cases=2), Collector("b", capacity_cases=1, open_cases=1)]
	a = allocate(team, [Case("C1", client="ACME")]).by_case["C1"]
	assert a.collector is None and a.text == "every eligible collector is at capacity"


def test_capacity_fills_then_the_rest_waits():
	team = [Collector("a", capacity_cases=2), Collector("b", capacity_cases=1)]
	p = allocate(team, [Case(f"C{i}", amount=100 - i) for i in range(5)])
	assert len(p.allocated) == 3 and len(p.unallocated) == 2
	assert p.load_of("a").cases_after == 2 and p.load_of("b").cases_after == 1
	assert respects(p, team, [Case(f"C{i}", amount=100 - i) for i in range(5)])


def test_amount_capacity_is_never_exceeded_even_when_cases_remain():
	team = [Collector("a", capacity_amount=1_000)]
	cases = [Case("big", amount=800), Case("mid", amount=300), Case("small", amount=200)]
	p = allocate(team, cases)
	assert ids(p) == {"big": "a", "mid": None, "small": "a"}  # mid does not fit after big, small does
	assert p.load_of("a").amount_after == 1_000


def test_amount_within_half_a_cent_of_the_capacity_fits():
	team = [Collector("a", capacity_amount=100.0)]
	assert ids(allocate(team, [Case("C1", amount=100.004)])) == {"C1": "a"}
	assert ids(allocate(team, [Case("C1", amount=100.01)])) == {"C1": None}


@pytest.mark.parametrize(
	"collectors, case, text",
	[
		([], Case("C1", client="ACME"), "no collector to allocate to"),
		([Collector("a", active=False)], Case("C1", client="ACME"), "no collector is active"),
		(
			[Collector("a", clients={"Other"}), Collector("b", clients={"ACME"}, active=False)],
			Case("C1", client="ACME"),
			"no active collector may work client ACME",
		),
		(
			[Collector("a", clients={"ACME"}, regions={"North"})],
			Case("C1", client="ACME", region="South"),
			"no active collector for client ACME covers region South",
		),
		(
			[Collector("a", level=1)],
			Case("C1", client="ACME", region="South", min_level=2),
			"no active collector for client ACME in region South has level 2 or above",
		),
		(
			[Collector("a"), Collector("b", clients={"Other"})],
			Case("C1", client="ACME", excluded={"a"}),
			"every collector eligible for client ACME is excluded from this case",
		),
	],
)
def test_no_eligible_collector_says_which_rule_left_nobody(collectors, case, text):
	a = allocate(collectors, [case]).by_case["C1"]
	assert a.collector is None
	assert a.text == text


def test_restrictions_pick_the_only_collector_allowed():
	team = [
		Collector("a", clients={"ACME"}, regions={"North"}, level=1),
		Collector("b", clients={"ACME"}, regions={"South"}, level=1),
		Collector("c", level=3, active=False),
		Collector("d", level=3),
	]
	cases = [
		Case("N", client="ACME", region="North"),
		Case("S", client="ACME", region="South"),
		Case("senior", client="ACME", region="North", min_level=2),
		Case("x", client="Other", region="North", excluded={"d"}),
	]
	assert ids(allocate(team, cases)) == {"N": "a", "S": "b", "senior": "d", "x": None}


def test_ties_go_to_the_smaller_collector_id_whatever_the_input_order():
	team = [
		Collector("zoe", capacity_cases=5),
		Collector("amy", capacity_cases=5),
		Collector("max", capacity_cases=5),
	]
	assert ids(allocate(team, [Case("C1")])) == {"C1": "amy"}
	assert ids(allocate(list(reversed(team)), [Case("C1")])) == {"C1": "amy"}
	# three equal cases, three equal collectors: one each, by id order of the cases
	p = allocate(team, [Case("C3"), Case("C1"), Case("C2")])
	assert ids(p) == {"C1": "amy", "C2": "max", "C3": "zoe"}


def test_equal_ratio_ties_go_to_fewer_cases_then_smaller_amount():
	# both at 50% after taking the case (a by cases and amount, 1 of 2; b by cases, 2 of 4): a ends
	# with fewer cases
	a = Collector("a", capacity_cases=2, capacity_amount=2_000)
	b = Collector("b", capacity_cases=4, open_cases=1)
	assert ids(allocate([a, b], [Case("C1", amount=1_000)])) == {"C1": "a"}


def test_preferred_collector_is_used_when_eligible_with_room():
	team = [Collector("a", capacity_cases=10, open_cases=9), Collector("b", capacity_cases=10)]
	a = allocate(team, [Case("C1", client="ACME", preferred="a")]).by_case["C1"]
	assert a.collector == "a"
	assert a.text == "eligible: works client ACME, load 9 → 10 of 10 cases; preferred collector of the case"


@pytest.mark.parametrize(
	"preferred, note",
	[
		(Collector("a", level=1, capacity_cases=1, open_cases=1), "a is at capacity: 1 of 1 cases"),
		(Collector("a", level=1, active=False), "a is inactive"),
		(Collector("a", level=1, clients={"Other"}), "a may not work client ACME"),
		(Collector("a", level=0), "a has level 0, below the required 1"),
	],
)
def test_unavailable_preferred_collector_is_noted_and_the_case_goes_on(preferred, note):
	team = [preferred, Collector("b", level=1)]
	a = allocate(team, [Case("C1", client="ACME", preferred="a", min_level=1)]).by_case["C1"]
	assert a.collector == "b"
	assert a.text.endswith(f"; the preferred collector is not available; {note}")


def test_unknown_preferred_collector():
	a = allocate([Collector("b")], [Case("C1", preferred="ghost")]).by_case["C1"]
	assert a.collector == "b" and a.notes[-1] == (al.UNKNOWN, ("ghost",))


def test_team_filter_keeps_only_that_team():
	team = [Collector("a", team="North"), Collector("b", team="South")]
	p = allocate(team, [Case("C1"), Case("C2")], team="South")
	assert ids(p) == {"C1": "b", "C2": "b"}
	assert [lo.collector for lo in p.loads] == ["b"]


def test_over_capacity_before_gets_nothing_more_and_is_not_a_violation():
	team = [Collector("a", capacity_cases=2, open_cases=5), Collector("b", capacity_cases=2)]
	cases = [Case("C1")]
	p = allocate(team, cases)
	assert ids(p) == {"C1": "b"}
	assert p.load_of("a").ratio_before == 2.5
	assert respects(p, team, cases)


def test_zero_capacity_takes_nothing():
	p = allocate([Collector("a", capacity_cases=0)], [Case("C1")])
	assert ids(p) == {"C1": None}
	assert p.load_of("a").ratio_before == 1.0


def test_bad_amounts_count_as_zero():
	p = allocate([Collector("a", capacity_amount=10, open_amount=float("nan"))], [Case("C1", amount=-5)])
	assert ids(p) == {"C1": "a"} and p.load_of("a").amount_after == 0


def test_duplicate_ids_are_refused():
	with pytest.raises(ValueError, match="collector"):
		allocate([Collector("a"), Collector("a")], [])
	with pytest.raises(ValueError, match="case"):
		allocate([Collector("a")], [Case("C1"), Case("C1")])


def test_why_not_for_a_manual_reassignment():
	li = Collector("li", capacity_amount=1_000, open_amount=900)
	assert why_not(li, Case("C1", amount=50)) is None
	assert why_not(li, Case("C1", amount=200)) == (al.FULL_AMOUNT, ("li", 900.0, 200.0, 1000.0))
	assert why_not(li, Case("C1", excluded={"li"})) == (al.EXCLUDED, ("li",))


def test_violations_catch_a_hand_edited_proposal():
	team = [Collector("a", capacity_cases=1, clients={"ACME"}), Collector("b", active=False)]
	cases = [Case("C1", client="ACME"), Case("C2", client="ACME"), Case("C3", client="Other")]
	bad = al.Proposal(
		assignments=(
			al.Assignment("C1", "a", al.ALLOCATED_CASES),
			al.Assignment("C2", "a", al.ALLOCATED_CASES),
			al.Assignment("C3", "b", al.ALLOCATED_CASES),
		),
		loads=(),
	)
	problems = violations(bad, team, cases)
	assert "Case C3 breaks a rule: b is inactive." in problems
	assert "a would hold 2 cases, over the capacity of 1." in problems
	assert not respects(bad, team, cases)
	missing = al.Proposal(assignments=(al.Assignment("C1", None, ""),), loads=())
	assert violations(missing, team, cases[:2]) == [
		"Case C2 is missing from the proposal.",
		"Case C1 is unallocated without a reason.",
	]


def test_reason_text_translates_templates_not_data():
	zh = {al.ALLOCATED_CASES: "可分配:客户 {0},在案 {1} → {2} / {3}"}
	a = allocate([Collector("li", capacity_cases=10)], [Case("C1", client="ACME")]).by_case["C1"]
	assert al.reason_text(a, lambda s: zh.get(s, s)) == "可分配:客户 ACME,在案 0 → 1 / 10"


# --- properties -----------------------------------------------------------------------------------

CLIENTS = ["ACME", "Globex", "Initech"]
REGIONS = ["North", "South"]
NAMES = [f"k{i}" for i in range(6)]

collectors_st = st.lists(
	st.builds(
		Collector,
		id=st.sampled_from(NAMES),
		team=st.just(""),
		capacity_cases=st.one_of(st.none(), st.integers(0, 8)),
		capacity_amount=st.one_of(st.none(), st.floats(0, 50_000, allow_nan=False)),
		open_cases=st.integers(0, 6),
		open_amount=st.floats(0, 30_000, allow_nan=False),
		clients=st.frozensets(st.sampled_from(CLIENTS), max_size=2),
		regions=st.frozensets(st.sampled_from(REGIONS), max_size=1),
		level=st.integers(0, 3),
		active=st.booleans(),
	),
	max_size=6,
	unique_by=lambda c: c.id,
)
cases_st = st.lists(
	st.builds(
		Case,
		id=st.text("abcdefgh", min_size=1, max_size=4),
		client=st.sampled_from(CLIENTS),
		region=st.sampled_from(REGIONS),
		amount=st.floats(0, 20_000, allow_nan=False),
		min_level=st.one_of(st.none(), st.integers(0, 3)),
		excluded=st.frozensets(st.sampled_from(NAMES), max_size=2),
		preferred=st.one_of(st.none(), st.sampled_from([*NAMES, "ghost"])),
	),
	max_size=25,
	unique_by=lambda c: c.id,
)


@given(collectors_st, cases_st)
def test_every_proposal_respects_the_rules(collectors, cases):
	p = allocate(collectors, cases)
	assert violations(p, collectors, cases) == []
	assert sorted(a.case for a in p.assignments) == sorted(c.id for c in cases)
	for a in p.assignments:
		assert a.reason  # allocated or not, every case says why


@given(collectors_st, cases_st)
def test_never_over_capacity(collectors, cases):
	p = allocate(collectors, cases)
	for c, lo in zip(sorted(collectors, key=lambda c: c.id), p.loads, strict=True):
		if lo.new_cases:
			assert c.capacity_cases is None or lo.cases_after <= c.capacity_cases
			assert c.capacity_amount is None or lo.amount_after <= c.capacity_amount + al.AMOUNT_TOLERANCE


@given(collectors_st, cases_st)
def test_restrictions_and_activity_always_hold(collectors, cases):
	by_id = {c.id: c for c in collectors}
	for a in allocate(collectors, cases).allocated:
		c, case = by_id[a.collector], next(k for k in cases if k.id == a.case)
		assert c.active
		assert not c.clients or case.client in c.clients
		assert not c.regions or case.region in c.regions
		assert case.min_level is None or c.level >= case.min_level
		assert c.id not in case.excluded


@given(collectors_st, cases_st)
def test_unallocated_only_when_nobody_eligible_has_room(collectors, cases):
	p = allocate(collectors, cases)
	if p.unallocated:
		# replaying the final loads, no eligible collector has room for an unallocated case
		loads = {lo.collector: (lo.cases_after, lo.amount_after) for lo in p.loads}
		for a in p.unallocated:
			case = next(k for k in cases if k.id == a.case)
			for c in collectors:
				assert why_not(c, case, *loads[c.id]) is not None


@settings(max_examples=50)
@given(collectors_st, cases_st, st.randoms(use_true_random=False))
def test_deterministic_whatever_the_input_order(collectors, cases, rnd):
	first = allocate(collectors, cases)
	assert allocate(collectors, cases) == first
	shuffled_c, shuffled_k = list(collectors), list(cases)
	rnd.shuffle(shuffled_c)
	rnd.shuffle(shuffled_k)
	assert allocate(shuffled_c, shuffled_k) == first


counts_team = st.tuples(
	st.integers(1, 6),  # collectors
	st.one_of(st.none(), st.integers(1, 12)),  # the same count capacity for all (None = no limit)
	st.lists(st.floats(0, 10_000, allow_nan=False), max_size=40),  # case amounts
)


@given(counts_team, st.lists(st.integers(0, 10), min_size=6, max_size=6))
def test_count_capacity_evens_out_to_within_one(team, open_counts):
	n, cap, amounts = team
	collectors = [Collector(f"k{i}", capacity_cases=cap, open_cases=open_counts[i]) for i in range(n)]
	cases = [Case(f"C{j:02}", amount=x) for j, x in enumerate(amounts)]
	p = allocate(collectors, cases)
	after = {lo.collector: lo for lo in p.loads}
	# whoever received a case ends at most one above anyone else
	for x in after.values():
		if x.new_cases:
			assert all(x.cases_after <= y.cases_after + 1 for y in after.values())
	# starting even, the final loads differ by at most one
	even = [replace(c, open_cases=open_counts[0]) for c in collectors]
	final = [lo.cases_after for lo in allocate(even, cases).loads]
	assert max(final) - min(final) <= 1


@given(st.integers(1, 5), st.integers(0, 30))
def test_with_room_for_everything_nothing_is_left(n, k):
	collectors = [Collector(f"k{i}", capacity_cases=10) for i in range(n)]
	cases = [Case(f"C{j}") for j in range(min(k, 10 * n))]
	assert not allocate(collectors, cases).unallocated


def test_a_large_batch_is_quick_and_even():
	rnd = random.Random(7)
	collectors = [Collector(f"k{i:02}", capacity_cases=200) for i in range(20)]
	cases = [Case(f"C{j:04}", amount=rnd.uniform(100, 50_000)) for j in range(3_000)]
	p = allocate(collectors, cases)
	final = [lo.cases_after for lo in p.loads]
	assert sum(final) == 3_000 and max(final) - min(final) <= 1
