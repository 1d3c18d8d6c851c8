"""New-case filtering (新案过滤, R-E4): how long a batch may take, whom to dial next, and the verdict.

A batch of new cases is filtered before collection starts: every field is checked, the phone numbers
are dialled in a fixed order — employer, contacts, village or residents' committee, family, the debtor
— each call is recorded with a standard result code (专用术语), and every case ends up contactable
(可联) or lost contact (失联), counted in accounts and amounts.

The time allowed grows with the batch: up to 300 accounts in 2 days, up to 500 in 3, and never more
than 4 days whatever the batch (a special case the team lead arranges). The table and the cap are
settings; the source values are the defaults. Days are calendar days counted from the day the batch
was received: a batch received on Monday with 2 days is due by the end of Wednesday.

A case is contactable as soon as one call reaches the debtor or someone who will pass the message on;
it is lost contact once every step of the dial order was tried without that. Until then it is open.
"""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

# Source values (R-E4): (max accounts in the batch, days allowed); a bigger batch gets the cap.
DEFAULT_FILTERING_TABLE = ((300, 2), (500, 3))
MAX_FILTERING_DAYS = 4

CONTACTABLE, LOST_CONTACT = "Contactable", "Lost Contact"

# Parties in the source's dial order (电话拨打顺序: 单位、联系人、村委【居委会】、家人、持卡人).
EMPLOYER = "Employer"
CONTACTS = "Contacts"
COMMITTEE = "Village or Residents' Committee"
FAMILY = "Family"
DEBTOR = "Debtor"
DEFAULT_DIAL_ORDER = (EMPLOYER, CONTACTS, COMMITTEE, FAMILY, DEBTOR)

# The standard result codes of a filtering call, and whether the result makes the debtor contactable.
# A debtor who answers is reached whatever they say; a third party makes the debtor contactable only
# when they know the debtor and will pass the message on.
RESULT_CODES = {
	"Reached Debtor": True,  # 本人接听
	"Reached Third Party": True,  # 第三方接听,认识本人并可转告
	"Third Party Does Not Know Debtor": False,  # 第三方称不认识
	"Refused": False,  # 接听但拒绝提供信息或转告
	"Moved Away": False,  # 已搬离 / 已离职
	"Deceased": False,  # 本人已故
	"Wrong Number": False,  # 号码错误
	"No Answer": False,  # 无人接听
	"Line Busy": False,  # 占线
	"Powered Off": False,  # 关机
	"Number Not In Service": False,  # 空号 / 停机
	"Message Left": False,  # 留言,未确认
	"No Number on File": False,  # 案件中无该方号码
}


def validate_table(table: Iterable[tuple[int, int]], cap: int = MAX_FILTERING_DAYS) -> list[str]:
	"""Problems with a filtering-time table; empty when it is usable. A row with more days than the cap
	is not a problem: the cap wins (filtering_days)."""
	rows = list(table)
	errors = []
	if cap < 1:
		errors.append(f"The most days for filtering must be at least 1, not {cap}.")
	for i, (accounts, days) in enumerate(rows, start=1):
		if accounts < 1:
			errors.append(f"Row {i}: the number of accounts must be at least 1, not {accounts}.")
		if days < 1:
			errors.append(f"Row {i}: the days must be at least 1, not {days}.")
	accounts = [a for a, _ in rows]
	for a in sorted({a for a in accounts if accounts.count(a) > 1}):
		errors.append(f"{a} accounts appears in more than one row.")
	ordered = sorted(rows)
	for (a1, d1), (a2, d2) in itertools.pairwise(ordered):
		if d2 < d1:
			errors.append(
				f"A batch of up to {a2} accounts gets fewer days ({d2}) than one of up to {a1} ({d1})."
			)
	return errors


def filtering_days(
	batch_size: int, table: Iterable[tuple[int, int]] = DEFAULT_FILTERING_TABLE, cap: int = MAX_FILTERING_DAYS
) -> int:
	"""Days allowed to filter a batch: the first row (by accounts) that holds the batch, never more than
	``cap``; a batch bigger than every row gets ``cap``; an empty batch needs no day."""
	if batch_size < 0:
		raise ValueError(f"A batch cannot hold {batch_size} accounts.")
	if cap < 1:
		raise ValueError(f"The most days for filtering must be at least 1, not {cap}.")
	if batch_size == 0:
		return 0
	for accounts, days in sorted(table):
		if batch_size <= accounts:
			return min(max(int(days), 1), cap)
	return cap


def filtering_deadline(
	received_date: date,
	batch_size: int,
	table: Iterable[tuple[int, int]] = DEFAULT_FILTERING_TABLE,
	cap: int = MAX_FILTERING_DAYS,
) -> date:
	"""The last day of filtering for a batch received on ``received_date``."""
	return received_date + timedelta(days=filtering_days(batch_size, table, cap))


