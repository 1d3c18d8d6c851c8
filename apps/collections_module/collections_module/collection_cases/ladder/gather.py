"""Reads of the daily run: open and reopenable cases, their stored lines, the policy chain, promises."""

from collections import defaultdict
from datetime import date

import frappe
from frappe.utils import flt, getdate

from collections_module.collection_cases.ladder.model import CASE, CASE_FIELDS
from collections_module.integrations.erpnext import receivables
from collections_module.integrations.erpnext.recoveries import recovered_by_case
from collections_module.policy import contact_rules as cr
from collections_module.policy import ladder as lad


def _open_cases(customers) -> dict[tuple[str, str], frappe._dict]:
	filters = {"status": ["!=", "Closed"]}
	if customers is not None:
		filters["customer"] = ["in", list(customers) or [""]]
	rows = frappe.get_all(
		CASE, filters=filters, fields=CASE_FIELDS, order_by="creation asc", limit_page_length=0
	)
	return {(r.customer, r.company): r for r in rows}


def _reopenable_cases(invoices: set[str]) -> dict[str, frappe._dict]:
	"""Closed cases that listed one of these invoices: a cancelled payment reopens the same case."""
	if not invoices:
		return {}
	case = frappe.qb.DocType(CASE)
	line = frappe.qb.DocType("Collection Case Invoice")
	rows = (
		frappe.qb.from_(line)
		.join(case)
		.on(case.name == line.parent)
		.select(line.sales_invoice, line.debt, *[case[f] for f in CASE_FIELDS])
		.where(
			(case.status == "Closed")
			& (line.sales_invoice.isin(sorted(invoices)) | line.debt.isin(sorted(invoices)))
		)
		.orderby(case.modified)
		.run(as_dict=True)
	)
	return {r.sales_invoice or r.debt: r for r in rows}  # the latest case wins


def _stored_lines(case_names: list[str]) -> dict[str, set]:
	if not case_names:
		return {}
	rows = frappe.get_all(
		"Collection Case Invoice",
		filters={"parent": ["in", case_names], "parenttype": CASE},
		fields=["parent", "sales_invoice", "debt", "due_date", "outstanding"],
		limit_page_length=0,
	)
	out: dict[str, set] = defaultdict(set)
	for r in rows:
		out[r.parent].add((r.sales_invoice or r.debt, getdate(r.due_date), round(flt(r.outstanding), 2)))
	return out


def _policy_resolver(customers: set[str], settings, usable: set[str]):
	"""customer -> PolicyChoice, from the customer, its group (and the group's parents), or the
	default; a named policy that is disabled or has no stages is passed over (``usable``)."""
	rows = frappe.get_all(
		"Customer",
		filters={"name": ["in", sorted(customers) or [""]]},
		fields=["name", "customer_group", "collection_policy"],
		limit_page_length=0,
	)
	groups = {
		g.name: g
		for g in frappe.get_all(
			"Customer Group",
			fields=["name", "parent_customer_group", "collection_policy"],
			limit_page_length=0,
		)
	}
	by_customer = {r.name: r for r in rows}

	def chain(group):
		seen = []
		while group and group in groups and group not in seen:
			seen.append(group)
			group = groups[group].parent_customer_group
		return [groups[g].collection_policy for g in seen]

	def policy_of(customer, grade_policy=None):
		row = by_customer.get(customer)
		if row is None:
			return lad.choose_policy(None, [], settings.default_policy, usable, grade_policy)
		return lad.choose_policy(
			row.collection_policy, chain(row.customer_group), settings.default_policy, usable, grade_policy
		)

	return policy_of


def _promise_outcomes(open_cases, on_date: date) -> dict[str, str]:
	"""Pending promises settled on ``on_date``: kept once the promised amount has been received since
	the promise, broken once its date has passed without it (R-D4). One query for all payments."""
	pending = [c for c in open_cases.values() if c.promise_status == cr.PENDING and c.promise_date]
	if not pending:
		return {}
	since = min(getdate(c.promise_made_on or c.promise_date) for c in pending)
	recovered = recovered_by_case([c.name for c in pending], since, on_date)  # the recovery ledger
	outcomes = {}
	for c in pending:
		made = getdate(c.promise_made_on or c.promise_date)
		paid = sum(amount for day, amount in recovered.get(c.name, ()) if day >= made)
		outcome = cr.promise_outcome(flt(c.promise_amount), getdate(c.promise_date), paid, on_date)
		if outcome != cr.PENDING:
			outcomes[c.name] = outcome
	return outcomes


def _told_today(case_names: list[str], on_date: date) -> set[tuple[str, str]]:
	"""(case, stage) pairs whose stage owners were told on ``on_date``: the stage rows of the day that
	name whom they notified."""
	if not case_names:
		return set()
	row = frappe.qb.DocType("Collection Case Stage Log")
	rows = (
		frappe.qb.from_(row)
		.select(row.parent, row.to_stage)
		.where(
			(row.parenttype == CASE)
			& row.parent.isin(case_names)
			& (row.changed_on == on_date)
			& row.notified.isnotnull()
			& (row.notified != "")
		)
		.run()
	)
	return {(parent, stage) for parent, stage in rows}


def _plan_checks(open_cases, on_date: date, grace_days: int) -> dict[str, "PlanCheck"]:
	"""The approved repayment plans of these cases, each installment given its status from the money
	received since the plan was approved (R-D4). One query for the plans, one for the payments."""
	from collections_module.policy import plans

	by_name = {c.name: c for c in open_cases.values()}
	if not by_name:
		return {}
	rows = frappe.get_all(
		"Repayment Plan",
		filters={"collection_case": ["in", list(by_name)], "status": plans.IN_EFFECT},
		fields=["name", "collection_case", "approved_on", "modified"],
		limit_page_length=0,
	)
	if not rows:
		return {}
	installments = defaultdict(list)
	for r in frappe.get_all(
		"Repayment Plan Installment",
		filters={"parenttype": "Repayment Plan", "parent": ["in", [r.name for r in rows]]},
		fields=["name", "parent", "due_date", "amount", "status", "paid_amount", "paid_on"],
		order_by="due_date asc",
		limit_page_length=0,
	):
		installments[r.parent].append(r)
	since = min(getdate(r.approved_on or r.modified) for r in rows)
	recovered = recovered_by_case([r.collection_case for r in rows], since, on_date)
	out = {}
	for r in rows:
		case = by_name[r.collection_case]
		start = getdate(r.approved_on or r.modified)
		receipts = [(day, amount) for day, amount in recovered.get(case.name, ()) if day >= start]
		stored = installments[r.name]
		states = plans.installment_states(
			[(getdate(i.due_date), flt(i.amount)) for i in stored], receipts, on_date, grace_days
		)
		out[case.name] = PlanCheck(r.name, stored, states, plans.plan_outcome(states))
	return out


class PlanCheck:
	"""A plan in effect as the run found it: its stored installments and their states today."""

	def __init__(self, name, stored, states, outcome):
		self.name, self.stored, self.states, self.outcome = name, stored, states, outcome
