"""Collector and team KPIs for a period, and who is credited with a payment once a case changed hands.

The source asks for periodic evaluation on the overdue rate, the recovery rate, the target achievement
rate and the collection efficiency (逾期率、回款率、达成率、催收效率). Each is a plain ratio of figures the
desk gathers for the period [start, end], both dates inclusive:

    overdue rate       = overdue receivables ÷ all receivables of the collector's cases at period end
                         (None when the denominator is 0)
    recovery rate      = amount received on the collector's cases in the period
                         ÷ (overdue amount held at the start + overdue amount assigned during the period)
    target achievement = received ÷ target (None when there is no target)
    efficiency         = received per effective contact, and cases closed per working day
                         (working days = Mon–Fri in the period minus the given holidays)
    promise kept rate  = kept ÷ (kept + broken)

Every ratio is None when its denominator is 0 (or negative, as a credit balance can make it): a rate
of nothing is unknown, not 0 % and not 100 %. Weekend days worked in lieu of a holiday (调休) can be
given too, and count as working days.

A team's rates are computed from the sum of its collectors' figures, never as an average of their
rates: a collector who recovered 1 of 2 and one who recovered 0 of 1 000 are not a team at 25 %.

Cases change hands. A payment counts for the collector who held the case on the payment's date, so a
case's holdings — (collector, from, to) taken from its reassignment history — decide who is credited.
On a reassignment day the new holder holds the case from that day on (when several reassignments fall
on one day, the last one), so the payment on that day and the overdue amount handed over that day are
both the new holder's. "Held at the start" is the holder on ``start`` itself; "assigned during" is a
change of holder after ``start`` and on or before ``end``. A collector counts a case once in a period
(issue 19): its base is the overdue amount when the collector first held it in the period — at the
start, or on the day it was handed to them, documents posted that day included — so a case handed to
B and back to A is in A's base once (``case_bases``).

Amounts carry their currency (``CollectorFigures.currency``): collectors' figures of different
currencies are never summed (kpi_money.MixedCurrencies); ``convert_figures`` converts them first.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from collections_module.policy.kpi_money import one_currency, rate


@dataclass(frozen=True)
class Holding:
	"""A collector held the case from ``start`` to ``end`` (inclusive; None while still holding)."""

	collector: str
	start: date
	end: date | None = None


@dataclass(frozen=True)
class Payment:
	day: date
	amount: float


def _holdings(intervals: Iterable) -> list[Holding]:
	"""The holdings in history order, each as a Holding (a (collector, start, end) tuple is accepted)."""
	return [h if isinstance(h, Holding) else Holding(*h) for h in intervals]


def _money(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else float(x)


def _count(n: int | None) -> int:
	return max(int(n or 0), 0)


# --- attribution across reassignment ---------------------------------------------------------------


def holdings(history: Iterable[tuple[date, str]], closed_on: date | None = None) -> list[Holding]:
	"""The holdings of a case from its assignment history — (day, collector) in the order they were
	made, the first being the first allocation: each collector holds the case until the next
	assignment's day (the overlap on that day goes to the next one), the last until ``closed_on``."""
	events = list(history)
	out = []
	for i, (day, collector) in enumerate(events):
		end = events[i + 1][0] if i + 1 < len(events) else closed_on
		out.append(Holding(collector, day, end))
	return out


def holder_on(intervals: Iterable, day: date) -> str | None:
	"""The collector holding the case on ``day``, or None when nobody does (before the first holding,
	in a gap, after the last one ended). Of the holdings covering the day, the one that started last
	wins, and of those starting the same day the later in the history: a reassignment takes effect on
	its own day."""
	holder = None
	# sorted() is stable: on the same start day the history order stays, and the later one wins.
	for h in sorted(_holdings(intervals), key=lambda h: h.start):
		if h.start <= day and (h.end is None or day <= h.end):
			holder = h.collector
	return holder


def credited_to(intervals: Iterable, day: date) -> str | None:
	"""Whom a payment made on ``day`` counts for: the holder that day; before the first holding the
	first holder; on a day nobody held the case (a gap, or after it was closed) the last holder before
	it. None only for a case that was never held."""
	hs = _holdings(intervals)
	if not hs:
		return None
	holder = holder_on(hs, day)
	if holder is not None:
		return holder
	first = min(h.start for h in hs)
	if day < first:
		# A payment can be booked before the case reached a collector (the customer paid while the
		# case was being imported, or the history starts at the first recorded allocation). Nobody else
		# worked the case, and the first holder is the one who must reconcile it: it is theirs rather
		# than nobody's, so the team's received amount is complete.
		return holder_on(hs, first)
	# Nobody held it that day, so every holding that started by then had ended: the last of them.
	return holder_on(hs, max(h.end for h in hs if h.start <= day))


