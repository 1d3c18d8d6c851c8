"""The recovery ledger (issue 19, R-G1, R-G6): which part of a receipt is a recovery, on which case, for
whom. The server writes what ``recoveries`` returns as "Collection Recovery" rows; every KPI reads them.

- A receipt allocated to an invoice or a debt (a Payment Entry's or Journal Entry's reference, a Debt
  Repayment) recovers the part of it that settles amounts overdue on its posting date. Allocations
  settle the receivable's terms oldest due date first, as ERPNext does, in posting-date order (then
  by voucher, for a stable order); a term is overdue from the day after its due date. So 5,000 paid
  on an invoice not yet due recovers nothing, and 5,000 paid on an invoice with 1,000 overdue
  recovers 1,000. A debt is one term due on its due date (overdue before any date without one): a
  repayment on an overdue debt counts in full, up to what is still owed. Credit notes and write-offs
  (``recovery=False``) settle terms too but recover nothing. A negative allocation (a refund)
  un-settles the latest paid part, and its overdue part is a negative row.
- A row belongs to the receivable's own case (a Debt's) or else to the customer's case in that
  company open on the posting date; no case open, no row. It names the collector credited that day
  (kpi.credited_to), the stage, policy and grade in force and the channel of the last effective
  contact on or before that day.
- A row's key is its source voucher, reference row, receivable and posting date: the same inputs, in
  any order, give the same rows. A cancel is either a rebuild without the voucher, which also
  re-attributes the later receipts of its receivables (``changes`` says what to write and delete),
  or ``reversal`` rows netting the voucher's rows to zero.
"""

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from collections_module.policy.kpi import credited_to
from collections_module.policy.kpi_money import finite, one_currency
from collections_module.policy.ledger import Term

SALES_INVOICE, DEBT = "Sales Invoice", "Debt"
PAYMENT_ENTRY, JOURNAL_ENTRY, DEBT_REPAYMENT = "Payment Entry", "Journal Entry", "Debt Repayment"

# A stage, policy or grade over time: (from day, value) changes in history order (the later of two on
# one day wins), or a lookup day -> value.
Timeline = Sequence[tuple[date, str]] | Callable[[date], str | None]


@dataclass(frozen=True)
class Receivable:
	"""An invoice or a debt and its payment terms (ledger.Term: due_date, amount)."""

	doctype: str  # SALES_INVOICE or DEBT
	name: str
	customer: str
	company: str
	terms: tuple[Term, ...]
	posting_date: date | None = None  # None: posted before any day asked about
	currency: str = ""  # the company's for an invoice; a debt's own
	case: str = ""  # the case it belongs to (a Debt's collection_case); "" = the customer's open case


@dataclass(frozen=True)
class Receipt:
	"""One allocation of a voucher to a receivable, in the receivable's currency."""

	voucher_type: str  # PAYMENT_ENTRY, JOURNAL_ENTRY, DEBT_REPAYMENT, Sales Invoice (credit note)...
	voucher_no: str
	against_type: str  # the receivable's doctype
	against: str  # the receivable's name
	amount: float
	posting_date: date
	row: str = ""  # the voucher's reference row (a Debt Repayment's name), when one voucher pays twice
	recovery: bool = True  # False: settles terms, recovers nothing (credit note, write-off)

	@property
	def key(self) -> str:
		day = self.posting_date.isoformat()
		return "|".join((self.voucher_type, self.voucher_no, self.row, self.against_type, self.against, day))


@dataclass(frozen=True)
class CaseLife:
	name: str
	customer: str
	company: str
	opened: date
	closed_on: date | None = None
	holdings: Sequence = ()  # kpi.Holding or (collector, start, end), as kpi.holdings gives them
	stages: Timeline = ()
	policies: Timeline = ()
	grades: Timeline = ()
	contacts: Sequence[tuple[date | datetime, str]] = ()  # (when, channel) of effective contacts

	def open_on(self, day: date) -> bool:
		return self.opened <= day and (self.closed_on is None or day <= self.closed_on)


@dataclass(frozen=True)
class Recovery:
	"""A row of the recovery ledger; ``amount`` is the recovered part of ``allocated``."""

	key: str
	case: str
	customer: str
	company: str
	against_type: str
	against: str
	voucher_type: str
	voucher_no: str
	row: str
	posting_date: date
	allocated: float
	amount: float
	currency: str = ""
	collector: str = ""
	stage: str = ""
	policy: str = ""
	grade: str = ""
	channel: str = ""
	reverses: str = ""  # on a reversal row, the key of the row it cancels


