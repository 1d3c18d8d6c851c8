"""The collectors' weekly report to their supervisor: which week is due, and who has not sent it.

Collectors report their work every week (催收员每周向主管汇报工作情况). A report covers one ISO week,
Monday to Sunday; the one due is the last complete week — on a Sunday the current week is not over
yet, so the week due is still the one before. The reminder goes to every active collector with no
report for that week.
"""

from collections.abc import Iterable
from datetime import date, timedelta


def week_of(day: date) -> tuple[date, date]:
	"""The Monday and Sunday of the ISO week containing ``day``."""
	monday = day - timedelta(days=day.weekday())
	return monday, monday + timedelta(days=6)


def previous_week(today: date) -> tuple[date, date]:
	"""The Monday and Sunday of the last complete ISO week before ``today``."""
	monday, _ = week_of(today)
	return monday - timedelta(days=7), monday - timedelta(days=1)


def missing_reports(collectors: Iterable[str], submitted: Iterable[str]) -> list[str]:
	"""The collectors, in the order given and each once, without a submitted report (blanks ignored)."""
	seen = set(submitted)
	out: list[str] = []
	for c in collectors:
		if c and c not in seen:
			out.append(c)
			seen.add(c)
	return out
