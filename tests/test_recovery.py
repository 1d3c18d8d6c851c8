"""The recovery ledger (issue 19): the overdue part of each receipt, on which case, for whom; rebuilds
and reversals."""

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import kpi, kpi_period
from collections_module.policy.kpi_money import MixedCurrencies
from collections_module.policy.ledger import Term
from collections_module.policy.recovery import (
	DEBT,
	DEBT_REPAYMENT,
	JOURNAL_ENTRY,
	PAYMENT_ENTRY,
	SALES_INVOICE,
	CaseLife,
	Receipt,
	Receivable,
	changes,
	debt,
	in_force,
	last_channel,
	overdue_at,
	recoveries,
	reversal,
	settled_overdue,
	without_voucher,
)


def d(day: int, month: int = 6) -> date:
	return date(2026, month, day)


def invoice(name: str, *terms: tuple[date, float], posted: date | None = None, customer="CUST") -> Receivable:
	return Receivable(SALES_INVOICE, name, customer, "CO", tuple(Term(*t) for t in terms), posted, "CNY")


def pay(no: str, against: str, amount: float, day: date, kind=PAYMENT_ENTRY, **kw) -> Receipt:
	return Receipt(kind, no, SALES_INVOICE if kind != DEBT_REPAYMENT else DEBT, against, amount, day, **kw)


# A customer with a 1,000 term overdue since 10 June and 4,000 due on 10 July; a second invoice not due
# before the end of July. Its case: amy, then bob from 15 June.
INV1 = invoice("INV-1", (d(10), 1_000), (d(10, 7), 4_000), posted=d(1, 5))
INV2 = invoice("INV-2", (d(31, 7), 5_000), posted=d(1))
CASE = CaseLife(
	"CASE-1",
	"CUST",
	"CO",
	opened=d(11),
	holdings=kpi.holdings([(d(11), "amy"), (d(15), "bob")]),
	stages=[(d(11), "Reminder"), (d(18), "Demand Letter")],
	policies=lambda day: "Standard",
	grades=[(d(11), "B"), (d(20), "C")],
	contacts=[(datetime(2026, 6, 12, 9), "Phone"), (datetime(2026, 6, 12, 15), "SMS"), (d(25), "Visit")],
)


def rows(*receipts, receivables=(INV1, INV2), cases=(CASE,)):
	return recoveries(receivables, receipts, cases)


# --- the overdue part ----------------------------------------------------------------------------------


def test_receipt_on_invoice_not_yet_due_recovers_nothing():
	# 5,000 paid on an invoice due at the end of July: not a recovery of the 1,000 overdue case
	assert rows(pay("PE-1", "INV-2", 5_000, d(20))) == []
	base = overdue_at([INV1, INV2], [], d(11))
	assert base == 1_000
	fig = kpi.CollectorFigures(received=0, assigned_during=base)
	assert kpi.kpis(fig, d(1), d(30)).recovery_rate == 0  # not 500 %
	# the same 5,000 on the invoice with 1,000 overdue recovers the 1,000 only
	(row,) = rows(pay("PE-2", "INV-1", 5_000, d(20)))
	assert (row.allocated, row.amount) == (5_000, 1_000)


def test_a_term_is_overdue_the_day_after_its_due_date():
	assert rows(pay("PE-1", "INV-1", 1_000, d(10))) == []
	assert [r.amount for r in rows(pay("PE-1", "INV-1", 1_000, d(11)))] == [1_000]


def test_earlier_receipts_settle_the_oldest_terms_first():
	early = pay("PE-0", "INV-1", 600, d(1))  # before anything was due: settles 600 of the June term
	late = pay("PE-1", "INV-1", 1_000, d(20))  # 400 overdue left, then 600 of the July term
	assert [(r.voucher_no, r.amount) for r in rows(early, late)] == [("PE-1", 400)]
	assert settled_overdue(INV1.terms, 600, 1_000, d(20)) == 400
	assert settled_overdue(INV1.terms, 0, 1_000, d(20, 7)) == 1_000  # in July both terms are overdue


def test_a_credit_note_settles_terms_but_recovers_nothing():
	credit = Receipt(SALES_INVOICE, "CN-1", SALES_INVOICE, "INV-1", 1_000, d(12), recovery=False)
	assert rows(credit, pay("PE-1", "INV-1", 1_000, d(20))) == []
	assert overdue_at([INV1], [credit], d(20)) == 0


