"""What belongs to a period (issue 19, R-G1, R-G6): targets prorated by working days, received from the
recovery ledger, costs in the period they were incurred.

- A monthly target counts for the share of the month's working days that fall in the period: a
  10,000 target for November and one for December give, for 30 Nov–1 Dec, 10,000 × 1/21 +
  10,000 × 1/23, not 20,000. A period covering whole months gets the months' targets exactly.
- Received is the sum of the recovery rows (recovery.Recovery) posted in the period, reversals
  included, per collector or any other key.
- A cost (legal fee, agency commission, visit) counts on the day it was incurred: October's fee is
  not November's cost.

Totals are per key and per currency: a key whose rows mix currencies raises kpi_money.MixedCurrencies.
A row without a currency is taken to be in its company's currency, so two companies' rows without a
currency are not summed either.
"""

import calendar
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from collections_module.policy.kpi import working_days
from collections_module.policy.kpi_money import MixedCurrencies, Money, finite

# --- targets ---------------------------------------------------------------------------------------


def month_parts(start: date, end: date) -> list[tuple[date, date, date]]:
	"""(first day of the month, first day in the period, last day in the period) per month touched."""
	out = []
	day = start
	while day <= end:
		last = date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
		out.append((day.replace(day=1), day, min(last, end)))
		day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
	return out


def _month_share(first: date, part_start: date, part_end: date, holidays, extra) -> float:
	"""The share of the month's working days from part_start to part_end (calendar days in a month
	without any working day)."""
	last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
	whole = working_days(first, last, holidays, extra)
	if whole > 0:
		return working_days(part_start, part_end, holidays, extra) / whole
	return ((part_end - part_start).days + 1) / last.day


def prorated_target(
	monthly: Mapping[date, float] | Iterable[tuple[date, float]],
	start: date,
	end: date,
	holidays: Iterable[date] = (),
	extra_workdays: Iterable[date] = (),
) -> float | None:
	"""The target of [start, end] from monthly targets ({any day of the month: amount}, or (month,
	amount) pairs, several for one month summed): each month's target × its working days in the period
	÷ its working days. ``holidays`` must cover the whole months touched. None when no month touched
	has a target."""
	pairs = monthly.items() if isinstance(monthly, Mapping) else monthly
	by_month: dict[date, float] = {}
	for month, amount in pairs:
		if amount is not None:
			key = month.replace(day=1)
			by_month[key] = by_month.get(key, 0.0) + float(amount)
	holidays, extra = list(holidays), list(extra_workdays)
	parts = [(f, s, e) for f, s, e in month_parts(start, end) if f in by_month]
	if not parts:
		return None
	return sum(by_month[f] * _month_share(f, s, e, holidays, extra) for f, s, e in parts)


# --- received and costs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cost:
	"""A cost incurred on ``day``: a legal fee, an agency's commission, a visit (``kind``)."""

	day: date
	amount: float
	kind: str = ""
	case: str = ""
	company: str = ""
	currency: str = ""
	collector: str = ""
	source: str = ""  # e.g. the Legal Action or Visit Record it comes from


def _unit(row) -> tuple[str, str]:
	"""A row's currency; when not stated, its company's (an unknown currency per company)."""
	return (row.currency, "") if row.currency else ("", getattr(row, "company", "") or "")


def period_totals(
	rows: Iterable, start: date, end: date, key: Callable, day: Callable, amount: Callable
) -> dict:
	"""{key(row): Money} of the rows whose day(row) falls in [start, end]. Keys sorted; MixedCurrencies
	when one key's rows are in different currencies."""
	groups: dict = {}
	for r in rows:
		if start <= day(r) <= end:
			groups.setdefault(key(r), {}).setdefault(_unit(r), []).append(finite(amount(r)))
	out = {}
	for k in sorted(groups, key=lambda k: (k is None, str(k))):
		if len(groups[k]) > 1:
			raise MixedCurrencies(c or f"({company})" for c, company in groups[k])
		(((currency, _company), amounts),) = groups[k].items()
		out[k] = Money(math.fsum(amounts), currency)
	return out


def received(rows: Iterable, start: date, end: date, key: Callable = lambda r: r.collector) -> dict:
	"""{key: Money} recovered in [start, end] from recovery rows (reversals net off). ``key`` is the
	collector by default; e.g. ``lambda r: (r.company, r.collector)`` per company, or a team."""
	return period_totals(rows, start, end, key, lambda r: r.posting_date, lambda r: r.amount)


def costs_in_period(costs: Iterable[Cost], start: date, end: date, key: Callable = lambda c: c.case) -> dict:
	"""{key: Money} of the costs incurred in [start, end] (per case by default)."""
	return period_totals(costs, start, end, key, lambda c: c.day, lambda c: c.amount)