def attribute(
	payments: Iterable, intervals: Iterable, start: date | None = None, end: date | None = None
) -> dict[str | None, float]:
	"""The payments on one case summed per collector they count for (see ``credited_to``), only those
	from ``start`` to ``end`` when given. The key None gathers the payments of a case never held."""
	hs = _holdings(intervals)
	sums: dict[str | None, list[float]] = {}
	for p in payments:
		p = p if isinstance(p, Payment) else Payment(*p)
		if (start is not None and p.day < start) or (end is not None and p.day > end):
			continue
		sums.setdefault(credited_to(hs, p.day), []).append(_money(p.amount))
	return {k: math.fsum(sums[k]) for k in sorted(sums, key=lambda k: (k is None, k or ""))}


def assigned_during(intervals: Iterable, start: date, end: date) -> list[tuple[str, date]]:
	"""The (collector, day) of each change of holder after ``start`` and on or before ``end``: the
	overdue amount of the case on that day is that collector's "assigned during the period". A
	reassignment overridden the same day counts only for the last holder, and one back to the collector
	already holding the case is no change."""
	hs = _holdings(intervals)
	out = []
	for day in sorted({h.start for h in hs if start < h.start <= end}):
		new = holder_on(hs, day)
		if new is not None and new != holder_on(hs, day - timedelta(days=1)):
			out.append((new, day))
	return out


@dataclass(frozen=True)
class Base:
	"""One case's part of a collector's (or team's) recovery base: overdue at the start of the period
	when held then, else overdue on the day it was first handed to them in the period."""

	at_start: float = 0.0
	assigned_during: float = 0.0

	@property
	def total(self) -> float:
		return self.at_start + self.assigned_during


def base_days(
	intervals: Iterable, start: date, end: date, group: Callable[[str], str | None] | None = None
) -> dict[str, date]:
	"""The first day in [start, end] each collector held the case: ``start`` when holding it that day,
	else the first change of holder to them (``assigned_during``). Once per collector, however often the
	case came back. ``group`` maps a collector to a team (None: not counted) to get the team's days."""
	hs = _holdings(intervals)
	key = group or (lambda c: c)
	out: dict[str, date] = {}
	first = holder_on(hs, start)
	if first is not None and key(first) is not None:
		out[key(first)] = start
	for collector, day in assigned_during(hs, start, end):
		if key(collector) is not None:
			out.setdefault(key(collector), day)
	return out


def case_bases(
	intervals: Iterable,
	start: date,
	end: date,
	overdue_on: Callable[[date], float],
	group: Callable[[str], str | None] | None = None,
) -> dict[str, Base]:
	"""Per collector (or per ``group``), the case's overdue amount on its ``base_days`` day, as at
	start or assigned during. ``overdue_on(day)`` is the case's overdue amount on ``day`` counting the
	documents posted that day and not that day's receipts (recovery.overdue_at): a case imported and
	allocated today has a base today. A team's base (``group`` = team of) counts a hand-over within
	the team once: team_kpis' ``internal_transfers`` = members' assigned during - the team's."""
	return {
		k: Base(at_start=_money(overdue_on(d))) if d == start else Base(assigned_during=_money(overdue_on(d)))
		for k, d in base_days(intervals, start, end, group).items()
	}


# --- working days ----------------------------------------------------------------------------------


