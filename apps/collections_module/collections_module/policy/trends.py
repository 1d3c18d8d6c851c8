"""Month arithmetic of the workspace's trend charts, in plain Python (no Frappe): the months of the last
year, the trailing window of credit sales behind each month's Days Sales Outstanding, and the DSO
itself.

DSO of a month = receivables at the month's end ÷ credit sales of the trailing three months (that month
and the two before) × the days of those months. The current month is counted to ``today``: its
receivables are today's, its sales and days run to today.
"""

import json
from calendar import monthrange
from datetime import date

SALES_MONTHS = 3  # the trailing window of credit sales


def first_of_month(day: date) -> date:
	return day.replace(day=1)


def last_of_month(day: date) -> date:
	return day.replace(day=monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
	"""The first of the month ``months`` after (before, when negative) ``day``'s month."""
	index = day.year * 12 + day.month - 1 + months
	return date(index // 12, index % 12 + 1, 1)


def month_key(day: date) -> str:
	"""'YYYY-MM': the chart's label and the key of a month's sums."""
	return f"{day.year:04d}-{day.month:02d}"


def month_ranges(today: date, count: int = 12) -> list[tuple[date, date]]:
	"""The last ``count`` months, oldest first, as (first day, last day); the current month ends today."""
	if count < 1:
		return []
	ranges = []
	for back in range(count - 1, -1, -1):
		start = add_months(today, -back)
		ranges.append((start, today if back == 0 else last_of_month(start)))
	return ranges


def days_in(start: date, end: date) -> int:
	"""Days from ``start`` to ``end``, both counted; 0 when the range is empty."""
	return max((end - start).days + 1, 0)


def sales_window(month_start: date, month_end: date, months: int = SALES_MONTHS) -> tuple[date, date]:
	"""The trailing window of credit sales behind a month's DSO: the month and the ``months - 1`` before it."""
	return add_months(month_start, -(months - 1)), month_end


def dso(receivables: float, credit_sales: float, days: int) -> float | None:
	"""Days Sales Outstanding: receivables ÷ credit sales × days; None when there were no sales (the
	ratio is undefined, not zero)."""
	if credit_sales <= 0 or days <= 0:
		return None
	return round(receivables / credit_sales * days, 1)


def window_sales(sales_by_month: dict[str, float], month_start: date, months: int = SALES_MONTHS) -> float:
	"""Credit sales of the trailing window ending with the month of ``month_start``."""
	return sum(sales_by_month.get(month_key(add_months(month_start, -back)), 0.0) for back in range(months))


def dso_series(
	ranges: list[tuple[date, date]],
	receivables_at_end: list[float],
	sales_by_month: dict[str, float],
	months: int = SALES_MONTHS,
) -> list[float | None]:
	"""Each month's DSO from its receivables at the month's end and the 'YYYY-MM' -> credit sales sums."""
	series = []
	for (start, end), receivables in zip(ranges, receivables_at_end, strict=True):
		window_start, window_end = sales_window(start, end, months)
		series.append(
			dso(receivables, window_sales(sales_by_month, start, months), days_in(window_start, window_end))
		)
	return series


def monthly_totals(rows, ranges: list[tuple[date, date]]) -> list[float]:
	"""The sums of ('YYYY-MM', amount) rows per month of ``ranges`` (0 for a month without rows)."""
	totals: dict[str, float] = {}
	for key, amount in rows:
		totals[key] = totals.get(key, 0.0) + float(amount or 0)
	return [round(totals.get(month_key(start), 0.0), 2) for start, _end in ranges]


def company_of(filters) -> str | None:
	"""The company a chart's filters name: a dict, a list of [doctype, field, operator, value] (or
	[field, operator, value]) or either as JSON; None when they name none."""
	if isinstance(filters, str):
		try:
			filters = json.loads(filters) if filters.strip() else None
		except ValueError:
			return None
	if isinstance(filters, dict):
		return filters.get("company") or None
	for f in filters or []:
		if isinstance(f, list | tuple) and len(f) >= 3 and f[-3] == "company" and f[-2] in ("=", "=="):
			return f[-1] or None
	return None