def debt(
	name: str,
	customer: str,
	company: str,
	amount: float,
	due_date: date | None = None,
	posting_date: date | None = None,
	currency: str = "",
	case: str = "",
) -> Receivable:
	"""A Debt as a receivable: one term of ``amount`` (principal + interest + fees) due on its due
	date; without a due date it is overdue on any day (a debt in collection is overdue by definition)."""
	due = due_date or date.min
	return Receivable(DEBT, name, customer, company, (Term(due, amount),), posting_date, currency, case)


# --- the overdue part of a receipt ----------------------------------------------------------------


def overdue_total(terms: Iterable[Term], on: date) -> float:
	"""What the terms due before ``on`` add up to (paid or not)."""
	return math.fsum(finite(t.amount) for t in terms if t.due_date < on)


def settled_overdue(
	terms: Iterable[Term], paid_before: float, amount: float, on: date, precision: int = 2
) -> float:
	"""The part of ``amount``, allocated on ``on`` after ``paid_before`` settled the oldest terms, that
	settles terms overdue on ``on``: min(amount, overdue outstanding) for a payment, 0 on terms not yet
	due; for a negative amount (a refund) minus the overdue part it un-settles."""
	overdue = overdue_total(terms, on)
	before = max(finite(paid_before), 0.0)
	after = max(before + finite(amount), 0.0)
	return round(min(after, overdue) - min(before, overdue), precision)


def _allocations(receipts: Iterable[Receipt]) -> dict[tuple[str, str], list[Receipt]]:
	"""Per receivable, its allocations in settling order; one allocation per key (amounts summed)."""
	merged: dict[str, Receipt] = {}
	parts: dict[str, list[float]] = {}
	for r in receipts:
		merged.setdefault(r.key, r)
		parts.setdefault(r.key, []).append(finite(r.amount))
	out: dict[tuple[str, str], list[Receipt]] = {}
	for k, r in merged.items():
		out.setdefault((r.against_type, r.against), []).append(replace(r, amount=math.fsum(parts[k])))
	for allocs in out.values():
		allocs.sort(key=lambda r: (r.posting_date, r.voucher_type, r.voucher_no, r.row, not r.recovery))
	return out


def overdue_at(
	receivables: Iterable[Receivable], receipts: Iterable[Receipt], day: date, precision: int = 2
) -> float:
	"""The overdue amount of these receivables on ``day``, as a recovery base: those posted on or
	before it (imported today counts today), terms due before it, less what was settled before it.
	The day's own receipts are not taken off: they are that day's recoveries. MixedCurrencies when the
	receivables' currencies differ."""
	recs = list(receivables)
	one_currency(r.currency for r in recs)
	allocs = _allocations(receipts)
	parts = []
	for r in recs:
		if r.posting_date is not None and r.posting_date > day:
			continue
		paid = 0.0
		for a in allocs.get((r.doctype, r.name), ()):
			if a.posting_date < day:
				paid = max(round(paid + a.amount, precision), 0.0)
		parts.append(max(overdue_total(r.terms, day) - paid, 0.0))
	return round(math.fsum(parts), precision)


# --- the rows -------------------------------------------------------------------------------------


def in_force(timeline: Timeline, day: date) -> str:
	"""The value of a timeline on ``day`` ("" before its first change)."""
	if callable(timeline):
		return timeline(day) or ""
	value = ""
	for start, v in sorted(timeline, key=lambda e: e[0]):  # stable: the later of one day wins
		if start <= day:
			value = v
	return value or ""


def last_channel(contacts: Iterable[tuple[date | datetime, str]], day: date) -> str:
	"""The channel of the last effective contact on or before ``day`` ("" when none)."""
	best = None
	for when, channel in contacts:
		d, t = (when.date(), when.time()) if isinstance(when, datetime) else (when, time.min)
		if d <= day and (best is None or (d, t, channel or "") > best):
			best = (d, t, channel or "")
	return best[2] if best else ""


