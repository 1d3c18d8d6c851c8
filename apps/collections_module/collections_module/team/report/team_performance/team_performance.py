# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

"""Each team's KPIs for a period (R-G1): the rates of the team's summed figures, never an average of its
collectors' rates; a case handed between two collectors of the team counts once."""

from dataclasses import replace

import frappe
from frappe import _

from collections_module.policy import kpi
from collections_module.team import performance_report as pr


def execute(filters=None):
	filters = frappe._dict(filters or {})
	figs = pr.figures(filters)
	teams = {}
	for user, fig in figs.collectors.items():
		teams.setdefault(figs.team_of.get(user) or "", []).append(fig)
	data = []
	for team, members in sorted(teams.items()):
		if filters.team and team != filters.team:
			continue
		total = kpi.sum_figures(members)
		target = figs.team_targets.get(team)
		transfers = figs.internal_transfers.get(team, 0.0)
		rates = kpi.team_kpis(
			members, figs.start, figs.end, figs.holidays, target=target, internal_transfers=transfers
		)
		shown = replace(
			total,
			assigned_during=max(total.assigned_during - transfers, 0.0),
			target=total.target if target is None else target,
		)
		own = figs.case_targets.get(f"team:{team}")
		members_cases = [
			figs.case_targets.get(u) for u in figs.collectors if (figs.team_of.get(u) or "") == team
		]
		cases = own if own is not None else (sum(c for c in members_cases if c) or None)
		label = {"team": team or _("(no team)"), "collectors": len(members)}
		data.append({**pr.row(label, shown, rates), "target_cases": cases})
	first = [
		{"fieldname": "team", "label": _("Team"), "fieldtype": "Data", "width": 140},
		{"fieldname": "collectors", "label": _("Collectors"), "fieldtype": "Int", "width": 90},
	]
	return pr.columns(first), data, pr.formulas(), pr.chart([r["team"] for r in data], data)
