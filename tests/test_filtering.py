"""New-case filtering (R-E4): time allowed per batch, the dial order, the verdict, the progress report."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy import filtering as fl
from collections_module.policy.filtering import (
	CONTACTABLE,
	DEFAULT_DIAL_ORDER,
	DEFAULT_FILTERING_TABLE,
	LOST_CONTACT,
	MAX_FILTERING_DAYS,
	RESULT_CODES,
	Attempt,
	FilteringRow,
	at_risk,
	classify,
	filtering_days,
	filtering_deadline,
	next_in_dial_order,
	progress,
)

MON = date(2026, 6, 1)  # a Monday


# --- time allowed -----------------------------------------------------------------------------------


def test_source_defaults():
	assert tuple(DEFAULT_FILTERING_TABLE) == ((300, 2), (500, 3))
	assert MAX_FILTERING_DAYS == 4


@pytest.mark.parametrize(
	"accounts, days", [(1, 2), (299, 2), (300, 2), (301, 3), (499, 3), (500, 3), (501, 4), (10_000, 4)]
)
def test_days_by_batch_size(accounts, days):
	assert filtering_days(accounts) == days


def test_an_empty_batch_needs_no_day_and_a_negative_one_is_refused():
	assert filtering_days(0) == 0
	assert filtering_deadline(MON, 0) == MON
	with pytest.raises(ValueError):
		filtering_days(-1)


def test_deadline_counts_calendar_days_after_receipt():
	assert filtering_deadline(MON, 300) == MON + timedelta(days=2)  # Wednesday
	assert filtering_deadline(MON, 301) == MON + timedelta(days=3)
	assert filtering_deadline(MON, 501) == MON + timedelta(days=4)  # Friday, the cap


def test_custom_table_in_any_row_order():
	table = [(1_000, 3), (100, 1)]
	assert filtering_days(100, table) == 1
	assert filtering_days(101, table) == 3
	assert filtering_days(1_001, table) == MAX_FILTERING_DAYS
	assert filtering_deadline(MON, 50, table) == MON + timedelta(days=1)


def test_a_row_over_the_cap_is_capped_and_so_is_a_custom_cap():
	assert filtering_days(10, [(100, 7)]) == 4
	assert filtering_days(10, [(100, 7)], cap=6) == 6
	assert filtering_days(101, [(100, 1)], cap=2) == 2
	assert filtering_days(10, cap=0) == 2  # a cap refused by validate_table: the default cap (4)
	assert filtering_days(501, cap=-3) == MAX_FILTERING_DAYS


def test_an_empty_table_gives_every_batch_the_cap():
	assert filtering_days(1, []) == MAX_FILTERING_DAYS


def test_validate_table():
	assert fl.validate_table(DEFAULT_FILTERING_TABLE) == []
	assert fl.validate_table([(100, 7)]) == []  # capped, not wrong
	assert fl.validate_table([(0, 2), (300, 0), (300, 2), (500, 1)], cap=0) == [
		"The most days for filtering must be at least 1, not 0.",
		"Row 1: the number of accounts must be at least 1, not 0.",
		"Row 2: the days must be at least 1, not 0.",
		"300 accounts appears in more than one row.",
		"A batch of up to 300 accounts gets fewer days (0) than one of up to 0 (2).",
		"A batch of up to 500 accounts gets fewer days (1) than one of up to 300 (2).",
	]


@given(st.integers(0, 100_000), st.integers(0, 100_000))
def test_a_bigger_batch_never_gets_less_time_and_never_over_the_cap(a, b):
	small, big = sorted((a, b))
	assert filtering_days(small) <= filtering_days(big) <= MAX_FILTERING_DAYS


@given(
	st.lists(st.tuples(st.integers(1, 2_000), st.integers(1, 10)), max_size=5),
	st.integers(1, 5_000),
	st.integers(1, 6),
)
def test_any_table_stays_within_one_day_and_the_cap(table, accounts, cap):
	assert 1 <= filtering_days(accounts, table, cap) <= cap


@pytest.mark.parametrize(
	"today, done, risky",
	[
		(MON, False, False),  # deadline Wednesday
		(MON + timedelta(days=1), False, True),  # the day before
		(MON + timedelta(days=2), False, True),  # the deadline itself, not late yet
		(MON + timedelta(days=3), False, False),  # late, no longer "at risk"
		(MON + timedelta(days=1), True, False),  # done
	],
)
def test_at_risk_from_the_day_before_the_deadline(today, done, risky):
	deadline = filtering_deadline(MON, 300)
	assert at_risk(deadline, today, done) is risky
	assert fl.is_late(deadline, today, done) is (today > deadline and not done)


# --- dialling -----------------------------------------------------------------------------------------


def test_dial_order_is_the_source_order():
	assert DEFAULT_DIAL_ORDER == (
		"Employer",
		"Contacts",
		"Village or Residents' Committee",
		"Family",
		"Debtor",
	)
	assert next_in_dial_order([]) == "Employer"
	assert next_in_dial_order(["Employer"]) == "Contacts"
	assert next_in_dial_order(["Contacts", "Employer", "Family"]) == "Village or Residents' Committee"
	assert next_in_dial_order(list(DEFAULT_DIAL_ORDER)) is None
	assert next_in_dial_order(["Neighbour"]) == "Employer"  # outside the order: ignored
	assert next_in_dial_order([], order=("Debtor",)) == "Debtor"


def test_result_codes_are_standard_and_say_contactable():
	assert RESULT_CODES["Reached Debtor"] is True
	assert RESULT_CODES["Reached Third Party"] is True
	for code in ("Wrong Number", "No Answer", "Number Not In Service", "Refused", "Moved Away", "Deceased"):
		assert RESULT_CODES[code] is False
	assert all(isinstance(v, bool) for v in RESULT_CODES.values())
	assert fl.is_contactable("Reached Debtor")
	with pytest.raises(ValueError):
		fl.is_contactable("talked to someone")


def test_classify_open_contactable_lost():
	assert classify([]) is None
	assert classify([("Employer", "No Answer")]) is None
	assert classify([("Employer", "No Answer"), ("Contacts", "Reached Third Party")]) == CONTACTABLE
	# reaching the debtor early settles it, whatever is still to dial
	assert classify([Attempt("Debtor", "Reached Debtor")]) == CONTACTABLE
	every_step_fails = [(p, "Wrong Number") for p in DEFAULT_DIAL_ORDER]
	assert classify(every_step_fails) == LOST_CONTACT
	assert classify(every_step_fails[:-1]) is None
	# a later contactable result turns a lost case contactable
	assert classify([*every_step_fails, ("Debtor", "Reached Debtor")]) == CONTACTABLE


def test_classify_counts_each_step_once_however_often_it_was_dialled():
	repeated = [("Employer", "No Answer")] * 5
	assert classify(repeated) is None
	assert classify(repeated, order=("Employer",)) == LOST_CONTACT


def test_classify_refuses_non_standard_terms():
	with pytest.raises(ValueError, match="standard result code"):
		classify([("Employer", "nobody home")])


def test_out_of_order_dialling_is_reported():
	assert fl.out_of_order([("Employer", "No Answer"), ("Contacts", "No Answer")]) == []
	assert fl.out_of_order([("Family", "No Answer"), ("Employer", "No Answer"), ("Debtor", "No Answer")]) == [
		"Family",
		"Debtor",
	]


attempts_st = st.lists(
	st.tuples(st.sampled_from([*DEFAULT_DIAL_ORDER, "Neighbour"]), st.sampled_from(sorted(RESULT_CODES))),
	max_size=12,
)


@given(attempts_st)
def test_classification_is_consistent(attempts):
	verdict = classify(attempts)
	reached = any(RESULT_CODES[r] for _, r in attempts)
	tried_all = {p for p, _ in attempts} >= set(DEFAULT_DIAL_ORDER)
	assert verdict == (CONTACTABLE if reached else LOST_CONTACT if tried_all else None)
	assert (verdict is None) == (not reached and next_in_dial_order([p for p, _ in attempts]) is not None)


@given(attempts_st, attempts_st)
def test_more_attempts_never_reopen_a_case(first, more):
	before = classify(first)
	after = classify(first + more)
	if before is not None:
		assert after is not None
	if before == CONTACTABLE:
		assert after == CONTACTABLE


# --- progress ---------------------------------------------------------------------------------------


def rows_of_a_batch():
	deadline = filtering_deadline(MON, 300)  # Wednesday
	return [
		FilteringRow("A1", 1_000, deadline, CONTACTABLE, MON),
		FilteringRow("A2", 2_000, deadline, LOST_CONTACT, deadline + timedelta(days=1)),
		FilteringRow("A3", 400, deadline),
		FilteringRow("A4", 600, deadline - timedelta(days=1)),
		FilteringRow("A5", 50, deadline + timedelta(days=2), CONTACTABLE),
	]


def test_progress_counts_and_amounts():
	thursday = MON + timedelta(days=3)
	p = progress(rows_of_a_batch(), thursday)
	assert (p.total.count, p.total.amount) == (5, 4_050)
	assert (p.done.count, p.done.amount) == (3, 3_050)
	assert (p.open.count, p.open.amount) == (2, 1_000)
	assert (p.due.count, p.due.amount) == (4, 4_000)  # deadlines Tuesday / Wednesday
	assert (p.late.count, p.late.amount) == (2, 1_000)
	assert (p.at_risk.count, p.at_risk.amount) == (0, 0)
	assert (p.done_late.count, p.done_late.amount) == (1, 2_000)
	assert (p.contactable.count, p.contactable.amount) == (2, 1_050)
	assert (p.lost_contact.count, p.lost_contact.amount) == (1, 2_000)
	assert p.share_done == pytest.approx(0.6)
	assert p.share_contactable == pytest.approx(2 / 3)


def test_progress_on_the_day_before_the_deadline_shows_the_risk():
	tuesday = MON + timedelta(days=1)
	p = progress(rows_of_a_batch(), tuesday)
	assert (p.at_risk.count, p.at_risk.amount) == (2, 1_000)  # A3 due tomorrow, A4 due today
	assert p.late.count == 0
	assert p.due.count == 1  # only A4's deadline has come


def test_progress_of_nothing():
	p = progress([], MON)
	assert p.total == fl.Tally(0, 0.0)
	assert p.share_done == 1.0 and p.share_contactable is None


def test_progress_by_group():
	rows = [FilteringRow("A1", 10, MON, CONTACTABLE, group="B2"), FilteringRow("A2", 20, MON, group="B1")]
	by = fl.progress_by(rows, MON)
	assert list(by) == ["B1", "B2"]
	assert by["B1"].open.count == 1 and by["B2"].contactable.amount == 10


rows_st = st.lists(
	st.builds(
		FilteringRow,
		account=st.text("abc", min_size=1, max_size=3),
		amount=st.floats(0, 1e7, allow_nan=False),
		deadline=st.dates(min_value=date(2026, 5, 20), max_value=date(2026, 6, 20)),
		classification=st.sampled_from([None, CONTACTABLE, LOST_CONTACT]),
	),
	max_size=30,
)


@given(rows_st, st.dates(min_value=date(2026, 5, 15), max_value=date(2026, 6, 25)))
def test_progress_adds_up(rows, today):
	p = progress(rows, today)
	assert p.done.count + p.open.count == p.total.count
	assert p.contactable.count + p.lost_contact.count == p.done.count
	assert p.done.amount + p.open.amount == pytest.approx(p.total.amount)
	assert p.contactable.amount + p.lost_contact.amount == pytest.approx(p.done.amount)
	assert p.late.count + p.at_risk.count <= p.open.count


# --- issue 19: a validated table, the checklist, the verification gate, unallocated accounts ---------


def test_negative_deadline_row_is_refused():
	assert fl.validate_table([(300, -2), (-500, 3)]) == [
		"Row 1: the days must be at least 1, not -2.",
		"Row 2: the number of accounts must be at least 1, not -500.",
		"A batch of up to 300 accounts gets fewer days (-2) than one of up to -500 (3).",
	]
	assert fl.validate_table([(300, 3), (500, 2)]) == [
		"A batch of up to 500 accounts gets fewer days (2) than one of up to 300 (3)."
	]
	assert fl.validate_table([(300, 2), (300, 2)]) == ["300 accounts appears in more than one row."]
	assert fl.validate_table([(300, "two"), (2.5, 1), (7,), None], cap="x") == [
		"The most days for filtering must be at least 1, not x.",
		"Row 1: the days must be at least 1, not two.",
		"Row 2: the number of accounts must be at least 1, not 2.5.",
		"Row 3: give the number of accounts and the days.",
		"Row 4: give the number of accounts and the days.",
	]
	assert fl.validate_table(None) == ["The filtering table must be a list of rows (accounts, days)."]


@pytest.mark.parametrize(
	"table",
	[[(300, -2)], [(300, 0), (500, 3)], [(300, 3), (500, 2)], [(300, 2), (300, 3)], [("x", 1)], None, 5],
)
def test_bad_table_never_breaks_days(table):
	for accounts in (1, 300, 301, 500, 501, 10_000):
		assert filtering_days(accounts, table) == filtering_days(accounts)  # the defaults
	assert filtering_deadline(MON, 301, table) == MON + timedelta(days=3)


bad_rows = st.lists(
	st.one_of(
		st.tuples(st.integers(-10, 2_000), st.integers(-5, 10)),
		st.tuples(st.floats(), st.one_of(st.none(), st.text(max_size=2))),
		st.none(),
	),
	max_size=5,
)


@given(bad_rows, st.integers(0, 5_000), st.one_of(st.integers(-3, 6), st.none(), st.text("abc", max_size=2)))
def test_any_table_and_cap_give_days_within_the_cap(table, accounts, cap):
	days = filtering_days(accounts, table, cap)
	allowed = cap if isinstance(cap, int) and cap >= 1 else MAX_FILTERING_DAYS
	assert (days == 0) if accounts == 0 else (1 <= days <= allowed)


def test_classification_needs_the_checklist():
	reached = [("Employer", "Reached Third Party")]
	lost = [(p, "Wrong Number") for p in DEFAULT_DIAL_ORDER]
	assert classify(reached) == CONTACTABLE  # callers without a checklist: as before
	assert classify(reached, checklist_done=False) is None
	assert classify(lost, checklist_done=False) is None
	half = ["Debtor Name", "ID Number", "Phones"]
	assert classify(reached, checklist_done=half) is None
	assert fl.checklist_missing(half) == ["Addresses", "Employer", "Amounts", "Due Date"]
	assert classify(reached, checklist_done=fl.DEFAULT_CHECKLIST) == CONTACTABLE
	assert classify(lost, checklist_done=True) == LOST_CONTACT
	assert fl.checklist_missing(False) == list(fl.DEFAULT_CHECKLIST) == fl.checklist_missing(None)
	assert fl.checklist_missing("Phones", checklist=("Phones", "Employer")) == ["Employer"]
	assert classify(reached, checklist_done=["Phones"], checklist=("Phones",)) == CONTACTABLE
	with pytest.raises(ValueError):  # bad terms are refused whatever the checklist
		classify([("Employer", "nobody home")], checklist_done=False)


def test_filtering_calls_pass_the_verification_gate_only():
	from collections_module.policy.contact_rules import DO_NOT_CONTACT, case_gate

	assert fl.is_filtering_call("Employer", "No Answer")
	assert fl.is_filtering_call("Debtor")
	assert fl.is_filtering_call(purpose=fl.FILTERING_PURPOSE)
	assert not fl.is_filtering_call(None)
	assert not fl.is_filtering_call("Neighbour", "No Answer")  # not a step of the dial order
	assert not fl.is_filtering_call("Employer", "talked a bit")  # not a standard result
	assert not fl.is_filtering_call("Family", order=("Employer",))
	assert fl.gate_verified(True) and not fl.gate_verified(False)
	assert case_gate(False, fl.gate_verified(False, "Family", "No Answer")).allowed
	assert case_gate(False, fl.gate_verified(False)).rule == "verification"
	assert case_gate(True, fl.gate_verified(False, "Family")).rule == "dispute"  # a dispute still stops it
	flagged = case_gate(False, fl.gate_verified(False, "Family"), DO_NOT_CONTACT)
	assert flagged.rule == "do not contact"


def test_unallocated_accounts_counted_in_progress():
	rows = [
		FilteringRow("A1", 100, MON, CONTACTABLE, MON, group="B1", collector="ann"),
		FilteringRow("A2", 200, MON, None, group="B1", collector=None),
		FilteringRow("A3", 400, MON, LOST_CONTACT, MON, group="B2", collector=""),
		FilteringRow("A4", 800, MON, None, group="B2", collector="bob"),
	]
	p = progress(rows, MON)
	assert (p.total.count, p.total.amount) == (4, 1_500)
	assert (p.allocated.count, p.allocated.amount) == (2, 900)
	assert (p.unallocated.count, p.unallocated.amount) == (2, 600)
	by = fl.progress_by(rows, MON, by="collector")
	assert list(by) == ["ann", "bob", fl.UNALLOCATED]  # the unallocated bucket last
	assert (by[fl.UNALLOCATED].total.count, by[fl.UNALLOCATED].total.amount) == (2, 600)
	assert by[fl.UNALLOCATED].lost_contact.amount == 400 and by[fl.UNALLOCATED].open.amount == 200
	assert sum(g.total.amount for g in by.values()) == p.total.amount
	by_group = fl.progress_by([*rows, FilteringRow("A5", 5, MON, group=None)], MON)
	assert list(by_group) == ["B1", "B2", fl.UNALLOCATED]
	with pytest.raises(ValueError):
		fl.progress_by(rows, MON, by="team")


@given(rows_st, st.dates(min_value=date(2026, 5, 15), max_value=date(2026, 6, 25)))
def test_every_account_is_counted_allocated_or_not(rows, today):
	rows = [
		FilteringRow(r.account, r.amount, r.deadline, collector=r.account if r.classification else None)
		for r in rows
	]
	p = progress(rows, today)
	assert p.allocated.count + p.unallocated.count == p.total.count
	assert p.allocated.amount + p.unallocated.amount == pytest.approx(p.total.amount)
	by = fl.progress_by(rows, today, by="collector")
	assert sum(g.total.count for g in by.values()) == p.total.count
