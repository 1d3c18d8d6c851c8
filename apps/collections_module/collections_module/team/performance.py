"""The figures of the Collector Performance and Team Performance reports (R-G1), gathered for a period in
a handful of set-based queries and handed to the policy core (policy/kpi.py) for the rates.

- Received = the recovery ledger (*Collection Recovery*, integrations/erpnext/recoveries.py): the
  part of each receipt (Payment Entry, receipt Journal Entry, a debt's repayment) that paid what was
  overdue on its date, credited to the collector holding the case that day. Credit notes and
  write-offs are not recoveries; nor is money paid on an invoice not yet due.
- A collector's base counts a case once in the period: its overdue amount when they first held it in
  the period (at the start, or on the day it was handed to them, documents posted that day included).
- Receivables on a day are the customer's Payment Ledger on the invoices posted by then (as ERPNext's
  Accounts Receivable report reads it) plus its debts less their repayments; an invoice or debt is
  overdue after its due date.
- Targets are monthly; a period cutting a month takes its share by working days.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, flt, get_first_day, get_last_day, getdate

from collections_module.collection_cases.history import holdings_of
from collections_module.integrations.erpnext.recoveries import recovered_by_case
from collections_module.policy import contact_rules as cr
from collections_module.policy import kpi

CASE = "Collection Case"


@dataclass
class CaseLife:
	name: str
	key: tuple[str, str]  # (customer, company)
	created: date
	closed_on: date | None
	holdings: list = field(default_factory=list)


@dataclass
class Figures:
	"""Per collector, the period's figures (kpi.CollectorFigures) and team; per team, its targets and
	the overdue handed between its own collectors."""

	start: date
	end: date
	collectors: dict[str, kpi.CollectorFigures]
	team_of: dict[str, str]
	team_targets: dict[str, float]
	internal_transfers: dict[str, float]
	holidays: list[date]
	case_targets: dict[str, int] = field(default_factory=dict)  # collector or team -> cases to close


def gather(start: date, end: date, company: str | None = None) -> Figures:
	start, end = getdate(start), getdate(end)
	cases = _cases(start, end, company)
	amounts = defaultdict(lambda: defaultdict(float))  # collector -> figure -> amount
	counts = defaultdict(lambda: defaultdict(int))

	# received: the recovery ledger, each row already credited to the collector holding its case
	for collector, amount in _recovered(start, end, company):
		amounts[collector]["received"] += amount

	# each collector's base: the case's overdue amount when they first held it in the period, once
	# (a case handed back counts once), documents posted that day included (same-day allocation)
	held_end = {c.name: kpi.holder_on(c.holdings, end) for c in cases.values()}
	first_held = {c.name: kpi.base_days(c.holdings, start, end) for c in cases.values()}
	after = end + timedelta(days=1)
	wanted = defaultdict(set)  # day -> keys whose overdue amount is needed that day
	for c in cases.values():
		if held_end[c.name]:
			wanted[after].add(c.key)
		for d in first_held[c.name].values():
			wanted[d].add(c.key)
	balances = _balances(wanted, company, inclusive=set(wanted) - {after})
	profiles = dict(frappe.get_all("Collector Profile", fields=["user", "team"], as_list=True))
	transfers = defaultdict(float)
	for c in cases.values():
		if held_end[c.name]:
			receivable, overdue = balances[after][c.key]
			amounts[held_end[c.name]]["overdue_at_end"] += overdue
			amounts[held_end[c.name]]["receivables_at_end"] += receivable
		for user, d in first_held[c.name].items():
			overdue = balances[d][c.key][1]
			if d == start and kpi.holder_on(c.holdings, start) == user:
				amounts[user]["overdue_at_start"] += overdue
				continue
			amounts[user]["assigned_during"] += overdue
			before = kpi.holder_on(c.holdings, d - timedelta(days=1))
			team = profiles.get(user)
			if before and team and profiles.get(before) == team:
				transfers[team] += overdue  # counted once for the team (kpi.team_kpis)
		if c.closed_on and start <= c.closed_on <= end:
			holder = kpi.credited_to(c.holdings, c.closed_on)
			if holder:
				counts[holder]["cases_closed"] += 1

	for r in _contacts(start, end, company):
		for name in ("contacts", "effective_contacts", "promises_made", "late_entries"):
			counts[r.collector][name] += int(r[name] or 0)
	for collector, outcome in _settled_promises(start, end, company):
		counts[collector]["kept" if outcome == cr.KEPT else "broken"] += 1
	for collector, n in _refusals(start, end).items():
		counts[collector]["refusals"] += n
	quality = _quality(start, end)
	targets, team_targets, case_targets = _targets(start, end, company)

	people = (set(amounts) | set(counts) | set(targets) | set(quality)) - {None, ""}
	figures = {
		user: kpi.CollectorFigures(
			**{k: flt(v, 2) for k, v in amounts[user].items()},
			**counts[user],
			target=targets.get(user),
			quality_score_avg=quality.get(user, (None, 0))[0],
			quality_samples=quality.get(user, (None, 0))[1],
		)
		for user in people
	}
	return Figures(
		start,
		end,
		figures,
		{u: profiles.get(u) or "" for u in people},
		team_targets,
		dict(transfers),
		_holidays(start, end, company),
		case_targets,
	)


# --- gathering -------------------------------------------------------------------------------------


def _cases(start: date, end: date, company: str | None) -> dict[str, CaseLife]:
	"""The cases alive at some time in the period, with their holdings."""
	params = {"start": start, "after": add_days(end, 1), "company": company}
	where = "c.creation < %(after)s and (c.closed_on is null or c.closed_on >= %(start)s)"
	if company:
		where += " and c.company = %(company)s"
	rows = frappe.db.sql(
		f"""select c.name, c.customer, c.company, c.collector, date(c.creation) as created, c.closed_on
		from `tab{CASE}` c where {where}""",
		params,
		as_dict=True,
	)
	holdings = holdings_of(rows)
	out = {}
	for r in rows:
		closed = getdate(r.closed_on) if r.closed_on else None
		out[r.name] = CaseLife(r.name, (r.customer, r.company), getdate(r.created), closed, holdings[r.name])
	return out


def _recovered(start: date, end: date, company: str | None) -> list[tuple[str, float]]:
	"""(collector, recovered) in the period, from the recovery ledger (issue 19)."""
	cond = " and company = %(company)s" if company else ""
	return frappe.db.sql(
		f"""select collector, sum(amount) from `tabCollection Recovery`
		where posting_date between %(start)s and %(end)s and ifnull(collector, '') != ''{cond}
		group by collector""",
		{"start": start, "end": end, "company": company},
	)


def _balances(wanted: dict[date, set], company: str | None, inclusive=frozenset()) -> dict[date, dict]:
	"""(receivable, overdue) of each (customer, company) at the start of each day asked for: what was
	posted before it, overdue when due before it; on an ``inclusive`` day (a collector's first day with
	the case) the documents posted that day count too, that day's receipts not. One ledger query."""
	out = {day: defaultdict(lambda: (0.0, 0.0)) for day in wanted}
	customers = sorted({k[0] for keys in wanted.values() for k in keys})
	if not customers:
		return out
	last = max(wanted)
	moves = defaultdict(list)  # key -> [(posted, due, amount)]
	for i in range(0, len(customers), 5000):
		part = customers[i : i + 5000]
		for r in frappe.db.sql(
			"""select ple.party, ple.company, ple.posting_date, si.due_date, sum(ple.amount) as amount
			from `tabPayment Ledger Entry` ple
			join `tabSales Invoice` si on si.name = ple.against_voucher_no
			where ple.against_voucher_type = 'Sales Invoice' and ple.party_type = 'Customer'
				and ple.delinked = 0 and ple.posting_date < %(last)s and ple.party in %(customers)s
			group by ple.party, ple.company, ple.posting_date, si.due_date""",
			{"last": last, "customers": part},
		):
			moves[(r[0], r[1])].append((getdate(r[2]), getdate(r[3]), flt(r[4])))
		for r in frappe.db.sql(
			"""select d.customer, d.company, date(d.creation), d.due_date, d.principal + d.interest + d.fees
			from `tabDebt` d
			where d.customer in %(customers)s and date(d.creation) < %(last)s and d.status != 'Returned'
			union all
			select d.customer, d.company, p.repayment_date, d.due_date, -p.amount
			from `tabDebt Repayment` p join `tabDebt` d on d.name = p.parent
			where p.parenttype = 'Debt' and d.customer in %(customers)s and p.repayment_date < %(last)s
				and d.status != 'Returned'""",
			{"last": last, "customers": part},
		):
			moves[(r[0], r[1])].append((getdate(r[2]), getdate(r[3]), flt(r[4])))
	for day, keys in wanted.items():
		for key in keys:
			if company and key[1] != company:
				continue
			receivable = overdue = 0.0
			for posted, due, amount in moves.get(key, ()):
				if posted < day or (day in inclusive and posted == day and amount > 0):
					receivable += amount
					if due < day:
						overdue += amount
			out[day][key] = (flt(receivable, 2), flt(overdue, 2))
	return out


