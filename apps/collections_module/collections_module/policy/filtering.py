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
it is lost contact once every step of the dial order was tried without that. Until then, or until its
checklist (every field verified) is done, it is open. Filtering is how a case gets verified, so its
calls pass the identity-verification gate (``gate_verified``). Progress counts every account, with a
collector or not.

A bad table or cap (refused by ``validate_table``) never breaks the days: the defaults apply.
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


def _whole(x) -> int | None:
	"""A whole number, or None for anything else (text, NaN, 2.5)."""
	try:
		f = float(x)
	except (TypeError, ValueError):
		return None
	return int(f) if math.isfinite(f) and f == int(f) else None


def validate_table(table: Iterable[tuple[int, int]], cap: int = MAX_FILTERING_DAYS) -> list[str]:
	"""Problems with a filtering-time table; empty when it is usable: a cap of at least 1 day, whole
	positive numbers, each batch size once, days never falling as the batch grows. A row with more days
	than the cap is not a problem: the cap wins (filtering_days)."""
	errors = []
	if _whole(cap) is None or _whole(cap) < 1:
		errors.append(f"The most days for filtering must be at least 1, not {cap}.")
	try:
		given = list(table)
	except TypeError:
		return [*errors, "The filtering table must be a list of rows (accounts, days)."]
	rows = []
	for i, row in enumerate(given, start=1):
		try:
			accounts, days = row
		except (TypeError, ValueError):
			errors.append(f"Row {i}: give the number of accounts and the days.")
			continue
		a, d = _whole(accounts), _whole(days)
		if a is None or a < 1:
			errors.append(f"Row {i}: the number of accounts must be at least 1, not {accounts}.")
		if d is None or d < 1:
			errors.append(f"Row {i}: the days must be at least 1, not {days}.")
		if a is not None and d is not None:
			rows.append((a, d))
	accounts = [a for a, _ in rows]
	for a in sorted({a for a in accounts if accounts.count(a) > 1}):
		errors.append(f"{a} accounts appears in more than one row.")
	for (a1, d1), (a2, d2) in itertools.pairwise(sorted(rows)):
		if d2 < d1:
			errors.append(
				f"A batch of up to {a2} accounts gets fewer days ({d2}) than one of up to {a1} ({d1})."
			)
	return errors


def filtering_days(
	batch_size: int, table: Iterable[tuple[int, int]] = DEFAULT_FILTERING_TABLE, cap: int = MAX_FILTERING_DAYS
) -> int:
	"""Days allowed to filter a batch: the first row (by accounts) that holds the batch, never more than
	``cap``; a batch bigger than every row gets ``cap``; an empty batch needs no day. A table or cap
	that ``validate_table`` refuses is replaced by the default: a bad setting never stops an import."""
	if batch_size < 0:
		raise ValueError(f"A batch cannot hold {batch_size} accounts.")
	if batch_size == 0:
		return 0
	if _whole(cap) is None or _whole(cap) < 1:
		cap = MAX_FILTERING_DAYS
	cap = _whole(cap)
	try:
		rows = list(table)
	except TypeError:
		rows = None
	if rows is None or validate_table(rows, cap):
		rows = DEFAULT_FILTERING_TABLE
	for accounts, days in sorted((_whole(a), _whole(d)) for a, d in rows):
		if batch_size <= accounts:
			return min(days, cap)
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


# R-E4 "verify every field": what filtering checks on each case before classifying it.
DEFAULT_CHECKLIST = ("Debtor Name", "ID Number", "Phones", "Addresses", "Employer", "Amounts", "Due Date")


def checklist_missing(
	done: "bool | Iterable[str] | None" = True, checklist: Iterable[str] = DEFAULT_CHECKLIST
) -> list[str]:
	"""The checklist items not done yet, in checklist order: none when ``done`` is True, all when it is
	False or None, else those not among the items ``done`` names."""
	if done is True:
		return []
	if done is False or done is None:
		return list(checklist)
	ticked = {done} if isinstance(done, str) else set(done)
	return [item for item in checklist if item not in ticked]


