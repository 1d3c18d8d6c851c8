"""The procedure's rewards and penalties (issue 19, R-G1): a collector's monthly Incentive Statement.

An Incentive Plan pays a commission on the month's recovered amount (the recovery ledger's) at the
rate of the tier its target achievement falls in (recovered ÷ target, in %): the whole amount at that
tier's rate; below the first tier, nothing; above the last tier's end, still the last tier's rate.
Tiers are listed from the lowest, each starting where the one before ends (no gap, no overlap),
their rates from 0 to 100 % and never falling — so recovering more never pays less.

Then, in this order:

- quality gate: when the month's average call-review score is below the gate, only
  ``below_gate_share`` % of the commission is paid (0: none); a month without a reviewed call passes
  unless ``no_review_passes`` is off;
- cap: the commission is at most ``cap`` (when set);
- penalties: a fixed amount per contact the rules refused and per late entry, taken off;
- the total is not negative unless ``allow_negative``.

Without a target (None or 0) there is no achievement, hence no commission; penalties still apply.
Each step is a line of the statement (the lines add up to the total), and ``formula`` tells the whole
computation in words, translated by the caller's ``translate`` as elsewhere in the policy core.
"""

import math
from dataclasses import dataclass

COMMISSION, QUALITY_GATE, CAP = "commission", "quality gate", "cap"
REFUSALS, LATE_ENTRIES, FLOOR = "refusals", "late entries", "floor"


@dataclass(frozen=True)
class Tier:
	"""From ``from_pct`` % of the target achieved (to ``to_pct`` %, or up to the next tier when None),
	a commission of ``rate`` % of the recovered amount."""

	from_pct: float
	rate: float
	to_pct: float | None = None


@dataclass(frozen=True)
class IncentivePlan:
	tiers: tuple[Tier, ...]
	quality_gate: float | None = None  # review score 0..100 below which the commission is reduced
	below_gate_share: float = 0.0  # % of the commission paid below the gate
	no_review_passes: bool = True  # a month without a reviewed call passes the gate
	refusal_penalty: float = 0.0  # per contact the rules refused
	late_entry_penalty: float = 0.0  # per contact recorded late
	cap: float | None = None  # the most commission paid in a month
	allow_negative: bool = False  # penalties beyond the commission are owed


@dataclass(frozen=True)
class IncentiveLine:
	kind: str  # COMMISSION, QUALITY_GATE, CAP, REFUSALS, LATE_ENTRIES or FLOOR
	description: str  # translated
	amount: float


@dataclass(frozen=True)
class IncentiveStatement:
	recovered: float
	target: float | None
	achievement: float | None  # % of the target; None without one
	tier: int | None  # 1-based position of the tier applied; None below the first or without target
	rate: float  # % applied to the recovered amount
	commission: float  # after the gate and the cap
	penalties: float
	total: float
	lines: tuple[IncentiveLine, ...]
	formula: str


class InvalidPlan(ValueError):
	def __init__(self, problems: list[tuple[str, tuple]]):
		self.problems = problems
		super().__init__("; ".join(t.format(*a) for t, a in problems))


def _pct_ok(x: float | None) -> bool:
	return x is not None and math.isfinite(x) and 0 <= x <= 100


def plan_problems(plan: IncentivePlan) -> list[tuple[str, tuple]]:
	"""What is wrong with the plan, as (template, args) the caller translates; [] when it is valid."""
	out: list[tuple[str, tuple]] = []
	if not plan.tiers:
		out.append(("The plan has no tier", ()))
	for i, t in enumerate(plan.tiers, start=1):
		if not _pct_ok(t.rate):
			out.append(("Tier {0}: the rate {1} % is not between 0 and 100", (i, t.rate)))
		if not math.isfinite(t.from_pct) or t.from_pct < 0:
			out.append(("Tier {0}: it starts at {1} %, below 0", (i, t.from_pct)))
		if t.to_pct is not None and not t.to_pct > t.from_pct:
			out.append(
				("Tier {0}: it ends at {1} %, not above its start at {2} %", (i, t.to_pct, t.from_pct))
			)
		if i == 1:
			continue
		prev = plan.tiers[i - 2]
		if t.from_pct <= prev.from_pct:
			out.append(
				(
					"Tier {0}: it starts at {1} %, not above the tier before ({2} %)",
					(i, t.from_pct, prev.from_pct),
				)
			)
		elif prev.to_pct is not None and t.from_pct < prev.to_pct:
			out.append(
				(
					"Tier {0}: it starts at {1} %, overlapping the tier before, which ends at {2} %",
					(i, t.from_pct, prev.to_pct),
				)
			)
		elif prev.to_pct is not None and t.from_pct > prev.to_pct:
			out.append(
				(
					"Tier {0}: it starts at {1} %, leaving a gap after the tier before, which ends at {2} %",
					(i, t.from_pct, prev.to_pct),
				)
			)
		if _pct_ok(t.rate) and _pct_ok(prev.rate) and t.rate < prev.rate:
			out.append(
				(
					"Tier {0}: its rate {1} % is below the rate of the tier before ({2} %)",
					(i, t.rate, prev.rate),
				)
			)
	if plan.quality_gate is not None and not _pct_ok(plan.quality_gate):
		out.append(("The quality gate {0} is not between 0 and 100", (plan.quality_gate,)))
	if not _pct_ok(plan.below_gate_share):
		out.append(
			("The share paid below the gate, {0} %, is not between 0 and 100", (plan.below_gate_share,))
		)
	for label, value in (("refusal", plan.refusal_penalty), ("late entry", plan.late_entry_penalty)):
		if not math.isfinite(value) or value < 0:
			out.append(("The penalty per {0} is negative", (label,)))
	if plan.cap is not None and (not math.isfinite(plan.cap) or plan.cap < 0):
		out.append(("The cap {0} is negative", (plan.cap,)))
	return out


