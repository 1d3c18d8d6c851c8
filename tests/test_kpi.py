"""KPIs per collector and team (R-G1): attribution across reassignment, working days, the rates."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collections_module.policy.kpi import (
	Base,
	CollectorFigures,
	Holding,
	Payment,
	assigned_during,
	attribute,
	base_days,
	case_bases,
	convert_figures,
	credited_to,
	holder_on,
	holdings,
	kpis,
	sum_figures,
	team_kpis,
	working_days,
)
from collections_module.policy.kpi_money import (
	Converted,
	MissingRate,
	MixedCurrencies,
	Money,
	by_currency,
	convert,
	rates_text,
	total,
)
from collections_module.policy.kpi_period import Cost, costs_in_period, month_parts, prorated_target, received

JUNE_1, JUNE_30 = date(2026, 6, 1), date(2026, 6, 30)  # June 2026 starts on a Monday
DRAGON_BOAT = date(2026, 6, 19)  # a Friday


def d(day: int, month: int = 6) -> date:
	return date(2026, month, day)


# A case first allocated on 3 June, reassigned twice in the month.
HISTORY = [(d(3), "amy"), (d(12), "bob"), (d(20), "cai")]
CASE = holdings(HISTORY)
PAYMENTS = [
	Payment(d(1), 100),  # before the first holding: amy's
	Payment(d(5), 200),  # amy
	Payment(d(12), 300),  # the reassignment day: bob's
	Payment(d(15), 400),  # bob
	Payment(d(20), 500),  # the second reassignment day: cai's
	Payment(d(30), 50),  # cai, last day of the period
	Payment(d(1, 7), 999),  # after the period
	Payment(d(31, 5), 999),  # before the period
]


# --- attribution ------------------------------------------------------------------------------------


def test_holdings_from_the_history():
	assert CASE == [
		Holding("amy", d(3), d(12)),
		Holding("bob", d(12), d(20)),
		Holding("cai", d(20), None),
	]
	assert holdings(HISTORY, closed_on=d(25))[-1] == Holding("cai", d(20), d(25))
	assert holdings([]) == []


def test_a_month_with_two_reassignments():
	assert attribute(PAYMENTS, CASE, JUNE_1, JUNE_30) == {"amy": 300, "bob": 700, "cai": 550}


def test_without_a_period_every_payment_counts():
	assert attribute(PAYMENTS, CASE) == {"amy": 100 + 200 + 999, "bob": 700, "cai": 550 + 999}


@pytest.mark.parametrize(
	"day, holder",
	[
		(d(2), None),
		(d(3), "amy"),
		(d(11), "amy"),
		(d(12), "bob"),
		(d(19), "bob"),
		(d(20), "cai"),
		(d(9, 9), "cai"),
	],
)
def test_holder_on_each_day(day, holder):
	assert holder_on(CASE, day) == holder


def test_a_payment_on_the_reassignment_day_is_the_new_holders():
	assert credited_to(CASE, d(12)) == "bob"
	assert attribute([(d(12), 300)], CASE) == {"bob": 300}


def test_a_payment_before_the_first_holding_is_the_first_holders():
	assert holder_on(CASE, d(1)) is None  # nobody held it yet ...
	assert credited_to(CASE, d(1)) == "amy"  # ... but amy gets the credit


def test_same_day_reassignments_the_last_one_holds_from_that_day():
	case = holdings([(d(3), "amy"), (d(12), "bob"), (d(12), "dan"), (d(20), "cai")])
	assert holder_on(case, d(12)) == "dan"
	assert holder_on(case, d(11)) == "amy"
	assert attribute([(d(12), 300), (d(13), 1)], case) == {"dan": 301}
	# even on the very first day, the later of two same-day allocations is the first holder
	first = holdings([(d(3), "amy"), (d(3), "eve")])
	assert credited_to(first, d(1)) == "eve"


def test_holdings_given_as_tuples_with_the_day_before_as_end():
	case = [("amy", d(3), d(11)), ("bob", d(12), d(19)), ("cai", d(20), None)]
	assert attribute(PAYMENTS, case, JUNE_1, JUNE_30) == {"amy": 300, "bob": 700, "cai": 550}


def test_a_gap_or_a_closed_case_credits_the_last_holder():
	case = [Holding("amy", d(1), d(5)), Holding("bob", d(10), d(15))]
	assert holder_on(case, d(7)) is None
	assert credited_to(case, d(7)) == "amy"
	assert credited_to(case, d(20)) == "bob"


def test_a_case_never_held_keeps_its_payments_under_none():
	assert credited_to([], d(5)) is None
	assert attribute([(d(5), 10), (d(6), 5)], []) == {None: 15}
	assert attribute([], CASE) == {}


def test_assigned_during_the_period():
	case = holdings([(d(1, 5), "amy"), (d(12), "bob"), (d(20), "cai")])
	assert holder_on(case, JUNE_1) == "amy"  # amy's overdue at the start
	assert assigned_during(case, JUNE_1, JUNE_30) == [("bob", d(12)), ("cai", d(20))]
	assert assigned_during(case, JUNE_1, d(19)) == [("bob", d(12))]


def test_assigned_on_the_first_day_is_held_at_the_start_not_assigned_during():
	case = holdings([(d(1, 5), "amy"), (JUNE_1, "bob")])
	assert holder_on(case, JUNE_1) == "bob"
	assert assigned_during(case, JUNE_1, JUNE_30) == []
	assert assigned_during(case, d(31, 5), JUNE_30) == [("bob", JUNE_1)]


def test_assigned_during_ignores_overridden_and_same_collector_reassignments():
	case = holdings([(d(1, 5), "amy"), (d(12), "bob"), (d(12), "dan"), (d(15), "dan"), (d(20), "dan")])
	assert assigned_during(case, JUNE_1, JUNE_30) == [("dan", d(12))]
	# reassigned after a gap (the case was unassigned for a while): a new assignment
	gap = [Holding("amy", d(1), d(5)), Holding("amy", d(10), None)]
	assert assigned_during(gap, JUNE_1, JUNE_30) == [("amy", d(10))]


# --- working days -----------------------------------------------------------------------------------


def test_working_days_of_june_2026_with_the_dragon_boat_festival():
	assert working_days(JUNE_1, JUNE_30) == 22
	assert working_days(JUNE_1, JUNE_30, [DRAGON_BOAT]) == 21


def test_working_days_across_a_weekend_and_a_holiday():
	fri, mon = d(5), d(8)
	assert working_days(fri, mon) == 2
	assert working_days(fri, mon, [mon]) == 1
	assert working_days(fri, mon, [d(6)]) == 2  # a holiday on a Saturday changes nothing
	assert working_days(fri, mon, [d(20)]) == 2  # a holiday outside the period neither
	assert working_days(fri, mon, [mon, mon]) == 1  # listed twice, taken off once
	assert working_days(fri, mon, extra_workdays=[d(6)]) == 3  # a Saturday worked in lieu (调休)
	assert working_days(d(6), d(7)) == 0
	assert working_days(fri, fri) == 1
	assert working_days(mon, fri) == 0  # end before start


@given(
	st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
	st.integers(min_value=-3, max_value=120),
	st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 6, 1)), max_size=10),
)
def test_working_days_is_the_plain_count(start, length, holidays):
	end = start + timedelta(days=length)
	brute = sum(
		(start + timedelta(days=i)).weekday() < 5 and (start + timedelta(days=i)) not in holidays
		for i in range(length + 1)
	)
	assert working_days(start, end, holidays) == brute


# --- rates ------------------------------------------------------------------------------------------

AMY = CollectorFigures(
	received=3_000,
	overdue_at_start=8_000,
	assigned_during=2_000,
	overdue_at_end=4_000,
	receivables_at_end=16_000,
	contacts=40,
	effective_contacts=12,
	promises_made=5,
	kept=3,
	broken=1,
	late_entries=2,
	refusals=1,
	cases_closed=7,
	target=5_000,
	quality_score_avg=85,
	quality_samples=4,
)


def test_hand_computed_rates():
	k = kpis(AMY, JUNE_1, JUNE_30, [DRAGON_BOAT])
	assert k.overdue_rate == pytest.approx(4_000 / 16_000)  # 0.25
	assert k.recovery_rate == pytest.approx(3_000 / (8_000 + 2_000))  # 0.3
	assert k.target_achievement == pytest.approx(3_000 / 5_000)  # 0.6
	assert k.received_per_effective_contact == pytest.approx(3_000 / 12)  # 250
	assert k.working_days == 21
	assert k.closed_per_working_day == pytest.approx(7 / 21)
	assert k.promise_kept_rate == pytest.approx(3 / (3 + 1))  # 0.75, pending promises not counted
	assert k.quality_score == 85


def test_zero_denominators_give_none_not_zero():
	k = kpis(CollectorFigures(), JUNE_1, JUNE_30)
	assert k.overdue_rate is None
	assert k.recovery_rate is None
	assert k.target_achievement is None
	assert k.received_per_effective_contact is None
	assert k.promise_kept_rate is None
	assert k.quality_score is None
	assert k.closed_per_working_day == 0  # 22 working days, nothing closed
	assert kpis(AMY, d(6), d(7)).closed_per_working_day is None  # a weekend: no working day


def test_no_target_and_a_zero_target_give_no_achievement():
	assert kpis(replace(AMY, target=None), JUNE_1, JUNE_30).target_achievement is None
	assert kpis(replace(AMY, target=0), JUNE_1, JUNE_30).target_achievement is None


def test_a_credit_balance_denominator_gives_none_and_bad_numbers_count_as_zero():
	assert kpis(replace(AMY, receivables_at_end=-50), JUNE_1, JUNE_30).overdue_rate is None
	k = kpis(replace(AMY, received=float("nan")), JUNE_1, JUNE_30)
	assert k.recovery_rate == 0 and k.target_achievement == 0


def test_received_can_exceed_the_base():
	# collecting on debt that was not overdue yet: a recovery rate above 1 is reported as it is
	k = kpis(replace(AMY, received=12_000), JUNE_1, JUNE_30)
	assert k.recovery_rate == pytest.approx(1.2)


# --- the team: sums, not an average of rates -----------------------------------------------------------

XU = CollectorFigures(
	received=1, overdue_at_start=2, overdue_at_end=1, receivables_at_end=2, kept=1, effective_contacts=1
)
YU = CollectorFigures(
	received=0,
	overdue_at_start=1_000,
	overdue_at_end=1_000,
	receivables_at_end=1_000,
	broken=9,
	effective_contacts=9,
)


def test_team_rates_come_from_summed_figures_not_averaged_rates():
	x, y = kpis(XU, JUNE_1, JUNE_30), kpis(YU, JUNE_1, JUNE_30)
	team = team_kpis([XU, YU], JUNE_1, JUNE_30)
	assert (x.recovery_rate + y.recovery_rate) / 2 == pytest.approx(0.25)  # the trap
	assert team.recovery_rate == pytest.approx(1 / 1_002)
	assert team.overdue_rate == pytest.approx(1_001 / 1_002)  # not (0.5 + 1) / 2
	assert team.promise_kept_rate == pytest.approx(0.1)  # 1 of 10, not (1 + 0) / 2
	assert team.received_per_effective_contact == pytest.approx(0.1)


def test_team_of_one_is_the_collector():
	assert team_kpis([AMY], JUNE_1, JUNE_30) == kpis(AMY, JUNE_1, JUNE_30)
	assert sum_figures([AMY]) == AMY  # every field carried over


def test_team_sums_every_figure():
	total = sum_figures([AMY, AMY])
	assert total.received == 6_000 and total.contacts == 80 and total.cases_closed == 14
	assert total.late_entries == 4 and total.refusals == 2 and total.promises_made == 10
	assert sum_figures([]) == CollectorFigures()


def test_team_target_is_the_sum_of_the_targets_set_or_its_own():
	no_target = replace(AMY, target=None)
	assert sum_figures([AMY, no_target]).target == 5_000
	assert sum_figures([no_target, no_target]).target is None
	assert team_kpis([AMY, no_target], JUNE_1, JUNE_30).target_achievement == pytest.approx(6_000 / 5_000)
	assert team_kpis([AMY, AMY], JUNE_1, JUNE_30, target=12_000).target_achievement == pytest.approx(0.5)


def test_a_hand_over_within_the_team_is_counted_once_in_the_base():
	# amy held a 1 000 case on 1 June and handed it to bob on the 12th; bob collected 400 on it
	amy = CollectorFigures(overdue_at_start=1_000)
	bob = CollectorFigures(received=400, assigned_during=1_000)
	assert team_kpis([amy, bob], JUNE_1, JUNE_30).recovery_rate == pytest.approx(0.2)  # base counted twice
	assert team_kpis([amy, bob], JUNE_1, JUNE_30, internal_transfers=1_000).recovery_rate == pytest.approx(
		0.4
	)


def test_team_quality_is_weighted_by_calls_reviewed():
	a = replace(AMY, quality_score_avg=90, quality_samples=10)
	b = replace(AMY, quality_score_avg=60, quality_samples=30)
	assert sum_figures([a, b]).quality_score_avg == pytest.approx((90 * 10 + 60 * 30) / 40)  # 67.5
	unweighted = [replace(a, quality_samples=0), replace(b, quality_samples=0)]
	assert sum_figures(unweighted).quality_score_avg == pytest.approx(75)
	assert sum_figures([replace(a, quality_score_avg=None), CollectorFigures()]).quality_score_avg is None


# --- properties -------------------------------------------------------------------------------------

people = st.sampled_from(["amy", "bob", "cai", "dan"])
june = st.dates(min_value=d(1, 5), max_value=d(31, 7))
histories = st.lists(st.tuples(june, people), min_size=1, max_size=6).map(
	lambda h: sorted(h, key=lambda e: e[0])
)
payments = st.lists(st.tuples(june, st.integers(min_value=1, max_value=10_000)), max_size=10)


@given(histories, payments)
def test_every_payment_in_the_period_is_credited_once_to_a_holder(history, pays):
	case = holdings(history)
	got = attribute(pays, case, JUNE_1, JUNE_30)
	assert sum(got.values()) == sum(a for day, a in pays if JUNE_1 <= day <= JUNE_30)
	assert set(got) <= {c for _, c in history}


@given(histories, june)
def test_the_holder_on_a_day_holds_a_holding_covering_it(history, day):
	case = holdings(history)
	holder = holder_on(case, day)
	if holder is None:
		assert day < history[0][0]
	else:
		assert any(h.collector == holder and h.start <= day and (h.end is None or day <= h.end) for h in case)
		assert credited_to(case, day) == holder


@given(histories)
def test_assigned_during_names_the_holder_of_each_change(history):
	case = holdings(history)
	events = assigned_during(case, JUNE_1, JUNE_30)
	for collector, day in events:
		assert JUNE_1 < day <= JUNE_30 and holder_on(case, day) == collector
	assert len({day for _, day in events}) == len(events)


figures = st.builds(
	CollectorFigures,
	received=st.integers(min_value=0, max_value=10**6),
	overdue_at_start=st.integers(min_value=0, max_value=10**6),
	assigned_during=st.integers(min_value=0, max_value=10**6),
	overdue_at_end=st.integers(min_value=0, max_value=10**6),
	receivables_at_end=st.integers(min_value=0, max_value=10**6),
	kept=st.integers(min_value=0, max_value=50),
	broken=st.integers(min_value=0, max_value=50),
)


@given(st.lists(figures, min_size=1, max_size=6))
def test_team_rates_lie_between_the_collectors_lowest_and_highest(team):
	"""A ratio of sums is a weighted mean of the ratios: never outside their range."""
	rates = [kpis(f, JUNE_1, JUNE_30).promise_kept_rate for f in team]
	known = [r for r in rates if r is not None]
	got = team_kpis(team, JUNE_1, JUNE_30).promise_kept_rate
	if not known:
		assert got is None
	else:
		assert min(known) - 1e-12 <= got <= max(known) + 1e-12


# --- issue 19: a base once per collector, prorated targets, costs by date, currencies -------------------


def test_case_handed_back_counts_once():
	from collections_module.policy.ledger import Term
	from collections_module.policy.recovery import SALES_INVOICE, CaseLife, Receipt, Receivable, recoveries

	# held by amy on 1 June, handed to bob on the 10th and back to amy on the 20th; amy collects it all
	case = holdings([(d(1, 5), "amy"), (d(10), "bob"), (d(20), "amy")])
	inv = Receivable(SALES_INVOICE, "INV-1", "CUST", "CO", (Term(d(1, 5), 1_000),), d(1, 4))
	paid = [Receipt("Payment Entry", "PE-1", SALES_INVOICE, "INV-1", 1_000, d(25))]
	rows = recoveries([inv], paid, [CaseLife("C", "CUST", "CO", d(1, 5), holdings=case)])
	bases = case_bases(case, JUNE_1, JUNE_30, lambda day: 1_000)
	assert bases == {"amy": Base(at_start=1_000), "bob": Base(assigned_during=1_000)}
	assert base_days(case, JUNE_1, JUNE_30) == {"amy": JUNE_1, "bob": d(10)}
	got = received(rows, JUNE_1, JUNE_30)
	amy = CollectorFigures(received=got["amy"].amount, overdue_at_start=bases["amy"].at_start)
	assert kpis(amy, JUNE_1, JUNE_30).recovery_rate == pytest.approx(1.0)  # 1,000 of 1,000, not of 2,000
	# the team: once too, the hand-overs within it taken off
	team = case_bases(case, JUNE_1, JUNE_30, lambda day: 1_000, group=lambda c: "north")
	assert team == {"north": Base(at_start=1_000)}
	transfers = sum(b.assigned_during for b in bases.values()) - team["north"].assigned_during
	bob = CollectorFigures(assigned_during=1_000)
	assert team_kpis([amy, bob], JUNE_1, JUNE_30, internal_transfers=transfers).recovery_rate == 1.0


def test_a_case_first_allocated_in_the_period_is_based_on_that_day():
	case = holdings([(d(12), "amy"), (d(20), "bob")])
	overdue = {d(12): 700, d(20): 300}
	assert case_bases(case, JUNE_1, JUNE_30, overdue.get) == {
		"amy": Base(assigned_during=700),
		"bob": Base(assigned_during=300),
	}
	assert case_bases(case, JUNE_1, d(15), overdue.get) == {"amy": Base(assigned_during=700)}
	assert case_bases([], JUNE_1, JUNE_30, overdue.get) == {}


NOV_30, DEC_1 = date(2026, 11, 30), date(2026, 12, 1)  # a Monday and a Tuesday


def test_targets_prorated_by_working_days():
	monthly = {date(2026, 11, 1): 10_000, date(2026, 12, 1): 10_000}
	assert working_days(date(2026, 11, 1), date(2026, 11, 30)) == 21
	assert working_days(date(2026, 12, 1), date(2026, 12, 31)) == 23
	got = prorated_target(monthly, NOV_30, DEC_1)
	assert got == pytest.approx(10_000 * 1 / 21 + 10_000 * 1 / 23)  # about 911, not 20,000
	assert prorated_target(monthly, date(2026, 11, 1), date(2026, 12, 31)) == pytest.approx(20_000)
	assert prorated_target(monthly, date(2026, 11, 1), date(2026, 11, 30)) == pytest.approx(10_000)
	# a holiday on 30 November: November has 20 working days, none of them in the period
	assert prorated_target(monthly, NOV_30, DEC_1, [NOV_30]) == pytest.approx(10_000 / 23)
	# (month, amount) pairs, two for one month summed; a month without a target adds nothing
	pairs = [(date(2026, 11, 15), 6_000), (date(2026, 11, 1), 4_000)]
	assert prorated_target(pairs, NOV_30, DEC_1) == pytest.approx(10_000 / 21)
	assert prorated_target({}, NOV_30, DEC_1) is None
	assert month_parts(NOV_30, date(2027, 1, 2)) == [
		(date(2026, 11, 1), NOV_30, NOV_30),
		(DEC_1, DEC_1, date(2026, 12, 31)),
		(date(2027, 1, 1), date(2027, 1, 1), date(2027, 1, 2)),
	]


def test_costs_in_the_period_incurred():
	costs = [
		Cost(date(2026, 10, 20), 1_000, "Legal Fee", case="C-1", company="CO"),
		Cost(date(2026, 11, 3), 150, "Visit", case="C-1", company="CO"),
		Cost(date(2026, 11, 30), 80, "Agency Commission", case="C-2", company="CO"),
		Cost(date(2026, 12, 1), 999, "Visit", case="C-2", company="CO"),
	]
	nov = costs_in_period(costs, date(2026, 11, 1), date(2026, 11, 30))
	assert nov == {"C-1": Money(150), "C-2": Money(80)}  # October's 1,000 fee is not November's
	by_kind = costs_in_period(costs, date(2026, 10, 1), date(2026, 10, 31), key=lambda c: c.kind)
	assert by_kind == {"Legal Fee": Money(1_000)}


def test_currencies_never_summed():
	cny = replace(AMY, currency="CNY")
	usd = replace(AMY, currency="USD")
	with pytest.raises(MixedCurrencies):
		sum_figures([cny, usd])
	with pytest.raises(MixedCurrencies):
		team_kpis([cny, usd], JUNE_1, JUNE_30)
	# a collector with counts only has no amount to mix
	assert sum_figures([cny, CollectorFigures(contacts=3)]).currency == "CNY"
	# converted first, with the rate shown
	rates = {"USD": 7.0}
	both = sum_figures([cny, convert_figures(usd, "CNY", rates)])
	assert both.received == pytest.approx(3_000 + 21_000) and both.target == pytest.approx(5_000 * 8)
	with pytest.raises(MissingRate):
		convert_figures(replace(AMY, currency="EUR"), "CNY", rates)
	amounts = [Money(100, "CNY"), Money(10, "USD"), Money(5, "USD")]
	with pytest.raises(MixedCurrencies):
		total(amounts)
	assert by_currency(amounts) == {"CNY": 100, "USD": 15}
	shown = convert(amounts, "CNY", rates)
	assert shown == Converted(205, "CNY", (("USD", 7.0),))
	assert rates_text(shown) == "1 USD = 7.0000 CNY"
	assert rates_text(convert(amounts[:1], "CNY", {})) == "no conversion"
	# ledger rows of two companies: per company, or refused in one total
	rows = [
		_Row("amy", date(2026, 6, 5), 100, "CO-CN", "CNY"),
		_Row("amy", date(2026, 6, 6), 10, "CO-US", "USD"),
		_Row("bob", date(2026, 6, 6), 7, "CO-X", ""),
		_Row("bob", date(2026, 6, 7), 7, "CO-Y", ""),  # no currency stated: two companies, not summed
	]
	per_company = received(rows, JUNE_1, JUNE_30, key=lambda r: (r.company, r.collector))
	assert per_company[("CO-CN", "amy")] == Money(100, "CNY")
	assert per_company[("CO-US", "amy")] == Money(10, "USD")
	with pytest.raises(MixedCurrencies):
		received(rows[:2], JUNE_1, JUNE_30)
	with pytest.raises(MixedCurrencies):
		received(rows[2:], JUNE_1, JUNE_30)


@dataclass(frozen=True)
class _Row:
	collector: str
	posting_date: date
	amount: float
	company: str = "CO"
	currency: str = "CNY"


ledger_rows = st.lists(
	st.builds(
		_Row,
		collector=people,
		posting_date=june,
		amount=st.integers(min_value=-1_000, max_value=10_000),
	),
	max_size=30,
)


@given(ledger_rows, st.dictionaries(people, st.sampled_from(["north", "south"])))
def test_team_received_is_the_sum_of_its_collectors_received(rows, team_of):
	mine = received(rows, JUNE_1, JUNE_30)
	teams = received(rows, JUNE_1, JUNE_30, key=lambda r: team_of.get(r.collector))
	for team, got in teams.items():
		members = [m.amount for c, m in mine.items() if team_of.get(c) == team]
		assert got.amount == sum(members)
	figures = [CollectorFigures(received=m.amount, currency=m.currency) for m in mine.values()]
	assert sum_figures(figures).received == sum(r.amount for r in rows if JUNE_1 <= r.posting_date <= JUNE_30)
