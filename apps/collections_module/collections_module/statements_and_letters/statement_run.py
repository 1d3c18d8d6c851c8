"""The statement cycle's daily run (R-A1..R-A6): on the generation day, a statement for the month
before for every customer flagged for statements; every day, the follow-ups of statements sent and not
yet confirmed, through the same ToDo and notification machinery as the overdue ladder.

`bench --site S collections statements --date YYYY-MM-DD [--dry-run]` runs it for any date.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from collections_module.people import assign_follow_up, notify
from collections_module.policy import ladder as lad
from collections_module.policy import roles
from collections_module.policy.statements import (
	RECEIPT_LADDER,
	STATEMENT_LADDER,
	chronically_late,
	late_step,
	previous_month,
)

STATEMENT = "Customer Statement"


def run_daily():
	run(getdate(nowdate()))


def run(
	on_date: date | str | None = None, dry_run: bool = False, customers: list[str] | None = None
) -> list[str]:
	on_date = getdate(on_date or nowdate())
	settings = frappe.get_cached_doc("Collection Settings")
	lines = []
	if settings.statement_generation_day and on_date.day == settings.statement_generation_day:
		lines += generate(on_date, dry_run, customers)
	lines += chase_deadlines(on_date, dry_run, customers)
	lines += follow_up(on_date, dry_run, customers)
	return lines


def generate(on_date: date, dry_run: bool = False, customers: list[str] | None = None) -> list[str]:
	"""Statements of last month for customers flagged 'Monthly Statement', once each (R-A1)."""
	first, last = previous_month(on_date)
	filters = {"collection_monthly_statement": 1, "disabled": 0}
	if customers is not None:
		filters["name"] = ["in", customers or [""]]
	flagged = frappe.get_all("Customer", filters=filters, pluck="name")
	if not flagged:
		return []
	# a statement per company the customer has dealt with up to the period's end (one query)
	gl = frappe.qb.DocType("GL Entry")
	dealings = (
		frappe.qb.from_(gl)
		.select(gl.party, gl.company)
		.distinct()
		.where(
			(gl.party_type == "Customer")
			& gl.party.isin(flagged)
			& (gl.posting_date <= last)
			& (gl.is_cancelled == 0)
		)
		.run()
	)
	existing = {
		(r.customer, r.company)
		for r in frappe.get_all(
			STATEMENT, filters={"from_date": first, "to_date": last}, fields=["customer", "company"]
		)
	}
	out = []
	for customer, company in sorted(dealings):
		if (customer, company) in existing:
			continue
		out.append(f"STATEMENT {customer} / {company}: {first:%Y-%m}")
		if dry_run:
			continue
		doc = frappe.get_doc(
			{
				"doctype": STATEMENT,
				"customer": customer,
				"company": company,
				"from_date": first,
				"to_date": last,
			}
		)
		doc.flags.ignore_permissions = True
		doc.insert()
		if chronically_late(confirm_delays(customer, company, before=first)):
			doc.db_set("visit_suggested", 1)
			assign_follow_up(
				STATEMENT,
				doc.name,
				owners(customer, company, STATEMENT_LADDER[0]),
				lambda doc=doc: _(
					"Confirmation of {0}'s statements is late in most recent months: plan an on-site visit."
				).format(doc.customer_name),
				on_date,
			)
			out.append("          visit suggested")
	return out


def confirm_delays(customer: str, company: str, before: date) -> list[int | None]:
	"""Days each earlier statement was confirmed after its deadline, newest first (None: never)."""
	rows = frappe.get_all(
		STATEMENT,
		filters={"customer": customer, "company": company, "to_date": ["<", before]},
		fields=["confirm_by", "confirmed_on"],
		order_by="to_date desc",
		limit=3,
	)
	return [(getdate(r.confirmed_on) - getdate(r.confirm_by)).days if r.confirmed_on else None for r in rows]


def owners(customer: str, company: str, stage: lad.Stage) -> list[str]:
	from collections_module.people import role_holders

	collector = frappe.db.get_value(
		"Collection Case", {"customer": customer, "company": company, "status": ["!=", "Closed"]}, "collector"
	)
	return lad.stage_owners(stage, collector, role_holders())


def follow_up(on_date: date, dry_run: bool = False, customers: list[str] | None = None) -> list[str]:
	"""R-A4 on statements sent and unconfirmed; R-A5 daily once a receipt-settled customer's receipts are in."""
	filters = {"status": "Sent"}
	if customers is not None:
		filters["customer"] = ["in", customers or [""]]
	rows = frappe.get_all(
		STATEMENT,
		filters=filters,
		fields=[
			"name",
			"customer",
			"customer_name",
			"company",
			"sent_on",
			"receipt_settled",
			"receipts_complete_on",
			"follow_up_stage",
			"follow_up_stage_since",
			"last_follow_up_on",
			"period",
		],
	)
	out = []
	for st in rows:
		receipts = st.receipt_settled and st.receipts_complete_on
		ladder = list(RECEIPT_LADDER if receipts else STATEMENT_LADDER)
		start = getdate(st.receipts_complete_on if receipts else st.sent_on)
		state = lad.CaseState(
			"Open",
			st.follow_up_stage or None,
			getdate(st.follow_up_stage_since) if st.follow_up_stage_since else None,
			None,
			getdate(st.last_follow_up_on) if st.last_follow_up_on else None,
		)
		d = lad.decide(state, ladder, (on_date - start).days, 0.0, on_date, _("statement cycle"))
		if not d.stage or not (d.follow_up_due or d.stage_changed):
			continue
		out.append(
			f"STATEMENT {st.name} {st.customer}: {d.stage.name}{' follow-up' if d.follow_up_due else ''}{' notify ' + ', '.join(d.notify_roles) if d.notify_roles else ''}"
		)
		if dry_run:
			continue
		updates = {"follow_up_stage": d.stage.name, "follow_up_stage_since": d.entered_on}
		if d.follow_up_due:
			updates["last_follow_up_on"] = on_date

			def description(st=st, d=d):
				return _("Statement {0} of {1} ({2}) is not confirmed yet: follow up by {3}.").format(
					st.name, st.customer_name, st.period, ", ".join(_(c) for c in d.stage.channels)
				)

			assign_follow_up(
				STATEMENT, st.name, owners(st.customer, st.company, d.stage), description, on_date
			)
		if d.notify_roles:
			from collections_module.people import role_holders

			holders = role_holders()
			notify(
				[u for r in d.notify_roles for u in holders.get(r, [])],
				STATEMENT,
				st.name,
				lambda st=st, days=(on_date - start).days: _(
					"Statement {0} of {1} unconfirmed for {2} days: over to the supervisor."
				).format(st.name, st.customer_name, days),
			)
		frappe.db.set_value(STATEMENT, st.name, updates, update_modified=False)
	return out


