"""Legal and outsourced collection (R-F1..R-F4) and the outcome evaluation (R-G6)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import legal as lg
from collections_module.policy.legal import (
	CLOSED,
	LAWSUIT,
	LAWYERS_LETTER,
	LEGAL_TYPES,
	OUTCOME_KEYS,
	STAGES,
	OutcomeInput,
	next_stages,
	outcome_rows,
	outcome_total,
	propose_legal_review,
	stage_errors,
)

# --- types and stages -------------------------------------------------------------------------------


def test_legal_types():
	assert LEGAL_TYPES == (
		"Agency Referral",
		"Lawyer's Letter",
		"Lawsuit",
		"Enforcement",
		"Restructuring",
		"Non-Performing Disposal",
	)
	assert set(STAGES) == set(LEGAL_TYPES)


@pytest.mark.parametrize("legal_type", LEGAL_TYPES)
def test_every_type_ends_closed_with_stages_once(legal_type):
	order = STAGES[legal_type]
	assert order[-1] == CLOSED and len(set(order)) == len(order) >= 3


def test_a_lawsuit_walks_its_stages_in_order():
	assert STAGES[LAWSUIT] == ("Filed", "Hearing", "Judgment", "Enforcement", CLOSED)
	assert next_stages(LAWSUIT, None) == ("Filed",)
	assert next_stages(LAWSUIT, "") == ("Filed",)
	assert next_stages(LAWSUIT, "Filed") == ("Hearing", CLOSED)
	assert next_stages(LAWSUIT, "Hearing") == ("Judgment", CLOSED)  # settled at the hearing
	assert next_stages(LAWSUIT, "Judgment") == ("Enforcement", CLOSED)  # paid after judgment
	assert next_stages(LAWSUIT, "Enforcement") == (CLOSED,)
	assert next_stages(LAWSUIT, CLOSED) == ()


def test_a_lawyers_letter_is_approved_before_it_is_sent():
	assert next_stages(LAWYERS_LETTER, "Requested") == ("Approved", CLOSED)
	assert stage_errors(LAWYERS_LETTER, "Requested", "Sent") == [
		("{0}: cannot move from {1} to {2}", (LAWYERS_LETTER, "Requested", "Sent"))
	]
	assert (LAWYERS_LETTER, "Approved") in lg.APPROVAL_STAGES


def test_stage_errors():
	assert stage_errors(LAWSUIT, "Filed", "Hearing") == []
	assert stage_errors(LAWSUIT, "Hearing", "Filed")  # never back
	assert stage_errors(LAWSUIT, "Filed", "Judgment")  # nor skipping
	assert stage_errors(LAWSUIT, CLOSED, "Filed")  # nor reopening
	assert stage_errors(LAWSUIT, None, "Filed") == [
		("{0}: prepare the evidence before {1}", (LAWSUIT, "Filed"))
	]
	assert stage_errors(LAWSUIT, None, "Filed", evidence_ready=True) == []
	assert stage_errors(LAWSUIT, None, "Hearing")[0][1] == (LAWSUIT, "new", "Hearing")


def test_unknown_type_or_stage_is_refused():
	with pytest.raises(ValueError):
		next_stages("Duel", None)
	with pytest.raises(ValueError):
		next_stages(LAWSUIT, "Sent")


@given(st.sampled_from(LEGAL_TYPES), st.data())
def test_next_stages_only_move_forward_and_closed_is_always_reachable(legal_type, data):
	order = STAGES[legal_type]
	current = data.draw(st.sampled_from(order[:-1]))
	following = next_stages(legal_type, current)
	assert CLOSED in following
	assert all(order.index(s) > order.index(current) for s in following)
	assert following[0] == order[order.index(current) + 1]


# --- proposing a legal review -----------------------------------------------------------------------


@pytest.mark.parametrize(
	"lost, broken, threshold, expected",
	[
		(True, 0, 3, (True, lg.LOST_CONTACT_REASON, ())),
		(False, 3, 3, (True, lg.BROKEN_REASON, (3, 3))),  # at the threshold
		(False, 5, 3, (True, lg.BROKEN_REASON, (5, 3))),
		(False, 2, 3, (False, lg.NOT_YET_REASON, (2, 3))),
		(True, 4, 3, (True, lg.BOTH_REASON, (4, 3))),
		(False, 9, 0, (False, lg.OFF_REASON, ())),  # no threshold set: the trigger is off
		(True, 9, 0, (True, lg.LOST_CONTACT_REASON, ())),  # lost contact still counts
		(False, -2, 1, (False, lg.NOT_YET_REASON, (0, 1))),
	],
)
def test_propose_legal_review(lost, broken, threshold, expected):
	assert propose_legal_review(lost, broken, threshold) == expected


def test_reason_templates_fill_with_their_args():
	propose, template, args = propose_legal_review(False, 4, 3)
	assert propose
	assert template.format(*args) == "4 broken promises, the threshold is 3"


# --- outcome evaluation -----------------------------------------------------------------------------

ROWS = [
	OutcomeInput(recovered=10_000, cost=500, days_to_recover=20, channel="Phone", collector="amy"),
	OutcomeInput(recovered=2_000, cost=1_500, days_to_recover=40, channel="Visit", collector="amy"),
	OutcomeInput(recovered=0, cost=800, days_to_recover=None, channel="Visit", collector="bob"),
	OutcomeInput(recovered=6_000, cost=0, days_to_recover=10, channel="Phone", collector="bob"),
	# a query row (a dict) is read the same way; no channel falls in the "" group
	{"recovered": 300, "cost": 100, "days_to_recover": 5, "collector": "cai", "channel": None},
]


def test_outcome_by_channel_hand_computed():
	by = {o.key: o for o in outcome_rows(ROWS, "channel")}
	assert list(by) == ["", "Phone", "Visit"]
	phone, visit = by["Phone"], by["Visit"]
	assert (phone.cases, phone.recovered, phone.cost) == (2, 16_000, 500)
	assert phone.return_on_cost == pytest.approx(32)
	assert phone.avg_days_to_recover == pytest.approx(15)
	assert (visit.cases, visit.recovered, visit.cost, visit.recovered_cases) == (2, 2_000, 2_300, 1)
	assert visit.return_on_cost == pytest.approx(2_000 / 2_300)
	assert visit.avg_days_to_recover == pytest.approx(40)  # the case still open does not count
	assert visit.net == -300
	assert by[""].recovered == 300


def test_outcome_with_no_cost_or_no_recovery_days():
	(bob_phone,) = outcome_rows([ROWS[3]], "collector")
	assert bob_phone.return_on_cost is None  # nothing spent: no ratio
	(open_case,) = outcome_rows([ROWS[2]], "collector")
	assert open_case.avg_days_to_recover is None and open_case.return_on_cost == 0
	assert outcome_rows([], "stage") == []


def test_outcome_total_and_unknown_key():
	total = outcome_total(ROWS)
	assert (total.key, total.cases, total.recovered, total.cost) == ("", 5, 18_300, 2_900)
	assert total.avg_days_to_recover == pytest.approx((20 + 40 + 10 + 5) / 4)
	with pytest.raises(ValueError):
		outcome_rows(ROWS, "customer")


outcome_inputs = st.builds(
	OutcomeInput,
	recovered=st.integers(min_value=0, max_value=10**6),
	cost=st.integers(min_value=0, max_value=10**5),
	days_to_recover=st.one_of(st.none(), st.integers(min_value=0, max_value=720)),
	policy=st.sampled_from(["", "Gentle", "Firm"]),
	stage=st.sampled_from(["", "Filed", "Sent"]),
	grade=st.sampled_from(["A", "B", "C", "D"]),
	channel=st.sampled_from(["Phone", "Visit", "Letter"]),
	collector=st.sampled_from(["amy", "bob"]),
)


@given(st.lists(outcome_inputs, max_size=30), st.sampled_from(OUTCOME_KEYS))
def test_groups_add_up_to_the_total(rows, by):
	groups, total = outcome_rows(rows, by), outcome_total(rows)
	assert sum(g.cases for g in groups) == total.cases == len(rows)
	assert sum(g.recovered for g in groups) == total.recovered
	assert sum(g.cost for g in groups) == total.cost
	assert [g.key for g in groups] == sorted({getattr(r, by) for r in rows})
