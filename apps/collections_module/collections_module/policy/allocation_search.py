"""How allocation.allocate finds its proposal (R-E2), on plain numbers: cases by index in allocation
order (biggest first), collectors by index in id order.

The goal, in this order: the most cases allocated, then the most amount, then the load as even as the
rules allow. Collectors and cases that share no eligibility are solved apart (components).

1. Biggest case first, each goes to its preferred collector when they have room, else to the eligible
   collector with room whose load is lowest after it. A case that finds no room is fitted by moving held
   cases along a chain of collectors to one with room. All cases placed: method GREEDY.
2. When amount capacities cannot bind (no collector's eligible cases could exceed them), only case counts
   count: the sets of cases the team can hold form a matroid, and step 1, whose chains are then exact
   augmenting paths, gives the most cases and, among those, the most amount (a b-matching): FLOW.
3. When amounts bind, the problem is bin packing (NP-hard). Step 1 is compared with smallest-first best
   fit (repaired by chains), then swaps raise the amount: HEURISTIC (or MOST_CASES when that reaches
   the bound of allocation_exact). A component of at most EXACT_CASES cases is then solved by branch
   and bound (allocation_exact), the most cases first, then the most amount: EXACT; MOST_CASES when the
   node budget ran out in the second, BOUNDED in the first (the best found, never worse than before).
4. Then moves even out the load, chains are tried again for what a heuristic left out (smallest first),
   preferred collectors get their cases where they have room, and a case that still fits is placed.

Budgets are counted in steps, not seconds, so the same input always gives the same proposal.
"""

import math
from collections import deque

from collections_module.policy import allocation_exact
from collections_module.policy.allocation_state import Problem, State

GREEDY, FLOW, EXACT = "greedy", "flow", "exact"  # the most cases, then the most amount, proven
MOST_CASES = "exact in cases"  # the most cases proven; the amount the best the search found
BOUNDED, HEURISTIC = "bounded search", "heuristic"  # the search ran out of budget; too big to search
METHODS = (GREEDY, FLOW, EXACT, MOST_CASES, BOUNDED, HEURISTIC)  # a proposal names its weakest
PROVEN = frozenset({GREEDY, FLOW, EXACT, MOST_CASES})  # no valid allocation has more cases

EXACT_CASES = 40  # amount-bound components up to this size get branch and bound


def solve(p: Problem) -> tuple[list[int | None], str]:
	"""The collector of each case (None = unallocated) and the method that applied."""
	st = State(p)
	weakest, unproven = 0, []
	for cases, colls in _components(st):
		method = _solve_component(st, cases, colls)
		weakest = max(weakest, METHODS.index(method))
		unproven += [] if method in PROVEN else cases
	_balance(st)
	st.phase()
	for i in sorted(unproven, reverse=True):  # the evened-out load may open chains: smallest first
		if st.at[i] is None:
			_insert(st, i, st.key, _chain_amount)
	_prefer(st)
	for i, j in enumerate(st.at):
		if j is None and st.can[i]:
			_insert(st, i, st.key, chain=None)
	return st.at, METHODS[weakest]


def _components(st: State) -> list[tuple[list[int], list[int]]]:
	"""Cases and collectors linked by eligibility, each group with its cases in order."""
	root = list(range(len(st.p.room_n)))

	def find(j: int) -> int:
		while root[j] != j:
			root[j] = root[root[j]]
			j = root[j]
		return j

	for c in st.can:
		for j in c[1:]:
			root[find(j)] = find(c[0])
	groups: dict[int, tuple[list[int], set[int]]] = {}
	for i, c in enumerate(st.can):
		if c:
			cases, colls = groups.setdefault(find(c[0]), ([], set()))
			cases.append(i)
			colls.update(c)
	return [(cases, sorted(colls)) for cases, colls in groups.values()]


def _amount_binds(st: State, cases: list[int], colls: list[int]) -> bool:
	"""Could any collector's biggest eligible cases, as many as they have room for, exceed their amount
	room?"""
	mine: dict[int, list[float]] = {j: [] for j in colls}
	for i in cases:
		for j in st.can[i]:
			mine[j].append(st.p.amounts[i])  # biggest first
	p = st.p
	return any(math.fsum(mine[j][: int(min(len(mine[j]), p.room_n[j]))]) > p.room_a[j] for j in colls)


