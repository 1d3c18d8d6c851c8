"""A case's life as the ledger and the KPIs read it: who held it when (from its hand-over history),
its stages, policies and grades over time, and its effective contacts. Read set-based for many cases."""

from collections import defaultdict

import frappe
from frappe.utils import getdate

from collections_module.policy import kpi

CASE = "Collection Case"


def holdings_of(rows) -> dict[str, list]:
	"""{case: [kpi.Holding]} for case rows (name, collector, created, closed_on), from their hand-over
	history: every change of collector is a row of it."""
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
	out = {}
	for r in rows:
		events = [(getdate(h.reassigned_on), h.to_collector or None) for h in history.get(r.name, [])]
		first = history.get(r.name, [None])[0]
		if first is not None and first.from_collector:  # held before the history was kept
			events.insert(0, (getdate(r.created), first.from_collector))
		if not events and r.collector:
			events = [(getdate(r.created), r.collector)]
		closed = getdate(r.closed_on) if r.closed_on else None
		out[r.name] = [h for h in kpi.holdings(events, closed) if h.collector]
	return out


def timelines_of(names: list[str]) -> dict[str, dict[str, list]]:
	"""{case: {"stages": [(day, stage)], "policies": [...], "grades": [...]}} from the stage history."""
	out = defaultdict(lambda: {"stages": [], "policies": [], "grades": []})
	for i in range(0, len(names), 5000):
		for r in frappe.db.sql(
			"""select parent, changed_on, to_stage, policy, to_grade from `tabCollection Case Stage Log`
			where parenttype = %(doctype)s and parent in %(names)s order by changed_on, idx""",
			{"doctype": CASE, "names": names[i : i + 5000]},
			as_dict=True,
		):
			day = getdate(r.changed_on)
			out[r.parent]["stages"].append((day, r.to_stage or ""))
			if r.policy:
				out[r.parent]["policies"].append((day, r.policy))
			if r.to_grade:
				out[r.parent]["grades"].append((day, r.to_grade))
	return out


def contacts_of(names: list[str]) -> dict[str, list]:
	"""{case: [(when, channel)]} of its effective contacts."""
	out = defaultdict(list)
	for i in range(0, len(names), 5000):
		for case, when, channel in frappe.db.sql(
			"""select collection_case, start_time, channel from `tabContact Log`
			where docstatus < 2 and effective = 1 and collection_case in %(names)s""",
			{"names": names[i : i + 5000]},
		):
			out[case].append((when, channel))
	return out
