"""What is owed and since when: payment terms, their outstanding, and a case's overdue lines (R-B*).

ERPNext keeps an invoice's outstanding amount, but not reliably per payment term (a payment that
names no term leaves the schedule untouched). Payments are applied to the earliest terms first, the
way a customer's payment is understood in practice, so every term has its own outstanding and due date.
"""

from dataclasses import dataclass
from datetime import date

from collections_module.policy.dates import days_overdue


@dataclass(frozen=True)
class Term:
	due_date: date
	amount: float


@dataclass(frozen=True)
class TermDue:
	invoice: str
	due_date: date
	outstanding: float


@dataclass(frozen=True)
class OverdueLine:
	"""One overdue invoice on a case: its oldest unpaid overdue term and the overdue part of it."""

	invoice: str
	due_date: date
	outstanding: float
	days_overdue: int


def allocate_outstanding(
	terms: list[Term], invoice_outstanding: float, precision: int = 2
) -> list[tuple[date, float]]:
	"""Split an invoice's outstanding over its payment terms, payments filling the earliest first.

	Returns (due_date, outstanding) per term in due-date order, zero-outstanding terms included. If the
	outstanding exceeds the scheduled total (rounding, write-backs), the excess stays on the last term.
	"""
	if not terms:
		raise ValueError("an invoice needs at least one payment term")
	ordered = sorted(terms, key=lambda t: t.due_date)
	total = sum(t.amount for t in ordered)
	paid = max(round(total - invoice_outstanding, precision), 0.0)
	result = []
	for term in ordered:
		applied = min(paid, term.amount)
		paid = round(paid - applied, precision)
		result.append((term.due_date, round(term.amount - applied, precision)))
	excess = round(invoice_outstanding - sum(o for _, o in result), precision)
	if excess > 0:
		last_due, last_out = result[-1]
		result[-1] = (last_due, round(last_out + excess, precision))
	return result


def overdue_lines(terms: list[TermDue], on_date: date, precision: int = 2) -> list[OverdueLine]:
	"""Per invoice: the overdue outstanding (terms at least one day past due) and the oldest such due date.

	Invoices with nothing overdue are left out. Lines are ordered oldest first, then by invoice.
	"""
	by_invoice: dict[str, list[TermDue]] = {}
	for term in terms:
		if term.outstanding > 0 and days_overdue(term.due_date, on_date) >= 1:
			by_invoice.setdefault(term.invoice, []).append(term)
	lines = []
	for invoice, due_terms in by_invoice.items():
		oldest = min(t.due_date for t in due_terms)
		lines.append(
			OverdueLine(
				invoice=invoice,
				due_date=oldest,
				outstanding=round(sum(t.outstanding for t in due_terms), precision),
				days_overdue=days_overdue(oldest, on_date),
			)
		)
	lines.sort(key=lambda line: (line.due_date, line.invoice))
	return lines


def reminder_terms(terms: list[TermDue], on_date: date, from_day: int, to_day: int) -> list[TermDue]:
	"""Unpaid terms whose days overdue on ``on_date`` lie in the reminder row's window (R-B1).

	The default window is day -7..0: a term is reminded once, on the first run inside the window, so a
	missed daily run or an invoice raised five days before its due date still gets its reminder.
	"""
	return [t for t in terms if t.outstanding > 0 and from_day <= days_overdue(t.due_date, on_date) <= to_day]
