# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Awaiting My Approval: every record waiting for a decision the logged-in user may take (a lock to
approve or release, a waiver, a repayment plan, a letter, a legal action, a statement to send...), with
the customer's name, the amount at stake in the company's currency, how long it has waited, who asked
and what the user may do; largest amount first, and the amounts per document type as a chart. What
waits for whom is read from the workflows (collections_module.enforcement.approvals)."""

import frappe
from frappe import _

from collections_module.enforcement import approvals


def execute(filters=None):
	rows = approvals.awaiting(frappe.session.user)
	return columns(), rows, None, approvals.chart(rows)


def columns():
	return [
		{"label": _("Document Type"), "fieldname": "document_type", "fieldtype": "Data", "width": 150},
		{
			"label": _("Record"),
			"fieldname": "record",
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 170,
		},
		{"label": _("Customer Name"), "fieldname": "customer_name", "fieldtype": "Data", "width": 220},
		{
			"label": _("Amount"),
			"fieldname": "amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 130,
		},
		{"label": _("State"), "fieldname": "state", "fieldtype": "Data", "width": 130},
		{"label": _("Days Waiting"), "fieldname": "days_waiting", "fieldtype": "Int", "width": 110},
		{"label": _("Requested By"), "fieldname": "requested_by", "fieldtype": "Data", "width": 160},
		{"label": _("Available Actions"), "fieldname": "actions", "fieldtype": "Data", "width": 200},
		{
			"label": _("Company"),
			"fieldname": "company",
			"fieldtype": "Data",
			"width": 150,
		},
		# the record's DocType (untranslated) for the Dynamic Link, and the amount's currency
		{"label": _("Reference DocType"), "fieldname": "reference_doctype", "fieldtype": "Data", "hidden": 1},
		{"label": _("Currency"), "fieldname": "currency", "fieldtype": "Data", "hidden": 1},
	]
