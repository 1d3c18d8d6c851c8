"""Same-day allocation of new cases to collectors: a proposal the team lead confirms (R-E2).

The source allocates by four principles (分配原则): the client's requirements, the case profile, the
collector's capacity and the collector's current caseload. The first two are hard rules here — a
collector works only the clients and regions allowed to it, at or above the level a case requires,
and never a case it is excluded from — and capacity is a hard ceiling on both the number of open cases
and their amount. Within those rules the proposal allocates the most cases any valid allocation can,
then the most amount, then keeps the load as even as the rules allow (allocation_search says how, and
Proposal.method which way applied: exact for case counts, exact by search or a heuristic for amounts).

The load of a collector is the fuller of their capacities (cases / capacity, amount / capacity). A
collector with no capacity set is measured the same way against the team's average capacities (of the
active collectors with one), so 50 open cases weigh on them as on a colleague who can hold about 10;
when nobody has a capacity, the case count evens out. Ties go to fewer cases, then the smaller amount,
then the collector id, so the same inputs always give the same proposal, whatever order they come in.

A case may name a preferred collector (the one who worked the customer before, say): it goes to them
when they are eligible and have room, otherwise where the rules and the load send it, with a note
saying why not. A case nobody may take stays unallocated with the reason.

Reasons are templates with arguments ("eligible: works client {0}, load {1} → {2} of {3} cases",
("ACME", 3, 4, 10)): the caller translates each template, then fills it.
"""

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from collections_module.policy import allocation_search as search
from collections_module.policy.allocation_rules import (
	ALL_EXCLUDED,
	ALLOCATED_AMOUNT,
	ALLOCATED_CASES,
	ALLOCATED_UNCAPPED,
	AMOUNT_TOLERANCE,
	AT_CAPACITY,
	BELOW_LEVEL,
	EXCLUDED,
	FULL_AMOUNT,
	FULL_CASES,
	INACTIVE,
	NO_ACTIVE,
	NO_CLIENT,
	NO_COLLECTORS,
	NO_LEVEL,
	NO_REGION,
	NOT_CLIENT,
	NOT_REGION,
	PREFERRED,
	PREFERRED_UNAVAILABLE,
	UNKNOWN,
	Case,
	Collector,
	allocated_reason,
	as_count,
	as_money,
	cap_amount,
	cap_cases,
	eligible,
	fits,
	load_ratio,
	nobody,
	reference,
	why_not,
)


@dataclass(frozen=True)
class Assignment:
	"""One case of the proposal: the collector (None = unallocated), the reason and notes, each a
	(template, args) the caller translates and fills."""

	case: str
	collector: str | None
	reason: str
	args: tuple = ()
	notes: tuple[tuple[str, tuple], ...] = ()

	@property
	def text(self) -> str:
		return reason_text(self, lambda template: template)


@dataclass(frozen=True)
class Load:
	"""A collector's caseload before and after the proposal; ratios are None without a capacity."""

	collector: str
	team: str
	cases_before: int
	amount_before: float
	cases_after: int
	amount_after: float
	capacity_cases: int | None
	capacity_amount: float | None
	ratio_before: float | None
	ratio_after: float | None

	@property
	def new_cases(self) -> int:
		return self.cases_after - self.cases_before


@dataclass(frozen=True)
class Proposal:
	assignments: tuple[Assignment, ...]  # in allocation order: biggest case first, then case id
	loads: tuple[Load, ...]  # per collector, by collector id
	method: str = ""  # how allocate found it: one of allocation_search.METHODS ("" = made by hand)

	@property
	def proven(self) -> bool:
		"""No valid allocation allocates more cases (methods greedy, flow and exact: nor as many with
		more amount)."""
		return self.method in search.PROVEN

	@cached_property
	def by_case(self) -> dict[str, Assignment]:
		return {a.case: a for a in self.assignments}

	def collector_of(self, case_id: str) -> str | None:
		return self.by_case[case_id].collector

	@property
	def allocated(self) -> tuple[Assignment, ...]:
		return tuple(a for a in self.assignments if a.collector is not None)

	@property
	def unallocated(self) -> tuple[Assignment, ...]:
		return tuple(a for a in self.assignments if a.collector is None)

	def load_of(self, collector_id: str) -> Load:
		return next(lo for lo in self.loads if lo.collector == collector_id)