def test_a_refund_gives_back_what_it_un_settles():
	paid, refund = pay("PE-1", "INV-1", 1_000, d(20)), pay("JV-1", "INV-1", -1_000, d(22), kind=JOURNAL_ENTRY)
	again = pay("PE-2", "INV-1", 1_000, d(25))
	got = rows(paid, refund, again)
	assert [(r.voucher_no, r.amount) for r in got] == [("PE-1", 1_000), ("JV-1", -1_000), ("PE-2", 1_000)]
	assert sum(r.amount for r in got) == 1_000  # recovered once, not twice


def test_one_voucher_paying_one_invoice_twice_is_one_allocation_per_row():
	a = pay("PE-1", "INV-1", 300, d(20), row="ref-1")
	b = pay("PE-1", "INV-1", 900, d(20), row="ref-2")
	assert [(r.key, r.amount) for r in rows(b, a)] == [
		("Payment Entry|PE-1|ref-1|Sales Invoice|INV-1|2026-06-20", 300),
		("Payment Entry|PE-1|ref-2|Sales Invoice|INV-1|2026-06-20", 700),
	]
	# the same allocation given twice (no row id) is summed, in any order
	assert [r.amount for r in rows(pay("PE-1", "INV-1", 300, d(20)), pay("PE-1", "INV-1", 300, d(20)))] == [
		600
	]


# --- debts ---------------------------------------------------------------------------------------------


def test_a_repayment_on_an_overdue_debt_counts_in_full():
	loan = debt("DEBT-1", "CUST", "CO", 3_000, due_date=d(1, 3), posting_date=d(11), case="CASE-1")
	repaid = Receipt(DEBT_REPAYMENT, "DEBT-1", DEBT, "DEBT-1", 1_200, d(20), row="rep-1")
	(row,) = recoveries([loan], [repaid], [CASE])
	assert (row.amount, row.voucher_type, row.against_type, row.case) == (
		1_200,
		DEBT_REPAYMENT,
		DEBT,
		"CASE-1",
	)
	# repaid beyond what is owed: only what was owed is a recovery
	more = replace(repaid, row="rep-2", amount=2_500, posting_date=d(21))
	assert [r.amount for r in recoveries([loan], [repaid, more], [CASE])] == [1_200, 1_800]


def test_a_debt_not_yet_due_recovers_nothing_and_one_without_due_date_is_overdue():
	repaid = Receipt(DEBT_REPAYMENT, "D", DEBT, "D", 500, d(20))
	future = debt("D", "CUST", "CO", 3_000, due_date=d(1, 9), case="CASE-1")
	assert recoveries([future], [repaid], [CASE]) == []
	undated = debt("D", "CUST", "CO", 3_000, case="CASE-1")
	assert [r.amount for r in recoveries([undated], [repaid], [CASE])] == [500]


def test_a_debts_own_case_takes_its_repayments():
	other = replace(
		CASE, name="CASE-2", customer="OTHER", opened=d(1), holdings=kpi.holdings([(d(1), "cai")])
	)
	loan = debt("D", "CUST", "CO", 3_000, due_date=d(1, 3), case="CASE-2")
	(row,) = recoveries([loan], [Receipt(DEBT_REPAYMENT, "D", DEBT, "D", 500, d(20))], [CASE, other])
	assert (row.case, row.collector) == ("CASE-2", "cai")


# --- the row's case, collector, stage, policy, grade and channel ----------------------------------------


def test_the_row_names_who_held_the_case_and_what_was_in_force_that_day():
	a, b = rows(pay("PE-1", "INV-1", 200, d(14)), pay("PE-2", "INV-1", 300, d(20)))
	assert (a.case, a.customer, a.company, a.currency) == ("CASE-1", "CUST", "CO", "CNY")
	assert (a.collector, a.stage, a.policy, a.grade, a.channel) == ("amy", "Reminder", "Standard", "B", "SMS")
	assert (b.collector, b.stage, b.policy, b.grade, b.channel) == (
		"bob",
		"Demand Letter",
		"Standard",
		"C",
		"SMS",
	)