class _Cases:
	"""The cases by name and by (customer, company), each list in opening order."""

	def __init__(self, cases: Iterable[CaseLife]):
		ordered = sorted(cases, key=lambda c: (c.opened, c.name))
		self.named = {c.name: c for c in ordered}
		self.of: dict[tuple[str, str], list[CaseLife]] = {}
		for c in ordered:
			self.of.setdefault((c.customer, c.company), []).append(c)

	def on(self, rec: Receivable, day: date) -> CaseLife | None:
		"""The receivable's own case if open on ``day``, else the last opened case of its customer open
		that day."""
		if rec.case:
			c = self.named.get(rec.case)
			return c if c is not None and c.open_on(day) else None
		found = [c for c in self.of.get((rec.customer, rec.company), ()) if c.open_on(day)]
		return found[-1] if found else None


def case_on(cases: Iterable[CaseLife], rec: Receivable, day: date) -> CaseLife | None:
	"""The case a receipt on ``rec`` posted on ``day`` is a recovery of (None: not a recovery)."""
	return _Cases(cases).on(rec, day)


def _row(rec: Receivable, a: Receipt, case: CaseLife, amount: float) -> Recovery:
	day = a.posting_date
	return Recovery(
		key=a.key,
		case=case.name,
		customer=rec.customer,
		company=rec.company,
		against_type=rec.doctype,
		against=rec.name,
		voucher_type=a.voucher_type,
		voucher_no=a.voucher_no,
		row=a.row,
		posting_date=day,
		allocated=a.amount,
		amount=amount,
		currency=rec.currency,
		collector=credited_to(case.holdings, day) or "",
		stage=in_force(case.stages, day),
		policy=in_force(case.policies, day),
		grade=in_force(case.grades, day),
		channel=last_channel(case.contacts, day),
	)


def recoveries(
	receivables: Iterable[Receivable],
	receipts: Iterable[Receipt],
	cases: Iterable[CaseLife],
	precision: int = 2,
) -> list[Recovery]:
	"""The recovery rows of these receipts, sorted by (posting date, key). Pass every allocation to
	each receivable (earlier ones settle the oldest terms first) and no cancelled voucher; receipts on
	a receivable not given are skipped. Allocations recovering nothing give no row."""
	index = _Cases(cases)
	recs = {(r.doctype, r.name): r for r in receivables}
	out = []
	for target, allocs in _allocations(receipts).items():
		rec = recs.get(target)
		if rec is None:
			continue
		paid = 0.0
		for a in allocs:
			part = settled_overdue(rec.terms, paid, a.amount, a.posting_date, precision)
			paid = max(round(paid + a.amount, precision), 0.0)
			case = index.on(rec, a.posting_date) if a.recovery and part != 0 else None
			if case is not None:
				out.append(_row(rec, a, case, part))
	return sorted(out, key=lambda r: (r.posting_date, r.key))


# --- cancels and rebuilds -------------------------------------------------------------------------


def reversal(
	rows: Iterable[Recovery], voucher_type: str, voucher_no: str, on: date | None = None
) -> list[Recovery]:
	"""Rows cancelling the voucher's rows: each negated, keyed '<key>|reversal', naming the row it
	``reverses``, dated ``on`` (the cancel's day) or as the row; collector, stage... stay the row's.
	Rows already reversed among ``rows`` are not reversed again."""
	rows = list(rows)
	done = {r.reverses for r in rows if r.reverses}
	return [
		replace(
			r,
			key=r.key + "|reversal",
			amount=-r.amount,
			allocated=-r.allocated,
			posting_date=on or r.posting_date,
			reverses=r.key,
		)
		for r in sorted(rows, key=lambda r: r.key)
		if r.voucher_type == voucher_type
		and r.voucher_no == voucher_no
		and not r.reverses
		and r.key not in done
	]


def without_voucher(rows: Iterable[Recovery], voucher_type: str, voucher_no: str) -> list[Recovery]:
	"""The rows less the voucher's (and their reversals)."""
	return [r for r in rows if (r.voucher_type, r.voucher_no) != (voucher_type, voucher_no)]


def changes(stored: Iterable[Recovery], rebuilt: Iterable[Recovery]) -> tuple[list[Recovery], list[str]]:
	"""What turns the stored rows into the rebuilt ones: (rows to insert or update, keys to delete),
	both sorted by key. Nothing when they are the same set."""
	old = {r.key: r for r in stored}
	new = {r.key: r for r in rebuilt}
	write = [new[k] for k in sorted(new) if old.get(k) != new[k]]
	return write, sorted(set(old) - set(new))