# --- the proposal -----------------------------------------------------------------------------------


def _unique(ids: list[str], what: str) -> None:
	seen, dup = set(), set()
	for i in ids:
		(dup if i in seen else seen).add(i)
	if dup:
		raise ValueError(f"Duplicate {what} id(s): {', '.join(sorted(map(str, dup)))}")


def _problem(pool: list[Collector], todo: list[Case]) -> search.Problem:
	"""The allocation as numbers for the search: cases in allocation order, collectors in id order."""
	index = {c.id: j for j, c in enumerate(pool)}
	allowed: dict[tuple, list[int]] = {}  # cases with the same rules share their list of collectors
	eligible_of, preferred = [], []
	for case in todo:
		rule = (case.client, case.region, case.min_level, frozenset(case.excluded))
		if rule not in allowed:
			allowed[rule] = [j for j, c in enumerate(pool) if eligible(c, case)]
		eligible_of.append(allowed[rule])
		j = index.get(case.preferred)
		preferred.append(j if j is not None and eligible(pool[j], case) else None)
	ref_n, ref_a = reference(pool)
	room_n, room_a, scale_n, scale_a = [], [], [], []
	for c in pool:
		cc, ca = cap_cases(c), cap_amount(c)
		room_n.append(math.inf if cc is None else cc - as_count(c.open_cases))
		# the search keeps clear of the edge by a rounding error; allocate places what fits exactly
		edge = 1e-11 * (1.0 + (ca or 0.0) + as_money(c.open_amount))
		room_a.append(math.inf if ca is None else ca + AMOUNT_TOLERANCE - as_money(c.open_amount) - edge)
		uncapped = cc is None and ca is None  # measured against the team's average capacity
		scale_n.append(ref_n if uncapped else cc)
		scale_a.append(ref_a if uncapped else ca)
	return search.Problem(
		amounts=[as_money(k.amount) for k in todo],
		eligible=eligible_of,
		preferred=preferred,
		room_n=room_n,
		room_a=room_a,
		open_n=[as_count(c.open_cases) for c in pool],
		open_a=[as_money(c.open_amount) for c in pool],
		scale_n=scale_n,
		scale_a=scale_a,
	)


def _notes(case: Case, chosen: str, by_id: dict[str, Collector], final: dict) -> tuple:
	"""The preferred collector of an allocated case: got it, or why not at the final load."""
	if case.preferred is None:
		return ()
	if chosen == case.preferred:
		return ((PREFERRED, ()),)
	pref = by_id.get(case.preferred)
	why = (UNKNOWN, (case.preferred,)) if pref is None else why_not(pref, case, *final[pref.id])
	return ((PREFERRED_UNAVAILABLE, ()), why) if why else ((PREFERRED_UNAVAILABLE, ()),)


def allocate(collectors: Iterable[Collector], cases: Iterable[Case], team: str | None = None) -> Proposal:
	"""Propose a collector for every case (R-E2); with ``team``, only that team's collectors.

	Capacity is never exceeded, client / region / level / exclusion rules always hold, inactive
	collectors are never chosen; as many cases as any valid allocation can hold are allocated, then
	the most amount, and the load is evened out (see the module docstring)."""
	pool = sorted((c for c in collectors if team is None or c.team == team), key=lambda c: c.id)
	todo = list(cases)
	_unique([c.id for c in pool], "collector")
	_unique([c.id for c in todo], "case")
	todo.sort(key=lambda k: (-as_money(k.amount), k.id))
	at, method = search.solve(_problem(pool, todo))
	by_id = {c.id: c for c in pool}
	state = {c.id: (as_count(c.open_cases), as_money(c.open_amount)) for c in pool}
	steps: list = []  # (case, collector or None, reason, args), replayed in allocation order

	def add(case: Case, c: Collector) -> None:
		before = state[c.id]
		state[c.id] = after = (before[0] + 1, before[1] + as_money(case.amount))
		steps.append((case, c.id, *allocated_reason(c, case, before, after)))

	left = []  # positions of cases without a collector yet
	for case, j in zip(todo, at, strict=True):
		if j is not None and fits(pool[j], *state[pool[j].id], as_money(case.amount)):
			add(case, pool[j])
		else:  # (also a guard against rounding)
			left.append(len(steps))
			steps.append((case, None, "", ()))
	for pos in left:  # what fits by a rounding error goes last: the sums are checked in this order
		case = steps[pos][0]
		first = sorted(pool, key=lambda c: c.id != case.preferred)
		c = next((c for c in first if why_not(c, case, *state[c.id]) is None), None)
		if c is None:
			steps[pos] = (case, None, *nobody(pool, case))
		else:
			steps[pos] = None
			add(case, c)
	out = tuple(
		Assignment(k.id, cid, t, args, _notes(k, cid, by_id, state) if cid else ())
		for k, cid, t, args in filter(None, steps)
	)
	loads = tuple(
		Load(
			collector=c.id,
			team=c.team,
			cases_before=as_count(c.open_cases),
			amount_before=as_money(c.open_amount),
			cases_after=state[c.id][0],
			amount_after=state[c.id][1],
			capacity_cases=cap_cases(c),
			capacity_amount=cap_amount(c),
			ratio_before=load_ratio(c, as_count(c.open_cases), as_money(c.open_amount)),
			ratio_after=load_ratio(c, *state[c.id]),
		)
		for c in pool
	)
	return Proposal(out, loads, method)