def test_no_case_open_no_recovery():
	assert rows(pay("PE-1", "INV-1", 500, d(10, 9)), cases=[replace(CASE, closed_on=d(30))]) == []
	assert rows(pay("PE-1", "INV-1", 500, d(20)), cases=[]) == []
	assert rows(pay("PE-1", "INV-9", 500, d(20))) == []  # a receivable not given


def test_timelines_and_channels():
	assert in_force([(d(1), "a"), (d(5), "b"), (d(5), "c")], d(5)) == "c"
	assert in_force([(d(5), "a")], d(4)) == ""
	assert in_force(lambda day: None, d(4)) == ""
	assert last_channel([(d(5), "Phone"), (datetime(2026, 6, 5, 10), "SMS")], d(5)) == "SMS"
	assert last_channel([(d(6), "Phone")], d(5)) == ""


# --- the base: overdue on the day of assignment ----------------------------------------------------------


def test_same_day_allocation_has_a_base():
	today = d(17)
	debts = [
		debt(f"D-{i}", "CUST", "CO", amount, due_date=d(1, 3), posting_date=today, currency="CNY")
		for i, amount in enumerate((1_000, 2_000, 3_000))
	]
	case = replace(CASE, opened=today, holdings=kpi.holdings([(today, "amy")]))
	repaid = [Receipt(DEBT_REPAYMENT, "R-1", DEBT, "D-0", 400, today)]
	assert overdue_at(debts, repaid, today) == 6_000  # imported today counts, today's repayment not off
	assert overdue_at(debts, repaid, today + timedelta(days=1)) == 5_600

	def overdue_on(day):
		return overdue_at(debts, repaid, day)

	for start in (d(1), today):  # a month with the allocation in it, or a period starting that day
		end = d(30)
		(base,) = kpi.case_bases(case.holdings, start, end, overdue_on).values()
		got = kpi_period.received(recoveries(debts, repaid, [case]), start, end)
		fig = kpi.CollectorFigures(
			received=got["amy"].amount, overdue_at_start=base.at_start, assigned_during=base.assigned_during
		)
		assert base.total == 6_000
		assert kpi.kpis(fig, start, end).recovery_rate == pytest.approx(400 / 6_000)


def test_overdue_at_refuses_to_add_up_currencies():
	with pytest.raises(MixedCurrencies):
		overdue_at([INV1, replace(INV2, currency="USD")], [], d(20))


# --- cancels ---------------------------------------------------------------------------------------------


def test_a_cancel_by_reversal_or_by_rebuild():
	first, second = pay("PE-1", "INV-1", 600, d(20)), pay("PE-2", "INV-1", 600, d(21))
	stored = rows(first, second)
	assert [r.amount for r in stored] == [600, 400]
	back = reversal(stored, PAYMENT_ENTRY, "PE-1", on=d(2, 7))
	assert [(r.amount, r.reverses, r.posting_date) for r in back] == [(-600, stored[0].key, d(2, 7))]
	assert reversal(stored + back, PAYMENT_ENTRY, "PE-1") == []  # not reversed twice
	assert without_voucher(stored + back, PAYMENT_ENTRY, "PE-1") == [stored[1]]
	# rebuilt without PE-1, PE-2 now settles all of the overdue term
	write, delete = changes(stored, rows(second))
	assert [(r.key, r.amount) for r in write] == [(stored[1].key, 600)]
	assert delete == [stored[0].key]
	assert changes(stored, rows(second, first)) == ([], [])


# --- properties ------------------------------------------------------------------------------------------

amounts = st.integers(min_value=-500, max_value=5_000)
days = st.integers(min_value=0, max_value=90)
terms_st = st.lists(st.tuples(days, st.integers(min_value=1, max_value=5_000)), min_size=1, max_size=4)
receipts_st = st.lists(st.tuples(days, amounts, st.booleans()), min_size=1, max_size=8)
D0 = date(2026, 5, 1)
OPEN_CASE = CaseLife("C", "CUST", "CO", opened=D0, holdings=kpi.holdings([(D0, "amy"), (d(1), "bob")]))


def _inputs(terms, receipts):
	rec = invoice("INV", *[(D0 + timedelta(days=t), a) for t, a in terms])
	allocs = [
		pay(f"V-{i:02}", "INV", amount, D0 + timedelta(days=t), recovery=is_recovery)
		for i, (t, amount, is_recovery) in enumerate(receipts)
	]
	return rec, allocs


