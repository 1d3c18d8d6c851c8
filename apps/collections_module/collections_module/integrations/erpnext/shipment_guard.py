"""Stock-release locks enforced on ERPNext documents, server-side (R-B7).

`before_submit` of Delivery Note, Pick List, Sales Invoice (only with Update Stock) and, if the
settings say so, Sales Order: a customer with a blocking lock is refused, naming the lock, the overdue
amount and who can release it. The same hook runs for the desk, the REST API, `frappe.client.submit`
and `bench console`. A one-shipment pass on the lock lets exactly one Delivery Note through.
"""

import frappe
from frappe import _
from frappe.utils import fmt_money, now_datetime

from collections_module.policy import roles
from collections_module.policy import stock_lock as sl

LOCK = "Stock Release Lock"


class StockReleaseLocked(frappe.ValidationError):
	pass


def settings():
	return frappe.get_cached_doc("Collection Settings")


def customers_of(doc) -> list[str]:
	customers = {doc.customer} if doc.get("customer") else set()
	if doc.doctype == "Pick List":  # a pick list can gather several customers' orders
		orders = {row.sales_order for row in doc.get("locations") or [] if row.get("sales_order")}
		if orders:
			customers |= set(
				frappe.get_all("Sales Order", filters={"name": ["in", list(orders)]}, pluck="customer")
			)
	return sorted(customers)


def blocking_lock(customer: str, company: str):
	"""The customer's lock that blocks shipments with this company, if any (one indexed query)."""
	return frappe.db.get_value(
		LOCK,
		{"customer": customer, "company": company, "status": ["in", sl.BLOCKING_STATES]},
		["name", "status", "customer_name", "overdue_amount", "oldest_days_overdue", "reason"],
		as_dict=True,
	)


def guard_shipment(doc, method=None):
	conf = settings()
	if doc.get("is_return") or doc.get("is_consolidated"):
		# goods coming back are never held, nor the invoice ERPNext makes at POS closing for goods that
		# already left at the till (one locked customer would otherwise fail the whole closing)
		return
	if not sl.is_held(doc.doctype, doc.get("update_stock"), conf.hold_sales_orders):
		return
	for customer in customers_of(doc):
		lock = blocking_lock(customer, doc.company)
		if not lock:
			continue
		is_dn = doc.doctype == "Delivery Note"
		unused = _unused_pass(lock.name) if is_dn else None
		verdict = sl.shipment_verdict(lock.status, True, 1 if unused else 0, is_dn)
		if verdict.use_pass:
			frappe.db.set_value(
				"Stock Release Pass", unused, {"delivery_note": doc.name, "used_on": now_datetime()}
			)
			frappe.get_doc(LOCK, lock.name).add_comment(
				"Info", _("One-shipment pass used by Delivery Note {0}.").format(doc.name)
			)
			frappe.msgprint(_("Shipped through {0} with a one-shipment pass.").format(lock.name), alert=True)
		elif not verdict.allowed:
			frappe.throw(refusal_message(lock, doc.company), StockReleaseLocked, title=_("Shipment locked"))


def refusal_message(lock, company: str) -> str:
	currency = frappe.get_cached_value("Company", company, "default_currency")
	return _(
		"Shipping to {0} is locked by Stock Release Lock {1}: {2} overdue, oldest invoice {3} days. "
		"Only the {4} role can release the lock or grant a one-shipment pass."
	).format(
		lock.customer_name or "",
		lock.name,
		fmt_money(lock.overdue_amount, currency=currency),
		lock.oldest_days_overdue,
		_(roles.OWNER),
	)


def _unused_pass(lock: str) -> str | None:
	return frappe.db.get_value(
		"Stock Release Pass",
		{"parent": lock, "parenttype": LOCK, "delivery_note": ["is", "not set"]},
		"name",
		order_by="idx asc",
		for_update=True,  # two Delivery Notes submitted at once cannot share one pass
	)


def blocking_locks(company: str | None = None, customer: str | None = None) -> list:
	"""Blocking locks the session user may read (their User Permissions on company or customer
	apply), with only what the warehouse needs."""
	if not frappe.has_permission(LOCK, "read"):
		return []
	filters = {"status": ["in", sl.BLOCKING_STATES]}
	if company:
		filters["company"] = company
	if customer:
		filters["customer"] = customer
	return frappe.get_list(
		LOCK,
		filters=filters,
		fields=[
			"name",
			"customer",
			"customer_name",
			"company",
			"status",
			"effective_from",
			"overdue_amount",
			"oldest_days_overdue",
			"reason",
		],
		order_by="effective_from asc",
		limit_page_length=0,
	)


def release_contacts() -> str:
	"""Who can release a lock or let one shipment through: the role and the people holding it."""
	role = settings().pass_role or roles.OWNER
	users = frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User", "parent": ["not in", ["Administrator", "Guest"]]},
		pluck="parent",
	)
	names = frappe.get_all(
		"User", filters={"name": ["in", users or [""]], "enabled": 1}, pluck="full_name", order_by="full_name"
	)
	return f"{_(role)}: {', '.join(n for n in names if n) or '-'}"


def lock_banner(customer: str, company: str | None = None) -> list[dict]:
	"""Blocking locks of a customer, for the red banner on Delivery Note, Pick List, Sales Order and
	Customer forms. Only what a warehouse user needs: the lock, amount, days, reason and whom to ask."""
	if not customer:
		return []
	locks = blocking_locks(company=company, customer=customer)
	if locks:
		ask = release_contacts()
		# a one-shipment pass granted and not used yet: the next delivery goes through (say so)
		open_passes = set(
			frappe.get_all(
				"Stock Release Pass",
				filters={
					"parenttype": LOCK,
					"parent": ["in", [lock.name for lock in locks]],
					"delivery_note": ["is", "not set"],
				},
				pluck="parent",
			)
		)
		for lock in locks:
			lock["ask"] = ask
			lock["currency"] = frappe.get_cached_value("Company", lock.company, "default_currency")
			lock["pass_open"] = lock.name in open_passes
	return locks
