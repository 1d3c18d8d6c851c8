"""The rules of same-day allocation (R-E2), apart from the search: who may take a case, whether it fits
their capacity, and the reasons said to the team lead (see allocation.py)."""

import math
from collections.abc import Collection
from dataclasses import dataclass

from collections_module.policy.allocation_state import share

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


# --- numbers ----------------------------------------------------------------------------------------


def as_money(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else max(float(x), 0.0)


def as_count(n: int | None) -> int:
	return max(int(n or 0), 0)


def cap_cases(c: Collector) -> int | None:
	return None if c.capacity_cases is None else max(int(c.capacity_cases), 0)


def cap_amount(c: Collector) -> float | None:
	if c.capacity_amount is None or math.isnan(c.capacity_amount):
		return None
	return max(float(c.capacity_amount), 0.0)


def load_ratio(c: Collector, cases: int, amount: float) -> float | None:
	"""The fuller of the collector's capacities at this load (1.0 = full); None without a capacity."""
	cc, ca = cap_cases(c), cap_amount(c)
	shares = ([share(cases, cc)] if cc is not None else []) + ([share(amount, ca)] if ca is not None else [])
	return max(shares) if shares else None


def fits(c: Collector, cases: int, amount: float, case_amount: float) -> bool:
	cc, ca = cap_cases(c), cap_amount(c)
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
	cases = as_count(c.open_cases) if cases is None else cases
	amount = as_money(c.open_amount) if amount is None else amount
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
	cc, ca = cap_cases(c), cap_amount(c)
	if cc is not None and cases + 1 > cc:
		return FULL_CASES, (c.id, cases, cc)
	if ca is not None and amount + as_money(case.amount) > ca + AMOUNT_TOLERANCE:
		return FULL_AMOUNT, (c.id, round(amount, 2), round(as_money(case.amount), 2), round(ca, 2))
	return None


def nobody(pool: list[Collector], case: Case) -> tuple[str, tuple]:
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


def allocated_reason(c: Collector, case: Case, before: tuple[int, float], after: tuple[int, float]):
	cc, ca = cap_cases(c), cap_amount(c)
	by_cases = cc is not None and (ca is None or share(after[0], cc) >= share(after[1], ca))
	if by_cases:
		return ALLOCATED_CASES, (case.client, before[0], after[0], cc)
	if ca is not None:
		return ALLOCATED_AMOUNT, (case.client, round(before[1], 2), round(after[1], 2), round(ca, 2))
	return ALLOCATED_UNCAPPED, (case.client, before[0], after[0])


def reference(pool: list[Collector]) -> tuple[float | None, float | None]:
	"""The yardsticks of a collector without capacity: the average case and amount capacity of the
	active collectors with one (None when nobody has it)."""
	active = [c for c in pool if c.active]
	cases = [x for x in map(cap_cases, active) if x]
	amounts = [x for x in map(cap_amount, active) if x and math.isfinite(x)]
	return (
		sum(cases) / len(cases) if cases else None,
		math.fsum(amounts) / len(amounts) if amounts else None,
	)