def _covered(rec, paid, day):
	"""Of ``paid`` spread over the terms oldest first, the part on terms overdue on ``day``."""
	left, covered = paid, 0
	for due, amount in sorted((t.due_date, t.amount) for t in rec.terms):
		take = min(left, amount)
		covered += take if due < day else 0
		left -= take
	return covered


def _expected(rec, allocs):
	"""Per receipt, in settling order: the overdue part covered after it less before it."""
	paid, expected = 0, {}
	for a in sorted(allocs, key=lambda a: (a.posting_date, a.voucher_no)):
		after = max(paid + a.amount, 0)
		expected[a.key] = _covered(rec, after, a.posting_date) - _covered(rec, paid, a.posting_date)
		paid = after
	return expected


@given(terms_st, receipts_st)
def test_each_receipt_recovers_what_it_settles_of_the_overdue(terms, receipts):
	rec, allocs = _inputs(terms, receipts)
	got = {r.key: r.amount for r in recoveries([rec], allocs, [OPEN_CASE])}
	expected = _expected(rec, allocs)
	for a in allocs:
		mine = got.get(a.key, 0)
		assert mine == (expected[a.key] if a.recovery else 0)
		if a.amount >= 0 and a.recovery:
			# never more than the receipt; == min(receipt, overdue outstanding on its day)
			earlier = [b for b in allocs if (b.posting_date, b.voucher_no) < (a.posting_date, a.voucher_no)]
			same_day = [b for b in earlier if b.posting_date == a.posting_date]
			overdue = overdue_at([rec], earlier, a.posting_date) - _covered_by(rec, same_day, earlier, a)
			assert 0 <= mine <= a.amount
			assert mine == min(a.amount, max(overdue, 0))


def _covered_by(rec, same_day, earlier, a):
	"""The overdue part the same day's earlier receipts settled (overdue_at leaves the day's own)."""
	before = [b for b in earlier if b.posting_date < a.posting_date]
	paid = 0
	for b in sorted(before, key=lambda b: (b.posting_date, b.voucher_no)):
		paid = max(paid + b.amount, 0)
	after = paid
	for b in sorted(same_day, key=lambda b: b.voucher_no):
		after = max(after + b.amount, 0)
	return _covered(rec, after, a.posting_date) - _covered(rec, paid, a.posting_date)


@given(terms_st, receipts_st, st.randoms(use_true_random=False))
def test_rebuild_is_idempotent_in_any_order(terms, receipts, rnd):
	rec, allocs = _inputs(terms, receipts)
	other = replace(OPEN_CASE, name="X", customer="OTHER")
	first = recoveries([rec, INV2], allocs, [OPEN_CASE, other])
	shuffled = allocs[:]
	rnd.shuffle(shuffled)
	flipped = replace(rec, terms=tuple(reversed(rec.terms)))
	again = recoveries([INV2, flipped], shuffled, [other, OPEN_CASE])
	assert again == first
	assert len({r.key for r in first}) == len(first)
	assert changes(first, again) == ([], [])


@given(terms_st, receipts_st, st.data())
def test_reversal_nets_to_zero(terms, receipts, data):
	rec, allocs = _inputs(terms, receipts)
	stored = recoveries([rec], allocs, [OPEN_CASE])
	voucher = data.draw(st.sampled_from([a.voucher_no for a in allocs]))
	back = reversal(stored, PAYMENT_ENTRY, voucher, on=d(1, 12))
	both = stored + back
	assert sum(r.amount for r in both if r.voucher_no == voucher) == 0
	assert len({r.key for r in both}) == len(both)
	total_before = sum(r.amount for r in stored)
	kept = sum(r.amount for r in stored if r.voucher_no != voucher)
	assert sum(r.amount for r in both) == kept
	assert sum(r.amount for r in without_voucher(stored, PAYMENT_ENTRY, voucher)) == kept
	assert total_before - kept == sum(r.amount for r in stored if r.voucher_no == voucher)


def test_rows_are_in_a_stable_order():
	rng = random.Random(7)
	allocs = [pay(f"PE-{i}", "INV-1", 100, d(11 + i % 5)) for i in range(10)]
	shuffled = allocs[:]
	rng.shuffle(shuffled)
	assert rows(*allocs) == rows(*shuffled)
