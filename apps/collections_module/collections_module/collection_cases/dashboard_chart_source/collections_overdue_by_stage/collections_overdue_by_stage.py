# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Dashboard chart source "Collections Overdue by Stage": the overdue amount of the open cases per
ladder stage, in the ladder's order, the stage names in the reader's language. Read through the user's
own permissions (a collector: their cases). Not cached: the figure and the words are per user."""

import frappe
from frappe import _
from frappe.utils import flt

CASE = "Collection Case"


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | list | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
) -> dict:
	frappe.has_permission(CASE, "read", throw=True)
	rows = frappe.get_list(
		CASE,
		filters={"status": ["!=", "Closed"], "current_stage": ["is", "set"]},
		fields=["current_stage", "sum(total_outstanding) as amount", "min(oldest_days_overdue) as first_day"],
		group_by="current_stage",
		order_by="first_day asc",
	)
	return {
		"labels": [_(r.current_stage) for r in rows],
		"datasets": [{"name": _("Overdue"), "values": [flt(r.amount, 2) for r in rows]}],
		"type": "bar",
	}
