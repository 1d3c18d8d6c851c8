"""Same-day allocation of new cases (R-E2): hard rules, capacity, the most cases any valid allocation
can hold, even load, reasons."""

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collections_module.policy import allocation as al
from collections_module.policy import allocation_search as search
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
	assert a.text == "eligible: works client ACME, load 6,000.00 → 9,000.00 of 10,000.00 in amount"


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
	# two cases at most; of the pairs that fit, big + small is the most amount
	assert ids(p) == {"big": "a", "mid": None, "small": "a"}
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


@settings(deadline=None)  # no timing here: the search's budgets are in steps
@given(collectors_st, cases_st)
def test_every_proposal_respects_the_rules(collectors, cases):
	p = allocate(collectors, cases)
	assert violations(p, collectors, cases) == []
	assert sorted(a.case for a in p.assignments) == sorted(c.id for c in cases)
	for a in p.assignments:
		assert a.reason  # allocated or not, every case says why


@settings(deadline=None)
@given(collectors_st, cases_st)
def test_never_over_capacity(collectors, cases):
	p = allocate(collectors, cases)
	for c, lo in zip(sorted(collectors, key=lambda c: c.id), p.loads, strict=True):
		if lo.new_cases:
			assert c.capacity_cases is None or lo.cases_after <= c.capacity_cases
			assert c.capacity_amount is None or lo.amount_after <= c.capacity_amount + al.AMOUNT_TOLERANCE


@settings(deadline=None)
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


@settings(deadline=None)
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


@settings(max_examples=50, deadline=None)
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


@settings(deadline=None)
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


@settings(deadline=None)
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


# --- issue 19: caseload of collectors without capacity, and feasibility --------------------------


def test_uncapped_collector_with_many_open_cases_does_not_take_everything():
	team = [Collector("busy", open_cases=50), Collector("free", capacity_cases=10)]
	cases = [Case(f"N{i}", client="ACME", amount=100 * i) for i in range(6)]
	p = allocate(team, cases)
	# 50 open cases against the team's average capacity of 10 is a load of 5: "free" is far lower
	assert p.load_of("free").new_cases >= 5
	assert respects(p, team, cases)
	assert p.by_case["N5"].text == "eligible: works client ACME, load 0 → 1 of 10 cases"


def test_uncapped_collectors_are_measured_against_the_team_average_capacity():
	# the average case capacity is (10 + 30) / 2 = 20: "u" with 10 open is at 0.5, like "b" with 15 of 30
	team = [
		Collector("a", capacity_cases=10, open_cases=5),
		Collector("b", capacity_cases=30, open_cases=15),
		Collector("u", open_cases=10),
	]
	cases = [Case(f"C{i:02}") for i in range(30)]
	p = allocate(team, cases)
	ratio = {"a": p.load_of("a").cases_after / 10, "b": p.load_of("b").cases_after / 30}
	ratio["u"] = p.load_of("u").cases_after / 20
	assert max(ratio.values()) - min(ratio.values()) <= 0.1
	assert p.load_of("u").ratio_after is None  # the Load still shows no capacity of their own
	assert p.by_case["C00"].text.startswith("eligible: works client")


def test_with_no_capacity_anywhere_the_case_count_evens_out():
	team = [Collector("a", open_cases=3), Collector("b"), Collector("c", open_cases=1)]
	p = allocate(team, [Case(f"C{i}", amount=i) for i in range(8)])
	assert sorted(lo.cases_after for lo in p.loads) == [4, 4, 4]


def test_uncapped_amount_is_measured_against_the_average_amount_capacity():
	# "rich" holds 90,000 open against an average amount capacity of 100,000; "poor" holds nothing
	team = [Collector("poor", capacity_amount=100_000), Collector("rich", open_amount=90_000)]
	p = allocate(team, [Case(f"C{i}", amount=10_000) for i in range(4)])
	assert p.load_of("poor").new_cases >= 3


def test_every_case_allocated_when_a_valid_allocation_exists():
	team = [Collector("a", capacity_amount=10), Collector("b", capacity_amount=10)]
	amounts = [7, 3, 3, 3, 2, 2]  # 20 in all: 7 + 3 and 3 + 3 + 2 + 2
	cases = [Case(f"K{i}", client="ACME", amount=x) for i, x in enumerate(amounts)]
	p = allocate(team, cases)
	assert not p.unallocated
	assert violations(p, team, cases) == []
	assert [lo.amount_after for lo in p.loads] == [10, 10]
	assert p.method == search.EXACT and p.proven