def _solve_component(st: State, cases: list[int], colls: list[int]) -> str:
	binds = _amount_binds(st, cases, colls)
	chain = _chain_amount if binds else _chain_count
	st.phase()
	for i in cases:
		_insert(st, i, st.key, chain)
	if all(st.at[i] is not None for i in cases):
		return GREEDY
	if not binds:
		return FLOW if st.chain_work > 0 else HEURISTIC  # exact unless the chain work ran out
	first = {i: st.at[i] for i in cases if st.at[i] is not None}
	st.reset(cases, colls)
	st.phase()
	_smallest_first(st, cases)
	if st.value(cases) < (len(first), math.fsum(st.p.amounts[i] for i in first)):
		st.reset(cases, colls, first)
	st.phase()
	_upgrade(st, cases)
	if len(cases) <= EXACT_CASES:
		return _exact(st, cases, colls)
	most = allocation_exact.most_cases_bound(*_numbers(st, cases, colls))
	return MOST_CASES if st.value(cases)[0] >= most else HEURISTIC


def _smallest_first(st: State, cases: list[int]) -> None:
	"""Most cases when amounts bind: smallest first, each where it fits tightest (best fit), repaired by
	chains. A case that found no place is not followed by bigger ones of its class until a chain moves
	something."""
	failed: dict[int, float] = {}  # class -> the amount that found no place
	for i in reversed(cases):
		if st.p.amounts[i] >= failed.get(st.cls[i], math.inf):
			continue
		chains = st.chains
		if not _insert(st, i, st.tightest, _chain_amount):
			failed[st.cls[i]] = st.p.amounts[i]
		elif st.chains > chains:
			failed.clear()


def _insert(st: State, i: int, pick, chain) -> bool:
	"""Place case i: with its preferred collector when they have room, else with the collector ``pick``
	ranks first among those with room, else by a chain of moves (``chain``, None = not tried)."""
	x = st.p.amounts[i]
	pref = st.p.preferred[i]
	if pref is not None and pref in st.can[i] and st.fits(pref, x):
		st.put(i, pref)
		return True
	room = [j for j in st.can[i] if st.fits(j, x)]
	if room:
		st.put(i, min(room, key=lambda j: pick(j, x)))
		return True
	return chain is not None and chain(st, i)


def _unwind(st: State, i: int, parent: dict, end: int, which) -> None:
	"""Carry out a chain found by a search: each collector on it passes a case on to the next; the
	first takes case i."""
	st.chains += 1
	j = end
	while parent[j] is not None:
		src, via = parent[j]
		st.move(which(src, via), j)
		j = src
	st.put(i, j)


def _chain_count(st: State, i: int) -> bool:
	"""An augmenting path when only case counts bind (exact): from the full collectors who may take
	case i, through the collectors their cases may go to, to one with room. When none is found, every
	collector reached is full and holds only cases for collectors reached: they stay closed for good."""
	start = [j for j in st.can[i] if j not in st.closed]
	parent: dict = dict.fromkeys(start)
	queue = deque(start)
	while queue:
		j = queue.popleft()
		for k, held in st.by_class[j].items():
			if not held:
				continue
			st.chain_work -= len(st.class_can[k])
			if st.chain_work <= 0:
				return False
			for j2 in st.class_can[k]:
				if j2 in parent or j2 in st.closed:
					continue
				parent[j2] = (j, k)
				if st.n[j2] + 1 <= st.p.room_n[j2]:
					_unwind(st, i, parent, j2, lambda src, k: max(st.by_class[src][k]))
					return True
				queue.append(j2)
	st.closed.update(parent)
	return False


def _chain_amount(st: State, i: int) -> bool:
	"""A chain of moves when amounts bind (a heuristic, each collector tried once): each collector on
	it takes the case before and gives up one of its own, big enough to make that room."""
	p = st.p
	parent: dict = dict.fromkeys(st.can[i])
	queue = deque((j, p.amounts[i]) for j in st.can[i])
	while queue and st.chain_work > 0:
		j, w = queue.popleft()
		free = st.a[j] + w - p.room_a[j]
		for y in sorted(st.held[j], reverse=True):  # smallest first
			if p.amounts[y] < free:
				continue
			for j2 in st.can[y]:
				st.chain_work -= 1
				if j2 in parent:
					continue
				parent[j2] = (j, y)
				if st.fits(j2, p.amounts[y]):
					_unwind(st, i, parent, j2, lambda src, y: y)
					return True
				queue.append((j2, p.amounts[y]))
	return False


