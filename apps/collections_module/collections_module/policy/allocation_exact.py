"""Branch and bound for an allocation whose amount capacities bind (R-E2): first the most cases, then the
most amount with that many cases, each exact unless the node budget runs out.

Each case goes to one of its collectors with room (the tightest fit first), or stays out (tried last);
collectors alike (the same cases, the same room left) are tried once. A branch is cut when its bound
cannot beat the best found. The bound in cases is the least of: the cases left; per collector, as many
of its cases left as its case room allows and its smallest fit in its amount room; the smallest cases
left that fit in all the amount room left. The bound in amount: the biggest cases left, at most all the
amount room left.

The most cases: of cases the same collectors may take (a class), a smaller one can always replace a
bigger one, so some allocation of the most cases leaves out only the biggest of each class. The search
takes the biggest case first (it finds packings of nearly all cases fast) with half the budget, then,
if not done, the smallest first (it finds the most cases fast). The most amount: biggest first.
"""

import math
from bisect import bisect_left, bisect_right

NODE_BUDGET = 30_000  # nodes per component at most (a few tenths of a second)


class _OutOfBudget(Exception):
	pass


class _Search:
	"""Cases in the order given (positions), their collectors, the room left per collector."""

	def __init__(self, amounts, can, room_n, room_a, budget):
		self.x, self.can, self.size = amounts, can, len(amounts)
		self.rn, self.ra = list(room_n), list(room_a)
		self.mine: list[list[int]] = [[] for _ in room_n]  # per collector: positions of its cases
		for i, js in enumerate(can):
			for j in js:
				self.mine[j].append(i)
		self.sums = [[0.0] for _ in room_n]  # per collector: running amount of its cases, in order
		for j, cases in enumerate(self.mine):
			for i in cases:
				self.sums[j].append(self.sums[j][-1] + amounts[i])
		self.run = [0.0]  # running amount of all cases, in order
		for x in amounts:
			self.run.append(self.run[-1] + x)
		kinds: dict[tuple, int] = {}
		self.kind = [kinds.setdefault(tuple(c), len(kinds)) for c in self.mine]
		classes: dict[tuple, int] = {}
		self.cls = [classes.setdefault(tuple(c), len(classes)) for c in can]
		self.eps = 1e-9 * (1.0 + self.run[-1])
		self.choice: list[int | None] = [None] * self.size
		self.nodes, self.budget = 0, budget

	def tick(self) -> None:
		self.nodes += 1
		if self.nodes > self.budget:
			raise _OutOfBudget

	def room(self) -> float:
		return math.fsum(a for n, a in zip(self.rn, self.ra, strict=True) if n >= 1)

	def fit(self, sums: list[float], lo: int, hi: int, smallest_first: bool, room: float) -> int:
		"""How many of the cases lo .. hi-1 (running amounts ``sums``) fit in ``room``, smallest first."""
		if smallest_first:  # ascending: the smallest are at lo
			return bisect_right(sums, sums[lo] + room + self.eps, lo, hi + 1) - 1 - lo
		# descending: the smallest are at hi - 1 and before
		return hi - bisect_left(sums, sums[hi] - room - self.eps, lo, hi + 1)

	def bound(self, t: int, ascending: bool) -> int:
		"""At most this many of the cases from position t on can still be allocated."""
		total = 0
		for j, cases in enumerate(self.mine):
			start = bisect_left(cases, t)
			if start < len(cases) and self.rn[j] >= 1:
				total += min(self.rn[j], self.fit(self.sums[j], start, len(cases), ascending, self.ra[j]))
		left = self.size - t
		return min(total, left, self.fit(self.run, t, self.size, ascending, self.room()))

	def branches(self, t: int, tight: bool = False):
		"""Place case t with each collector it may go to now, one of each alike, in turn (``tight``: the
		least amount room first)."""
		x, tried = self.x[t], set()
		for j in sorted(self.can[t], key=lambda j: (self.ra[j], j)) if tight else self.can[t]:
			if self.rn[j] >= 1 and x <= self.ra[j] and (self.kind[j], self.rn[j], self.ra[j]) not in tried:
				tried.add((self.kind[j], self.rn[j], self.ra[j]))
				before = self.ra[j]
				self.rn[j], self.ra[j], self.choice[t] = self.rn[j] - 1, before - x, j
				yield
				self.rn[j], self.ra[j] = self.rn[j] + 1, before
		self.choice[t] = None

	def most_cases(self, seed: list[int | None], ascending: bool) -> None:
		"""Into self.best: the most cases (the best found if out of budget). Cases in ascending order:
		once one of a class is out, the rest of it is; descending: out only while none of it is in."""
		self.best = best = [list(seed), sum(j is not None for j in seed)]
		out = [0] * (max(self.cls, default=0) + 1)  # per class: cases left out
		taken = [0] * (max(self.cls, default=0) + 1)  # per class: cases in

		def go(t: int, count: int) -> None:
			self.tick()
			if t == self.size:
				if count > best[1]:
					best[:] = [list(self.choice), count]
				return
			if count + self.bound(t, ascending) <= best[1]:
				return
			k = self.cls[t]
			for _ in self.branches(t, True) if not (ascending and out[k]) else ():
				taken[k] += 1
				go(t + 1, count + 1)
				taken[k] -= 1
			if ascending or not taken[k]:
				out[k] += 1
				go(t + 1, count)
				out[k] -= 1

		go(0, 0)

	def most_amount(self, seed: list[int | None]) -> None:
		"""Into self.best, cases in descending order: the most amount with as many cases as ``seed``
		(the most there can be); the best found if out of budget."""
		goal = sum(j is not None for j in seed)
		self.best = best = [
			list(seed),
			math.fsum(x for x, j in zip(self.x, seed, strict=True) if j is not None),
		]

		def go(t: int, count: int, amount: float) -> None:
			self.tick()
			if t == self.size:
				if count == goal and amount > best[1] + self.eps:
					best[:] = [list(self.choice), amount]
				return
			need = goal - count
			if self.bound(t, False) < need:
				return
			if amount + min(self.run[t + need] - self.run[t], self.room()) <= best[1] + self.eps:
				return
			for _ in self.branches(t):
				go(t + 1, count + 1, amount + self.x[t])
			if self.size - t > need:
				go(t + 1, count, amount)

		go(0, 0, 0.0)