def at_risk(deadline: date, today: date, done: bool, warn_days: int = 1) -> bool:
	"""Not done, not late yet, and the deadline is at most ``warn_days`` away (the day before by
	default, and the deadline day itself). A job alerting once alerts when ``today == deadline - 1``."""
	return not done and deadline - timedelta(days=warn_days) <= today <= deadline


def is_late(deadline: date, today: date, done: bool) -> bool:
	return not done and today > deadline


# --- dialling ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
	party: str  # a step of the dial order
	result: str  # a key of RESULT_CODES


def _attempts(attempts: Iterable) -> list[Attempt]:
	out = []
	for a in attempts:
		a = a if isinstance(a, Attempt) else Attempt(*a)
		if a.result not in RESULT_CODES:
			raise ValueError(f"'{a.result}' is not a standard result code.")
		out.append(a)
	return out


def is_contactable(result: str) -> bool:
	if result not in RESULT_CODES:
		raise ValueError(f"'{result}' is not a standard result code.")
	return RESULT_CODES[result]


def next_in_dial_order(attempted: Iterable[str], order: Iterable[str] = DEFAULT_DIAL_ORDER) -> str | None:
	"""The first party of the order not attempted yet; None when every one was."""
	done = set(attempted)
	return next((p for p in order if p not in done), None)


def out_of_order(attempts: Iterable, order: Iterable[str] = DEFAULT_DIAL_ORDER) -> list[str]:
	"""Parties dialled before an earlier party of the order had been tried (in the order of the
	attempts); parties outside the order are ignored."""
	order = list(order)
	tried: set[str] = set()
	skipped_ahead = []
	for a in _attempts(attempts):
		if a.party in order and a.party not in tried:
			earlier = order[: order.index(a.party)]
			if any(p not in tried for p in earlier):
				skipped_ahead.append(a.party)
		tried.add(a.party)
	return skipped_ahead


def classify(attempts: Iterable, order: Iterable[str] = DEFAULT_DIAL_ORDER) -> str | None:
	"""Contactable once a call had a contactable result; Lost Contact once every party of the order
	was tried without one; None while the order is not exhausted. ``attempts`` are Attempt or
	(party, result) pairs with standard result codes."""
	rows = _attempts(attempts)
	if any(RESULT_CODES[a.result] for a in rows):
		return CONTACTABLE
	if next_in_dial_order((a.party for a in rows), order) is None:
		return LOST_CONTACT
	return None


# --- progress (the Filtering Progress report) ------------------------------------------------------


@dataclass(frozen=True)
class FilteringRow:
	"""One account of a batch being filtered; done once it has a classification."""

	account: str
	amount: float
	deadline: date
	classification: str | None = None  # Contactable / Lost Contact / None while open
	done_on: date | None = None  # the day it was classified (for "done late")
	group: str = ""  # batch, collector or team, for progress_by


@dataclass(frozen=True)
class Tally:
	count: int = 0
	amount: float = 0.0


@dataclass(frozen=True)
class Progress:
	"""Counts and amounts of a set of accounts on ``today``.

	total: every account; done: classified; open: not classified yet; due: deadline today or earlier,
	done or not; at_risk: open and the deadline is today or tomorrow; late: open and past the deadline;
	done_late: classified after the deadline; contactable / lost_contact: by classification."""

	total: Tally
	done: Tally
	open: Tally
	due: Tally
	at_risk: Tally
	late: Tally
	done_late: Tally
	contactable: Tally
	lost_contact: Tally

	@property
	def share_done(self) -> float:
		return self.done.count / self.total.count if self.total.count else 1.0

	@property
	def share_contactable(self) -> float | None:
		"""Of the classified accounts, the share contactable; None before any is."""
		return self.contactable.count / self.done.count if self.done.count else None


def _tally(rows: list[FilteringRow]) -> Tally:
	return Tally(len(rows), math.fsum(_money(r.amount) for r in rows))


def _money(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else float(x)


def progress(rows: Iterable[FilteringRow], today: date) -> Progress:
	rows = list(rows)
	done = [r for r in rows if r.classification is not None]
	open_ = [r for r in rows if r.classification is None]
	return Progress(
		total=_tally(rows),
		done=_tally(done),
		open=_tally(open_),
		due=_tally([r for r in rows if r.deadline <= today]),
		at_risk=_tally([r for r in open_ if at_risk(r.deadline, today, False)]),
		late=_tally([r for r in open_ if is_late(r.deadline, today, False)]),
		done_late=_tally([r for r in done if r.done_on is not None and r.done_on > r.deadline]),
		contactable=_tally([r for r in done if r.classification == CONTACTABLE]),
		lost_contact=_tally([r for r in done if r.classification == LOST_CONTACT]),
	)


def progress_by(rows: Iterable[FilteringRow], today: date) -> dict[str, Progress]:
	"""Progress per group (batch, collector, team), groups in sorted order."""
	groups: dict[str, list[FilteringRow]] = {}
	for r in rows:
		groups.setdefault(r.group, []).append(r)
	return {g: progress(groups[g], today) for g in sorted(groups)}
