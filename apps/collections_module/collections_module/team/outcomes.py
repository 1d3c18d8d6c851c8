"""Outcome evaluation (R-G6): per case alive in a period, what it recovered and what it cost, for
the Outcome Evaluation report; read from the recovery ledger like the team's KPIs, each cost in the
period it was incurred."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, flt, get_first_day, getdate

from collections_module.policy import contact_rules as cr
from collections_module.policy import kpi
from collections_module.team.performance import CASE, _cases


def outcomes(start: date, end: date, company: str | None = None) -> list[dict]:
	"""One row per case alive in the period: what it recovered (receipts while it was open), what it
	cost (its legal actions' costs and its visits' costs), the days from opening to recovery, and its
	policy, stage at the last receipt, risk grade, main channel and the collector credited with most."""
	start, end = getdate(start), getdate(end)
	cases = _cases(start, end, company)
	if not cases:
		return []
	received = defaultdict(list)  # case -> [(day, amount)] from the recovery ledger
	for case, day, amount in frappe.db.sql(
		"""select collection_case, posting_date, amount from `tabCollection Recovery`
		where posting_date between %(start)s and %(end)s and collection_case in %(names)s""",
		{"start": start, "end": end, "names": list(cases)},
	):
		received[case].append((getdate(day), flt(amount)))
	names = list(cases)
	info = {
		r.name: r
		for r in frappe.get_all(
			CASE,
			filters={"name": ["in", names]},
			fields=["name", "policy", "current_stage", "risk_grade"],
			limit_page_length=0,
		)
	}
	stage_rows = defaultdict(list)
	for r in frappe.get_all(
		"Collection Case Stage Log",
		filters={"parenttype": CASE, "parent": ["in", names]},
		fields=["parent", "changed_on", "from_stage", "to_stage"],
		order_by="changed_on, idx",
		limit_page_length=0,
	):
		if r.from_stage != r.to_stage:
			stage_rows[r.parent].append((getdate(r.changed_on), r.to_stage))
	costs = defaultdict(float)
	# legal costs in the period they were incurred: dated cost rows; the older undated fees, commission
	# and other costs on the action's start date
	for parent, cost in frappe.db.sql(
		"""select la.collection_case, sum(c.amount) from `tabLegal Action Cost` c
		join `tabLegal Action` la on la.name = c.parent
		where c.parenttype = 'Legal Action' and la.collection_case in %(names)s
			and la.approval_state = 'Approved' and c.cost_date between %(start)s and %(end)s
		group by la.collection_case""",
		{"names": names, "start": start, "end": end},
	):
		costs[parent] += flt(cost)
	for parent, cost in frappe.db.sql(
		"""select collection_case, sum(ifnull(fees, 0) + ifnull(commission, 0) + ifnull(other_costs, 0))
		from `tabLegal Action`
		where collection_case in %(names)s and approval_state = 'Approved'
			and started_on between %(start)s and %(end)s group by collection_case""",
		{"names": names, "start": start, "end": end},
	):
		costs[parent] += flt(cost)
	for parent, cost in frappe.db.sql(
		"""select collection_case, sum(cost) from `tabVisit Record`
		where collection_case in %(names)s and docstatus < 2
			and coalesce(actual_time, planned_time) >= %(start)s and coalesce(actual_time, planned_time) < %(after)s
		group by collection_case""",
		{"names": names, "start": start, "after": add_days(end, 1)},
	):
		costs[parent] += flt(cost)
	channels = defaultdict(dict)
	for parent, channel, n in frappe.db.sql(
		"""select collection_case, channel, count(*) from `tabContact Log`
		where collection_case in %(names)s and docstatus < 2 and effective = 1
			and start_time >= %(start)s and start_time < %(after)s
		group by collection_case, channel""",
		{"names": names, "start": start, "after": add_days(end, 1)},
	):
		channels[parent][channel] = n
	rows = []
	for c in cases.values():
		receipts = received.get(c.name, [])
		recovered = flt(sum(a for _d, a in receipts), 2)
		last = max((d for d, _a in receipts), default=None)
		stage = next((s for d, s in reversed(stage_rows[c.name]) if last and d <= last), None)
		credit = kpi.attribute([kpi.Payment(d, a) for d, a in receipts], c.holdings)
		collector = max(credit, key=lambda k: credit[k]) if credit else kpi.holder_on(c.holdings, end)
		used = channels.get(c.name) or {}
		done = c.closed_on if c.closed_on and c.closed_on <= end else last
		rows.append(
			{
				"case": c.name,
				"recovered": recovered,
				"cost": flt(costs.get(c.name), 2),
				"days_to_recover": (done - c.created).days if recovered > 0 and done else None,
				"policy": info[c.name].policy or "",
				"stage": stage or info[c.name].current_stage or "",
				"grade": info[c.name].risk_grade or "",
				"channel": max(used, key=lambda k: (used[k], k)) if used else "",
				"collector": collector or "",
			}
		)
	return rows
