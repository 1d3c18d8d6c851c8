"""The working state of the allocation search (allocation_search), on plain numbers: cases by index
in allocation order (biggest first), collectors by index in id order."""

import math
from dataclasses import dataclass

# Budgets, counted in steps rather than seconds so the same input always gives the same proposal.
EXACT_NODES = 100_000  # branch and bound nodes per proposal (allocation_exact.NODE_BUDGET per component)
CHAIN_WORK = 300_000  # steps of chain search per phase (placing, smallest first, upgrading)
CHAIN_TOTAL = 1_500_000  # steps of chain search per proposal
BALANCE_WORK = 1_000_000  # steps of evening out per proposal


def share(value: float, cap: float) -> float:
	"""value / cap; a capacity of 0 is full from the start."""
	if cap > 0:
		return value / cap
	return 1.0 if value <= 0 else math.inf


@dataclass
class Problem:
	"""Per case: amount, the collectors the rules allow, the preferred one when allowed. Per collector:
	room left in new cases and amount (inf = no limit), the open load, and the yardsticks of its load
	measure (None = that side is not measured)."""

	amounts: list[float]
	eligible: list[list[int]]
	preferred: list[int | None]
	room_n: list[float]
	room_a: list[float]
	open_n: list[int]
	open_a: list[float]
	scale_n: list[float | None]
	scale_a: list[float | None]


class State:
	"""Who holds which case: per case its collector; per collector its new cases, by class (the same
	collectors may take them) too, and their count and amount."""

	def __init__(self, p: Problem):
		self.p = p
		m = len(p.room_n)
		self.at: list[int | None] = [None] * len(p.amounts)
		self.n, self.a = [0] * m, [0.0] * m
		self.held: list[set[int]] = [set() for _ in range(m)]
		# collectors with room for the case alone: nobody else can ever take it
		self.can = [
			[j for j in e if p.room_n[j] >= 1 and x <= p.room_a[j]]
			for x, e in zip(p.amounts, p.eligible, strict=True)
		]
		classes: dict[tuple, int] = {}
		self.cls = [classes.setdefault(tuple(c), len(classes)) for c in self.can]
		self.class_can = list(classes)
		self.class_set = [frozenset(c) for c in classes]
		self.by_class: list[dict[int, set[int]]] = [{} for _ in range(m)]
		self.closed: set[int] = set()  # see _chain_count
		self.chains = 0  # chains carried out
		self.chain_left, self.chain_work, self.given = CHAIN_TOTAL, 0, 0
		self.balance_work, self.nodes = BALANCE_WORK, EXACT_NODES

	def phase(self) -> None:
		"""Start a phase with chain work of its own, out of what the proposal has left."""
		self.chain_left -= self.given - max(self.chain_work, 0)
		self.chain_work = self.given = min(CHAIN_WORK, self.chain_left)

	def fits(self, j: int, x: float) -> bool:
		return self.n[j] + 1 <= self.p.room_n[j] and self.a[j] + x <= self.p.room_a[j]

	def put(self, i: int, j: int) -> None:
		self.at[i] = j
		self.n[j] += 1
		self.a[j] += self.p.amounts[i]
		self.held[j].add(i)
		self.by_class[j].setdefault(self.cls[i], set()).add(i)

	def take(self, i: int) -> None:
		j = self.at[i]
		self.at[i] = None
		self.n[j] -= 1
		self.held[j].discard(i)
		self.by_class[j][self.cls[i]].discard(i)
		self.a[j] = math.fsum(self.p.amounts[k] for k in self.held[j])  # no drift from add and take

	def move(self, i: int, j: int) -> None:
		self.take(i)
		self.put(i, j)

	def key(self, j: int, x: float | None = None) -> tuple:
		"""The load of collector j, with a case of amount x added: (measure, cases, amount, index)."""
		p = self.p
		n = p.open_n[j] + self.n[j] + (x is not None)
		a = p.open_a[j] + self.a[j] + (x or 0.0)
		sn, sa = p.scale_n[j], p.scale_a[j]
		if sn is None and sa is None:
			return (float(n), n, a, j)
		by_n = share(n, sn) if sn is not None else 0.0
		return (max(by_n, share(a, sa) if sa is not None else 0.0), n, a, j)

	def tightest(self, j: int, x: float) -> tuple:
		"""Best fit: the least amount room left after the case, then the least case room."""
		return (self.p.room_a[j] - self.a[j] - x, self.p.room_n[j] - self.n[j], j)

	def value(self, cases: list[int]) -> tuple[int, float]:
		mine = [self.p.amounts[i] for i in cases if self.at[i] is not None]
		return len(mine), math.fsum(mine)

	def reset(self, cases: list[int], colls: list[int], to: dict[int, int] | None = None) -> None:
		for i in cases:
			self.at[i] = None
		for j in colls:
			self.n[j], self.a[j] = 0, 0.0
			self.held[j], self.by_class[j] = set(), {}
		for i, j in (to or {}).items():
			self.put(i, j)
