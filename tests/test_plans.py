from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import plans as p

D = date(2026, 11, 1)


def _plan():
	return [(D, 300.0), (D + timedelta(days=30), 300.0), (D + timedelta(days=60), 400.0)]


def test_installments_paid_in_due_order_and_on_time():
	s = p.installment_states(_plan(), [(D - timedelta(days=1), 300)], D + timedelta(days=5))
	assert [x.status for x in s] == [p.PAID, p.PENDING, p.PENDING]
	assert p.plan_outcome(s) == p.IN_EFFECT
	assert p.next_due(s) == D + timedelta(days=30)


def test_missed_installment_breaks_the_plan_after_grace():
	on = D + timedelta(days=2)
	assert p.installment_states(_plan(), [], on, grace_days=3)[0].status == p.LATE
	s = p.installment_states(_plan(), [], D + timedelta(days=4), grace_days=3)
	assert s[0].status == p.MISSED and p.plan_outcome(s) == p.BROKEN
	assert p.first_missed(s).due_date == D


def test_late_payment_is_paid_late_and_part_payment_is_not_paid():
	s = p.installment_states(_plan(), [(D + timedelta(days=2), 350)], D + timedelta(days=3), grace_days=3)
	assert s[0].status == p.PAID_LATE and s[0].paid_on == D + timedelta(days=2)
	assert s[1].paid == 50 and s[1].status == p.PENDING


def test_receipts_after_the_run_date_do_not_count():
	s = p.installment_states(_plan(), [(D + timedelta(days=1), 300)], D)
	assert s[0].status == p.PENDING and s[0].paid == 0


def test_completed_plan_leaves_the_case_in_progress_and_broken_resumes():
	s = p.installment_states(_plan(), [(D, 1000)], D)
	assert p.plan_outcome(s) == p.COMPLETED
	assert p.after_plan("Repayment Plan", p.COMPLETED) == "In Progress"
	assert p.after_plan("Repayment Plan", p.BROKEN) == "Open"
	assert p.after_plan("Paused", p.BROKEN) == "Paused"
	assert p.after_plan("Repayment Plan", p.IN_EFFECT) == "Repayment Plan"


amounts = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=5)


@given(amounts, st.lists(st.tuples(st.integers(0, 90), st.integers(1, 600)), max_size=6), st.integers(0, 120))
def test_paid_never_exceeds_received_or_installment(inst, receipts, day):
	rows = [(D + timedelta(days=30 * i), float(a)) for i, a in enumerate(inst)]
	money = [(D + timedelta(days=d), float(a)) for d, a in receipts]
	on = D + timedelta(days=day)
	s = p.installment_states(rows, money, on, grace_days=2)
	received = sum(a for d, a in money if d <= on)
	assert sum(x.paid for x in s) <= received + 0.01
	assert all(x.paid <= x.amount + 0.01 for x in s)
	# covered oldest first: once one is not fully paid, none later has any money
	short = [i for i, x in enumerate(s) if x.paid + 0.005 < x.amount]
	if short:
		assert all(x.paid == 0 for x in s[short[0] + 1 :])
	assert sum(x.paid for x in s) >= min(received, sum(inst)) - 0.01
