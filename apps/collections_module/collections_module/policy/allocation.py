"""Same-day allocation of new cases to collectors: a proposal the team lead confirms (R-E2).

The source allocates by four principles (分配原则): the client's requirements, the case profile, the
collector's capacity and the collector's current caseload. The first two are hard rules here — a
collector works only the clients and regions allowed to it, at or above the level a case requires,
and never a case it is excluded from — and capacity is a hard ceiling on both the number of open cases
and their amount. Within those rules the caseload is evened out greedily: the biggest cases are placed
first, each with the eligible collector whose load ratio after taking it is lowest. The load ratio is
the fuller of a collector's two capacities (cases / capacity, amount / capacity); a collector with no
capacity set counts as never full (ratio 0), so among such collectors the case count evens out. Ties
go to fewer cases, then the smaller amount, then the collector id, so the same inputs always give the
same proposal, whatever order they come in.

A case may name a preferred collector (the one who worked the customer before, say): it goes to them
when they are eligible and have room, otherwise to the least loaded as usual, with a note saying why
not. A case nobody may take stays unallocated with the reason.

Reasons are templates with arguments ("eligible: works client {0}, load {1} → {2} of {3} cases",
("ACME", 3, 4, 10)): the caller translates each template, then fills it.
"""

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass

# An amount within half a cent of the capacity still fits (amounts in the company currency).
AMOUNT_TOLERANCE = 0.005

# Reasons of an allocated case: load in cases, in amount, or without a capacity.
ALLOCATED_CASES = "eligible: works client {0}, load {1} → {2} of {3} cases"
ALLOCATED_AMOUNT = "eligible: works client {0}, load {1} → {2} of {3} in amount"
ALLOCATED_UNCAPPED = "eligible: works client {0}, load {1} → {2} cases, no capacity set"
PREFERRED = "preferred collector of the case"
PREFERRED_UNAVAILABLE = "the preferred collector is not available"

# Reasons of an unallocated case, from the first rule that leaves nobody.
NO_COLLECTORS = "no collector to allocate to"
NO_ACTIVE = "no collector is active"
NO_CLIENT = "no active collector may work client {0}"
NO_REGION = "no active collector for client {0} covers region {1}"
NO_LEVEL = "no active collector for client {0} in region {1} has level {2} or above"
ALL_EXCLUDED = "every collector eligible for client {0} is excluded from this case"
AT_CAPACITY = "every eligible collector is at capacity"

# Why one collector ({0}) cannot take one case: the note on an unavailable preferred collector, and
# the answer to a team lead reassigning by hand.
INACTIVE = "{0} is inactive"
NOT_CLIENT = "{0} may not work client {1}"
NOT_REGION = "{0} does not cover region {1}"
BELOW_LEVEL = "{0} has level {1}, below the required {2}"
EXCLUDED = "{0} is excluded from this case"
FULL_CASES = "{0} is at capacity: {1} of {2} cases"
FULL_AMOUNT = "{0} is at capacity: {1} + {2} is over {3} in amount"
UNKNOWN = "{0} is not a collector of this allocation"


@dataclass(frozen=True)
class Collector:
	"""A collector as the allocation sees them; ``clients`` / ``regions`` empty = any."""

	id: str
	team: str = ""
	capacity_cases: int | None = None  # open cases at most (None = no limit)
	capacity_amount: float | None = None  # open amount at most (None = no limit)
	open_cases: int = 0  # the current caseload (在案情况)
	open_amount: float = 0.0
	clients: Collection[str] = frozenset()
	regions: Collection[str] = frozenset()
	level: int = 0
	active: bool = True


@dataclass(frozen=True)
class Case:
	id: str
	client: str = ""
	region: str = ""
	amount: float = 0.0
	min_level: int | None = None  # the lowest collector level allowed (None = any)
	excluded: Collection[str] = frozenset()  # collector ids that may not work it
	preferred: str | None = None  # a collector id to use when eligible and not full


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

	@property
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


# --- numbers ----------------------------------------------------------------------------------------


