# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

"""Which strategy pays (R-G6): recovered amount, cost and days to recover of the cases alive in a
period, by policy, stage of recovery, risk grade, channel or collector."""

import frappe
from frappe import _

from collections_module.bulk import full_names
from collections_module.policy import legal
from collections_module.team.outcomes import outcomes
from collections_module.team.performance_report import company_of, period

GROUPS = {
	"Policy": "policy",
	"Stage": "stage",
	"Risk Grade": "grade",
	"Channel": "channel",
	"Collector": "collector",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start, end = period(filters)
	by = GROUPS.get(filters.get("group_by") or "Policy", "policy")
	rows = outcomes(start, end, company_of(filters))
	groups = legal.outcome_rows(rows, by)
	names = full_names([o.key for o in groups]) if by == "collector" else {}
	data = [_row(names.get(o.key) or (_(o.key) if o.key else _("(none)")), o) for o in groups]
	if data:
		data.append({**_row(_("Total"), legal.outcome_total(rows)), "bold": 1})
	message = _(
		"Recovered: receipts on a case while it was open. Cost: its legal actions' fees, commissions and other costs, and its visits' costs. Days to recover: from the case's opening to its closing (or last receipt)."
	)
	return columns(filters.get("group_by") or "Policy"), data, message


def _row(label: str, o: legal.Outcome) -> dict:
	return {
		"group": label,
		"cases": o.cases,
		"recovered_cases": o.recovered_cases,
		"recovered": o.recovered,
		"cost": o.cost,
		"net": o.net,
		"return_on_cost": None if o.return_on_cost is None else round(o.return_on_cost, 2),
		"avg_days_to_recover": None if o.avg_days_to_recover is None else round(o.avg_days_to_recover, 1),
	}


def columns(group_by: str) -> list[dict]:
	money = {"fieldtype": "Currency", "width": 140}
	return [
		{"fieldname": "group", "label": _(group_by), "fieldtype": "Data", "width": 200},
		{"fieldname": "cases", "label": _("Cases"), "fieldtype": "Int", "width": 90},
		{"fieldname": "recovered_cases", "label": _("Cases Recovering"), "fieldtype": "Int", "width": 120},
		{"fieldname": "recovered", "label": _("Recovered"), **money},
		{"fieldname": "cost", "label": _("Cost"), **money},
		{"fieldname": "net", "label": _("Net"), **money},
		{
			"fieldname": "return_on_cost",
			"label": _("Recovered Per Unit Of Cost"),
			"fieldtype": "Float",
			"width": 140,
		},
		{
			"fieldname": "avg_days_to_recover",
			"label": _("Average Days To Recover"),
			"fieldtype": "Float",
			"width": 140,
		},
	]
