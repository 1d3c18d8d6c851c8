"""What the Collector Performance and Team Performance reports show: their filters, columns, rows and
the formulas, in the reader's language (R-G1). The figures come from performance.gather, the rates
from the policy core (policy/kpi.py)."""

import frappe
from frappe import _
from frappe.utils import flt, get_first_day, get_last_day, getdate, nowdate

from collections_module.policy import kpi, roles
from collections_module.team.performance import Figures, gather

LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


def period(filters) -> tuple:
	today = getdate(nowdate())
	start = getdate(filters.get("from_date") or get_first_day(today))
	end = getdate(filters.get("to_date") or get_last_day(today))
	if end < start:
		frappe.throw(_("The period ends before it starts."))
	return start, end


def company_of(filters) -> str | None:
	"""The company the figures are for: amounts of companies in different currencies are never summed,
	so the reports are per company (the user's default when none is chosen)."""
	return (
		filters.get("company")
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)


def figures(filters) -> Figures:
	start, end = period(filters)
	return gather(start, end, company_of(filters))


def formulas() -> str:
	lines = [
		_("Overdue rate = overdue receivables ÷ all receivables of the collector's cases at period end."),
		_(
			"Recovery rate = received on the collector's cases in the period ÷ (overdue held at the start + overdue assigned during the period)."
		),
		_("Target achievement = received ÷ target."),
		_("Efficiency = received per effective contact, and cases closed per working day."),
		_(
			"Received = the recovery ledger: the part of each receipt that paid what was overdue on its date, for the collector holding the case that day; a case counts once in a collector's base, at its overdue amount when they first held it in the period."
		),
		_("Targets are monthly; a period cutting a month takes its share by working days."),
	]
	return "<br>".join(frappe.utils.escape_html(line) for line in lines)


def _pct(x):
	return None if x is None else flt(x * 100, 1)


def row(label: dict, fig: kpi.CollectorFigures, rates: kpi.Kpis) -> dict:
	return {
		**label,
		"target": fig.target,
		"received": fig.received,
		"target_achievement": _pct(rates.target_achievement),
		"overdue_at_start": fig.overdue_at_start,
		"assigned_during": fig.assigned_during,
		"recovery_rate": _pct(rates.recovery_rate),
		"overdue_at_end": fig.overdue_at_end,
		"receivables_at_end": fig.receivables_at_end,
		"overdue_rate": _pct(rates.overdue_rate),
		"contacts": fig.contacts,
		"effective_contacts": fig.effective_contacts,
		"received_per_effective_contact": rates.received_per_effective_contact,
		"cases_closed": fig.cases_closed,
		"closed_per_working_day": None
		if rates.closed_per_working_day is None
		else flt(rates.closed_per_working_day, 2),
		"promises_made": fig.promises_made,
		"kept": fig.kept,
		"broken": fig.broken,
		"promise_kept_rate": _pct(rates.promise_kept_rate),
		"late_entries": fig.late_entries,
		"refusals": fig.refusals,
		"quality_score": None if rates.quality_score is None else flt(rates.quality_score, 1),
	}


def columns(first: list[dict]) -> list[dict]:
	money = {"fieldtype": "Currency", "width": 130}
	count = {"fieldtype": "Int", "width": 90}
	pct = {"fieldtype": "Percent", "width": 110, "precision": 1}
	# the figures a manager acts on first; the rest follow (the report's column picker hides them)
	return [
		*first,
		{"fieldname": "received", "label": _("Received"), **money},
		{"fieldname": "target", "label": _("Target"), **money},
		{"fieldname": "target_achievement", "label": _("Target Achievement"), **pct},
		{"fieldname": "recovery_rate", "label": _("Recovery Rate"), **pct},
		{"fieldname": "overdue_at_start", "label": _("Overdue Held At Start"), **money},
		{"fieldname": "assigned_during", "label": _("Overdue Assigned During"), **money},
		{"fieldname": "overdue_at_end", "label": _("Overdue At End"), **money},
		{"fieldname": "receivables_at_end", "label": _("Receivables At End"), **money},
		{"fieldname": "overdue_rate", "label": _("Overdue Rate"), **pct},
		{"fieldname": "contacts", "label": _("Contacts"), **count},
		{"fieldname": "effective_contacts", "label": _("Effective Contacts"), **count},
		{
			"fieldname": "received_per_effective_contact",
			"label": _("Received Per Effective Contact"),
			**money,
		},
		{"fieldname": "cases_closed", "label": _("Cases Closed"), **count},
		{"fieldname": "target_cases", "label": _("Cases To Close"), **count},
		{
			"fieldname": "closed_per_working_day",
			"label": _("Closed Per Working Day"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{"fieldname": "promises_made", "label": _("Promises Made"), **count},
		{"fieldname": "kept", "label": _("Promises Kept"), **count},
		{"fieldname": "broken", "label": _("Promises Broken"), **count},
		{"fieldname": "promise_kept_rate", "label": _("Promise Kept Rate"), **pct},
		{"fieldname": "late_entries", "label": _("Late Entries"), **count},
		{"fieldname": "refusals", "label": _("Contact Rule Refusals"), **count},
		{
			"fieldname": "quality_score",
			"label": _("Call Quality Score"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
	]


def is_lead() -> bool:
	return bool(set(frappe.get_roles()) & LEADS)


def chart(labels: list[str], rows: list[dict]) -> dict:
	"""Received beside the target, one bar pair per row of the report."""
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _("Received"), "values": [flt(r.get("received")) for r in rows]},
				{"name": _("Target"), "values": [flt(r.get("target")) for r in rows]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"height": 240,
	}