def _contacts(start: date, end: date, company: str | None) -> list:
	join, cond = "", ""
	if company:
		join = f"join `tab{CASE}` c on c.name = cl.collection_case"
		cond = " and c.company = %(company)s"
	return frappe.db.sql(
		f"""select cl.collector, count(*) as contacts, sum(cl.effective) as effective_contacts,
			sum(cl.outcome = 'Promise to Pay') as promises_made, sum(cl.late_entry) as late_entries
		from `tabContact Log` cl {join}
		where cl.docstatus < 2 and cl.start_time >= %(start)s and cl.start_time < %(after)s{cond}
		group by cl.collector""",
		{"start": start, "after": add_days(end, 1), "company": company},
		as_dict=True,
	)


def _settled_promises(start: date, end: date, company: str | None) -> list[tuple[str, str]]:
	"""(collector, Kept/Broken) of the promises falling due in the period: kept when the promised
	amount was received between the promise and its date."""
	cond = " and c.company = %(company)s" if company else ""
	logs = frappe.db.sql(
		f"""select cl.collector, c.name as case_name, date(cl.start_time) as made, cl.promise_date,
			cl.promise_amount
		from `tabContact Log` cl join `tab{CASE}` c on c.name = cl.collection_case
		where cl.docstatus < 2 and cl.outcome = 'Promise to Pay' and cl.promise_date between %(start)s and %(end)s{cond}""",
		{"start": start, "end": end, "company": company},
		as_dict=True,
	)
	if not logs:
		return []
	since = min(getdate(r.made) for r in logs)
	paid = recovered_by_case([r.case_name for r in logs], since, end)  # the same ledger as the run
	today = getdate()
	out = []
	for r in logs:
		made, due = getdate(r.made), getdate(r.promise_date)
		received = sum(a for d, a in paid.get(r.case_name, ()) if made <= d <= due)
		outcome = cr.promise_outcome(flt(r.promise_amount), due, received, today)
		if outcome in (cr.KEPT, cr.BROKEN) and r.collector:
			out.append((r.collector, outcome))
	return out


