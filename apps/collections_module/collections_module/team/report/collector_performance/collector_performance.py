# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

"""Each collector's KPIs for a period against their target (R-G1). A collector sees their own row."""

import frappe
from frappe import _

from collections_module.bulk import full_names
from collections_module.policy import kpi
from collections_module.team import performance_report as pr


def execute(filters=None):
	filters = frappe._dict(filters or {})
	if not pr.is_lead():
		filters.collector = frappe.session.user  # a collector's own figures only
	figs = pr.figures(filters)
	names = full_names(figs.collectors)
	data = []
	for user, fig in sorted(figs.collectors.items()):
		team = figs.team_of.get(user) or ""
		if (filters.collector and user != filters.collector) or (filters.team and team != filters.team):
			continue
		rates = kpi.kpis(fig, figs.start, figs.end, figs.holidays)
		label = {"collector": user, "collector_name": names.get(user) or user, "team": team}
		data.append({**pr.row(label, fig, rates), "target_cases": figs.case_targets.get(user)})
	first = [
		{
			"fieldname": "collector",
			"label": _("Collector"),
			"fieldtype": "Link",
			"options": "User",  # shown by name (people_names.js); the name is also in collector_name
			"width": 180,
		},
		{"fieldname": "team", "label": _("Team"), "fieldtype": "Data", "width": 110},
	]
	chart = pr.chart([r["collector_name"] for r in data], data)
	return pr.columns(first), data, pr.formulas(), chart
