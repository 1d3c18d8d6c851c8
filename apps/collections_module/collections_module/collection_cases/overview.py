"""The customer overview on the Collection Case form: what the customer owes the case's company by age,
the case's contacts and visits, its promises to pay and how they went, its invoices, and a one-shipment
pass left open on a lock. Read with the server's rights once the endpoint has checked that the reader may
read the case; a few set-based queries, whatever the size of the customer's ledger.

People are given by their full names, never by their user ids (e-mails)."""

from datetime import date

import frappe
from frappe.query_builder import Order
from frappe.query_builder.functions import Coalesce
from frappe.utils import flt, getdate, nowdate

from collections_module.bulk import full_names
from collections_module.policy import contact_rules as cr
from collections_module.policy import stock_lock as sl
from collections_module.policy.dates import days_overdue

CASE = "Collection Case"
PROMISE = "Promise to Pay"  # the Contact Log outcome of a promise to pay
TIMELINE_LIMIT = 20
# Days past due of each ageing bucket, after "not yet due" (due today counts as not yet due, as on the case).
AGEING = ((1, 30), (31, 60), (61, 90), (91, 180), (181, None))

CASE_FIELDS = ["name", "customer", "customer_name", "company", "total_outstanding", "promise_status"]


# -- pure --------------------------------------------------------------------------------------------


def ageing_buckets(terms: list[tuple[str, date, float]], on_date: date) -> list[dict]:
	"""(document, due date, outstanding) terms summed into "not yet due" and the AGEING buckets, each
	with how many documents it holds. Buckets are always all there, empty ones at 0."""
	buckets = [{"from": None, "to": None, "amount": 0.0, "documents": set()}]
	buckets += [{"from": low, "to": high, "amount": 0.0, "documents": set()} for low, high in AGEING]
	for document, due_date, amount in terms:
		if not amount:
			continue
		days = days_overdue(due_date, on_date)
		bucket = (
			buckets[0] if days < 1 else next(b for b in buckets[1:] if b["to"] is None or days <= b["to"])
		)
		bucket["amount"] += amount
		bucket["documents"].add(document)
	return [
		{"from": b["from"], "to": b["to"], "amount": round(b["amount"], 2), "count": len(b["documents"])}
		for b in buckets
	]


def promise_statuses(promises: list, receipts: list[tuple[date, float]], case_status: str | None, on_date):
	"""Kept / Broken / Pending for each promise (oldest first), as customer_record.promise_history
	judges them: the case's last promise as the daily run settled it on the case, the others by what was
	recovered between the promise and its date."""
	out = []
	for i, p in enumerate(promises):
		if not p.promise_date:
			out.append("")
			continue
		last = i == len(promises) - 1
		if last and case_status in (cr.KEPT, cr.BROKEN):
			out.append(case_status)
			continue
		made, due = getdate(p.start_time), getdate(p.promise_date)
		paid = sum(amount for day, amount in receipts if made <= day <= due)
		out.append(cr.promise_outcome(flt(p.promise_amount), due, paid, on_date))
	return out


# -- reads -------------------------------------------------------------------------------------------


def case_overview(case_name: str, on_date: date | None = None) -> dict:
	"""Everything the overview shows, in one payload (the caller has checked the case is readable)."""
	on_date = getdate(on_date or nowdate())
	case = frappe.db.get_value(CASE, case_name, CASE_FIELDS, as_dict=True)
	if not case:
		return {}
	ageing = receivables_ageing(case.customer, case.company, on_date)
	return {
		"case": case.name,
		"customer_name": case.customer_name or case.customer,
		"currency": frappe.get_cached_value("Company", case.company, "default_currency"),
		"as_of": str(on_date),
		"ageing": ageing,
		"overdue": round(sum(b["amount"] for b in ageing if b["from"]), 2),
		"case_outstanding": flt(case.total_outstanding, 2),
		"timeline": timeline(case.name),
		"promises": promises(case, on_date),
		"invoices": case_invoices(case.name),
		"stock_passes": open_passes(case.customer, case.company),
	}


def receivables_ageing(customer: str, company: str, on_date: date) -> list[dict]:
	"""The customer's open receivables with the company by age: every unpaid term of its submitted Sales
	Invoices (outstanding from the Payment Ledger, in the company currency, as the case's own figures)
	and the debts handed in for it."""
	from collections_module.integrations.erpnext import receivables

	invoices = receivables.open_invoices([customer], on_date)
	terms = [
		(inv["name"], due_date, outstanding)
		for inv, due_date, outstanding in receivables.unpaid_terms(invoices)
		if inv["company"] == company
	]
	terms += [
		(t.invoice, t.due_date, t.outstanding)
		for t in receivables.open_debts([customer]).get((customer, company), [])
	]
	return ageing_buckets(terms, on_date)