def _money(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else max(float(x), 0.0)


def _count(n: int | None) -> int:
	return max(int(n or 0), 0)


def _cap_cases(c: Collector) -> int | None:
	return None if c.capacity_cases is None else max(int(c.capacity_cases), 0)


def _cap_amount(c: Collector) -> float | None:
	if c.capacity_amount is None or math.isnan(c.capacity_amount):
		return None
	return max(float(c.capacity_amount), 0.0)


def _share(value: float, cap: float) -> float:
	if cap > 0:
		return value / cap
	return 1.0 if value <= 0 else math.inf  # a capacity of 0 is full from the start


def load_ratio(c: Collector, cases: int, amount: float) -> float | None:
	"""The fuller of the collector's capacities at this load (1.0 = full); None without a capacity."""
	cc, ca = _cap_cases(c), _cap_amount(c)
	shares = ([_share(cases, cc)] if cc is not None else []) + (
		[_share(amount, ca)] if ca is not None else []
	)
	return max(shares) if shares else None


def _fits(c: Collector, cases: int, amount: float, case_amount: float) -> bool:
	cc, ca = _cap_cases(c), _cap_amount(c)
	if cc is not None and cases + 1 > cc:
		return False
	return ca is None or amount + case_amount <= ca + AMOUNT_TOLERANCE


# --- rules ------------------------------------------------------------------------------------------


def _may_client(c: Collector, case: Case) -> bool:
	return not c.clients or case.client in c.clients


def _may_region(c: Collector, case: Case) -> bool:
	return not c.regions or case.region in c.regions


def _has_level(c: Collector, case: Case) -> bool:
	return case.min_level is None or int(c.level or 0) >= int(case.min_level)


def _not_excluded(c: Collector, case: Case) -> bool:
	return c.id not in case.excluded


def eligible(c: Collector, case: Case) -> bool:
	"""The hard rules other than capacity: active, client, region, level, not excluded (R-E2)."""
	return (
		c.active
		and _may_client(c, case)
		and _may_region(c, case)
		and _has_level(c, case)
		and _not_excluded(c, case)
	)


def why_not(
	c: Collector, case: Case, cases: int | None = None, amount: float | None = None
) -> tuple[str, tuple] | None:
	"""Why ``c`` cannot take ``case`` at a load of ``cases`` / ``amount`` (default: their open
	caseload), as (template, args); None when they can."""
	cases = _count(c.open_cases) if cases is None else cases
	amount = _money(c.open_amount) if amount is None else amount
	if not c.active:
		return INACTIVE, (c.id,)
	if not _may_client(c, case):
		return NOT_CLIENT, (c.id, case.client)
	if not _may_region(c, case):
		return NOT_REGION, (c.id, case.region)
	if not _has_level(c, case):
		return BELOW_LEVEL, (c.id, int(c.level or 0), int(case.min_level))
	if not _not_excluded(c, case):
		return EXCLUDED, (c.id,)
	cc, ca = _cap_cases(c), _cap_amount(c)
	if cc is not None and cases + 1 > cc:
		return FULL_CASES, (c.id, cases, cc)
	if ca is not None and amount + _money(case.amount) > ca + AMOUNT_TOLERANCE:
		return FULL_AMOUNT, (c.id, round(amount, 2), round(_money(case.amount), 2), round(ca, 2))
	return None


def _nobody(pool: list[Collector], case: Case) -> tuple[str, tuple]:
	"""The reason nobody may take the case: the first rule, in order, that leaves nobody."""
	level = None if case.min_level is None else int(case.min_level)
	steps = (
		(lambda c: c.active, NO_ACTIVE, ()),
		(lambda c: _may_client(c, case), NO_CLIENT, (case.client,)),
		(lambda c: _may_region(c, case), NO_REGION, (case.client, case.region)),
		(lambda c: _has_level(c, case), NO_LEVEL, (case.client, case.region, level)),
		(lambda c: _not_excluded(c, case), ALL_EXCLUDED, (case.client,)),
	)
	if not pool:
		return NO_COLLECTORS, ()
	left = pool
	for keep, template, args in steps:
		left = [c for c in left if keep(c)]
		if not left:
			return template, args
	return AT_CAPACITY, ()


def _allocated_reason(c: Collector, case: Case, before: tuple[int, float], after: tuple[int, float]):
	cc, ca = _cap_cases(c), _cap_amount(c)
	by_cases = cc is not None and (ca is None or _share(after[0], cc) >= _share(after[1], ca))
	if by_cases:
		return ALLOCATED_CASES, (case.client, before[0], after[0], cc)
	if ca is not None:
		return ALLOCATED_AMOUNT, (case.client, round(before[1], 2), round(after[1], 2), round(ca, 2))
	return ALLOCATED_UNCAPPED, (case.client, before[0], after[0])


def _load_key(c: Collector, load: tuple[int, float], amount: float) -> tuple:
	"""Who gets the case among those with room: lowest load ratio after taking it, then fewest cases,
	then smallest amount, then collector id."""
	n, a = load[0] + 1, load[1] + amount
	return (load_ratio(c, n, a) or 0.0, n, a, c.id)


# --- the proposal -----------------------------------------------------------------------------------


def _unique(ids: list[str], what: str) -> None:
	seen, dup = set(), set()
	for i in ids:
		(dup if i in seen else seen).add(i)
	if dup:
		raise ValueError(f"Duplicate {what} id(s): {', '.join(sorted(map(str, dup)))}")


def allocate(collectors: Iterable[Collector], cases: Iterable[Case], team: str | None = None) -> Proposal:
	"""Propose a collector for every case (R-E2); with ``team``, only that team's collectors.

	Capacity is never exceeded, client / region / level / exclusion rules always hold, inactive
	collectors are never chosen; the rest evens out the load (see the module docstring)."""
	pool = sorted((c for c in collectors if team is None or c.team == team), key=lambda c: c.id)
	todo = list(cases)
	_unique([c.id for c in pool], "collector")
	_unique([c.id for c in todo], "case")
	state = {c.id: (_count(c.open_cases), _money(c.open_amount)) for c in pool}
	by_id = {c.id: c for c in pool}
	out = []
	for case in sorted(todo, key=lambda k: (-_money(k.amount), k.id)):
		amount = _money(case.amount)
		room = [c for c in pool if eligible(c, case) and _fits(c, *state[c.id], amount)]
		if not room:
			template, args = _nobody(pool, case)
			out.append(Assignment(case.id, None, template, args))
			continue
		notes: tuple[tuple[str, tuple], ...] = ()
		pick = None
		if case.preferred is not None:
			preferred = by_id.get(case.preferred)
			if preferred is None:
				why = (UNKNOWN, (case.preferred,))
			else:
				why = why_not(preferred, case, *state[preferred.id])
			if why is None:
				pick, notes = preferred, ((PREFERRED, ()),)
			else:
				notes = ((PREFERRED_UNAVAILABLE, ()), why)
		if pick is None:
			pick = min(room, key=lambda c: _load_key(c, state[c.id], amount))
		before = state[pick.id]
		after = (before[0] + 1, before[1] + amount)
		state[pick.id] = after
		template, args = _allocated_reason(pick, case, before, after)
		out.append(Assignment(case.id, pick.id, template, args, notes))
	loads = tuple(
		Load(
			collector=c.id,
			team=c.team,
			cases_before=_count(c.open_cases),
			amount_before=_money(c.open_amount),
			cases_after=state[c.id][0],
			amount_after=state[c.id][1],
			capacity_cases=_cap_cases(c),
			capacity_amount=_cap_amount(c),
			ratio_before=load_ratio(c, _count(c.open_cases), _money(c.open_amount)),
			ratio_after=load_ratio(c, *state[c.id]),
		)
		for c in pool
	)
	return Proposal(tuple(out), loads)


# --- checking a proposal (tests, and a team lead's edited proposal) -------------------------------


def violations(proposal: Proposal, collectors: Iterable[Collector], cases: Iterable[Case]) -> list[str]:
	"""What in ``proposal`` breaks the rules for these collectors and cases; empty when it respects them."""
	pool = {c.id: c for c in collectors}
	todo = {c.id: c for c in cases}
	errors = []
	seen = [a.case for a in proposal.assignments]
	for case_id in sorted(set(todo) - set(seen)):
		errors.append(f"Case {case_id} is missing from the proposal.")
	for case_id in sorted({i for i in seen if seen.count(i) > 1}):
		errors.append(f"Case {case_id} appears more than once.")
	added: dict[str, list] = {i: [0, 0.0] for i in pool}
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
		added[c.id][1] += _money(case.amount)
	for cid, (n, amount) in added.items():
		if not n:
			continue  # a collector over capacity before the proposal is only wrong if given more
		c = pool[cid]
		cc, ca = _cap_cases(c), _cap_amount(c)
		total_n, total_a = _count(c.open_cases) + n, _money(c.open_amount) + amount
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
	return "; ".join(translate(t).format(*args) for t, args in ((a.reason, a.args), *a.notes))
