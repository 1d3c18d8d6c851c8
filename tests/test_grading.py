"""Risk grade A–D (R-E3, R-G3): points per stated fact, bands, monotonic, why this grade."""

from dataclasses import fields, replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import grade_settings as gs
from collections_module.policy import grading as gr
from collections_module.policy import ladder as lad
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
		(GradeInput(invoices_due=2, invoices_late=2, days_overdue=180, promises_broken=1), 48, "C"),
		# beyond 180 days overdue: legal review, at least D whatever the score
		(GradeInput(invoices_due=2, invoices_late=2, days_overdue=181, promises_broken=1), 58, "D"),
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
	floored = i.blacklisted or i.days_overdue > gr.LEGAL_REVIEW_DAYS
	assert g.grade == (gr.worse_of(grade_for(g.score), "D") if floored else grade_for(g.score))
	assert g.legal_review == (i.days_overdue > gr.LEGAL_REVIEW_DAYS)
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


# --- issue 19: long overdue -> legal review, debts in the history, settings, grade policies -------------


def test_debt_1000_days_overdue_is_proposed_for_legal_review():
	old_debt = GradeInput(invoices_due=1, invoices_late=1, amount=60_000, days_overdue=1_000)
	g = grade(old_debt)
	assert g.score == 20 + 5 + 30 and grade_for(g.score) == "C"  # the score alone says C ...
	assert g.grade == "D" and g.legal_review  # ... the age says legal review
	assert gr.measures(g)[-1] == gr.LEGAL_REVIEW and "Legal" in gr.measures(g)
	assert ("{0} days overdue: legal review, grade {1} at best", (1_000, "D"), 30) in g.factors
	assert gr.legal_review_proposal(1_000) == (True, gr.LEGAL_REVIEW_REASON, (1_000, 180))
	assert gr.legal_review_proposal(180) == (False, "", ())
	assert not grade(replace(old_debt, days_overdue=180)).legal_review


def test_the_legal_threshold_is_a_setting_and_can_be_switched_off():
	old_debt = GradeInput(invoices_due=1, days_overdue=400)
	assert grade(old_debt, Weights(legal_review_days=500)).grade == "B"
	assert grade(old_debt, Weights(legal_review_days=0)).legal_review is False
	no_floor = grade(old_debt, Weights(legal_review_floor=None))
	assert no_floor.legal_review and no_floor.grade == "B"
	assert no_floor.factors[0] == ("{0} days overdue: legal review", (400,), 30)
	quiet = grade(old_debt, Weights(age_steps=()))  # no points for age: the reason is still shown
	assert quiet.text == "D (0): 400 days overdue: legal review, grade D at best +0"


def test_debt_repayments_count_in_payment_history():
	today = date(2026, 6, 1)
	on_time = gr.DebtRecord(date(2026, 1, 31), 1_000, ((date(2026, 1, 10), 400), (date(2026, 1, 31), 600)))
	late = gr.DebtRecord(date(2026, 2, 28), 500, ((date(2026, 3, 10), 500),))
	unpaid = gr.DebtRecord(date(2026, 3, 31), 800, ((date(2026, 4, 5), 300),))
	not_due = gr.DebtRecord(date(2026, 7, 1), 100)
	record = gr.debt_record([on_time, late, unpaid, not_due], today)
	assert record == gr.PaymentRecord(due=3, unpaid=1, paid_late=1, avg_days_late=5.0)
	# a repayment not made yet on the day asked about does not count
	assert gr.debt_record([late], date(2026, 3, 5)) == gr.PaymentRecord(1, 1, 0, None)

	debts_only = gr.history_input(0, 0, 0, None, debts=[on_time, late, unpaid, not_due], today=today)
	assert (debts_only.invoices_due, debts_only.invoices_late, debts_only.avg_days_late) == (3, 2, 5.0)
	g = grade(debts_only)
	assert ("{0} of {1} debts repaid late or still unpaid", (2, 3), 13) in g.factors
	assert "no payment history yet" not in {t for t, _, _ in g.factors}
	# alongside invoices: 4 invoices, 1 unpaid, 1 paid late, the 3 paid ones 10 days late on average
	both = gr.history_input(4, 1, 1, 10.0, debts=record, amount=5.0)
	assert (both.invoices_due, both.invoices_late, both.debts_due, both.amount) == (7, 4, 3, 5.0)
	assert both.avg_days_late == pytest.approx((10 * 3 + 5 * 2) / 5)
	assert gr.factors(both)[0][0] == "{0} of {1} invoices and debts paid late or still unpaid"
	with pytest.raises(ValueError):
		gr.history_input(0, 0, 0, None, debts=[late])  # raw repayments need the day


def test_history_input_without_debts_is_unchanged():
	assert gr.history_input(10, 2, 3, 0.1) == GradeInput(invoices_due=10, invoices_late=5, avg_days_late=0.1)


