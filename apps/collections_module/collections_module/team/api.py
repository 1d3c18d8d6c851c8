"""Endpoints of Team: thin and typed; the work is in the services they call."""

import frappe

from collections_module.team import dashboards, incentives, weekly


@frappe.whitelist()
def acknowledge(review: str, comment: str | None = None) -> None:
	"""The collector has read the review of their call (and may answer it)."""
	weekly.acknowledge(review, comment)


@frappe.whitelist()
def recovered_this_month(filters: str | dict | None = None) -> dict:
	"""Number Card "Recovered This Month": {"value", "fieldtype", "options"} as Frappe's card formats it."""
	return dashboards.recovered_this_month(filters)


@frappe.whitelist()
def recovered_vs_target(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
) -> dict:
	"""Dashboard chart source "Collections Recovered vs Target" (leads only)."""
	return dashboards.recovered_vs_target(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
	)


@frappe.whitelist(methods=["POST"])
def draft_incentive_statements(month: str, company: str | None = None, plan: str | None = None) -> list[str]:
	"""Draft (or redraft) the month's Incentive Statements: collection managers and above."""
	return incentives.draft_by_a_manager(month, company, plan)


@frappe.whitelist(methods=["POST"])
def review_incentive_statement(statement: str, note: str | None = None) -> None:
	"""A collection manager marks a collector's Incentive Statement reviewed; its figures are then fixed."""
	incentives.review(statement, note)
