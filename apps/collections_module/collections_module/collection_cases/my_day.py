"""My Day: a collector's cases due today and overdue follow-ups, ranked by expected recovery.

One call (`get_my_day`, the page's endpoint in collection_cases/api.py) gathers everything the page shows in a handful of set-based
queries — the due cases, the customers' payment and promise records, the ladder stages, the contact
rules and recent contacts of the cases shown, their open follow-ups — and asks the policy core
(policy/ranking.py) for each case's expected recovery and its reason. No document is loaded per case.

A Collector only ever gets their own cases (the Collection Case permission query condition is applied
to the query); the collection leads see one collector's day or the whole team's.
"""

import heapq
from datetime import date

import frappe
from frappe import _
from frappe.utils import (
	cint,
	flt,
	getdate,
	nowdate,
)

from collections_module import permissions
from collections_module.bulk import full_names
from collections_module.collection_cases.customer_record import payment_history, promise_history
from collections_module.collection_cases.ladder import run_log
from collections_module.collection_cases.my_day_rows import _rows, _team_summary, collector_choices
from collections_module.policy import ranking, roles

CASE = "Collection Case"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# Due cases are ranked in the order of the most they could score; a collector's day stops ranking once
# no case left can reach its rows. At most this many are read and ranked (the page says so then).
MAX_CANDIDATES = 3000
FIRST_CHUNK = 500  # due cases ranked (their customers' records read together) before the first check
# Escalation level of a stage: the highest of its owner and escalation roles.
ROLE_LEVEL = {
	roles.COLLECTOR: 0,
	roles.SUPERVISOR: 1,
	roles.MANAGER: 2,
	roles.GENERAL_MANAGER: 3,
	roles.OWNER: 4,
}
# What ranking needs of every due case; the rest is read for the rows shown only.
RANK_FIELDS = (
	"name",
	"customer",
	"company",
	"collector",
	"policy",
	"current_stage",
	"total_outstanding",
	"oldest_days_overdue",
)


def open_statuses() -> list[str]:
	options = frappe.get_meta(CASE).get_field("status").options or ""
	return [s for s in options.split("\n") if s and s != "Closed"]


def is_lead(user: str | None = None) -> bool:
	"""The collection leads (and managers of the accounts) see every collector's day."""
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(frappe.get_roles(user)) & set(roles.SEE_ALL_CASES))


def get_my_day(collector: str | None = None, limit: int | str | None = None) -> dict:
	"""The day of ``collector`` (a Collector: always their own; a lead: that collector's, or the whole
	team's when blank): due cases ranked by expected recovery, each with the reason, whether contact
	is allowed now, the last contact, the next step, the open follow-ups, the debtor's phone and e-mail
	(``phone``, ``email``: debtor_reach.debtor_reach) and the one-click actions."""
	user = frappe.session.user
	if not frappe.has_permission(CASE, "read"):
		frappe.throw(_("You are not permitted to see collection cases."), frappe.PermissionError)
	lead = is_lead(user)
	collector = (collector or "").strip() or None
	if not lead:
		if collector and collector != user:
			frappe.throw(
				_("A collector sees only their own day: the cases assigned to them."), frappe.PermissionError
			)
		collector = user
	limit = min(max(cint(limit) or DEFAULT_LIMIT, 1), MAX_LIMIT)
	today = getdate(nowdate())

	scored, total, complete = rank_due(
		collector, today, permissions.collection_case_query(user), None if collector is None else limit
	)
	shown = scored[:limit]

	shown = [(c, ranking.rank(c.rank_input)) for c, _r in shown]
	rows = _rows(shown, collector, today)
	out = {
		"today": str(today),
		"collector": collector,
		"collector_name": full_names([collector]).get(collector) if collector else None,
		"team": collector is None,
		"is_lead": lead,
		"total": total,
		"ranked": len(scored),
		"capped": not complete,
		"rows": rows,
		"note": ""
		if complete
		else _("{0} cases are due; the {1} that could recover the most are ranked.").format(
			total, len(scored)
		),
	}
	if lead:
		if frappe.has_permission("Collections Run Log", "read"):
			out["run_failures"] = run_log.failures_today()
		out["collectors"] = collector_choices()
		if collector is None:
			out["by_collector"] = _team_summary(scored)
	return out


def my_due_today(filters=None) -> dict:
	"""Number Card "My Due Today": the user's open follow-ups on collection cases due today or earlier."""
	count = frappe.db.count(
		"ToDo",
		{
			"allocated_to": frappe.session.user,
			"reference_type": CASE,
			"status": "Open",
			"date": ["<=", nowdate()],
		},
	)
	return {"value": count, "fieldtype": "Int", "route": ["my-day"]}


# --- gathering ------------------------------------------------------------------------------------


def _scope(collector: str | None, permission_condition: str) -> tuple[str, str]:
	"""SQL conditions on the case (and on the follow-ups) for one collector or the whole team."""
	case_cond = f" and ({permission_condition})" if permission_condition else ""
	todo_cond = ""
	if collector:
		case_cond += " and `tabCollection Case`.`collector` = %(collector)s"
		todo_cond = " and `tabToDo`.`allocated_to` = %(collector)s"
	return case_cond, todo_cond