def test_a_case_only_one_collector_may_take_is_not_crowded_out():
	# the big case may go to either, the others only to "a": the big one goes to "b" (a b-matching),
	# and of the two left for "a" the bigger
	team = [Collector("a", capacity_cases=1), Collector("b", capacity_cases=1, clients={"ACME"})]
	cases = [
		Case("big", client="ACME", amount=900),
		Case("small", client="Globex", amount=10),
		Case("tiny", client="Globex", amount=5),
	]
	p = allocate(team, cases)
	assert ids(p) == {"big": "b", "small": "a", "tiny": None}
	assert p.method == search.FLOW and p.proven
	assert p.by_case["tiny"].text == "every eligible collector is at capacity"


def test_when_amounts_bind_the_most_cases_beat_the_biggest():
	team = [Collector("a", capacity_amount=1_000)]
	cases = [Case("big", amount=800), Case("half1", amount=500), Case("half2", amount=500)]
	assert ids(allocate(team, cases)) == {"big": None, "half1": "a", "half2": "a"}


def test_the_method_says_which_search_applied():
	assert allocate([Collector("a")], [Case("C1")]).method == search.GREEDY
	assert allocate([], []).method == search.GREEDY
	assert al.Proposal((), ()).method == "" and not al.Proposal((), ()).proven
	rnd = random.Random(3)
	team = [Collector(f"k{i}", capacity_amount=50_000 + 1_000 * i) for i in range(5)]
	cases = [Case(f"C{j:03}", amount=rnd.randint(1_000, 9_000)) for j in range(200)]
	p = allocate(team, cases)
	assert p.method in (search.HEURISTIC, search.MOST_CASES)
	assert violations(p, team, cases) == []


def test_the_exact_search_within_its_budget():
	from collections_module.policy import allocation_exact as exact

	# two collectors with 10 each; cases 7, 3, 3, 3, 2, 2 (biggest first); a start with five of them
	args = ([7.0, 3.0, 3.0, 3.0, 2.0, 2.0], [[0, 1]] * 6, [9, 9], [10.0, 10.0])
	seed = [0, 1, 1, 0, None, None]
	found, most, most_amount, nodes = exact.best_allocation(*args, seed)
	assert (most, most_amount) == (True, True) and None not in found and nodes > 0
	# out of budget at once: the start comes back, nothing proven
	assert exact.best_allocation(*args, seed, budget=1)[:3] == (seed, False, False)
	assert exact.most_cases_bound(*args) == 6


def test_a_preferred_collector_without_room_at_the_end_is_noted():
	team = [Collector("a", capacity_cases=1), Collector("b", capacity_cases=5)]
	cases = [Case("C1", amount=10, preferred="a"), Case("C2", amount=5, preferred="a")]
	p = allocate(team, cases)
	assert p.by_case["C1"].collector == "a"
	assert p.by_case["C2"].text.endswith(
		"; the preferred collector is not available; a is at capacity: 1 of 1 cases"
	)


def test_a_large_batch_with_every_kind_of_rule_respects_them_all():
	"""The size of a big intake (2,000 cases, 20 collectors): it completes, respects every rule and
	leaves out only cases nobody has room for at the end (no time is asserted here)."""
	rnd = random.Random(19)
	clients, regions = ["ACME", "Globex", "Initech"], ["North", "South"]
	team = [
		Collector(
			f"k{i:02}",
			capacity_cases=rnd.choice([None, 60, 90, 120]),
			capacity_amount=rnd.choice([None, 1_500_000.0, 2_500_000.0]),
			open_cases=rnd.randint(0, 40),
			open_amount=rnd.uniform(0, 300_000),
			clients=frozenset(rnd.sample(clients, rnd.randint(0, 2))),
			regions=frozenset(rnd.sample(regions, rnd.randint(0, 1))),
			level=rnd.randint(0, 3),
			active=rnd.random() < 0.9,
		)
		for i in range(20)
	]
	cases = [
		Case(
			f"C{j:04}",
			client=rnd.choice(clients),
			region=rnd.choice(regions),
			amount=round(rnd.uniform(100, 50_000), 2),
			min_level=rnd.choice([None, 0, 1, 2]),
			excluded=frozenset(rnd.sample([c.id for c in team], rnd.randint(0, 2))),
			preferred=rnd.choice([None, None, None, *[c.id for c in team]]),
		)
		for j in range(2_000)
	]
	p = allocate(team, cases)
	assert violations(p, team, cases) == []
	assert p.method in search.METHODS
	assert len(p.allocated) > 1_000
	loads = {lo.collector: (lo.cases_after, lo.amount_after) for lo in p.loads}
	by_id = {k.id: k for k in cases}
	for a in p.unallocated:
		assert all(why_not(c, by_id[a.case], *loads[c.id]) for c in team)


