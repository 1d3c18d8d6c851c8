"""The procedure's rewards and penalties (issue 19): a collector's monthly Incentive Statement.

The month's figures are the performance reports' own (team/performance.py: received from the recovery
ledger, the month's target, the call-review average, the refused contacts and late entries); the
computation is the policy core's (policy/incentives.py), under the Incentive Plan set in the desk.
A statement is drafted by the server (monthly, or by a manager on demand) and redrafted while it is a
Draft; a collection manager reviews it (never the collector themself), and then its figures are fixed.

Each statement is for one company: the recovered amount is that company's, in its currency (the
targets, refusals and late entries are the collector's own, as in the performance reports).
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import (
	add_months,
	cint,
	flt,
	fmt_money,
	get_first_day,
	get_last_day,
	getdate,
	now_datetime,
	nowdate,
)

from collections_module.people import notify, role_holders
from collections_module.policy import incentives as policy
from collections_module.policy import kpi, roles
from collections_module.team import performance

PLAN, STATEMENT = "Incentive Plan", "Incentive Statement"
DRAFT, REVIEWED = "Draft", "Reviewed"
REVIEWERS = (roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager")
KINDS = {  # the policy's line kinds -> the Select options of Incentive Statement Line
	policy.COMMISSION: "Commission",
	policy.QUALITY_GATE: "Quality Gate",
	policy.CAP: "Cap",
	policy.REFUSALS: "Refusals",
	policy.LATE_ENTRIES: "Late Entries",
	policy.FLOOR: "Floor",
}
# what the server computes; fixed once the statement is reviewed
FIGURES = (
	"collector",
	"month",
	"company",
	"plan",
	"currency",
	"recovered",
	"target",
	"achievement",
	"quality_score",
	"quality_samples",
	"refusals",
	"late_entries",
	"tier",
	"rate",
	"commission",
	"penalties",
	"total",
	"formula",
)
LINE_FIELDS = ("kind", "description", "amount")


# --- the plan ---------------------------------------------------------------------------------------


def plan_of(doc) -> policy.IncentivePlan:
	"""The policy core's plan from an Incentive Plan record. A percentage or amount left at 0 where 0
	means nothing (a tier's end, the quality gate, the cap) is not set."""
	tiers = tuple(
		policy.Tier(from_pct=flt(t.from_pct), rate=flt(t.rate), to_pct=flt(t.to_pct) or None)
		for t in sorted(doc.get("tiers") or [], key=lambda t: t.idx or 0)
	)
	return policy.IncentivePlan(
		tiers=tiers,
		quality_gate=flt(doc.quality_gate) or None,
		below_gate_share=flt(doc.below_gate_share),
		no_review_passes=bool(cint(doc.no_review_passes)),
		refusal_penalty=flt(doc.refusal_penalty),
		late_entry_penalty=flt(doc.late_entry_penalty),
		cap=flt(doc.cap) or None,
		allow_negative=bool(cint(doc.allow_negative)),
	)


def plan_messages(doc) -> list[str]:
	"""What is wrong with the plan, in the reader's language ([] when it is valid)."""
	return [
		_(template).format(*(_shown(a) for a in args))
		for template, args in policy.plan_problems(plan_of(doc))
	]


def _shown(value):
	"""A problem's value as the reader reads it: a word translated, 80.0 as 80, 2.50 as 2.5."""
	if isinstance(value, str):
		return _(value)
	if isinstance(value, float):
		return f"{value:,.2f}".rstrip("0").rstrip(".")
	return value


def default_plan() -> str:
	name = frappe.db.get_value(PLAN, {"is_default": 1, "active": 1})
	if not name:
		frappe.throw(_("There is no active default Incentive Plan: mark one plan as the default."))
	return name


def _company(company: str | None) -> str:
	company = company or frappe.defaults.get_global_default("company")
	if not company:
		company = (frappe.get_all("Company", pluck="name", limit=1) or [None])[0]
	if not company or not frappe.db.exists("Company", company):
		frappe.throw(_("Name the company the statements are for."))
	return company


# --- drafting ---------------------------------------------------------------------------------------


def draft_statements(month: date, company: str | None = None, plan: str | None = None) -> list[str]:
	"""Draft (or redraft) the Incentive Statement of every collector with figures in the month, for one
	company (the default company when none is named), under the plan named or the default active plan.
	A reviewed statement is never touched. Returns the names of the statements drafted."""
	first = get_first_day(getdate(month))
	last = get_last_day(first)
	company = _company(company)
	plan_doc = frappe.get_doc(PLAN, plan or default_plan())
	if not plan_doc.active:
		frappe.throw(_("Incentive Plan {0} is not active.").format(plan_doc.name))
	rules = plan_of(plan_doc)
	problems = plan_messages(plan_doc)
	if problems:
		frappe.throw("<br>".join(problems), title=_("Incentive Plan {0}").format(plan_doc.name))

	figures = performance.gather(first, last, company).collectors
	existing = {
		r.collector: r
		for r in frappe.get_all(
			STATEMENT,
			filters={"month": first, "company": company},
			fields=["name", "collector", "status"],
		)
	}
	# the collectors with figures, and those whose draft has lost them (a receipt cancelled since)
	people = set(_collectors(list(figures))) | {u for u, r in existing.items() if r.status == DRAFT}
	currency = frappe.get_cached_value("Company", company, "default_currency")
	drafted = []
	for user in sorted(people):
		if user in existing and existing[user].status == REVIEWED:
			continue
		fig = figures.get(user) or kpi.CollectorFigures()
		doc = (
			frappe.get_doc(STATEMENT, existing[user].name) if user in existing else frappe.new_doc(STATEMENT)
		)
		fill(doc, rules, fig, currency)
		doc.update({"collector": user, "month": first, "company": company, "plan": plan_doc.name})
		doc.save(ignore_permissions=True)
		drafted.append(doc.name)
	return drafted


def _collectors(users: list[str]) -> list[str]:
	"""Of these users, those holding the Collector role."""
	if not users:
		return []
	return frappe.db.sql_list(
		"""select distinct parent from `tabHas Role`
		where parenttype = 'User' and role = %(role)s and parent in %(users)s""",
		{"role": roles.COLLECTOR, "users": users},
	)


def fill(doc, rules: policy.IncentivePlan, fig: kpi.CollectorFigures, currency: str | None):
	"""The statement's figures, lines and formula from the month's figures under the plan."""
	result = policy.statement(
		rules,
		recovered=flt(fig.received),
		target=fig.target,
		quality_score=fig.quality_score_avg,
		refusals=cint(fig.refusals),
		late_entries=cint(fig.late_entries),
		translate=_,
		fmt=lambda x: fmt_money(x, precision=2, currency=currency),
		precision=2,
	)
	doc.update(
		{
			"currency": currency,
			"recovered": result.recovered,
			"target": result.target or 0,
			"achievement": flt(result.achievement, 2) if result.achievement is not None else 0,
			"quality_score": flt(fig.quality_score_avg) if fig.quality_score_avg is not None else 0,
			"quality_samples": cint(fig.quality_samples),
			"refusals": cint(fig.refusals),
			"late_entries": cint(fig.late_entries),
			"tier": result.tier or 0,
			"rate": result.rate,
			"commission": result.commission,
			"penalties": result.penalties,
			"total": result.total,
			"formula": result.formula,
		}
	)
	doc.set(
		"lines",
		[
			{"kind": KINDS[line.kind], "description": line.description, "amount": line.amount}
			for line in result.lines
		],
	)


def draft_by_a_manager(month: str, company: str | None = None, plan: str | None = None) -> list[str]:
	"""The desk's *Draft Statements*: a collection manager and above only."""
	if not is_reviewer():
		frappe.throw(_("Only a collection manager drafts incentive statements."), frappe.PermissionError)
	if plan and not frappe.has_permission(PLAN, "read", plan):
		frappe.throw(_("You cannot read Incentive Plan {0}.").format(plan), frappe.PermissionError)
	return draft_statements(getdate(month), company, plan)


def draft_last_month(today: date | None = None) -> list[str]:
	"""The monthly job: last month's statements of the default company under the default plan (nothing
	when no plan is the default); the managers hear that they are ready for review."""
	if not frappe.db.exists(PLAN, {"is_default": 1, "active": 1}):
		return []
	month = get_first_day(add_months(getdate(today or nowdate()), -1))
	drafted = draft_statements(month)
	if drafted:
		notify(
			role_holders().get(roles.MANAGER, []),
			STATEMENT,
			drafted[0],
			_("The incentive statements of {0} are ready for review.").format(month.strftime("%Y-%m")),
		)
	return drafted


# --- review -----------------------------------------------------------------------------------------


def is_reviewer(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(set(frappe.get_roles(user)) & set(REVIEWERS))


def check_reviewer(doc, user: str | None = None):
	"""A collection manager and above reviews a statement, never the collector whose statement it is."""
	user = user or frappe.session.user
	if user == doc.collector:
		frappe.throw(_("No one reviews their own incentive statement."), frappe.PermissionError)
	if not is_reviewer(user):
		frappe.throw(_("Only a collection manager reviews an incentive statement."), frappe.PermissionError)


def review(name: str, note: str | None = None) -> None:
	"""Mark the statement Reviewed (with the manager's note): its figures are then fixed."""
	doc = frappe.get_doc(STATEMENT, name)
	check_reviewer(doc)
	if doc.status == REVIEWED:
		frappe.throw(_("{0} is already reviewed.").format(doc.name))
	doc.status = REVIEWED
	if note and note.strip():
		doc.review_note = note.strip()
	doc.save(ignore_permissions=True)


def check_status(doc):
	"""On every save: a statement becomes Reviewed only by a reviewer, stays Reviewed, and then keeps
	its figures and lines; the reviewer and the time are the server's."""
	before = None if doc.is_new() else doc.get_doc_before_save()
	was = before.status if before is not None else None
	doc.status = doc.status or DRAFT
	if was == REVIEWED:
		if doc.status != REVIEWED:
			frappe.throw(_("{0} is reviewed: it cannot return to Draft.").format(doc.name))
		if _changed(doc, before):
			frappe.throw(
				_("{0} is reviewed: its figures can no longer be changed.").format(doc.name),
				frappe.PermissionError,
			)
		doc.reviewed_by, doc.reviewed_on = before.reviewed_by, before.reviewed_on
	elif doc.status == REVIEWED:
		check_reviewer(doc)
		doc.reviewed_by, doc.reviewed_on = frappe.session.user, now_datetime()
	else:
		doc.reviewed_by = doc.reviewed_on = None


def _changed(doc, before) -> list[str]:
	def same(a, b):
		if isinstance(a, int | float) or isinstance(b, int | float):
			return flt(a, 6) == flt(b, 6)
		return (str(a) if a is not None else "") == (str(b) if b is not None else "")

	changed = [f for f in FIGURES if f != "month" and not same(doc.get(f), before.get(f))]
	if getdate(doc.month) != getdate(before.month):
		changed.append("month")
	rows = [[r.get(f) for f in LINE_FIELDS] for r in doc.get("lines")]
	rows_before = [[r.get(f) for f in LINE_FIELDS] for r in before.get("lines")]
	if len(rows) != len(rows_before) or any(
		not same(a, b)
		for row, old in zip(rows, rows_before, strict=False)
		for a, b in zip(row, old, strict=True)
	):
		changed.append("lines")
	return changed
