"""Calendar helpers: days overdue and the debtor's / company's local date (R-B*, R-C2)."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo


def days_overdue(due_date: date, on_date: date) -> int:
	"""Whole days past the due date on ``on_date``; negative before due, 0 on the due date itself."""
	return (on_date - due_date).days


def local_date(moment: datetime, tz_name: str) -> date:
	"""The calendar date of an instant in a time zone (naive datetimes are taken as UTC).

	The daily run ages invoices on the company's local date: at 23:30 UTC it is already tomorrow in
	Asia/Shanghai, and an invoice due "today" there is one day overdue.
	"""
	if moment.tzinfo is None:
		moment = moment.replace(tzinfo=timezone.utc)
	return moment.astimezone(ZoneInfo(tz_name)).date()


# Days-overdue buckets for list filters and reports (the ladder's month marks, R-B6/R-B7).
AGING_BUCKETS = (
	(1, 30, "1-30"),
	(31, 60, "31-60"),
	(61, 90, "61-90"),
	(91, 120, "91-120"),
	(121, None, "Over 120"),
)


def aging_bucket(days: int) -> str:
	"""The bucket label of a number of days overdue; blank when not overdue."""
	for low, high, label in AGING_BUCKETS:
		if days >= low and (high is None or days <= high):
			return label
	return ""