# --- issue 19: properties ---------------------------------------------------------------------------

TINY = ["a", "b", "c"]
tiny_collectors = st.lists(
	st.builds(
		Collector,
		id=st.sampled_from(TINY),
		capacity_cases=st.one_of(st.none(), st.integers(0, 4)),
		capacity_amount=st.one_of(st.none(), st.integers(0, 30).map(float)),
		open_cases=st.integers(0, 2),
		open_amount=st.integers(0, 10).map(float),
		clients=st.frozensets(st.sampled_from(CLIENTS[:2]), max_size=2),
		regions=st.frozensets(st.sampled_from(REGIONS), max_size=1),
		level=st.integers(0, 2),
		active=st.sampled_from([True, True, True, False]),
	),
	min_size=1,
	max_size=3,
	unique_by=lambda c: c.id,
)
tiny_cases = st.lists(
	st.builds(
		Case,
		id=st.text("pqrstu", min_size=1, max_size=2),
		client=st.sampled_from(CLIENTS[:2]),
		region=st.sampled_from(REGIONS),
		amount=st.integers(0, 15).map(float),  # whole amounts: sums are exact
		min_level=st.one_of(st.none(), st.integers(0, 2)),
		excluded=st.frozensets(st.sampled_from(TINY), max_size=1),
		preferred=st.one_of(st.none(), st.sampled_from(TINY)),
	),
	max_size=7,
	unique_by=lambda c: c.id,
)


def most_by_brute_force(collectors, cases) -> tuple[int, float]:
	"""(cases, amount) of the best valid allocation, trying every one."""
	load = {c.id: (c.open_cases, c.open_amount) for c in collectors}
	best = (0, 0.0)

	def go(t: int, count: int, amount: float) -> None:
		nonlocal best
		if t == len(cases):
			best = max(best, (count, amount))
			return
		go(t + 1, count, amount)
		case = cases[t]
		for c in collectors:
			if why_not(c, case, *load[c.id]) is None:
				before = load[c.id]
				load[c.id] = (before[0] + 1, before[1] + case.amount)
				go(t + 1, count + 1, amount + case.amount)
				load[c.id] = before

	go(0, 0, 0.0)
	return best


@settings(max_examples=300, deadline=None)
@given(tiny_collectors, tiny_cases)
def test_as_many_cases_and_as_much_amount_as_any_valid_allocation(collectors, cases):
	p = allocate(collectors, cases)
	assert violations(p, collectors, cases) == []
	amount = sum(k.amount for k in cases if p.collector_of(k.id))
	assert p.proven
	count, most = most_by_brute_force(collectors, cases)
	assert len(p.allocated) == count
	if p.method != search.MOST_CASES:
		assert amount == most


@settings(max_examples=60, deadline=None)
@given(
	st.lists(st.integers(0, 6), min_size=1, max_size=6),
	st.lists(st.tuples(st.frozensets(st.integers(0, 5), min_size=1), st.integers(0, 9)), max_size=40),
)
def test_case_counts_alone_allocate_a_maximum_matching(capacities, wishes):
	"""Only case capacities: as many cases as a maximum b-matching (found here by plain augmenting
	paths, case by case)."""
	team = [Collector(f"k{j}", capacity_cases=cap, clients={f"x{j}"}) for j, cap in enumerate(capacities)]
	cases = []
	for i, (allowed, amount) in enumerate(wishes):
		# a client per set of collectors: "k1 and k3 may take it" is expressed by exclusions
		excluded = frozenset(f"k{j}" for j in range(len(team)) if j not in allowed)
		cases.append(Case(f"C{i:02}", amount=amount, excluded=excluded))
	team = [replace(c, clients=frozenset()) for c in team]
	p = allocate(team, cases)
	assert violations(p, team, cases) == []
	assert p.method in (search.GREEDY, search.FLOW)
	assert len(p.allocated) == maximum_matching(capacities, [w[0] for w in wishes])


