# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Blocked Shipments: what the warehouse cannot ship because the customer's stock release is locked
(R-B7). One row per held document (open Sales Orders, draft Delivery Notes and Pick Lists) of a
customer with a blocking lock, or one row for the lock when nothing is held yet: customer, company,
overdue amount, days, since when, the document, and who can release it. Only blocking locks, no
collection notes; read through the user's own permissions (User Permissions on company or customer
included)."""

import frappe
from frappe import _

from collections_module.integrations.erpnext.shipment_guard import blocking_locks, release_contacts


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns():
	return [
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 200,
		},
		{
			"label": _("Company"),
			"fieldname": "company",
			"fieldtype": "Link",
			"options": "Company",
			"width": 150,
		},
		{
			"label": _("Overdue"),
			"fieldname": "overdue_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{"label": _("Days Overdue"), "fieldname": "oldest_days_overdue", "fieldtype": "Int", "width": 100},
		{"label": _("Locked Since"), "fieldname": "locked_since", "fieldtype": "Date", "width": 110},
		{"label": _("Held Document Type"), "fieldname": "doctype", "fieldtype": "Data", "width": 140},
		{
			"label": _("Held Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "doctype",
			"width": 170,
		},
		{"label": _("Document Date"), "fieldname": "date", "fieldtype": "Date", "width": 110},
		{
			"label": _("Document Amount"),
			"fieldname": "amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		{
			"label": _("Stock Release Lock"),
			"fieldname": "lock",
			"fieldtype": "Link",
			"options": "Stock Release Lock",
			"width": 150,
		},
		{"label": _("Who Can Release"), "fieldname": "ask", "fieldtype": "Data", "width": 220},
		# plain data: a Link to Currency would need a read permission the warehouse does not have
		{"label": _("Currency"), "fieldname": "currency", "fieldtype": "Data", "hidden": 1},
	]


# documents that are held while a lock blocks: (doctype, extra filters, date field, amount field)
HELD = [
	(
		"Sales Order",
		{
			"docstatus": ["<", 2],
			"per_delivered": ["<", 100],
			"status": ["not in", ["Closed", "On Hold", "Completed"]],
		},
		"transaction_date",
		"grand_total",
	),
	("Delivery Note", {"docstatus": 0, "is_return": 0}, "posting_date", "grand_total"),
	("Pick List", {"docstatus": 0}, "creation", None),
]


def data(filters):
	locks = blocking_locks(company=filters.get("company"), customer=filters.get("customer"))
	if not locks:
		return []
	by_key = {(lk.customer, lk.company): lk for lk in locks}
	customers = sorted({lk.customer for lk in locks})
	currency = {
		c: frappe.get_cached_value("Company", c, "default_currency") for c in {lk.company for lk in locks}
	}
	ask = release_contacts()
	held: dict[tuple[str, str], list[dict]] = {key: [] for key in by_key}
	for doctype, conditions, date_field, amount_field in HELD:
		if not frappe.has_permission(doctype, "read"):
			continue  # the user cannot open them: they are not shown
		fields = ["name", "customer", "company", f"{date_field} as date"] + (
			[f"{amount_field} as amount"] if amount_field else []
		)
		for d in frappe.get_list(
			doctype,
			filters={"customer": ["in", customers], **conditions},
			fields=fields,
			order_by=f"{date_field} asc",
			limit_page_length=0,
		):
			if (d.customer, d.company) in held:
				held[(d.customer, d.company)].append({**d, "doctype": doctype, "document": d.name})
	rows = []
	for key, lock in sorted(by_key.items()):
		base = {
			"customer": lock.customer,
			"company": lock.company,
			"overdue_amount": lock.overdue_amount,
			"oldest_days_overdue": lock.oldest_days_overdue,
			"locked_since": lock.effective_from,
			"lock": lock.name,
			"ask": ask,
			"currency": currency[lock.company],
		}
		documents = held[key] or [{}]
		for doc in documents:
			rows.append(
				{
					**base,
					"doctype": doc.get("doctype"),
					"document": doc.get("document"),
					"date": doc.get("date"),
					"amount": doc.get("amount"),
				}
			)
	return rows
