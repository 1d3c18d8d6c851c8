# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Blocked Shipments: what the warehouse cannot ship because the customer's stock release is locked
(R-B7). Draft or to-deliver Sales Orders, draft Delivery Notes and draft Pick Lists of customers with a
blocking lock, with the amount and the lock's reason — no collection notes."""

import frappe
from frappe import _

from collections_module.policy import stock_lock as sl


def execute(filters=None):
	filters = frappe._dict(filters or {})
	return columns(), data(filters)


def columns():
	return [
		{"label": _("Document Type"), "fieldname": "doctype", "fieldtype": "Data", "width": 120},
		{
			"label": _("Document"),
			"fieldname": "document",
			"fieldtype": "Dynamic Link",
			"options": "doctype",
			"width": 170,
		},
		{
			"label": _("Customer"),
			"fieldname": "customer",
			"fieldtype": "Link",
			"options": "Customer",
			"width": 180,
		},
		{"label": _("Date"), "fieldname": "date", "fieldtype": "Date", "width": 100},
		{
			"label": _("Amount"),
			"fieldname": "amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{
			"label": _("Stock Release Lock"),
			"fieldname": "lock",
			"fieldtype": "Link",
			"options": "Stock Release Lock",
			"width": 150,
		},
		{
			"label": _("Overdue"),
			"fieldname": "overdue_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
		{"label": _("Days Overdue"), "fieldname": "oldest_days_overdue", "fieldtype": "Int", "width": 90},
		{"label": _("Lock Reason"), "fieldname": "reason", "fieldtype": "Data", "width": 300},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Link",
			"options": "Currency",
			"hidden": 1,
		},
	]


def data(filters):
	lock_filters = {"status": ["in", sl.BLOCKING_STATES]}
	for key in ("company", "customer"):
		if filters.get(key):
			lock_filters[key] = filters[key]
	locks = frappe.get_all(
		"Stock Release Lock",
		filters=lock_filters,
		fields=["name", "customer", "company", "overdue_amount", "oldest_days_overdue", "reason"],
	)
	if not locks:
		return []
	by_key = {(lk.customer, lk.company): lk for lk in locks}
	customers = sorted({lk.customer for lk in locks})
	currency = {
		c: frappe.get_cached_value("Company", c, "default_currency") for c in {lk.company for lk in locks}
	}
	rows = []
	documents = [
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
		("Delivery Note", {"docstatus": 0}, "posting_date", "grand_total"),
		("Pick List", {"docstatus": 0}, "creation", None),
	]
	for doctype, conditions, date_field, amount_field in documents:
		fields = ["name", "customer", "company", f"{date_field} as date"] + (
			[f"{amount_field} as amount"] if amount_field else []
		)
		for d in frappe.get_all(
			doctype,
			filters={"customer": ["in", customers], **conditions},
			fields=fields,
			order_by=f"{date_field} asc",
		):
			lock = by_key.get((d.customer, d.company))
			if not lock:
				continue
			rows.append(
				{
					"doctype": doctype,
					"document": d.name,
					"customer": d.customer,
					"date": d.date,
					"amount": d.get("amount"),
					"lock": lock.name,
					"overdue_amount": lock.overdue_amount,
					"oldest_days_overdue": lock.oldest_days_overdue,
					"reason": lock.reason,
					"currency": currency[d.company],
				}
			)
	return rows
