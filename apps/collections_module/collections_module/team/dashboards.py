"""The workspace's figures of recovery (R-G1): recovered this month, and recovered against target by
month. Recovered = the recovery ledger (Collection Recovery), as in the performance reports."""

import frappe
from frappe import _
from frappe.utils import add_months, flt, get_first_day, get_last_day, getdate, nowdate
from frappe.utils.dashboard import cache_source

from collections_module.policy import roles

LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


def _only_leads():
	if not set(frappe.get_roles()) & LEADS:
		frappe.throw(
			_("Only collection supervisors and above see the team's recovery."), frappe.PermissionError
		)


def recovered_by_month(start, end) -> dict[str, float]:
	"""'YYYY-MM' -> amount recovered, from the recovery ledger (one grouped query)."""
	return {
		month: flt(amount)
		for month, amount in frappe.db.sql(
			"""select date_format(posting_date, '%%Y-%%m'), sum(amount) from `tabCollection Recovery`
			where posting_date between %(start)s and %(end)s group by 1""",
			{"start": start, "end": end},
		)
	}


def targets_by_month(start, end) -> dict[str, float]:
	"""'YYYY-MM' -> the collectors' targets summed (the teams' own targets where no collector has one)."""
	collectors, teams = {}, {}
	for r in frappe.get_all(
		"Collection Target",
		filters={"month": ["between", [get_first_day(start), end]]},
		fields=["month", "collector", "target_amount"],
		limit_page_length=0,
	):
		bucket = collectors if r.collector else teams
		key = getdate(r.month).strftime("%Y-%m")
		bucket[key] = bucket.get(key, 0.0) + flt(r.target_amount)
	return {k: collectors.get(k) or teams.get(k, 0.0) for k in set(collectors) | set(teams)}


def recovered_this_month(filters=None):
	"""Number card: recovered since the first of the month; a collector's own (the rows credited to
	them, as in Collector Performance)."""
	today = getdate(nowdate())
	if set(frappe.get_roles()) & LEADS:
		return _money(sum(recovered_by_month(get_first_day(today), today).values()))
	value = flt(
		frappe.db.sql(
			"""select sum(amount) from `tabCollection Recovery`
			where collector = %(user)s and posting_date between %(start)s and %(end)s""",
			{"user": frappe.session.user, "start": get_first_day(today), "end": today},
		)[0][0]
	)
	return _money(value)


def _money(value: float) -> dict:
	"""The card's figure as money, in the company's currency."""
	company = frappe.defaults.get_user_default("Company") or frappe.defaults.get_global_default("company")
	currency = frappe.get_cached_value("Company", company, "default_currency") if company else None
	return {"value": flt(value, 2), "fieldtype": "Currency", "options": currency}


def recovered_vs_target(*args, **kwargs):
	"""Dashboard chart source: the last twelve months, recovered beside the target (leads only; the
	role is checked before the cached figures are returned)."""
	_only_leads()
	return _recovered_vs_target(*args, **kwargs)


@cache_source
def _recovered_vs_target(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
):
	today = getdate(nowdate())
	start = get_first_day(add_months(today, -11))
	months = [add_months(start, i) for i in range(12)]
	recovered = recovered_by_month(start, get_last_day(today))
	targets = targets_by_month(start, get_last_day(today))
	keys = [m.strftime("%Y-%m") for m in months]
	return {
		"labels": keys,
		"datasets": [
			{"name": _("Recovered"), "values": [flt(recovered.get(k), 2) for k in keys]},
			{"name": _("Target"), "values": [flt(targets.get(k), 2) for k in keys]},
		],
		"type": "bar",
	}
