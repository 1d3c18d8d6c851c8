"""The approval inbox: every record waiting for a decision the user may take, with what it is worth.

The workflows say who decides what (fixtures/workflow.json, read as the site's active Workflows). A
record waits for a decision while it stands in a state it was created in or sent to by a request (a
transition its requester may take) and from which a decision leads on: a transition that refuses
self-approval (Approve, Release, Approve and Send...). Such a record is the user's to decide when one
of their roles may take that decision, and they did not ask for it themselves: Frappe refuses
self-approval to the record's owner, and the app to whoever last rewrote a request's terms
(guards.not_own_approval). A resting state that merely allows a decision (an active lock the owner
may release at any time) waits for no one and is not listed.

One permission-checked query per DocType (the user's own record rules and User Permissions apply),
then one query each for the cases, customers and people the rows name, and one per DocType for the
Versions that date the state: no query per record.
"""

import json

import frappe
from frappe import _
from frappe.utils import date_diff, flt, getdate, nowdate

# The figure a decision is about, per DocType; a DocType not named here shows no amount.
AMOUNT_FIELDS = {
	"Stock Release Lock": "overdue_amount",
	"Collection Letter": "total_outstanding",
	"Legal Action": "amount_claimed",
	"Collection Waiver": "amount",
	"Repayment Plan": "total_amount",
	"Customer Statement": "closing_balance",
	"Blacklist Entry": None,
}
REQUEST_AUTHOR = "terms_changed_by"  # who last rewrote a request's terms may not approve it either
# what a row may carry besides: the record's own currency is taken when it has one (a statement in the
# customer's currency), else its company's
OPTIONAL = (
	"customer",
	"customer_name",
	"company",
	"collection_case",
	"person_name",
	"currency",
	REQUEST_AUTHOR,
)


# --- the workflows (plain data in, plain data out) ------------------------------------------------


def waiting_states(states: list[str], transitions: list[dict]) -> set[str]:
	"""The states a record waits in for someone else's decision: the first state (records are created
	in it) or one a request leads to, when a decision (a transition refusing self-approval) leaves it."""
	entered = set(states[:1]) | {t["next_state"] for t in transitions if t.get("allow_self_approval")}
	decided = {t["state"] for t in transitions if not t.get("allow_self_approval")}
	return entered & decided


def open_to(transitions: list[dict], state: str, roles: set[str], requester: bool) -> list[dict]:
	"""The transitions out of ``state`` the user's roles may take; a requester may not take those that
	refuse self-approval."""
	return [
		t
		for t in transitions
		if t["state"] == state
		and t["allowed"] in roles
		and not (requester and not t.get("allow_self_approval"))
	]


def decisions_for(states: list[str], transitions: list[dict], roles: set[str]) -> dict[str, list[dict]]:
	"""State -> the transitions out of it the roles may take, for each waiting state in which one of
	them is a decision."""
	found = {}
	for state in sorted(waiting_states(states, transitions)):
		mine = open_to(transitions, state, roles, requester=False)
		if any(not t.get("allow_self_approval") for t in mine):
			found[state] = mine
	return found


def _actions(transitions: list[dict]) -> list[str]:
	"""Each action once, in the workflow's order."""
	return list(dict.fromkeys(t["action"] for t in transitions))


# --- the site -----------------------------------------------------------------------------------


def app_workflows() -> list[dict]:
	"""The active workflows of this app's DocTypes: document type, state field, states, transitions."""
	from collections_module.access import ACCESS

	found = []
	for name in frappe.get_all(
		"Workflow", filters={"is_active": 1, "document_type": ["in", list(ACCESS)]}, pluck="name"
	):
		wf = frappe.get_cached_doc("Workflow", name)
		found.append(
			{
				"doctype": wf.document_type,
				"state_field": wf.workflow_state_field,
				"states": [s.state for s in wf.states],
				"transitions": [
					{
						"state": t.state,
						"action": t.action,
						"next_state": t.next_state,
						"allowed": t.allowed,
						"allow_self_approval": t.allow_self_approval,
						"condition": t.condition,
					}
					for t in wf.transitions
				],
			}
		)
	return sorted(found, key=lambda w: w["doctype"])


def awaiting(user: str | None = None) -> list[dict]:
	"""The records waiting for the user's decision, largest amount first."""
	user = user or frappe.session.user
	roles = set(frappe.get_roles(user))
	gathered = []
	for wf in app_workflows():
		decisions = decisions_for(wf["states"], wf["transitions"], roles)
		if decisions and frappe.has_permission(wf["doctype"], "read", user=user):
			gathered.extend(_records(wf, decisions, roles, user))
	rows = _describe(gathered)
	rows.sort(key=lambda r: (-flt(r["amount"]), -r["days_waiting"], r["record"]))
	return rows