def best_allocation(
	amounts: list[float],
	can: list[list[int]],
	room_n: list[float],
	room_a: list[float],
	seed: list[int | None],
	budget: int = NODE_BUDGET,
) -> tuple[list[int | None], bool, bool, int]:
	"""Per case (biggest first) the collector among ``can`` (None = out), with room per collector in
	cases and amount (inf = no limit), beating ``seed`` if it can. Returns the best found, whether its
	count and then its amount are proven the most there can be, and the nodes visited."""
	down = _Search(amounts, can, room_n, room_a, budget // 2)
	try:
		if sum(j is not None for j in seed) < down.bound(0, False):
			down.most_cases(seed, False)
		else:
			down.best = [seed]  # the most there can be
		found, used = down.best[0], down.nodes
	except _OutOfBudget:
		up = _Search(amounts[::-1], can[::-1], room_n, room_a, budget - down.nodes)
		try:
			up.most_cases(down.best[0][::-1], True)
		except _OutOfBudget:
			return up.best[0][::-1], False, False, budget
		found, used = up.best[0][::-1], down.nodes + up.nodes
	last = _Search(amounts, can, room_n, room_a, budget - used)
	try:
		last.most_amount(found)
	except _OutOfBudget:
		return last.best[0], True, False, budget
	return last.best[0], True, True, used + last.nodes


def most_cases_bound(
	amounts: list[float], can: list[list[int]], room_n: list[float], room_a: list[float]
) -> int:
	"""At most this many of the cases (biggest first) can be allocated: the bound at the search's start."""
	return _Search(amounts, can, room_n, room_a, 0).bound(0, False)
