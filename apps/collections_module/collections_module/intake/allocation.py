"""Debts handed in (R-E1, R-E2): the allocation of a batch's cases to collectors, proposed by the policy
core and confirmed by the team lead, and the end-of-day alert for cases still unallocated.

Frappe's Assignment Rule gives documents round-robin or by load, but it cannot hold a collector's
capacity in cases and amount, nor who may work which client and region; the policy core
(policy/allocation.py) does, and this module stores its result as Frappe's own ToDo assignments."""

import dataclasses
from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_days, flt, now_datetime, nowdate

from collections_module.bulk import assign_follow_ups, full_names, insert_children, update_by_name
from collections_module.people import notify
from collections_module.policy import allocation as al
from collections_module.policy import filtering, roles

CASE = "Collection Case"
LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


def _only_leads():
	if not set(frappe.get_roles()) & LEADS:
		frappe.throw(_("Only a collection supervisor (or above) allocates cases."), frappe.PermissionError)


def collectors() -> list[al.Collector]:
	"""Every collector with a profile, with their open caseload (cases and amount), in two queries."""
	profiles = frappe.get_all(
		"Collector Profile",
		fields=["name", "user", "team", "level", "active", "capacity_cases", "capacity_amount", "regions"],
		limit_page_length=0,
	)
	clients = defaultdict(set)
	for r in frappe.get_all(
		"Collector Profile Client", filters={"parenttype": "Collector Profile"}, fields=["parent", "client"]
	):
		clients[r.parent].add(r.client)
	case = frappe.qb.DocType(CASE)
	load = {
		r[0]: (r[1], flt(r[2]))
		for r in frappe.qb.from_(case)
		.select(case.collector, Count("*"), Sum(case.total_outstanding))
		.where((case.status != "Closed") & case.collector.isnotnull())
		.groupby(case.collector)
		.run()
	}
	return [
		al.Collector(
			id=p.user,
			team=p.team or "",
			capacity_cases=p.capacity_cases or None,
			capacity_amount=flt(p.capacity_amount) or None,
			open_cases=load.get(p.user, (0, 0.0))[0],
			open_amount=load.get(p.user, (0, 0.0))[1],
			clients=frozenset(clients[p.name]),
			regions=frozenset(x.strip() for x in (p.regions or "").splitlines() if x.strip()),
			level=p.level or 0,
			active=bool(p.active),
		)
		for p in profiles
	]


def batch_cases(batch: str) -> list[al.Case]:
	"""The open, unallocated cases of a batch's debts (one case per debtor and company), with the rules
	set on each case in the desk (lowest collector level, preferred and excluded collectors)."""
	debt = frappe.qb.DocType("Debt")
	case = frappe.qb.DocType(CASE)
	rows = (
		frappe.qb.from_(debt)
		.join(case)
		.on(case.name == debt.collection_case)
		.select(
			case.name,
			debt.client,
			debt.region,
			case.total_outstanding,
			case.min_collector_level,
			case.preferred_collector,
		)
		.where((debt.intake_batch == batch) & (case.status != "Closed") & case.collector.isnull())
		.run(as_dict=True)
	)
	names = sorted({r.name for r in rows})
	excluded = defaultdict(set)
	clients = defaultdict(set)  # every client of the case's debts, not only this batch's
	if names:
		for parent, user in frappe.db.sql(
			"""select parent, collector from `tabCollection Case Excluded Collector`
			where parenttype = %(doctype)s and parent in %(names)s""",
			{"doctype": CASE, "names": names},
		):
			excluded[parent].add(user)
		for name, client in frappe.db.sql(
			"select collection_case, client from `tabDebt` where collection_case in %(names)s and status = 'Open'",
			{"names": names},
		):
			clients[name].add(client or "")
	seen = {}
	for r in rows:
		others = sorted(clients[r.name] - {r.client or ""})
		seen.setdefault(
			r.name,
			al.Case(
				r.name,
				r.client or "",
				r.region or "",
				flt(r.total_outstanding),
				min_level=r.min_collector_level or None,
				excluded=frozenset(excluded[r.name]),
				preferred=r.preferred_collector or None,
			),
		)
		seen[r.name] = _with_other_clients(seen[r.name], others)
	return list(seen.values())


def _with_other_clients(case: al.Case, others: list[str]) -> al.Case:
	"""A debtor owing several clients is worked by one collector who may work every one of them: the
	case is offered only to those (the policy core checks one client; the others narrow the pool)."""
	if not others:
		return case
	works = defaultdict(set)
	for parent_user, client in frappe.db.sql(
		"""select p.user, c.client from `tabCollector Profile` p
		left join `tabCollector Profile Client` c on c.parent = p.name and c.parenttype = 'Collector Profile'"""
	):
		works[parent_user].add(client)
	# a profile naming no client works every client
	refused = {u for u, cl in works.items() if (cl - {None}) and not set(others) <= cl}
	return dataclasses.replace(case, excluded=frozenset(case.excluded) | refused)