def check_plan(plan: IncentivePlan) -> None:
	"""Raise InvalidPlan listing every problem of the plan."""
	problems = plan_problems(plan)
	if problems:
		raise InvalidPlan(problems)


def tier_for(plan: IncentivePlan, achievement: float | None) -> int | None:
	"""The 1-based position of the tier for an achievement (%), None below the first or without one."""
	if achievement is None:
		return None
	found = None
	for i, t in enumerate(plan.tiers, start=1):
		if t.from_pct <= achievement:
			found = i
	return found


def _num(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else float(x)


def _pct(x: float) -> str:
	return f"{x:,.1f}".rstrip("0").rstrip(".")


def statement(
	plan: IncentivePlan,
	recovered: float,
	target: float | None,
	quality_score: float | None = None,
	refusals: int = 0,
	late_entries: int = 0,
	translate=lambda s: s,
	fmt=lambda x: f"{x:,.2f}",
	precision: int = 2,
) -> IncentiveStatement:
	"""A collector's Incentive Statement for a month (InvalidPlan when the plan is not valid).
	``fmt`` formats an amount (e.g. the site's fmt_money for the company currency)."""
	check_plan(plan)
	_ = translate
	recovered = max(_num(recovered), 0.0)
	target = None if target is None or _num(target) <= 0 else _num(target)
	refusals, late_entries = max(int(refusals or 0), 0), max(int(late_entries or 0), 0)
	achievement = None if target is None else recovered / target * 100
	tier = tier_for(plan, achievement)
	rate = plan.tiers[tier - 1].rate if tier else 0.0
	lines: list[IncentiveLine] = []
	steps: list[str] = []

	base = round(recovered * rate / 100, precision)
	if target is None:
		lines.append(IncentiveLine(COMMISSION, _("No target set: no commission"), 0.0))
		steps.append(_("no target, no commission"))
	elif tier is None:
		text = _("Achievement {0} % below the first tier ({1} %): no commission")
		lines.append(
			IncentiveLine(COMMISSION, text.format(_pct(achievement), _pct(plan.tiers[0].from_pct)), 0.0)
		)
		steps.append(
			_("{0} ÷ {1} = {2} %, below the first tier: 0").format(
				fmt(recovered), fmt(target), _pct(achievement)
			)
		)
	else:
		text = _("Commission: {0} % of {1} recovered (tier {2}, from {3} % of the target)")
		lines.append(
			IncentiveLine(
				COMMISSION,
				text.format(_pct(rate), fmt(recovered), tier, _pct(plan.tiers[tier - 1].from_pct)),
				base,
			)
		)
		steps.append(
			_("{0} ÷ {1} = {2} % → tier {3}: {4} % × {0} = {5}").format(
				fmt(recovered), fmt(target), _pct(achievement), tier, _pct(rate), fmt(base)
			)
		)
	commission = base

	gated = plan.quality_gate is not None and (
		(quality_score is None and not plan.no_review_passes)
		or (quality_score is not None and _num(quality_score) < plan.quality_gate)
	)
	if gated and commission > 0:
		paid = round(commission * plan.below_gate_share / 100, precision)
		score = _("no reviewed call") if quality_score is None else _pct(_num(quality_score))
		text = _("Quality score {0} below the gate of {1}: {2} % of the commission paid")
		lines.append(
			IncentiveLine(
				QUALITY_GATE,
				text.format(score, _pct(plan.quality_gate), _pct(plan.below_gate_share)),
				round(paid - commission, precision),
			)
		)
		steps.append(
			_("quality {0} < {1}: × {2} % = {3}").format(
				score, _pct(plan.quality_gate), _pct(plan.below_gate_share), fmt(paid)
			)
		)
		commission = paid

	if plan.cap is not None and commission > plan.cap:
		lines.append(
			IncentiveLine(
				CAP, _("Capped at {0}").format(fmt(plan.cap)), round(plan.cap - commission, precision)
			)
		)
		steps.append(_("capped at {0}").format(fmt(plan.cap)))
		commission = round(plan.cap, precision)

	penalties = 0.0
	for kind, n, each, text in (
		(REFUSALS, refusals, plan.refusal_penalty, _("refused contacts: {0} × {1}")),
		(LATE_ENTRIES, late_entries, plan.late_entry_penalty, _("late entries: {0} × {1}")),
	):
		amount = round(n * each, precision)
		if amount > 0:
			lines.append(IncentiveLine(kind, text.format(n, fmt(each)), -amount))
			steps.append("− " + text.format(n, fmt(each)))
			penalties = round(penalties + amount, precision)

	total = round(commission - penalties, precision)
	if total < 0 and not plan.allow_negative:
		lines.append(IncentiveLine(FLOOR, _("Penalties beyond the commission are not deducted"), -total))
		steps.append(_("not below 0"))
		total = 0.0
	formula = "; ".join([*steps, _("total {0}").format(fmt(total))])
	return IncentiveStatement(
		recovered=recovered,
		target=target,
		achievement=achievement,
		tier=tier,
		rate=rate,
		commission=commission,
		penalties=penalties,
		total=total,
		lines=tuple(lines),
		formula=formula,
	)