def _upgrade(st: State, cases: list[int]) -> None:
	"""Raise the amount, the count kept: an unallocated case, biggest first, takes the place of the
	smallest smaller case whose room it fits; that one goes elsewhere if it can (one more case)."""
	p = st.p
	for u in cases:
		if st.at[u] is not None or st.chain_work <= 0:
			continue
		if _insert(st, u, st.key, chain=None):
			continue
		x, best = p.amounts[u], None
		for j in st.can[u]:
			free = st.a[j] + x - p.room_a[j]
			for y in st.held[j]:
				st.chain_work -= 1
				if free <= p.amounts[y] < x and (best is None or (p.amounts[y], y) < best[:2]):
					best = (p.amounts[y], y, j)
		if best is not None:
			_, y, j = best
			st.take(y)
			st.put(u, j)
			_insert(st, y, st.key, chain=None)


def _numbers(st: State, cases: list[int], colls: list[int]) -> tuple:
	"""A component for allocation_exact: amounts, collectors per case, room per collector."""
	local = {j: k for k, j in enumerate(colls)}
	return (
		[st.p.amounts[i] for i in cases],
		[[local[j] for j in st.can[i]] for i in cases],
		[st.p.room_n[j] for j in colls],
		[st.p.room_a[j] for j in colls],
	)


def _exact(st: State, cases: list[int], colls: list[int]) -> str:
	"""Branch and bound over the component, from the current allocation."""
	local = {j: k for k, j in enumerate(colls)}
	found, most, most_amount, nodes = allocation_exact.best_allocation(
		*_numbers(st, cases, colls),
		[None if st.at[i] is None else local[st.at[i]] for i in cases],
		min(allocation_exact.NODE_BUDGET, st.nodes),
	)
	st.nodes -= nodes
	st.reset(cases, colls, {i: colls[k] for i, k in zip(cases, found, strict=True) if k is not None})
	return (EXACT if most_amount else MOST_CASES) if most else BOUNDED


def _balance(st: State) -> None:
	"""Even out the load: the most loaded collector gives one new case to the collector who ends lowest,
	if below where the giver was (each move lowers the sorted loads, so this ends). A collector with no
	such move waits until a move frees room that may suit it. A case with its preferred collector stays."""
	everyone = range(len(st.p.room_n))
	stuck: set[int] = set()
	while st.balance_work > 0:
		givers = [j for j in everyone if st.n[j] and j not in stuck]
		if not givers:
			return
		s = max(givers, key=st.key)
		ks = st.key(s)
		lower = [d for d in everyone if st.key(d, 0.0) < ks]
		move = _best_move(st, s, ks, lower)
		if move is None:
			stuck.add(s)
			continue
		st.move(*move)
		stuck -= {s, move[1]}
		stuck -= {g for g in stuck if _best_move(st, g, st.key(g), [s])}


def _best_move(st: State, s: int, ks: tuple, lower: list[int]) -> tuple[int, int] | None:
	"""(case, collector): the move of a new case of s that leaves the receiver lowest, below ks. For
	each receiver that is the smallest case it may take (the load grows with the amount)."""
	p, smallest = st.p, []
	for k, held in st.by_class[s].items() if lower else ():
		movable = [(p.amounts[y], y) for y in held if p.preferred[y] != s]
		if movable:
			smallest.append((min(movable), st.class_set[k]))
	best = None
	for d in lower if smallest else ():
		st.balance_work -= len(smallest)
		fit = [xy for xy, allowed in smallest if d in allowed]
		if fit and st.fits(d, min(fit)[0]):
			x, y = min(fit)
			kd = st.key(d, x)
			if kd < ks and (best is None or kd < best[0]):
				best = (kd, y, d)
	return None if best is None else best[1:]


def _prefer(st: State) -> None:
	"""Give each case its preferred collector where they have room (a preference beats evenness). A
	collector's waiting cases are looked at again whenever one of its cases leaves."""
	waiting: dict[int, list[int]] = {}  # preferred collector -> its cases held elsewhere, in order
	for i, j in enumerate(st.at):
		pref = st.p.preferred[i]
		if j is not None and pref is not None and j != pref and pref in st.can[i]:
			waiting.setdefault(pref, []).append(i)
	todo = deque(sorted(waiting))
	while todo:
		pref = todo.popleft()
		for i in waiting[pref]:
			src = st.at[i]
			if src != pref and st.fits(pref, st.p.amounts[i]):
				st.move(i, pref)
				if src in waiting:
					todo.append(src)
		waiting[pref] = [i for i in waiting[pref] if st.at[i] != pref]
