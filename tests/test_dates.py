from datetime import date, datetime, timezone

import pytest

from collections_module.policy.dates import days_overdue, local_date


@pytest.mark.parametrize(
	"due, on, expected",
	[
		(date(2026, 3, 1), date(2026, 3, 1), 0),
		(date(2026, 3, 1), date(2026, 3, 2), 1),
		(date(2026, 3, 1), date(2026, 2, 22), -7),
		(date(2026, 2, 28), date(2026, 3, 1), 1),  # no leap day in 2026
		(date(2028, 2, 28), date(2028, 3, 1), 2),  # leap year
		(date(2026, 12, 31), date(2027, 1, 1), 1),
		(date(2026, 1, 1), date(2026, 4, 1), 90),
	],
)
def test_days_overdue(due, on, expected):
	assert days_overdue(due, on) == expected


def test_local_date_crosses_midnight_east_of_utc():
	moment = datetime(2026, 3, 1, 16, 30, tzinfo=timezone.utc)
	assert local_date(moment, "Asia/Shanghai") == date(2026, 3, 2)
	assert local_date(moment, "UTC") == date(2026, 3, 1)
	assert local_date(moment, "America/New_York") == date(2026, 3, 1)


def test_local_date_west_of_utc_and_naive_is_utc():
	assert local_date(datetime(2026, 3, 2, 3, 0), "America/Los_Angeles") == date(2026, 3, 1)
	assert local_date(datetime(2026, 3, 2, 3, 0), "UTC") == date(2026, 3, 2)


def test_local_date_across_dst_change():
	# US clocks go forward on 2026-03-08 at 02:00 local: 06:30 UTC is 01:30 EST before, 23:30 UTC after.
	assert local_date(datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc), "America/New_York") == date(
		2026, 3, 8
	)
	assert local_date(datetime(2026, 3, 9, 3, 30, tzinfo=timezone.utc), "America/New_York") == date(
		2026, 3, 8
	)
	assert local_date(datetime(2026, 3, 9, 4, 30, tzinfo=timezone.utc), "America/New_York") == date(
		2026, 3, 9
	)


def test_aging_the_same_invoice_in_two_zones_at_one_instant():
	due = date(2026, 3, 1)
	moment = datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)
	assert days_overdue(due, local_date(moment, "Asia/Shanghai")) == 1
	assert days_overdue(due, local_date(moment, "Europe/London")) == 0


@pytest.mark.parametrize(
	"days, bucket",
	[
		(-3, ""),
		(0, ""),
		(1, "1-30"),
		(30, "1-30"),
		(31, "31-60"),
		(60, "31-60"),
		(61, "61-90"),
		(90, "61-90"),
		(91, "91-120"),
		(120, "91-120"),
		(121, "Over 120"),
	],
)
def test_aging_bucket_edges(days, bucket):
	from collections_module.policy.dates import aging_bucket

	assert aging_bucket(days) == bucket