def chase_deadlines(on_date: date, dry_run: bool = False, customers: list[str] | None = None) -> list[str]:
	"""R-A2: a statement not prepared by its prepare-by day, or not sent by its send-by day, is chased
	every day until it moves: a follow-up for whoever holds that step, and the level above told once."""
	filters = {"status": ["in", ["Draft", "Under Review"]], "prepare_by": ["<", on_date]}
	if customers is not None:
		filters["customer"] = ["in", customers or [""]]
	rows = frappe.get_all(
		STATEMENT,
		filters=filters,
		fields=[
			"name",
			"customer",
			"customer_name",
			"company",
			"status",
			"period",
			"prepare_by",
			"send_by",
			"follow_up_stage",
			"last_follow_up_on",
		],
	)
	out = []
	for st in rows:
		step = late_step(
			st.status, getdate(st.prepare_by), getdate(st.send_by) if st.send_by else None, on_date
		)
		if not step or (st.last_follow_up_on and getdate(st.last_follow_up_on) >= on_date):
			continue
		newly = st.follow_up_stage != step.name
		out.append(
			f"STATEMENT {st.name} {st.customer}: {step.name}{' notify ' + step.escalate_to_role if newly else ''}"
		)
		if dry_run:
			continue
		due = st.prepare_by if step.owner_role == roles.COLLECTOR else st.send_by

		def text(st=st, step=step, due=due):
			what = (
				_("prepared and submitted for review")
				if step.owner_role == roles.COLLECTOR
				else _("reviewed and sent")
			)
			return _("Statement {0} of {1} ({2}) was to be {3} by {4}: it is late.").format(
				st.name, st.customer_name, st.period, what, frappe.format(due, {"fieldtype": "Date"})
			)

		assign_follow_up(STATEMENT, st.name, owners(st.customer, st.company, step), text, on_date)
		if newly:
			from collections_module.people import role_holders

			notify(role_holders().get(step.escalate_to_role, []), STATEMENT, st.name, text)
		frappe.db.set_value(
			STATEMENT,
			st.name,
			{"follow_up_stage": step.name, "follow_up_stage_since": on_date, "last_follow_up_on": on_date},
			update_modified=False,
		)
	return out