# --- checking a proposal (tests, and a team lead's edited proposal) -------------------------------


def violations(proposal: Proposal, collectors: Iterable[Collector], cases: Iterable[Case]) -> list[str]:
	"""What in ``proposal`` breaks the rules for these collectors and cases; empty when it respects them.
	One pass over the assignments (linear in cases and collectors)."""
	pool = {c.id: c for c in collectors}
	todo = {c.id: c for c in cases}
	errors = []
	times = Counter(a.case for a in proposal.assignments)
	for case_id in sorted(set(todo) - set(times)):
		errors.append(f"Case {case_id} is missing from the proposal.")
	for case_id in sorted(i for i, k in times.items() if k > 1):
		errors.append(f"Case {case_id} appears more than once.")
	# per collector: new cases, and the amount held, added in proposal order as allocate adds it
	added: dict[str, list] = {i: [0, as_money(c.open_amount)] for i, c in pool.items()}
	for a in proposal.assignments:
		case = todo.get(a.case)
		if case is None:
			errors.append(f"Case {a.case} is not one of the cases to allocate.")
			continue
		if a.collector is None:
			if not a.reason:
				errors.append(f"Case {a.case} is unallocated without a reason.")
			continue
		c = pool.get(a.collector)
		if c is None:
			errors.append(f"Case {a.case} goes to {a.collector}, who is not a collector here.")
			continue
		if not eligible(c, case):
			template, args = why_not(c, case, 0, 0.0) or ("", ())
			errors.append(f"Case {a.case} breaks a rule: {template.format(*args)}.")
		added[c.id][0] += 1
		added[c.id][1] += as_money(case.amount)
	for cid, (n, total_a) in added.items():
		if not n:
			continue  # a collector over capacity before the proposal is only wrong if given more
		c = pool[cid]
		cc, ca = cap_cases(c), cap_amount(c)
		total_n = as_count(c.open_cases) + n
		if cc is not None and total_n > cc:
			errors.append(f"{cid} would hold {total_n} cases, over the capacity of {cc}.")
		if ca is not None and total_a > ca + AMOUNT_TOLERANCE:
			errors.append(f"{cid} would hold {total_a:.2f} in amount, over the capacity of {ca:.2f}.")
	for lo in proposal.loads:
		if lo.collector in added and lo.new_cases != added[lo.collector][0]:
			errors.append(f"The load of {lo.collector} does not match its assignments.")
	return errors


def respects(proposal: Proposal, collectors: Iterable[Collector], cases: Iterable[Case]) -> bool:
	return not violations(proposal, list(collectors), list(cases))


def reason_text(a: Assignment, translate) -> str:
	"""The assignment's reason and notes as one sentence; ``translate`` maps each template to the
	user's language (the arguments are data: client, region, collector ids and numbers)."""
	return "; ".join(
		translate(t).format(*(_shown(x) for x in args)) for t, args in ((a.reason, a.args), *a.notes)
	)


def _shown(x):
	"""An amount as people read it (13,640.00, not 13640.0); other arguments as they are."""
	return f"{x:,.2f}" if isinstance(x, float) else x