def _records(wf: dict, decisions: dict[str, list[dict]], roles: set[str], user: str) -> list[dict]:
	"""One query: the records of a DocType in the states the user decides, with the actions open to them."""
	doctype, field = wf["doctype"], wf["state_field"]
	meta = frappe.get_meta(doctype)
	amount = AMOUNT_FIELDS.get(doctype)
	fields = ["name", "owner", "creation", "modified", f"{field} as state"]
	fields += [f for f in OPTIONAL if meta.has_field(f)]
	if amount and meta.has_field(amount):
		fields.append(f"{amount} as amount")
	records = frappe.get_list(
		doctype,
		filters={field: ["in", list(decisions)]},
		fields=fields,
		user=user,
		limit_page_length=0,
	)
	entered = _state_entered(doctype, field, records)
	found = []
	for r in records:
		requester = user != "Administrator" and user in {r.owner, r.get(REQUEST_AUTHOR)}
		mine = open_to(wf["transitions"], r.state, roles, requester)
		mine = [t for t in mine if _condition_holds(doctype, r.name, t)]
		if not any(not t.get("allow_self_approval") for t in mine):
			continue  # only what they may not decide (their own request) is left
		since = entered.get(r.name) or (r.creation if r.state == wf["states"][0] else r.modified)
		found.append({**r, "doctype": doctype, "actions": _actions(mine), "since": since})
	return found


def _condition_holds(doctype: str, name: str, transition: dict) -> bool:
	"""A transition's condition, judged on the record as Frappe judges it (none in the app's fixtures)."""
	if not transition.get("condition"):
		return True
	from frappe.model.workflow import is_transition_condition_satisfied

	return is_transition_condition_satisfied(frappe._dict(transition), frappe.get_doc(doctype, name))


def _state_entered(doctype: str, field: str, records: list) -> dict[str, str]:
	"""Name -> when the record entered its present state, from its Versions (one query)."""
	current = {r.name: r.state for r in records}
	if not current:
		return {}
	entered = {}
	for v in frappe.get_all(
		"Version",
		filters={
			"ref_doctype": doctype,
			"docname": ["in", list(current)],
			"data": ["like", f'%"{field}"%'],
		},
		fields=["docname", "creation", "data"],
		order_by="creation desc",
		limit_page_length=0,
	):
		if v.docname in entered:
			continue  # the latest change of state is the one that counts
		try:
			changes = json.loads(v.data or "{}").get("changed") or []
		except ValueError:
			continue
		if any(c[0] == field and c[2] == current[v.docname] for c in changes if len(c) == 3):
			entered[v.docname] = v.creation
	return entered


def _describe(records: list[dict]) -> list[dict]:
	"""The inbox rows: names for IDs (customer, requester), company currency, days waiting."""
	cases = _values(
		"Collection Case",
		{r["collection_case"] for r in records if r.get("collection_case")},
		["customer_name", "company"],
	)
	customers = _values(
		"Customer",
		{r["customer"] for r in records if r.get("customer") and not r.get("customer_name")},
		["customer_name"],
	)
	people = _values("User", {r["owner"] for r in records}, ["full_name", "first_name"])
	today = getdate(nowdate())
	default_company = frappe.defaults.get_user_default("Company") or frappe.defaults.get_global_default(
		"company"
	)
	rows = []
	for r in records:
		case = cases.get(r.get("collection_case")) or {}
		company = r.get("company") or case.get("company")
		person = people.get(r["owner"]) or {}
		rows.append(
			{
				"reference_doctype": r["doctype"],
				"document_type": _(r["doctype"]),
				"record": r["name"],
				"customer_name": r.get("customer_name")
				or case.get("customer_name")
				or (customers.get(r.get("customer")) or {}).get("customer_name")
				or r.get("person_name"),
				"company": company,
				"amount": flt(r["amount"], 2) if r.get("amount") is not None else None,
				"currency": r.get("currency") or _currency(company or default_company),
				"state": _(r["state"]),
				"days_waiting": max(date_diff(today, getdate(r["since"])), 0),
				"requested_by": person.get("full_name") or person.get("first_name") or _("Someone"),
				"actions": ", ".join(_(a) for a in r["actions"]),
			}
		)
	return rows


def _values(doctype: str, names: set, fields: list[str]) -> dict[str, dict]:
	"""Name -> fields, in one query (names only: whoever reads the record reads what it names)."""
	if not names:
		return {}
	return {
		d.name: d
		for d in frappe.get_all(
			doctype, filters={"name": ["in", list(names)]}, fields=["name", *fields], limit_page_length=0
		)
	}


def _currency(company: str | None) -> str | None:
	return frappe.get_cached_value("Company", company, "default_currency") if company else None


def chart(rows: list[dict]) -> dict | None:
	"""Bar chart: the amount waiting per document type, largest first."""
	totals: dict[str, float] = {}
	for r in rows:
		totals[r["document_type"]] = totals.get(r["document_type"], 0.0) + flt(r["amount"])
	if not totals:
		return None
	labels = sorted(totals, key=lambda k: -totals[k])
	return {
		"data": {
			"labels": labels,
			"datasets": [{"name": _("Amount"), "values": [flt(totals[k], 2) for k in labels]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
		"colors": ["#5e64ff"],
	}