def test_weights_and_bands_from_settings():
	settings = {
		"late_share_points": 100,
		"broken_promise_max": "5",
		"amount_steps": "10000:2, 50000:8",
		"age_steps": [(30, 1), (90, 50)],
		"legal_review_days": 365,
		"blacklisted_floor": "None",
		"grade_b_from": 10,
		"grade_c_from": 30,
		"grade_d_from": 0,  # unset: the default
		"disputed_points": None,
		"default_policy": "anything else is ignored",
	}
	w, bands, errors = gs.weights_from(settings)
	assert errors == []
	assert (w.late_share_points, w.broken_promise_max, w.legal_review_days) == (100, 5, 365)
	assert w.amount_steps == ((10_000, 2), (50_000, 8)) and w.age_steps == ((30, 1), (90, 50))
	assert w.blacklisted_floor is None and w.disputed_points == gr.DISPUTED_POINTS
	assert bands == {"A": 0, "B": 10, "C": 30, "D": 60}
	assert grade(GOOD, w, bands).score == 10 + 2 + 1  # the settings drive the score
	assert gs.weights_from(None) == (gr.DEFAULT_WEIGHTS, DEFAULT_BANDS, [])


def test_bad_settings_are_refused_with_messages_and_keep_their_defaults():
	w, bands, errors = gs.weights_from(
		{
			"late_share_points": -1,
			"days_late_full": 0,
			"broken_promise_max": 2.5,
			"amount_steps": "10000:5, 5000:x",
			"age_steps": [(30, 10), (60, 5)],
			"legal_review_floor": "E",
			"grade_b_from": "twenty",
			"grade_c_from": 70,
		}
	)
	assert errors == [
		"late_share_points: must be a number at least 0, not -1.",
		"days_late_full: must be a number more than 0, not 0.",
		"broken_promise_max: must be a whole number, not 2.5.",
		"amount_steps: give non-negative 'from:points' pairs, not '10000:5, 5000:x'.",
		"age_steps: the points must not fall as the value rises.",
		"legal_review_floor: 'E' is not a grade (A, B, C, D).",
		"grade_b_from: must be a number, not 'twenty'.",
		"Grade D must start at a higher score than grade C (60 ≤ 70).",
	]
	assert w == gr.DEFAULT_WEIGHTS and bands == DEFAULT_BANDS
	assert gs.validate_settings({"grade_c_from": 70}) == errors[-1:]


@given(
	st.dictionaries(
		st.sampled_from([f.name for f in fields(Weights)] + list(gs.BAND_FIELDS.values())),
		st.one_of(st.none(), st.integers(-5, 500), st.floats(), st.text(max_size=8), st.sampled_from("ABCD")),
	),
	facts,
)
def test_any_settings_give_a_usable_grade(settings, i):
	w, bands, _errors = gs.weights_from(settings)
	assert gr.validate_bands(bands) == []
	assert grade(i, w, bands).grade in gr.GRADES


def test_default_grade_policy_mapping_covers_every_grade():
	assert set(gs.DEFAULT_GRADE_POLICIES) == set(gr.GRADES)
	# A to C keep the source's ladder; D, the riskiest, follows a firm one ending in a legal review (the
	# Firm Ladder ships for an administrator to give to C)
	assert gs.DEFAULT_GRADE_POLICIES["A"] == gs.DEFAULT_GRADE_POLICIES["C"] == "Standard Ladder"
	assert gs.DEFAULT_GRADE_POLICIES["D"] == gs.LEGAL_POLICY
	for policy in gs.DEFAULT_GRADE_POLICIES.values():
		stages = list(gs.GRADE_LADDERS[policy])
		assert lad.validate_stages(stages) == [], policy
		assert all(s.action in lad.ACTIONS for s in stages)
	firm, legal = gs.GRADE_LADDERS[gs.FIRM_POLICY], gs.GRADE_LADDERS[gs.LEGAL_POLICY]
	std = lad.DEFAULT_LADDER
	# firmer: every mark of the ladder comes sooner than on the standard ladder
	assert (
		lad.case_stage_for(list(firm), 61).action
		== lad.STOCK_LOCK
		!= lad.case_stage_for(list(std), 61).action
	)
	last = legal[-1]
	assert (last.name, last.from_day, last.to_day, last.needs_approval) == (gr.LEGAL_REVIEW, 61, None, True)
	assert gs.legal_track(120)[-1].from_day == 120 and gs.legal_track(120)[-2].to_day == 119
	with pytest.raises(ValueError):
		gs.legal_track(20)
	assert gs.grade_policy_rows() == [
		{"grade": "A", "policy": "Standard Ladder", "approach": "Gentle"},
		{"grade": "B", "policy": "Standard Ladder", "approach": "Gentle"},
		{"grade": "C", "policy": "Standard Ladder", "approach": "Firmer"},
		{"grade": "D", "policy": "Legal Track", "approach": "Firm, then legal review"},
	]
	row = gs.stage_rows(legal)[-1]
	assert row | {"channels": "Letter", "open_ended": 1, "to_day": 0} == row
	assert row["owner_role"] == "Collection Manager" and row["escalate_to_role"] == "Business Owner"
