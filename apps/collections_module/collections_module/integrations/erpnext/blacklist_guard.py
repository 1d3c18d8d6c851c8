"""The blacklist enforced on ERPNext documents, server-side (R-G4): a listed customer's new Quotations
and Sales Orders are refused (each a setting), through the desk, the API and the console alike."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

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
