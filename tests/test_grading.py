"""Risk grade A–D (R-E3, R-G3): points per stated fact, bands, monotonic, why this grade."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import grading as gr
from collections_module.policy.grading import (
	CONTACTABLE,
	DEFAULT_BANDS,
	LOST_CONTACT,
	GradeInput,
	Weights,
	grade,
	grade_change,
	grade_for,
)

GOOD = GradeInput(invoices_due=10, invoices_late=1, avg_days_late=5, amount=20_000, days_overdue=20)
POOR = GradeInput(
	invoices_due=10,
	invoices_late=5,
	promises_broken=2,
	amount=20_000,
	days_overdue=120,
	contact=LOST_CONTACT,
)


def test_the_documented_examples():
	g = grade(GOOD)
	assert (g.grade, g.score) == ("A", 3)
	p = grade(POOR)
	assert (p.grade, p.score) == ("D", 66)


def test_factors_explain_the_grade_most_points_first():
	g = grade(POOR)
	assert g.factors == (
		("{0} days overdue", (120,), 20),  # equal points keep the fixed order: age before contact
		("lost contact", (), 20),
		("broke {0} promises", (2,), 16),
		("{0} of {1} invoices paid late or still unpaid", (5, 10), 10),
		("{0} outstanding", (20_000,), 0),
	)
	assert sum(points for _, _, points in g.factors) == g.score
	assert (
		g.text
		== "D (66): 120 days overdue +20, lost contact +20, broke 2 promises +16, 5 of 10 invoices paid late or still unpaid +10"
	)


def test_grade_text_translates_templates():
	zh = {"lost contact": "失联", "{0} days overdue": "逾期 {0} 天"}
	text = gr.grade_text(grade(POOR), lambda s: zh.get(s, s))
	assert text.startswith("D (66): 逾期 120 天 +20, 失联 +20")


def test_a_clean_record_scores_nothing_but_states_the_facts():
	g = grade(GradeInput(invoices_due=4, invoices_late=0, avg_days_late=0, contact=CONTACTABLE))
	assert (g.grade, g.score) == ("A", 0)
	assert {t for t, _, _ in g.factors} == {
		"{0} of {1} invoices paid late or still unpaid",
		"usually on time",
		"{0} outstanding",
		"not overdue",
		"contactable",
	}
	assert g.text == "A (0)"


def test_no_history_counts_a_little():
	g = grade(GradeInput())
	assert g.score == gr.NO_HISTORY_POINTS
	assert ("no payment history yet", (), 5) in g.factors


@pytest.mark.parametrize(
	"score, letter", [(0, "A"), (19, "A"), (20, "B"), (39, "B"), (40, "C"), (59, "C"), (60, "D"), (500, "D")]
)
def test_band_boundaries(score, letter):
	assert grade_for(score) == letter


@pytest.mark.parametrize(
	"facts, score, letter",
	[
		(GradeInput(invoices_due=1, contact=LOST_CONTACT), 20, "B"),  # exactly at B
		(GradeInput(invoices_due=1, promises_broken=2, days_overdue=31), 21, "B"),
		(GradeInput(invoices_due=1, promises_broken=3, days_overdue=61), 34, "B"),
		(GradeInput(invoices_due=1, contact=LOST_CONTACT, days_overdue=91), 40, "C"),  # exactly at C
		(GradeInput(invoices_due=1, contact=LOST_CONTACT, days_overdue=90), 30, "B"),  # a day short
		(GradeInput(invoices_due=2, invoices_late=2, days_overdue=181, promises_broken=1), 58, "C"),
		(GradeInput(invoices_due=1, contact=LOST_CONTACT, days_overdue=181, disputed=True), 60, "D"),
		(GradeInput(invoices_due=1, contact=LOST_CONTACT, days_overdue=180, disputed=True), 50, "C"),
	],
)
def test_real_facts_at_the_band_edges(facts, score, letter):
	g = grade(facts)
	assert (g.score, g.grade) == (score, letter)


@pytest.mark.parametrize(
	"amount, points", [(49_999.99, 0), (50_000, 5), (199_999, 5), (200_000, 10), (1_000_000, 15), (-5, 0)]
)
def test_amount_steps(amount, points):
	assert ("{0} outstanding", (round(max(amount, 0), 2),), points) in gr.factors(GradeInput(amount=amount))


@pytest.mark.parametrize("days, points", [(0, 0), (30, 0), (31, 5), (61, 10), (91, 20), (180, 20), (181, 30)])
def test_age_steps_follow_the_ladder_months(days, points):
	fs = gr.factors(GradeInput(days_overdue=days))
	assert next(p for t, _, p in fs if "overdue" in t) == points


def test_days_late_points_grow_to_the_full_mark_and_stop():
	def pts(days):
		fs = gr.factors(GradeInput(invoices_due=3, avg_days_late=days))
		return next(
			p for t, _, p in fs if "late on average" in t or "days late" in t or t == "usually on time"
		)

	assert [pts(d) for d in (0, 0.4, 30, 60, 365)] == [0, 0, 8, 15, 15]  # 7.5 rounds up
	assert ("1 day late on average", (), 0) in gr.factors(GradeInput(invoices_due=3, avg_days_late=1))


def test_broken_promises_count_up_to_the_maximum():
	def pts(n):
		return grade(GradeInput(invoices_due=1, promises_broken=n)).score

	assert [pts(n) for n in (0, 1, 2, 3, 4, 10)] == [0, 8, 16, 24, 24, 24]
	assert ("broke 1 promise", (), 8) in grade(GradeInput(promises_broken=1)).factors


def test_blacklisted_is_at_least_d_even_with_a_low_score():
	g = grade(replace(GOOD, blacklisted=True))
	assert g.score == 33 and g.grade == "D"
	assert ("blacklisted: grade {0} at best", ("D",), 30) in g.factors
	no_floor = Weights(blacklisted_floor=None)
	g = grade(replace(GOOD, blacklisted=True), no_floor)
	assert g.grade == "B" and ("blacklisted", (), 30) in g.factors


def test_disputed_adds_points():
	assert grade(replace(GOOD, disputed=True)).score == grade(GOOD).score + gr.DISPUTED_POINTS


def test_administrator_weights_and_bands():
	strict = {"A": 0, "B": 2, "C": 4, "D": 6}
	assert grade(GOOD, bands=strict).grade == "B"
	heavy = Weights(late_share_points=100)
	assert grade(GOOD, heavy).score == 10 + 1


def test_validate_bands():
	assert gr.validate_bands(DEFAULT_BANDS) == []
	assert gr.validate_bands({"A": 0, "B": 20}) == [
		"Grade C needs a starting score.",
		"Grade D needs a starting score.",
	]
	assert gr.validate_bands({"A": 5, "B": 20, "C": 20, "D": 10}) == [
		"Grade A must start at a score of 0, not 5.",
		"Grade C must start at a higher score than grade B (20 ≤ 20).",
		"Grade D must start at a higher score than grade C (10 ≤ 20).",
	]


def test_grade_change_logs_only_a_new_letter():
	b30 = gr.Grade("B", 30, ())
	b35 = gr.Grade("B", 35, ())
	c45 = gr.Grade("C", 45, ())
	assert grade_change(None, b30)  # the first grade
	assert not grade_change(b30, b35)  # the score moved within the band
	assert grade_change(b35, c45)
	assert grade_change("C", "B")  # letters work too
	assert not grade_change("B", "B")
	assert not grade_change(b30, None)  # nothing to log without a new grade


def test_measures_follow_the_grade():
	assert gr.measures("A") == ("Phone", "Letter")
	assert "Legal" in gr.measures(grade(POOR))
	assert gr.measures("?") == ()


# --- properties: a worse fact never improves the grade -----------------------------------------------

counts = st.integers(0, 60)
facts = st.builds(
	GradeInput,
	invoices_due=counts,
	invoices_late=counts,
	avg_days_late=st.one_of(st.none(), st.floats(-5, 400, allow_nan=False)),
	promises_broken=st.integers(0, 8),
	amount=st.floats(-100, 5e6, allow_nan=False),
	days_overdue=st.integers(-30, 1_000),
	contact=st.sampled_from([None, CONTACTABLE, LOST_CONTACT]),
	blacklisted=st.booleans(),
	disputed=st.booleans(),
)
CONTACT_RANK = {CONTACTABLE: 0, None: 1, LOST_CONTACT: 2}


def no_better(worse: GradeInput, base: GradeInput) -> None:
	a, b = grade(worse), grade(base)
	assert a.score >= b.score
	assert gr.GRADES.index(a.grade) >= gr.GRADES.index(b.grade)


@given(facts, st.integers(1, 20))
def test_more_late_invoices_never_improve(i, more):
	due = max(i.invoices_due, 1)
	late = min(i.invoices_late, due)
	base = replace(i, invoices_due=due, invoices_late=late)
	no_better(replace(base, invoices_late=min(late + more, due)), base)
	no_better(
		replace(base, invoices_due=due + more, invoices_late=late + more), base
	)  # new invoices, all late


@given(facts, st.floats(0.1, 400))
def test_paying_later_never_improves(i, more):
	base = replace(i, avg_days_late=max(i.avg_days_late or 0, 0))
	no_better(replace(base, avg_days_late=base.avg_days_late + more), base)


@given(facts, st.integers(1, 10))
def test_more_broken_promises_never_improve(i, more):
	no_better(replace(i, promises_broken=i.promises_broken + more), i)


@given(facts, st.floats(0, 5e6))
def test_more_owed_never_improves(i, more):
	no_better(replace(i, amount=i.amount + more), i)


@given(facts, st.integers(1, 400))
def test_older_debt_never_improves(i, more):
	no_better(replace(i, days_overdue=i.days_overdue + more), i)


@given(facts, st.sampled_from([None, CONTACTABLE, LOST_CONTACT]))
def test_losing_contact_never_improves(i, other):
	worse, better = sorted([i.contact, other], key=CONTACT_RANK.get, reverse=True)
	no_better(replace(i, contact=worse), replace(i, contact=better))


@given(facts)
def test_a_blacklist_or_a_dispute_never_improves(i):
	no_better(replace(i, blacklisted=True), replace(i, blacklisted=False))
	no_better(replace(i, disputed=True), replace(i, disputed=False))


@given(facts)
def test_every_grade_is_explained(i):
	g = grade(i)
	assert g.grade in gr.GRADES
	assert g.score == sum(p for _, _, p in g.factors) and g.score >= 0
	assert [p for _, _, p in g.factors] == sorted((p for _, _, p in g.factors), reverse=True)
	assert g.grade == (gr.worse_of(grade_for(g.score), "D") if i.blacklisted else grade_for(g.score))
	assert g.text.startswith(f"{g.grade} ({g.score})")


def test_the_override_wins_and_an_empty_override_leaves_the_computed_grade():
	from collections_module.policy.grading import effective_grade

	assert effective_grade("C", "A") == "A"
	assert effective_grade("C", "") == "C"
	assert effective_grade("C", None) == "C"
	assert effective_grade(None, None) is None
	assert effective_grade("B", "Z") == "B"  # not a grade: ignored


def test_bands_from_settings_grade_at_their_edges():
	from collections_module.policy.grading import bands_from, grade_for, validate_bands

	bands = bands_from(10, 30, 50)
	assert validate_bands(bands) == []
	assert [grade_for(s, bands) for s in (0, 9, 10, 29, 30, 49, 50, 200)] == list("AABBCCDD")
	assert validate_bands(bands_from(30, 30, 50))  # C must start above B


def test_history_input_counts_unpaid_and_late_paid_invoices_as_late():
	from collections_module.policy.grading import grade, history_input

	i = history_input(10, 2, 3, 12.0, amount=1000.0, days_overdue=40)
	assert (i.invoices_due, i.invoices_late, i.avg_days_late) == (10, 5, 12.0)
	g = grade(i)
	assert ("{0} of {1} invoices paid late or still unpaid", (5, 10), 10) in g.factors