def classify(
	attempts: Iterable,
	order: Iterable[str] = DEFAULT_DIAL_ORDER,
	checklist_done: "bool | Iterable[str] | None" = True,
	checklist: Iterable[str] = DEFAULT_CHECKLIST,
) -> str | None:
	"""Contactable once a call had a contactable result; Lost Contact once every party of the order
	was tried without one; None while the order is not exhausted or the checklist not done (True, the
	default, for callers that do not keep one). ``attempts`` are Attempt or (party, result) pairs with
	standard result codes."""
	rows = _attempts(attempts)
	if checklist_missing(checklist_done, checklist):
		return None
	if any(RESULT_CODES[a.result] for a in rows):
		return CONTACTABLE
	if next_in_dial_order((a.party for a in rows), order) is None:
		return LOST_CONTACT
	return None


# --- the verification gate (R-C7) -------------------------------------------------------------------

FILTERING_PURPOSE = "Filtering"


def is_filtering_call(
	dial_party: str | None = None,
	result_code: str | None = None,
	purpose: str | None = None,
	order: Iterable[str] = DEFAULT_DIAL_ORDER,
) -> bool:
	"""A call of new-case filtering: one recording a step of the dial order (with a standard result
	code, when given), or one whose purpose is filtering."""
	if purpose == FILTERING_PURPOSE:
		return True
	return (
		bool(dial_party) and dial_party in tuple(order) and (not result_code or result_code in RESULT_CODES)
	)


def gate_verified(
	verified: bool,
	dial_party: str | None = None,
	result_code: str | None = None,
	purpose: str | None = None,
	order: Iterable[str] = DEFAULT_DIAL_ORDER,
) -> bool:
	"""The ``verified`` to give ``contact_rules.case_gate``: filtering is how a new case gets verified,
	so a filtering call passes the verification gate (not the dispute gate nor a do-not-contact flag)."""
	return bool(verified) or is_filtering_call(dial_party, result_code, purpose, order)


# --- progress (the Filtering Progress report) ------------------------------------------------------


@dataclass(frozen=True)
class FilteringRow:
	"""One account of a batch being filtered; done once it has a classification."""

	account: str
	amount: float
	deadline: date
	classification: str | None = None  # Contactable / Lost Contact / None while open
	done_on: date | None = None  # the day it was classified (for "done late")
	group: str | None = ""  # batch, collector or team, for progress_by; None = unallocated
	collector: str | None = None  # None or "": not allocated yet


@dataclass(frozen=True)
class Tally:
	count: int = 0
	amount: float = 0.0


@dataclass(frozen=True)
class Progress:
	"""Counts and amounts of a set of accounts on ``today``.

	total: every account; done: classified; open: not classified yet; due: deadline today or earlier,
	done or not; at_risk: open and the deadline is today or tomorrow; late: open and past the deadline;
	done_late: classified after the deadline; contactable / lost_contact: by classification;
	allocated / unallocated: with or without a collector (every account counts, allocated or not)."""

	total: Tally
	done: Tally
	open: Tally
	due: Tally
	at_risk: Tally
	late: Tally
	done_late: Tally
	contactable: Tally
	lost_contact: Tally
	allocated: Tally = Tally()
	unallocated: Tally = Tally()

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
		allocated=_tally([r for r in rows if r.collector]),
		unallocated=_tally([r for r in rows if not r.collector]),
	)


UNALLOCATED = "Unallocated"  # the bucket of accounts without a collector (or a group of None)


def progress_by(rows: Iterable[FilteringRow], today: date, by: str = "group") -> dict[str, Progress]:
	"""Progress per group (``by="group"``: batch, collector or team) or per collector (``by="collector"``),
	in sorted order; accounts without one (None, or no collector) are counted under UNALLOCATED, last."""
	if by not in ("group", "collector"):
		raise ValueError(f"Progress is grouped by group or collector, not {by}.")
	groups: dict[str, list[FilteringRow]] = {}
	for r in rows:
		key = getattr(r, by)
		if key is None or (by == "collector" and not key):
			key = UNALLOCATED
		groups.setdefault(key, []).append(r)
	order = sorted(groups, key=lambda g: (g == UNALLOCATED, g))
	return {g: progress(groups[g], today) for g in order}
