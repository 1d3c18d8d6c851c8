# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

"""New-case filtering per intake batch and collector (R-E4): every account being filtered from its import,
allocated or not, with its amount; accounts due, done, late and at risk, and how many (and how much)
were found contactable or lost contact. Collectors see their own cases only (the case's permission
rules apply to the query)."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from collections_module.bulk import full_names
from collections_module.policy import filtering


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Intake Batch"
	conditions = {"filtering_deadline": ["is", "set"]}
	cases = frappe.get_list(  # get_list: the user's own permissions (a collector sees their cases)
		"Collection Case",
		filters=conditions | ({"collector": filters.collector} if filters.get("collector") else {}),
		fields=[
			"name",
			"collector",
			"total_outstanding",
			"filtering_deadline",
			"filtering_class",
			"filtering_done_on",
		],
		limit_page_length=0,
	)
	batch_of = {}
	if cases:
		debt_filters = {"collection_case": ["in", [c.name for c in cases]]}
		if filters.get("intake_batch"):
			debt_filters["intake_batch"] = filters.intake_batch
		for d in frappe.get_all(
			"Debt", filters=debt_filters, fields=["collection_case", "intake_batch"], order_by="creation asc"
		):
			batch_of.setdefault(d.collection_case, d.intake_batch)
	# every case being filtered counts, allocated or not; only a batch filter leaves others out
	if filters.get("intake_batch"):
		cases = [c for c in cases if c.name in batch_of]
	rows = [
		filtering.FilteringRow(
			account=c.name,
			amount=c.total_outstanding or 0.0,
			deadline=getdate(c.filtering_deadline),
			classification=c.filtering_class or None,
			done_on=getdate(c.filtering_done_on) if c.filtering_done_on else None,
			group=batch_of.get(c.name) or NO_BATCH,
			collector=c.collector or None,
		)
		for c in cases
	]
	by = "group" if group_by == "Intake Batch" else "collector"
	progress = filtering.progress_by(rows, getdate(nowdate()), by=by)
	names = full_names(progress) if by == "collector" else {}
	data = []
	for group, p in progress.items():
		data.append(
			{
				"group": _(group) if group in (filtering.UNALLOCATED, NO_BATCH) else names.get(group, group),
				"accounts": p.total.count,
				"amount": p.total.amount,
				"allocated": p.allocated.count,
				"unallocated": p.unallocated.count,
				"unallocated_amount": p.unallocated.amount,
				"done": p.done.count,
				"due": p.due.count,
				"late": p.late.count,
				"at_risk": p.at_risk.count,
				"contactable": p.contactable.count,
				"contactable_amount": p.contactable.amount,
				"lost_contact": p.lost_contact.count,
				"lost_contact_amount": p.lost_contact.amount,
			}
		)
	return columns(group_by), data


NO_BATCH = "No Intake Batch"


def columns(group_by: str) -> list[dict]:
	first = (
		{
			"fieldname": "group",
			"label": _("Intake Batch"),
			"fieldtype": "Link",
			"options": "Intake Batch",
			"width": 160,
		}
		if group_by == "Intake Batch"
		else {  # a collector, or the accounts not allocated yet
			"fieldname": "group",
			"label": _("Collector"),
			"fieldtype": "Data",
			"width": 200,
		}
	)
	count = {"fieldtype": "Int", "width": 100}
	money = {"fieldtype": "Currency", "width": 130}
	return [
		first,
		{"fieldname": "accounts", "label": _("Accounts"), **count},
		{"fieldname": "amount", "label": _("Amount"), **money},
		{"fieldname": "allocated", "label": _("Allocated"), **count},
		{"fieldname": "unallocated", "label": _("Not Allocated"), **count},
		{"fieldname": "unallocated_amount", "label": _("Amount Not Allocated"), **money},
		{"fieldname": "done", "label": _("Filtered"), **count},
		{"fieldname": "due", "label": _("Due By Today"), **count},
		{"fieldname": "late", "label": _("Late"), **count},
		{"fieldname": "at_risk", "label": _("At Risk"), **count},
		{"fieldname": "contactable", "label": _("Contactable"), **count},
		{"fieldname": "contactable_amount", "label": _("Contactable Amount"), **money},
		{"fieldname": "lost_contact", "label": _("Lost Contact"), **count},
		{"fieldname": "lost_contact_amount", "label": _("Lost Contact Amount"), **money},
	]