def working_days(
	start: date, end: date, holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> int:
	"""Monday to Friday from ``start`` to ``end`` (inclusive) less the holidays falling on one of them;
	plus ``extra_workdays``, weekend days worked in lieu of a holiday (调休). 0 when end < start."""
	if end < start:
		return 0
	full_weeks, rest = divmod((end - start).days + 1, 7)
	count = 5 * full_weeks
	count += sum((start + timedelta(days=7 * full_weeks + i)).weekday() < 5 for i in range(rest))
	count -= len({d for d in holidays if start <= d <= end and d.weekday() < 5})
	count += len({d for d in extra_workdays if start <= d <= end and d.weekday() >= 5})
	return max(count, 0)


# --- figures and rates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectorFigures:
	"""What a collector (or a team, summed) did in the period; amounts in the company currency."""

	received: float = 0.0  # paid on the collector's cases in the period, attributed by holder
	overdue_at_start: float = 0.0  # overdue amount of the cases held on the period's first day
	assigned_during: float = 0.0  # overdue amount of the cases assigned after it, on assignment
	overdue_at_end: float = 0.0  # overdue receivables of the cases held at period end
	receivables_at_end: float = 0.0  # all receivables (overdue or not) of those cases
	contacts: int = 0  # every recorded contact
	effective_contacts: int = 0  # of those, a conversation with the debtor or a useful third party
	promises_made: int = 0
	kept: int = 0  # promises settled as kept in the period
	broken: int = 0  # promises settled as broken in the period
	late_entries: int = 0  # contacts recorded late
	refusals: int = 0  # contacts the rules refused
	cases_closed: int = 0
	target: float | None = None  # the amount to recover in the period; None = no target set
	quality_score_avg: float | None = None  # of the sampled calls reviewed, 0..100; None = none
	quality_samples: int = 0  # how many reviewed calls the average is over (weights the team's)
	currency: str = ""  # of every amount above ("" = not stated)


@dataclass(frozen=True)
class Kpis:
	overdue_rate: float | None
	recovery_rate: float | None
	target_achievement: float | None
	received_per_effective_contact: float | None
	closed_per_working_day: float | None
	promise_kept_rate: float | None
	working_days: int
	quality_score: float | None


def _ratio(num: float, den: float) -> float | None:
	return num / den if den > 0 else None


def kpis(
	fig: CollectorFigures,
	start: date,
	end: date,
	holidays: Iterable[date] = (),
	extra_workdays: Iterable[date] = (),
) -> Kpis:
	"""The rates of the module docstring for one collector's (or a team's summed) figures."""
	received = _money(fig.received)
	target = None if fig.target is None else _money(fig.target)
	days = working_days(start, end, holidays, extra_workdays)
	kept = _count(fig.kept)
	return Kpis(
		overdue_rate=_ratio(_money(fig.overdue_at_end), _money(fig.receivables_at_end)),
		recovery_rate=_ratio(received, _money(fig.overdue_at_start) + _money(fig.assigned_during)),
		# A target of 0 is no target either: nothing to achieve.
		target_achievement=None if target is None else _ratio(received, target),
		received_per_effective_contact=_ratio(received, _count(fig.effective_contacts)),
		closed_per_working_day=_ratio(_count(fig.cases_closed), days),
		promise_kept_rate=_ratio(kept, kept + _count(fig.broken)),
		working_days=days,
		quality_score=None if fig.quality_score_avg is None else _money(fig.quality_score_avg),
	)


_COUNTS = (
	"contacts",
	"effective_contacts",
	"promises_made",
	"kept",
	"broken",
	"late_entries",
	"refusals",
	"cases_closed",
	"quality_samples",
)
_AMOUNTS = ("received", "overdue_at_start", "assigned_during", "overdue_at_end", "receivables_at_end")


def _quality(figures: list[CollectorFigures]) -> float | None:
	"""The team's average review score: weighted by the calls reviewed; when no collector says how
	many, the plain mean of the averages given."""
	scored = [f for f in figures if f.quality_score_avg is not None and math.isfinite(f.quality_score_avg)]
	weighted = [f for f in scored if _count(f.quality_samples) > 0]
	if weighted:
		n = sum(_count(f.quality_samples) for f in weighted)
		return math.fsum(f.quality_score_avg * _count(f.quality_samples) for f in weighted) / n
	return math.fsum(f.quality_score_avg for f in scored) / len(scored) if scored else None


def sum_figures(figures: Iterable[CollectorFigures]) -> CollectorFigures:
	"""The team's figures: every amount and count summed; the target is the sum of the targets set
	(None when nobody has one); the quality score is the average over all reviewed calls."""
	figures = list(figures)
	# MixedCurrencies unless every collector with an amount has the same currency
	currency = one_currency(f.currency for f in figures if _has_amounts(f))
	targets = [_money(f.target) for f in figures if f.target is not None]
	values = {name: math.fsum(_money(getattr(f, name)) for f in figures) for name in _AMOUNTS}
	values |= {name: sum(_count(getattr(f, name)) for f in figures) for name in _COUNTS}
	values["target"] = math.fsum(targets) if targets else None
	values["quality_score_avg"] = _quality(figures)
	return CollectorFigures(**values, currency=currency)


def _has_amounts(f: CollectorFigures) -> bool:
	return f.target is not None or any(_money(getattr(f, name)) for name in _AMOUNTS)


def convert_figures(fig: CollectorFigures, to: str, rates: Mapping[str, float]) -> CollectorFigures:
	"""The figures with every amount (target included) in currency ``to``: ``rates`` as in kpi_money
	(units of ``to`` per unit of the figures' currency); MissingRate when it lacks."""
	r = rate(rates, fig.currency, to)
	values = {name: _money(getattr(fig, name)) * r for name in _AMOUNTS}
	target = None if fig.target is None else _money(fig.target) * r
	return replace(fig, **values, target=target, currency=to)


def team_kpis(
	figures: Iterable[CollectorFigures],
	start: date,
	end: date,
	holidays: Iterable[date] = (),
	extra_workdays: Iterable[date] = (),
	target: float | None = None,
	internal_transfers: float = 0.0,
) -> Kpis:
	"""The team's rates from the sum of its collectors' figures (not an average of their rates).

	``target`` replaces the sum of the collectors' targets (a team target of its own). A case handed
	from one collector of the team to another in the period is in the first one's overdue at the start
	and in the second one's assigned during: ``internal_transfers``, the overdue amount of those
	hand-overs, is taken off the summed assigned-during so the team's recovery base counts it once."""
	total = sum_figures(figures)
	assigned = max(total.assigned_during - max(_money(internal_transfers), 0.0), 0.0)
	total = replace(total, assigned_during=assigned, target=total.target if target is None else target)
	return kpis(total, start, end, holidays, extra_workdays)