def maximum_matching(capacities: list[int], allowed: list[frozenset]) -> int:
	held: list[list[int]] = [[] for _ in capacities]

	def place(i: int, seen: set) -> bool:
		for j in sorted(allowed[i]):
			if j >= len(capacities) or j in seen:
				continue
			seen.add(j)
			if len(held[j]) < capacities[j]:
				held[j].append(i)
				return True
			for other in held[j]:
				if place(other, seen):
					held[j].remove(other)
					held[j].append(i)
					return True
		return False

	return sum(place(i, set()) for i in range(len(allowed)))


tight_collectors = st.lists(
	st.builds(
		Collector,
		id=st.sampled_from(NAMES),
		capacity_cases=st.one_of(st.none(), st.integers(0, 10)),
		capacity_amount=st.one_of(st.none(), st.floats(0, 60_000, allow_nan=False)),
		open_cases=st.integers(0, 3),
		open_amount=st.floats(0, 10_000, allow_nan=False),
		clients=st.frozensets(st.sampled_from(CLIENTS), max_size=2),
		level=st.integers(0, 2),
	),
	min_size=1,
	max_size=6,
	unique_by=lambda c: c.id,
)
many_cases_st = st.lists(
	st.builds(
		Case,
		id=st.text("abcdefgh", min_size=1, max_size=4),
		client=st.sampled_from(CLIENTS),
		amount=st.floats(0, 20_000, allow_nan=False),
		min_level=st.one_of(st.none(), st.integers(0, 2)),
		preferred=st.one_of(st.none(), st.sampled_from(NAMES)),
	),
	max_size=60,
	unique_by=lambda c: c.id,
)


@settings(max_examples=60, deadline=None)
@given(tight_collectors, many_cases_st)
def test_binding_amounts_never_break_a_rule_and_leave_no_room_unused(collectors, cases):
	p = allocate(collectors, cases)
	assert violations(p, collectors, cases) == []
	loads = {lo.collector: (lo.cases_after, lo.amount_after) for lo in p.loads}
	by_id = {k.id: k for k in cases}
	for a in p.unallocated:
		assert all(why_not(c, by_id[a.case], *loads[c.id]) for c in collectors)


@settings(deadline=None)
@given(collectors_st, cases_st)
def test_reasons_replay_each_collectors_load(collectors, cases):
	"""The reasons, in allocation order, count each collector's load up from its open cases to its
	load after the proposal."""
	p = allocate(collectors, cases)
	seen = {lo.collector: lo.cases_before for lo in p.loads}
	for a in p.allocated:
		if a.reason in (al.ALLOCATED_CASES, al.ALLOCATED_UNCAPPED):
			assert a.args[1] == seen[a.collector]
			assert a.args[2] == seen[a.collector] + 1
		seen[a.collector] += 1
	assert seen == {lo.collector: lo.cases_after for lo in p.loads}


# --- violations() finds each kind of break ---------------------------------------------------------


def _swap(p: al.Proposal, case_id: str, collector: str) -> al.Proposal:
	return replace(
		p,
		assignments=tuple(replace(a, collector=collector) if a.case == case_id else a for a in p.assignments),
		loads=(),
	)


RULE_BREAKS = {
	"client": (lambda k: Collector("x", clients={"Nobody"}), lambda k: k, "x may not work client"),
	"region": (lambda k: Collector("x", regions={"Nowhere"}), lambda k: k, "x does not cover region"),
	"level": (lambda k: Collector("x", level=0), lambda k: replace(k, min_level=1), "x has level 0"),
	"excluded": (
		lambda k: Collector("x"),
		lambda k: replace(k, excluded=frozenset({*k.excluded, "x"})),
		"x is excluded from this case",
	),
	"inactive": (lambda k: Collector("x", active=False), lambda k: k, "x is inactive"),
}


