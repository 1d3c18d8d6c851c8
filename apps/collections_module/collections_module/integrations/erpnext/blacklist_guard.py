"""The blacklist enforced on ERPNext documents, server-side (R-G4): a listed customer's new Quotations
and Sales Orders are refused, and its credit is held: no Sales Invoice that leaves something owing is
submitted while listed (each a setting), through the desk, the API and the console alike.

The credit hold is this app's own check on submit, not a change to the customer's credit limits: a
customer who already owes more than a lowered limit would make ERPNext refuse the limit itself ("New
credit limit is less than current outstanding amount"), and the customer's own limits stay exactly as
they were, so removing the listing has nothing to restore. Payments, returns and invoices paid in full
at the time are never held."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from collections_module.policy import stock_lock as sl


class CustomerBlacklisted(frappe.ValidationError):
	pass


def customer_of(doc) -> str | None:
	if doc.doctype == "Quotation":
		return doc.party_name if doc.quotation_to == "Customer" else None
	return doc.get("customer")


def entry_in_force(customer: str):
	rows = frappe.get_all(
		"Blacklist Entry",
		filters={"customer": customer, "status": ["in", [sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED]]},
		fields=["name", "status", "start_date", "expiry_date", "reason_category"],
	)
	today = getdate(nowdate())
	return next(
		(
			r
			for r in rows
			if sl.blacklist_in_force(
				r.status, getdate(r.start_date), getdate(r.expiry_date) if r.expiry_date else None, today
			)
		),
		None,
	)


def guard_credit_sale(doc, method=None):
	"""Sales Invoice ``before_submit``: a listed customer gets no new credit."""
	if doc.get("is_return") or doc.get("is_consolidated"):
		return
	if not frappe.get_cached_doc("Collection Settings").blacklist_holds_credit:
		return
	if flt(doc.get("outstanding_amount")) <= 0:  # paid in full at the time: no credit given
		return
	entry = entry_in_force(doc.customer) if doc.get("customer") else None
	if entry:
		frappe.throw(
			_(
				"{0} is blacklisted ({1}): no new credit while listed. Take payment with the invoice, or ask the Business Owner to remove the listing."
			).format(doc.customer, entry.name),
			CustomerBlacklisted,
			title=_("Customer blacklisted"),
		)


def guard_sale(doc, method=None):
	if doc.docstatus == 2:
		return
	conf = frappe.get_cached_doc("Collection Settings")
	if not sl.blacklist_refuses(
		doc.doctype, conf.blacklist_refuses_quotations, conf.blacklist_refuses_sales_orders
	):
		return
	customer = customer_of(doc)
	entry = entry_in_force(customer) if customer else None
	if entry:
		frappe.throw(
			_(
				"{0} is blacklisted ({1}, {2}): new {3}s are refused. Only the Business Owner can remove the listing."
			).format(customer, entry.name, _(entry.reason_category), _(doc.doctype)),
			CustomerBlacklisted,
			title=_("Customer blacklisted"),
		)