def timeline(case_name: str, limit: int = TIMELINE_LIMIT) -> list[dict]:
	"""The case's Contact Logs and Visit Records, newest first, the last ``limit`` of them."""
	cl = frappe.qb.DocType("Contact Log")
	logs = (
		frappe.qb.from_(cl)
		.select(
			cl.name,
			cl.start_time,
			cl.channel,
			cl.direction,
			cl.outcome,
			cl.summary,
			cl.collector,
			cl.late_entry,
		)
		.where(cl.collection_case == case_name)
		.orderby(cl.start_time, order=Order.desc)
		.orderby(cl.name, order=Order.desc)
		.limit(limit)
		.run(as_dict=True)
	)
	vr = frappe.qb.DocType("Visit Record")
	when = Coalesce(vr.actual_time, vr.planned_time)
	visits = (
		frappe.qb.from_(vr)
		.select(vr.name, vr.actual_time, vr.planned_time, vr.outcome, vr.summary, vr.late_entry)
		.where(vr.collection_case == case_name)
		.orderby(when, order=Order.desc)
		.orderby(vr.name, order=Order.desc)
		.limit(limit)
		.run(as_dict=True)
	)
	visitors = visit_collectors([v.name for v in visits])
	names = full_names({r.collector for r in logs} | {u for users in visitors.values() for u in users})
	rows = [
		{
			"doctype": "Contact Log",
			"name": r.name,
			"time": r.start_time,
			"channel": r.channel or "",
			"direction": r.direction or "",
			"outcome": r.outcome or "",
			"collectors": [names[r.collector]] if r.collector in names else [],
			"summary": r.summary or "",
			"late_entry": bool(r.late_entry),
			"planned": False,
		}
		for r in logs
	]
	rows += [
		{
			"doctype": "Visit Record",
			"name": v.name,
			"time": v.actual_time or v.planned_time,
			"channel": "Visit",
			"direction": "",
			"outcome": v.outcome or "",
			"collectors": [names[u] for u in visitors.get(v.name, []) if u in names],
			"summary": v.summary or "",
			"late_entry": bool(v.late_entry),
			"planned": not v.actual_time,
		}
		for v in visits
	]
	rows.sort(key=lambda r: (r["time"] is not None, r["time"] or 0, r["name"]), reverse=True)
	return rows[:limit]


def visit_collectors(visits: list[str]) -> dict[str, list[str]]:
	if not visits:
		return {}
	out: dict[str, list[str]] = {}
	for r in frappe.get_all(
		"Visit Record Collector",
		filters={"parenttype": "Visit Record", "parent": ["in", visits]},
		fields=["parent", "collector"],
		order_by="idx asc",
	):
		if r.collector:
			out.setdefault(r.parent, []).append(r.collector)
	return out


def promises(case, on_date: date) -> list[dict]:
	"""The promises to pay recorded on the case (Contact Logs with the outcome "Promise to Pay"), newest
	first, each kept, broken or pending. The daily run settles the case's last promise on the case
	(Collection Case.promise_status) from the recovery ledger; earlier ones are judged on that ledger."""
	from collections_module.integrations.erpnext.recoveries import recovered_by_case

	logs = frappe.get_all(
		"Contact Log",
		filters={"collection_case": case.name, "outcome": PROMISE},
		fields=["name", "start_time", "promise_amount", "promise_date", "collector"],
		order_by="start_time asc, name asc",
	)
	if not logs:
		return []
	since = min(getdate(p.start_time) for p in logs)
	receipts = recovered_by_case([case.name], since, on_date).get(case.name, [])
	statuses = promise_statuses(logs, receipts, case.promise_status, on_date)
	names = full_names({p.collector for p in logs})
	out = [
		{
			"name": p.name,
			"made_on": p.start_time,
			"amount": flt(p.promise_amount),
			"date": p.promise_date,
			"status": status,
			"collector": names.get(p.collector, "") if p.collector else "",
		}
		for p, status in zip(logs, statuses, strict=True)
	]
	return out[::-1]


def case_invoices(case_name: str) -> list[dict]:
	"""The case's overdue lines (Collection Case Invoice): a Sales Invoice (its PDF through
	overview_api.invoice_pdf) or a debt handed in."""
	rows = frappe.get_all(
		"Collection Case Invoice",
		filters={"parenttype": CASE, "parentfield": "invoices", "parent": case_name},
		fields=["sales_invoice", "debt", "due_date", "outstanding", "days_overdue"],
		order_by="idx asc",
	)
	return [
		{
			"sales_invoice": r.sales_invoice or "",
			"debt": r.debt or "",
			"due_date": r.due_date,
			"outstanding": flt(r.outstanding),
			"days_overdue": r.days_overdue or 0,
			"pdf": bool(r.sales_invoice),
		}
		for r in rows
	]


def is_case_invoice(case_name: str, invoice: str) -> bool:
	return bool(
		invoice
		and frappe.db.exists(
			"Collection Case Invoice",
			{"parenttype": CASE, "parentfield": "invoices", "parent": case_name, "sales_invoice": invoice},
		)
	)


def open_passes(customer: str, company: str) -> list[dict]:
	"""Unused one-shipment passes of the customer's blocking lock with the company: each lets the next
	Delivery Note through (a pass has no end date; it is open until a Delivery Note uses it or the lock
	is released)."""
	lock = frappe.qb.DocType("Stock Release Lock")
	pass_ = frappe.qb.DocType("Stock Release Pass")
	rows = (
		frappe.qb.from_(pass_)
		.join(lock)
		.on((pass_.parent == lock.name) & (pass_.parenttype == "Stock Release Lock"))
		.select(lock.name.as_("lock"), pass_.granted_by, pass_.granted_on, pass_.reason)
		.where(
			(lock.customer == customer)
			& (lock.company == company)
			& lock.status.isin(list(sl.BLOCKING_STATES))
			& (Coalesce(pass_.delivery_note, "") == "")
		)
		.orderby(pass_.idx)
		.run(as_dict=True)
	)
	names = full_names({r.granted_by for r in rows})
	return [
		{
			"lock": r.lock,
			"granted_by": names.get(r.granted_by, "") if r.granted_by else "",
			"granted_on": r.granted_on,
			"reason": r.reason or "",
		}
		for r in rows
	]
