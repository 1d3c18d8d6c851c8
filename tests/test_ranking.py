"""My Day ranking: expected recovery = amount × likelihood, with the reason in words."""

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import ranking as rk
from collections_module.policy.ranking import BROKEN, KEPT, RankInput, rank

GOOD = RankInput(
	amount=10_000,
	days_overdue=12,
	invoices_due=10,
	invoices_paid=8,
	avg_days_late=0,
	promises_kept=1,
	last_promise=KEPT,
)
BAD = RankInput(
	amount=10_000,
	days_overdue=12,
	invoices_due=10,
	invoices_paid=3,
	avg_days_late=45,
	promises_broken=3,
	last_promise=BROKEN,
)

counts = st.integers(min_value=0, max_value=500)
days = st.integers(min_value=-30, max_value=3_650)
money = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
lateness = st.one_of(st.none(), st.floats(min_value=-10, max_value=3_650, allow_nan=False))
inputs = st.builds(
	RankInput,
	amount=money,
	days_overdue=days,
	stage=st.sampled_from(["", "Overdue Week 1", "Manager"]),
	stage_level=st.integers(min_value=-1, max_value=9),
	invoices_due=counts,
	invoices_paid=counts,
	avg_days_late=lateness,
	promises_kept=counts,
	promises_broken=counts,
	last_promise=st.sampled_from([None, KEPT, BROKEN]),
)


def test_good_payer_with_a_kept_promise_outranks_a_same_amount_promise_breaker():
	good, bad = rank(GOOD), rank(BAD)
	assert good.score > bad.score
	assert good.band == rk.HIGH and bad.band == rk.LOW


def test_reason_reads_as_the_work_order_example():
	r = rank(GOOD)
	assert r.text == "High: pays 8 of 10 invoices, usually on time, kept its last promise, 12 days overdue"
	r = rank(BAD)
	assert r.text == (
		"Low: pays 3 of 10 invoices, on average 45 days late, broke its last promise, "
		"kept 0 of 3 promises, 12 days overdue"
	)


def test_reason_parts_are_templates_filled_after_translation():
	zh = {"High": "高", "pays {0} of {1} invoices": "{1} 张发票中付清 {0} 张", "{0}: {1}": "{0}:{1}"}
	text = rk.reason_text(rank(GOOD), lambda s: zh.get(s, s))
	assert text.startswith("高:10 张发票中付清 8 张, ")


def test_no_history_and_no_promises_count_as_even():
	r = rank(RankInput(amount=100, days_overdue=0))
	assert r.likelihood == pytest.approx(0.5)
	assert r.score == pytest.approx(50)
	assert r.reasons[0] == ("no payment history yet", ())
	assert "usually on time" not in r.text  # nothing paid, nothing said about punctuality


def test_one_day_is_singular_and_stage_shows_only_when_escalated():
	assert ("1 day overdue", ()) in rank(RankInput(amount=1, days_overdue=1)).reasons
	low = rank(RankInput(amount=1, days_overdue=5, stage="Overdue Week 1", stage_level=0))
	assert not any("stage" in t for t, _ in low.reasons)
	high = rank(RankInput(amount=1, days_overdue=40, stage="Manager", stage_level=2))
	assert ("escalated to the {0} stage", ("Manager",)) in high.reasons
	assert high.text.endswith("40 days overdue, escalated to the Manager stage")


def test_edges_nothing_owed_negative_amount_and_bad_numbers():
	assert rank(replace(GOOD, amount=0)).score == 0
	assert rank(replace(GOOD, amount=-500)).score == 0  # a credit is nothing to recover
	assert rank(replace(GOOD, amount=float("nan"))).score == 0
	r = rank(replace(GOOD, avg_days_late=float("inf")))
	assert 0 <= r.likelihood <= 1
	# more paid than due (a stale count) is read as all paid, never above one
	assert (
		rank(replace(GOOD, invoices_paid=50)).likelihood == rank(replace(GOOD, invoices_paid=10)).likelihood
	)