def propose(batch: str) -> dict:
	"""The 'Allocate' button: a proposal for the batch's unallocated cases, each with the reason in the
	reader's language, and every collector's load before and after."""
	_only_leads()
	frappe.has_permission("Intake Batch", "write", batch, throw=True)
	team = collectors()
	proposal = al.allocate(team, batch_cases(batch))
	taking = {c.id for c in team if c.active}  # those who take no new cases are not shown
	loads = [lo for lo in proposal.loads if lo.collector in taking]
	names = full_names(lo.collector for lo in loads)
	customers = dict(
		frappe.get_all(
			CASE,
			filters={"name": ["in", [a.case for a in proposal.assignments] or [""]]},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	return {
		"assignments": [
			{
				"case": a.case,
				"customer": customers.get(a.case),
				"collector": a.collector,
				"reason": al.reason_text(a, _),
			}
			for a in proposal.assignments
		],
		"loads": [
			{
				"collector": lo.collector,
				"full_name": names.get(lo.collector) or lo.collector,
				"before": lo.cases_before,
				"after": lo.cases_after,
				"capacity": lo.capacity_cases,
				"amount_after": lo.amount_after,
				"capacity_amount": lo.capacity_amount,
			}
			for lo in loads
		],
	}


def confirm(batch: str, assignments: str | list) -> int:
	"""The team lead's allocation, as proposed or adjusted: checked again against every rule (capacity,
	client, region, level), then stored set-based: the case's collector, its reassignment history and a
	follow-up ToDo for the collector; the team leads' allocation follow-ups on those cases are done."""
	_only_leads()
	frappe.has_permission("Intake Batch", "write", batch, throw=True)
	chosen = {a["case"]: a["collector"] for a in frappe.parse_json(assignments) if a.get("collector")}
	cases = {c.id: c for c in batch_cases(batch)}
	unknown = sorted(set(chosen) - set(cases))
	if unknown:
		frappe.throw(_("Not an unallocated case of this batch: {0}.").format(", ".join(unknown)))
	pool = {c.id: c for c in collectors()}
	load = {c.id: (c.open_cases, c.open_amount) for c in pool.values()}
	problems = []
	for case_id, user in sorted(chosen.items(), key=lambda kv: (-cases[kv[0]].amount, kv[0])):
		collector = pool.get(user)
		if collector is None:
			problems.append(_("{0} has no collector profile.").format(user))
			continue
		n, amount = load[user]
		why = al.why_not(collector, cases[case_id], n, amount)
		if why:
			problems.append(f"{case_id}: " + _(why[0]).format(*why[1]))
			continue
		load[user] = (n + 1, amount + cases[case_id].amount)
	if problems:
		frappe.throw("<br>".join(problems), title=_("This allocation breaks the rules"))
	if not chosen:
		return 0
	_store(batch, chosen)
	return len(chosen)


def _store(batch: str, chosen: dict[str, str]):
	today, stamp = nowdate(), now_datetime()
	deadline = frappe.db.get_value("Intake Batch", batch, "filtering_deadline")
	update_by_name(
		CASE, {case: {"collector": user, "filtering_deadline": deadline} for case, user in chosen.items()}
	)
	insert_children(
		"Collection Case Reassignment",
		CASE,
		"reassignments",
		[
			{
				"parent": case,
				"reassigned_on": stamp,
				"from_collector": None,
				"to_collector": user,
				"reason": _("Allocated from intake batch {0}.").format(batch),
				"reassigned_by": frappe.session.user,
			}
			for case, user in chosen.items()
		],
	)
	_end_allocation_follow_ups(list(chosen))

	def text():  # in each collector's language (bulk.assign_follow_ups)
		return _("New case from intake batch {0}: filter it by {1}.").format(
			batch, frappe.format(deadline or today, {"fieldtype": "Date"})
		)

	assign_follow_ups(CASE, [(case, [user], text) for case, user in chosen.items()], today)
	left = len(batch_cases(batch))
	frappe.db.set_value(
		"Intake Batch",
		batch,
		{"allocated": _allocated(batch)} | ({"status": "Allocated"} if not left else {}),
	)


def _end_allocation_follow_ups(cases: list[str]):
	"""The follow-ups the daily run gave the team leads to allocate these cases are done — on cases at a
	collector's stage only (CollectionCase.allocation_holders); at a supervisor's or higher stage the
	follow-ups are the leads' own work and stay."""
	leads = _role_users(roles.SUPERVISOR)
	case = frappe.qb.DocType(CASE)
	stage = frappe.qb.DocType("Collection Policy Stage")
	at_collector_stage = (
		frappe.qb.from_(case)
		.left_join(stage)
		.on(
			(stage.parenttype == "Collection Policy")
			& (stage.parent == case.policy)
			& (stage.stage_name == case.current_stage)
		)
		.select(case.name)
		.where(case.name.isin(cases) & (stage.owner_role.isnull() | (stage.owner_role == roles.COLLECTOR)))
		.run(pluck=True)
	)
	if leads and at_collector_stage:
		todo = frappe.qb.DocType("ToDo")
		frappe.qb.update(todo).set(todo.status, "Cancelled").where(
			(todo.reference_type == CASE)
			& todo.reference_name.isin(at_collector_stage)
			& todo.allocated_to.isin(leads)
			& (todo.status == "Open")
		).run()


def _allocated(batch: str) -> int:
	debt = frappe.qb.DocType("Debt")
	case = frappe.qb.DocType(CASE)
	return (
		frappe.qb.from_(debt)
		.join(case)
		.on(case.name == debt.collection_case)
		.select(Count(case.name).distinct())
		.where((debt.intake_batch == batch) & case.collector.isnotnull())
		.run()[0][0]
	)


def _role_users(role: str) -> list[str]:
	from collections_module.people import role_holders

	return role_holders().get(role, [])


def alert_unallocated():
	"""End of the day (R-E2: allocated the same day): each team lead is told of their batches received
	today whose cases are not all allocated."""
	for b in frappe.get_all(
		"Intake Batch",
		filters={"status": "Open", "received_at": [">=", nowdate()]},
		fields=["name", "client", "team_lead"],
	):
		left = len(batch_cases(b.name))
		if not left:
			continue
		notify(
			[b.team_lead] if b.team_lead else _role_users(roles.SUPERVISOR),
			"Intake Batch",
			b.name,
			lambda b=b, left=left: _(
				"Intake batch {0} from {1}: {2} cases are still unallocated at the end of the day."
			).format(b.name, b.client, left),
		)


def update_filtering(case: str):
	"""New-case filtering (R-E4): the case's class from its filtering calls — Contactable once a call
	reached someone, Lost Contact once the whole dial order was tried without — once every item of its
	checklist is ticked (nothing is classed on calls alone), and who to dial next."""
	checklist = {  # the case's checklist fields, as the policy core names the items
		"checked_name": "Debtor Name",
		"checked_id_number": "ID Number",
		"checked_phones": "Phones",
		"checked_employer": "Employer",
		"checked_addresses": "Addresses",
		"checked_amount": "Amounts",
	}
	stored = frappe.db.get_value(
		CASE, case, ["filtering_deadline", "filtering_done_on", *checklist], as_dict=True
	)
	if not stored.filtering_deadline:
		return
	calls = frappe.get_all(
		"Contact Log",
		filters={"collection_case": case, "dial_party": ["is", "set"], "result_code": ["is", "set"]},
		fields=["dial_party", "result_code"],
		order_by="start_time asc",
	)
	attempts = [(c.dial_party, c.result_code) for c in calls]
	ticked = [item for field, item in checklist.items() if stored.get(field)]
	found = filtering.classify(attempts, checklist_done=ticked, checklist=tuple(checklist.values()))
	dialled = filtering.classify(attempts)  # the calls alone: nobody left to dial once they class it
	nxt = None if dialled else filtering.next_in_dial_order(p for p, _r in attempts)
	frappe.db.set_value(
		CASE,
		case,
		{
			"filtering_class": found or "",
			"filtering_done_on": (stored.filtering_done_on or nowdate()) if found else None,
			"next_dial": nxt or "",
		},
		update_modified=False,
	)


def alert_filtering_at_risk():
	"""The day before a filtering deadline, each batch's team lead hears how many accounts are not yet
	classed (R-E4)."""
	debt = frappe.qb.DocType("Debt")
	case = frappe.qb.DocType(CASE)
	rows = (
		frappe.qb.from_(case)
		.join(debt)
		.on(debt.collection_case == case.name)
		.select(debt.intake_batch, Count(case.name).distinct())
		.where(
			(case.filtering_deadline == add_days(nowdate(), 1))
			& ((case.filtering_class.isnull()) | (case.filtering_class == ""))
			& (case.status != "Closed")
			& debt.intake_batch.isnotnull()
		)
		.groupby(debt.intake_batch)
		.run()
	)
	for batch, n in rows:
		lead = frappe.db.get_value("Intake Batch", batch, "team_lead")
		notify(
			[lead] if lead else _role_users(roles.SUPERVISOR),
			"Intake Batch",
			batch,
			lambda batch=batch, n=n: _(
				"Intake batch {0}: {1} accounts are not filtered yet, and the deadline is tomorrow."
			).format(batch, n),
		)