@settings(max_examples=40, deadline=None)
@given(collectors_st, cases_st.filter(bool), st.sampled_from(sorted(RULE_BREAKS)), st.data())
def test_violations_find_a_case_given_against_a_rule(collectors, cases, rule, data):
	collectors = [c for c in collectors if c.id != "x"]
	target = data.draw(st.sampled_from([k.id for k in cases]))
	intruder, change, text = RULE_BREAKS[rule]
	# the case breaks no other rule for the intruder, and this one
	cases = [change(replace(k, min_level=None, excluded=frozenset())) if k.id == target else k for k in cases]
	case = next(k for k in cases if k.id == target)
	team = [*collectors, intruder(case)]
	p = _swap(allocate(collectors, cases), target, "x")
	problems = violations(p, team, cases)
	assert any(e.startswith(f"Case {target} breaks a rule: {text}") for e in problems), problems


@settings(max_examples=40, deadline=None)
@given(collectors_st, cases_st, st.sampled_from(["cases", "amount"]))
def test_violations_find_a_collector_over_capacity(collectors, cases, side):
	p = allocate(collectors, cases)
	busy = [lo for lo in p.loads if lo.new_cases and (side == "cases" or lo.amount_after >= 1)]
	if not busy:
		return
	lo = busy[0]
	if side == "cases":
		team = [
			replace(c, capacity_cases=lo.cases_after - 1) if c.id == lo.collector else c for c in collectors
		]
		expected = (
			f"{lo.collector} would hold {lo.cases_after} cases, over the capacity of {lo.cases_after - 1}."
		)
	else:
		cap = lo.amount_after - 0.5
		team = [replace(c, capacity_amount=cap) if c.id == lo.collector else c for c in collectors]
		expected = (
			f"{lo.collector} would hold {lo.amount_after:.2f} in amount, over the capacity of {cap:.2f}."
		)
	assert expected in violations(p, team, cases)


@settings(max_examples=40, deadline=None)
@given(collectors_st, cases_st.filter(bool), st.data())
def test_violations_find_a_case_allocated_twice(collectors, cases, data):
	p = allocate(collectors, cases)
	twice = data.draw(st.sampled_from(p.assignments))
	doubled = replace(p, assignments=(*p.assignments, twice))
	assert f"Case {twice.case} appears more than once." in violations(doubled, collectors, cases)


def test_violations_find_every_kind_in_one_proposal():
	team = [
		Collector("a", capacity_cases=1, capacity_amount=100, clients={"ACME"}, regions={"North"}, level=1),
		Collector("b", capacity_amount=50),
	]
	cases = [
		Case("C1", client="ACME", region="North", amount=60),
		Case("C2", client="ACME", region="North", amount=60),  # a: a second case, over 100 in amount
		Case("C3", client="Globex", region="North"),  # a: wrong client
		Case("C4", client="ACME", region="South"),  # a: wrong region
		Case("C5", client="ACME", region="North", min_level=2),  # a: level too low
		Case("C6", excluded={"b"}),  # b: excluded
	]
	given = [al.Assignment(k.id, "a" if k.id != "C6" else "b", al.ALLOCATED_CASES) for k in cases]
	bad = al.Proposal((*given, al.Assignment("C1", "a", al.ALLOCATED_CASES)), ())
	problems = violations(bad, team, cases)
	assert problems == [
		"Case C1 appears more than once.",
		"Case C3 breaks a rule: a may not work client Globex.",
		"Case C4 breaks a rule: a does not cover region South.",
		"Case C5 breaks a rule: a has level 1, below the required 2.",
		"Case C6 breaks a rule: b is excluded from this case.",
		"a would hold 6 cases, over the capacity of 1.",
		"a would hold 180.00 in amount, over the capacity of 100.00.",
	]


def test_reasons_show_amounts_as_people_read_them():
	from collections_module.policy.allocation import Assignment, reason_text
	from collections_module.policy.allocation_rules import ALLOCATED_AMOUNT

	a = Assignment("C1", "u1", ALLOCATED_AMOUNT, ("Bank", 13640.0, 19360.0, 45000.0))
	text = reason_text(a, lambda t: t)
	assert "13,640.00" in text and "45,000.00" in text and "13640.0" not in text