def test_age_halves_the_likelihood_at_the_half_days():
	young = rank(replace(GOOD, days_overdue=0)).likelihood
	old = rank(replace(GOOD, days_overdue=int(rk.AGE_HALF_DAYS))).likelihood
	assert old == pytest.approx(young / 2)


@pytest.mark.parametrize(
	"p, band",
	[(0.0, "Low"), (0.2499, "Low"), (0.25, "Medium"), (0.4999, "Medium"), (0.5, "High"), (1, "High")],
)
def test_band_edges(p, band):
	assert rk.band(p) == band


# --- properties -----------------------------------------------------------------------------------


@given(inputs)
def test_likelihood_in_0_1_and_score_never_negative(i):
	r = rank(i)
	assert 0.0 <= r.likelihood <= 1.0
	assert r.score >= 0 and math.isfinite(r.score)
	assert r.band in (rk.HIGH, rk.MEDIUM, rk.LOW)
	assert r.text.startswith(f"{r.band}: ")


@given(inputs, money)
def test_more_overdue_amount_never_lowers_the_expected_recovery(i, extra):
	assert rank(replace(i, amount=i.amount + extra)).score >= rank(i).score
	# and the amount alone never changes the likelihood
	assert rank(replace(i, amount=i.amount + extra)).likelihood == rank(i).likelihood


@given(inputs, st.integers(min_value=1, max_value=500))
def test_older_debt_never_raises_the_likelihood(i, more):
	assert rank(replace(i, days_overdue=i.days_overdue + more)).likelihood <= rank(i).likelihood


@given(inputs)
def test_one_more_invoice_paid_never_lowers_the_likelihood(i):
	assume_paid = min(i.invoices_paid, i.invoices_due)
	if assume_paid < i.invoices_due:
		better = replace(i, invoices_paid=assume_paid + 1)
		assert rank(better).likelihood >= rank(replace(i, invoices_paid=assume_paid)).likelihood - 1e-12


@given(inputs, st.integers(min_value=1, max_value=50))
def test_broken_promises_never_raise_and_kept_never_lower_the_likelihood(i, n):
	p = rank(i).likelihood
	assert rank(replace(i, promises_broken=i.promises_broken + n)).likelihood <= p
	assert rank(replace(i, promises_kept=i.promises_kept + n)).likelihood >= p


@given(inputs)
def test_a_kept_last_promise_beats_a_broken_one(i):
	assert rank(replace(i, last_promise=KEPT)).likelihood > rank(replace(i, last_promise=BROKEN)).likelihood


@given(inputs, st.floats(min_value=0.5, max_value=365))
def test_paying_later_never_raises_the_likelihood(i, more):
	base = replace(i, avg_days_late=max(i.avg_days_late or 0, 0))
	later = replace(base, avg_days_late=base.avg_days_late + more)
	assert rank(later).likelihood <= rank(base).likelihood


@given(inputs)
def test_escalation_never_raises_the_likelihood(i):
	level = max(min(i.stage_level, rk.MAX_STAGE_LEVEL), 0)
	assert (
		rank(replace(i, stage_level=level + 1)).likelihood <= rank(replace(i, stage_level=level)).likelihood
	)


@given(inputs)
def test_no_case_scores_above_its_upper_bound(i):
	assert rank(i).score <= rk.upper_bound(i.amount, i.days_overdue) * (1 + 1e-12)


def test_upper_bound_is_the_amount_times_the_age_factor():
	assert rk.upper_bound(900, 90) == pytest.approx(450)
	assert rk.upper_bound(-5, 3) == 0


@given(inputs)
def test_explaining_changes_nothing_but_the_reasons(i):
	quick, full = rank(i, explain=False), rank(i)
	assert (quick.score, quick.likelihood, quick.band) == (full.score, full.likelihood, full.band)
	assert quick.reasons == () and full.reasons