def _refusals(start: date, end: date) -> dict[str, int]:
	if not frappe.db.table_exists("Contact Refusal"):
		return {}
	return dict(
		frappe.db.sql(
			"""select collector, count(*) from `tabContact Refusal`
			where refused_at >= %(start)s and refused_at < %(after)s group by collector""",
			{"start": start, "after": add_days(end, 1)},
		)
	)


def _quality(start: date, end: date) -> dict[str, tuple[float, int]]:
	if not frappe.db.table_exists("Call Quality Review"):
		return {}
	return {
		r[0]: (flt(r[1]), int(r[2]))
		for r in frappe.db.sql(
			"""select collector, avg(score), count(*) from `tabCall Quality Review`
			where docstatus = 1 and week_start between %(start)s and %(end)s group by collector""",
			{"start": start, "end": end},
		)
	}


def _targets(
	start: date, end: date, company: str | None = None
) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
	"""The targets of the period, per collector and per team: each month's amount prorated by the
	working days of the month the period covers (two days of a month are not a month's target); and
	the cases to close (keyed by collector, or by team for a team's own target)."""
	from collections_module.policy.kpi_period import prorated_target

	mine, teams, cases = defaultdict(list), defaultdict(list), defaultdict(int)
	for r in frappe.get_all(
		"Collection Target",
		filters={"month": ["between", [get_first_day(start), end]]},
		fields=["collector", "team", "month", "target_amount", "target_cases"],
		limit_page_length=0,
	):
		(mine[r.collector] if r.collector else teams[r.team]).append((getdate(r.month), flt(r.target_amount)))
		if r.target_cases:
			cases[r.collector or f"team:{r.team}"] += r.target_cases
	holidays = _holidays(get_first_day(start), get_last_day(end), company)
	return (
		{k: flt(prorated_target(v, start, end, holidays), 2) for k, v in mine.items()},
		{k: flt(prorated_target(v, start, end, holidays), 2) for k, v in teams.items()},
		dict(cases),
	)


def _holidays(start: date, end: date, company: str | None) -> list[date]:
	company = company or frappe.defaults.get_global_default("company")
	holiday_list = company and frappe.get_cached_value("Company", company, "default_holiday_list")
	if not holiday_list:
		return []
	return [
		getdate(d)
		for d in frappe.get_all(
			"Holiday",
			filters={"parent": holiday_list, "holiday_date": ["between", [start, end]]},
			pluck="holiday_date",
		)
	]
