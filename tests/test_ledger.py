from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy.ledger import (
	Term,
	TermDue,
	allocate_outstanding,
	overdue_lines,
	reminder_terms,
)

D = date(2026, 5, 1)


def test_single_term_carries_the_whole_outstanding():
	assert allocate_outstanding([Term(D, 1000.0)], 400.0) == [(D, 400.0)]


def test_payments_fill_the_earliest_terms_first():
	terms = [Term(D + timedelta(days=60), 500.0), Term(D, 300.0), Term(D + timedelta(days=30), 200.0)]
	# 1000 total, 450 outstanding -> 550 paid: first term (300) fully, second (200) fully, 50 of the third
	assert allocate_outstanding(terms, 450.0) == [
		(D, 0.0),
		(D + timedelta(days=30), 0.0),
		(D + timedelta(days=60), 450.0),
	]


def test_unpaid_invoice_keeps_every_term():
	terms = [Term(D, 300.0), Term(D + timedelta(days=30), 700.0)]
	assert allocate_outstanding(terms, 1000.0) == [(D, 300.0), (D + timedelta(days=30), 700.0)]


def test_outstanding_above_the_schedule_stays_on_the_last_term():
	assert allocate_outstanding([Term(D, 100.0), Term(D + timedelta(days=1), 100.0)], 200.4) == [
		(D, 100.0),
		(D + timedelta(days=1), 100.4),
	]


def test_no_terms_is_an_error():
	with pytest.raises(ValueError):
		allocate_outstanding([], 10.0)


@given(
	st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=6),
	st.floats(min_value=0, max_value=1),
)
def test_allocation_conserves_the_outstanding(amounts_cents, share):
	terms = [Term(D + timedelta(days=30 * i), a / 100) for i, a in enumerate(amounts_cents)]
	total = round(sum(t.amount for t in terms), 2)
	outstanding = round(total * share, 2)
	result = allocate_outstanding(terms, outstanding)
	assert round(sum(o for _, o in result), 2) == outstanding
	assert all(
		0 <= o <= t.amount + 0.001
		for (_, o), t in zip(result, sorted(terms, key=lambda t: t.due_date), strict=True)
	)
	# once a term has something outstanding, every later term is untouched
	seen_open = False
	for (_, o), t in zip(result, sorted(terms, key=lambda t: t.due_date), strict=True):
		if seen_open:
			assert o == t.amount
		seen_open = seen_open or o > 0


def test_overdue_lines_keep_only_overdue_outstanding_per_invoice():
	on = date(2026, 6, 10)
	terms = [
		TermDue("SINV-1", date(2026, 5, 1), 100.0),  # 40 days
		TermDue("SINV-1", date(2026, 6, 1), 50.0),  # 9 days
		TermDue("SINV-1", date(2026, 7, 1), 70.0),  # not due
		TermDue("SINV-2", date(2026, 6, 10), 80.0),  # due today: not overdue
		TermDue("SINV-3", date(2026, 6, 9), 20.0),  # 1 day
		TermDue("SINV-4", date(2026, 4, 1), 0.0),  # paid
	]
	lines = overdue_lines(terms, on)
	assert [(x.invoice, x.due_date, x.outstanding, x.days_overdue) for x in lines] == [
		("SINV-1", date(2026, 5, 1), 150.0, 40),
		("SINV-3", date(2026, 6, 9), 20.0, 1),
	]


def test_reminder_window_is_inclusive_and_skips_paid_terms():
	on = date(2026, 6, 1)
	terms = [
		TermDue("A", on + timedelta(days=8), 10.0),
		TermDue("B", on + timedelta(days=7), 10.0),
		TermDue("C", on, 10.0),
		TermDue("D", on - timedelta(days=1), 10.0),
		TermDue("E", on + timedelta(days=3), 0.0),
	]
	assert [t.invoice for t in reminder_terms(terms, on, -7, 0)] == ["B", "C"]
