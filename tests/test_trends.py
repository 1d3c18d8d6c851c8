from datetime import date
from itertools import pairwise

import pytest

from collections_module.policy.trends import (
	add_months,
	company_of,
	days_in,
	dso,
	dso_series,
	last_of_month,
	month_key,
	month_ranges,
	monthly_totals,
	sales_window,
	window_sales,
)


@pytest.mark.parametrize(
	"day, months, expected",
	[
		(date(2026, 3, 15), 0, date(2026, 3, 1)),
		(date(2026, 3, 31), -1, date(2026, 2, 1)),
		(date(2026, 1, 10), -1, date(2025, 12, 1)),
		(date(2026, 1, 10), -13, date(2024, 12, 1)),
		(date(2026, 11, 30), 2, date(2027, 1, 1)),
	],
)
def test_add_months(day, months, expected):
	assert add_months(day, months) == expected


def test_last_of_month_knows_leap_years():
	assert last_of_month(date(2028, 2, 3)) == date(2028, 2, 29)
	assert last_of_month(date(2026, 2, 3)) == date(2026, 2, 28)
	assert last_of_month(date(2026, 12, 1)) == date(2026, 12, 31)


def test_month_ranges_last_year_oldest_first_current_month_to_today():
	ranges = month_ranges(date(2026, 3, 10))
	assert len(ranges) == 12
	assert ranges[0] == (date(2025, 4, 1), date(2025, 4, 30))
	assert ranges[10] == (date(2026, 2, 1), date(2026, 2, 28))
	assert ranges[-1] == (date(2026, 3, 1), date(2026, 3, 10))
	assert [month_key(s) for s, _e in ranges][:3] == ["2025-04", "2025-05", "2025-06"]
	# consecutive, no gap and no overlap
	for (_s1, e1), (s2, _e2) in pairwise(ranges):
		assert (s2 - e1).days == 1
	assert month_ranges(date(2026, 3, 10), 0) == []


def test_days_in_counts_both_ends():
	assert days_in(date(2026, 1, 1), date(2026, 3, 31)) == 90
	assert days_in(date(2026, 3, 1), date(2026, 3, 1)) == 1
	assert days_in(date(2026, 3, 2), date(2026, 3, 1)) == 0


def test_sales_window_is_the_month_and_the_two_before():
	assert sales_window(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 1, 1), date(2026, 3, 31))
	assert sales_window(date(2026, 1, 1), date(2026, 1, 31)) == (date(2025, 11, 1), date(2026, 1, 31))


def test_dso_formula():
	# 90 000 owed against 90 000 sold over 90 days: 90 days of sales outstanding
	assert dso(90_000, 90_000, 90) == 90.0
	assert dso(30_000, 90_000, 90) == 30.0
	assert dso(10_000, 30_000, 92) == 30.7
	assert dso(0, 50_000, 90) == 0.0
	assert dso(-500, 50_000, 90) == -0.9  # more credit than owed: a negative figure, not hidden
	assert dso(1_000, 0, 90) is None  # no sales: undefined
	assert dso(1_000, -10, 90) is None
	assert dso(1_000, 100, 0) is None


def test_window_sales_sum_three_months_missing_months_count_zero():
	sales = {"2025-12": 100.0, "2026-01": 200.0, "2026-02": 300.0, "2026-03": 400.0}
	assert window_sales(sales, date(2026, 3, 1)) == 900.0
	assert window_sales(sales, date(2026, 1, 1)) == 300.0  # November missing
	assert window_sales(sales, date(2026, 5, 1)) == 400.0


def test_dso_series_current_month_counts_days_to_today():
	today = date(2026, 3, 10)
	ranges = month_ranges(today, 2)  # February, then March to the 10th
	sales = {"2025-12": 31_000.0, "2026-01": 31_000.0, "2026-02": 28_000.0, "2026-03": 10_000.0}
	series = dso_series(ranges, [45_000.0, 23_000.0], sales)
	# February: 45 000 / (31 000 + 31 000 + 28 000) × (31 + 31 + 28) = 45.0
	# March to the 10th: 23 000 / (31 000 + 28 000 + 10 000) × (31 + 28 + 10) = 23.0
	assert series == [45.0, 23.0]


def test_dso_series_needs_one_receivable_per_month():
	with pytest.raises(ValueError):
		dso_series(month_ranges(date(2026, 3, 10), 2), [1.0], {})


def test_monthly_totals_group_rows_by_month():
	ranges = month_ranges(date(2026, 3, 10), 3)
	rows = [("2026-01", 100), ("2026-03", 50.5), ("2026-03", 49.5), ("2025-06", 999), ("2026-02", None)]
	assert monthly_totals(rows, ranges) == [100.0, 0.0, 100.0]


@pytest.mark.parametrize(
	"filters, expected",
	[
		(None, None),
		("", None),
		("{}", None),
		({"company": "_Test Co"}, "_Test Co"),
		('{"company": "_Test Co"}', "_Test Co"),
		({"company": ""}, None),
		([["Collection Recovery", "company", "=", "_Test Co"]], "_Test Co"),
		('[["company", "=", "_Test Co"]]', "_Test Co"),
		([["Collection Recovery", "company", "!=", "_Test Co"]], None),
		("not json", None),
	],
)
def test_company_of_chart_filters(filters, expected):
	assert company_of(filters) == expected