def due_queries(case_cond: str, todo_cond: str) -> dict[str, str]:
	"""The two ways a case is due today: its next action date, or an open follow-up dated today or
	earlier (allocated to the collector, or to anyone for the team)."""
	fields = ", ".join(f"`tabCollection Case`.`{f}`" for f in RANK_FIELDS)
	return {
		"next action due": f"""
			select {fields} from `tabCollection Case`
			where `tabCollection Case`.`status` in %(open)s
				and `tabCollection Case`.`next_action_date` <= %(today)s {case_cond}""",
		"follow-up due": f"""
			select {fields} from `tabToDo`
			join `tabCollection Case` on `tabCollection Case`.`name` = `tabToDo`.`reference_name`
			where `tabToDo`.`reference_type` = 'Collection Case' and `tabToDo`.`status` = 'Open'
				and `tabToDo`.`date` <= %(today)s {todo_cond}
				and `tabCollection Case`.`status` in %(open)s {case_cond}""",
	}


def _due_cases(collector: str | None, today: date, permission_condition: str) -> list:
	"""Due cases (what ranking needs of them) in the order of the most they could score
	(ranking.upper_bound), at most MAX_CANDIDATES, each with the number of all due cases
	(``due_total``)."""
	union = " union ".join(due_queries(*_scope(collector, permission_condition)).values())
	return frappe.db.sql(
		f"""select due.*, count(*) over () as due_total from ({union}) due
		order by greatest(due.`total_outstanding`, 0)
			/ (1 + greatest(due.`oldest_days_overdue`, 0) / {ranking.AGE_HALF_DAYS}) desc, due.`name`
		limit {MAX_CANDIDATES}""",
		{"open": open_statuses(), "today": today, "collector": collector},
		as_dict=True,
	)


def rank_due(collector: str | None, today: date, permission_condition: str, enough: int | None):
	"""The due cases with their Rank, best first; the total due; and whether the order is complete.

	The due cases come in the order of the most each could score, and are ranked in chunks (each
	chunk's customers' records read together). With ``enough`` (a collector's day shows that many
	rows) ranking stops as soon as the ``enough``-th best score is above what any case not yet ranked
	could score: the rows shown are then exactly the best. The team's day ranks every due case (for
	the collectors' totals). Never more than MAX_CANDIDATES are ranked."""
	due = _due_cases(collector, today, permission_condition)
	total = cint(due[0].due_total) if due else 0
	scored: list = []
	done, chunk = 0, max(FIRST_CHUNK, 3 * enough) if enough else len(due)
	while done < len(due):
		batch = due[done : done + chunk]
		scored += score(batch, today)
		done += len(batch)
		if enough and len(scored) >= enough and done < len(due):
			kth = heapq.nlargest(enough, (r.score for _c, r in scored))[-1]
			following = due[done]  # the best any case not yet ranked could score
			if kth > ranking.upper_bound(
				flt(following.total_outstanding), cint(following.oldest_days_overdue)
			) * (1 + 1e-9):
				break
		chunk *= 2
	scored.sort(key=lambda x: (-x[1].score, -cint(x[0].oldest_days_overdue), x[0].name))
	complete = done >= total or (enough is not None and done < len(due))
	return scored, total, complete


def score(cases: list, today: date) -> list:
	"""(case, Rank) for each case, the customers' records read in a few queries for all of them."""
	if not cases:
		return []
	customers = sorted({c.customer for c in cases})
	paid = payment_history(customers, today)
	promises = promise_history(customers, today)
	levels = stage_levels({c.policy for c in cases if c.policy})
	out = []
	for c in cases:
		c.rank_input = rank_input(c, paid.get(c.customer), promises.get(c.customer), levels)
		out.append((c, ranking.rank(c.rank_input, explain=False)))  # explained when shown
	return out


def stage_levels(policies: set[str]) -> dict[tuple[str, str], int]:
	if not policies:
		return {}
	rows = frappe.db.sql(
		"""select parent, stage_name, owner_role, escalate_to_role from `tabCollection Policy Stage`
		where parenttype = 'Collection Policy' and parent in %(policies)s""",
		{"policies": sorted(policies)},
		as_dict=True,
	)
	return {
		(r.parent, r.stage_name): max(ROLE_LEVEL.get(r.owner_role, 0), ROLE_LEVEL.get(r.escalate_to_role, 0))
		for r in rows
	}


def rank_input(case, paid=None, promises=None, levels=None) -> ranking.RankInput:
	"""The policy core's input for a case (database values: numbers, or None)."""
	paid = paid or {}
	promises = promises or {}
	late = paid.get("avg_late")
	return ranking.RankInput(
		amount=float(case.total_outstanding or 0),
		days_overdue=int(case.oldest_days_overdue or 0),
		stage=case.current_stage or "",
		stage_level=(levels or {}).get((case.policy, case.current_stage), 0),
		invoices_due=int(paid.get("due") or 0),
		invoices_paid=int(paid.get("paid") or 0),
		avg_days_late=None if late is None else float(late),
		promises_kept=promises.get("kept", 0),
		promises_broken=promises.get("broken", 0),
		last_promise=promises.get("last"),
	)


# --- the rows shown -------------------------------------------------------------------------------


# --- for the leads --------------------------------------------------------------------------------
