# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Dashboard chart source "Collections Recovery Trend": the amount recovered per month over the last
twelve months, from the recovery ledger (Collection Recovery), for one company (the user's default
unless the chart says otherwise). Read through the user's own permissions: a collector sees the rows
credited to them (the DocType's record rule), the leads see the team's. Not cached: the figure is
per user."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from collections_module.policy import trends


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
	company = chart_company(filters)
	ranges = trends.month_ranges(getdate(nowdate()))
	return {
		"labels": [trends.month_key(start) for start, _end in ranges],
		"datasets": [{"name": _("Recovered"), "values": recovered_by_month(company, ranges)}],
		"type": "line",
	}


def recovered_by_month(company: str | None, ranges) -> list[float]:
	"""Recovered per month of ``ranges``: one grouped query through the user's permissions."""
	frappe.has_permission("Collection Recovery", "read", throw=True)
	rows = frappe.get_list(
		"Collection Recovery",
		filters={"company": company, "posting_date": ["between", [ranges[0][0], ranges[-1][1]]]},
		fields=["posting_date", "sum(amount) as amount"],
		group_by="posting_date",
		order_by="posting_date asc",
		limit_page_length=0,
	)
	return trends.monthly_totals(
		((trends.month_key(getdate(r.posting_date)), r.amount) for r in rows), ranges
	)


def chart_company(filters) -> str | None:
	"""The company the chart is filtered by, else the user's default company."""
	return (
		trends.company_of(filters)
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)
