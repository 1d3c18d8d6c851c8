# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

"""Whose weekly report (周报) of a week is in: every collector who owes one, by name, submitted, still a
draft or missing, with a link to the report. Missing ones first: they are whom the supervisor chases."""

import frappe
from frappe import _
from frappe.utils import escape_html, getdate, nowdate

from collections_module.bulk import full_names
from collections_module.policy import weekly
from collections_module.team import weekly as team

ORDER = {team.MISSING: 0, team.DRAFT: 1, team.SUBMITTED: 2}
INDICATOR = {team.SUBMITTED: "Green", team.DRAFT: "Orange", team.MISSING: "Red"}


def label(status: str) -> str:
	return {team.SUBMITTED: _("Submitted"), team.DRAFT: _("Draft"), team.MISSING: _("Missing")}[status]


def execute(filters=None):
	filters = frappe._dict(filters or {})
	monday, sunday = (
		weekly.week_of(getdate(filters.week)) if filters.week else weekly.previous_week(getdate(nowdate()))
	)
	rows = [
		r
		for r in team.report_status(monday)
		if (not filters.team or r.team == filters.team)
		and (not filters.supervisor or filters.supervisor in r.supervisors)
	]
	names = full_names({r.collector for r in rows} | {s for r in rows if r.named for s in r.supervisors})
	data = [
		{
			"collector_name": names.get(r.collector) or r.collector,
			"team": r.team,
			"supervisor_name": names.get(r.supervisors[0]) if r.named else _("Every supervisor"),
			"status": label(r.status),
			"status_key": r.status,  # for the colour (the shown status is translated)
			"submitted_on": r.submitted_on,
			"weekly_report": r.weekly_report,
		}
		for r in rows
	]
	data.sort(key=lambda d: (ORDER[d["status_key"]], d["collector_name"].lower()))
	counts = {status: sum(d["status_key"] == status for d in data) for status in ORDER}
	return columns(), data, message(monday, sunday, data, counts), chart(counts), summary(counts)


def columns() -> list[dict]:
	return [
		{"fieldname": "collector_name", "label": _("Collector"), "fieldtype": "Data", "width": 180},
		{"fieldname": "team", "label": _("Team"), "fieldtype": "Data", "width": 110},
		{"fieldname": "supervisor_name", "label": _("Supervisor"), "fieldtype": "Data", "width": 160},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{"fieldname": "submitted_on", "label": _("Submitted On"), "fieldtype": "Datetime", "width": 160},
		{
			"fieldname": "weekly_report",
			"label": _("Weekly Report"),
			"fieldtype": "Link",
			"options": "Weekly Report",
			"width": 150,
		},
	]


def message(monday, sunday, data: list[dict], counts: dict[str, int]) -> str:
	line = _("Week of {0} to {1}: {2} of {3} weekly reports submitted.").format(
		frappe.format(monday, "Date"), frappe.format(sunday, "Date"), counts[team.SUBMITTED], len(data)
	)
	late = [d["collector_name"] for d in data if d["status_key"] != team.SUBMITTED]
	if late:
		line += " " + _("Not submitted yet: {0}.").format(", ".join(late))
	return escape_html(line)


def chart(counts: dict[str, int]) -> dict:
	order = (team.SUBMITTED, team.DRAFT, team.MISSING)
	return {
		"data": {
			"labels": [label(status) for status in order],
			"datasets": [{"name": _("Weekly Reports"), "values": [counts[status] for status in order]}],
		},
		"type": "donut",
		"colors": ["#28a745", "#fd7e14", "#e03636"],
		"height": 220,
	}


def summary(counts: dict[str, int]) -> list[dict]:
	return [
		{"value": counts[status], "label": label(status), "indicator": INDICATOR[status], "datatype": "Int"}
		for status in (team.SUBMITTED, team.DRAFT, team.MISSING)
	]
