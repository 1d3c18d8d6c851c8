"""The figures of the Collector Performance and Team Performance reports (R-G1), gathered for a period in
a handful of set-based queries and handed to the policy core (policy/kpi.py) for the rates.

- A case's holdings come from its hand-over history (every change of collector is a row of it); a
  payment counts for the collector holding the case on the payment's date, and only while a case of
  the customer was open that day (a payment with no case open is not a recovery).
- Received = Payment Entries received from the customer (company currency) plus the repayments
  recorded on its imported Debts, on their repayment date, whether the client reported them or the
  money came to us. Credit notes and write-offs are not recoveries.
- Receivables on a day are the customer's Payment Ledger on the invoices posted by then (as ERPNext's
  Accounts Receivable report reads it) plus its debts less their repayments; an invoice or debt is
  overdue after its due date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, flt, get_first_day, getdate

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
	by_key = defaultdict(list)
	for c in cases.values():
		by_key[c.key].append(c)
	amounts = defaultdict(lambda: defaultdict(float))  # collector -> figure -> amount
	counts = defaultdict(lambda: defaultdict(int))

	# received: each payment to the holder of the case open that day
	for key, day, amount in _receipts(start, end, company):
		case = _case_open_on(by_key.get(key, ()), day)
		holder = case and kpi.credited_to(case.holdings, day)
		if holder:
			amounts[holder]["received"] += amount

	# what each collector held: at the start, handed to them during the period, at the end
	held_start = {c.name: kpi.holder_on(c.holdings, start) for c in cases.values()}
	held_end = {c.name: kpi.holder_on(c.holdings, end) for c in cases.values()}
	assigned = {c.name: kpi.assigned_during(c.holdings, start, end) for c in cases.values()}
	# balances at the start of a day: the period's first day, each hand-over day, the day after its end
	after = end + timedelta(days=1)
	wanted = defaultdict(set)  # day -> keys whose balance is needed at its start
	for c in cases.values():
		if held_start[c.name]:
			wanted[start].add(c.key)
		if held_end[c.name]:
			wanted[after].add(c.key)
		for _u, d in assigned[c.name]:
			wanted[d].add(c.key)
	balances = _balances(wanted, company)
	profiles = dict(frappe.get_all("Collector Profile", fields=["user", "team"], as_list=True))
	transfers = defaultdict(float)
	for c in cases.values():
		if held_start[c.name]:
			amounts[held_start[c.name]]["overdue_at_start"] += balances[start][c.key][1]
		if held_end[c.name]:
			receivable, overdue = balances[after][c.key]
			amounts[held_end[c.name]]["overdue_at_end"] += overdue
			amounts[held_end[c.name]]["receivables_at_end"] += receivable
		for user, d in assigned[c.name]:
			overdue = balances[d][c.key][1]
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
	targets, team_targets, case_targets = _targets(start, end)

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
	history = defaultdict(list)
	names = [r.name for r in rows]
	for i in range(0, len(names), 5000):
		for r in frappe.db.sql(
			"""select parent, reassigned_on, idx, from_collector, to_collector
			from `tabCollection Case Reassignment`
			where parenttype = %(doctype)s and parent in %(names)s""",
			{"doctype": CASE, "names": names[i : i + 5000]},
			as_dict=True,
		):
			history[r.parent].append(r)
	for events in history.values():
		events.sort(key=lambda h: (h.reassigned_on, h.idx))
		for h in events:
			h.day = getdate(h.reassigned_on)
	out = {}
	for r in rows:
		events = [(getdate(h.day), h.to_collector or None) for h in history.get(r.name, [])]
		first = history.get(r.name, [None])[0]
		if first is not None and first.from_collector:  # held before the history was kept
			events.insert(0, (getdate(r.created), first.from_collector))
		if not events and r.collector:
			events = [(getdate(r.created), r.collector)]
		closed = getdate(r.closed_on) if r.closed_on else None
		holdings = [h for h in kpi.holdings(events, closed) if h.collector]
		out[r.name] = CaseLife(r.name, (r.customer, r.company), getdate(r.created), closed, holdings)
	return out


def _case_open_on(cases, day: date) -> CaseLife | None:
	for c in cases:
		if c.created <= day and (c.closed_on is None or day <= c.closed_on):
			return c
	return None


def _receipts(start: date, end: date, company: str | None):
	"""(key, day, amount) of every receipt in the period: Payment Entries and debts' repayments."""
	cond = " and company = %(company)s" if company else ""
	for r in frappe.db.sql(
		f"""select party, company, posting_date, base_received_amount from `tabPayment Entry`
		where docstatus = 1 and party_type = 'Customer' and payment_type = 'Receive'
			and posting_date between %(start)s and %(end)s{cond}""",
		{"start": start, "end": end, "company": company},
		as_dict=True,
	):
		yield (r.party, r.company), getdate(r.posting_date), flt(r.base_received_amount)
	for r in frappe.db.sql(
		f"""select d.customer, d.company, p.repayment_date, p.amount
		from `tabDebt Repayment` p join `tabDebt` d on d.name = p.parent
		where p.parenttype = 'Debt' and p.repayment_date between %(start)s and %(end)s{cond.replace("company", "d.company", 1)}""",
		{"start": start, "end": end, "company": company},
		as_dict=True,
	):
		yield (r.customer, r.company), getdate(r.repayment_date), flt(r.amount)


def _balances(wanted: dict[date, set], company: str | None) -> dict[date, dict]:
	"""(receivable, overdue) of each (customer, company) at the start of each day asked for: what was
	posted before it, overdue when due before it. One ledger query for all the days."""
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
				if posted < day:
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
		f"""select cl.collector, c.customer, c.company, date(cl.start_time) as made, cl.promise_date,
			cl.promise_amount
		from `tabContact Log` cl join `tab{CASE}` c on c.name = cl.collection_case
		where cl.docstatus < 2 and cl.outcome = 'Promise to Pay' and cl.promise_date between %(start)s and %(end)s{cond}""",
		{"start": start, "end": end, "company": company},
		as_dict=True,
	)
	if not logs:
		return []
	since = min(getdate(r.made) for r in logs)
	paid = defaultdict(list)
	for key, day, amount in _receipts(since, end, company):
		paid[key].append((day, amount))
	today = getdate()
	out = []
	for r in logs:
		made, due = getdate(r.made), getdate(r.promise_date)
		received = sum(a for d, a in paid[(r.customer, r.company)] if made <= d <= due)
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


def _targets(start: date, end: date) -> tuple[dict[str, float], dict[str, float], dict[str, int]]:
	"""The monthly targets of the months the period touches, summed per collector and per team: the
	amounts, and the cases to close (keyed by collector, or by team for a team's own target)."""
	mine, teams, cases = defaultdict(float), defaultdict(float), defaultdict(int)
	for r in frappe.get_all(
		"Collection Target",
		filters={"month": ["between", [get_first_day(start), end]]},
		fields=["collector", "team", "target_amount", "target_cases"],
		limit_page_length=0,
	):
		if r.collector:
			mine[r.collector] += flt(r.target_amount)
		else:
			teams[r.team] += flt(r.target_amount)
		if r.target_cases:
			cases[r.collector or f"team:{r.team}"] += r.target_cases
	return dict(mine), dict(teams), dict(cases)


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
