"""Reads ERPNext's receivables in one query: every unpaid payment term of submitted Sales Invoices.

Amounts are turned into the company currency (the case total adds invoices in several currencies).
"""

from collections import defaultdict
from datetime import date

import frappe
from frappe.utils import flt, getdate

from collections_module.policy.ledger import Term, TermDue, allocate_outstanding


def open_invoices(customers: list[str] | None = None) -> dict[str, dict]:
	"""Submitted Sales Invoices with outstanding, by name, each with its payment terms."""
	return _open_invoice_rows(customers)


def unpaid_terms(invoices: dict[str, dict]) -> list[tuple[dict, date, float]]:
	"""(invoice, term due date, term outstanding in the invoice's currency) for every unpaid term."""
	out = []
	for inv in invoices.values():
		terms = inv["terms"] or [Term(inv["due_date"], flt(inv["outstanding_amount"]))]
		for due_date, outstanding in allocate_outstanding(terms, flt(inv["outstanding_amount"])):
			if outstanding > 0:
				out.append((inv, due_date, outstanding))
	return out


def terms_by_customer(invoices: dict[str, dict]) -> dict[tuple[str, str], list[TermDue]]:
	"""Unpaid terms per (customer, company), amounts in the company currency."""
	result: dict[tuple[str, str], list[TermDue]] = defaultdict(list)
	for inv, due_date, outstanding in unpaid_terms(invoices):
		rate = flt(inv["conversion_rate"]) or 1.0
		result[(inv["customer"], inv["company"])].append(
			TermDue(inv["name"], due_date, flt(outstanding * rate, 2))
		)
	return result


def _open_invoice_rows(customers: list[str] | None) -> dict[str, dict]:
	si = frappe.qb.DocType("Sales Invoice")
	ps = frappe.qb.DocType("Payment Schedule")
	query = (
		frappe.qb.from_(si)
		.left_join(ps)
		.on(
			(ps.parent == si.name)
			& (ps.parenttype == "Sales Invoice")
			& (ps.parentfield == "payment_schedule")
		)
		.select(
			si.name,
			si.customer,
			si.company,
			si.due_date,
			si.outstanding_amount,
			si.conversion_rate,
			si.contact_email,
			si.collection_reminded_due_date,
			ps.due_date.as_("term_due_date"),
			ps.payment_amount.as_("term_amount"),
		)
		.where((si.docstatus == 1) & (si.outstanding_amount > 0))
	)
	if customers is not None:
		if not customers:
			return {}
		query = query.where(si.customer.isin(list(customers)))
	invoices: dict[str, dict] = {}
	for row in query.run(as_dict=True):
		inv = invoices.setdefault(
			row.name,
			{
				"name": row.name,
				"customer": row.customer,
				"company": row.company,
				"due_date": getdate(row.due_date),
				"outstanding_amount": row.outstanding_amount,
				"conversion_rate": row.conversion_rate,
				"contact_email": row.contact_email,
				"reminded_due_date": getdate(row.collection_reminded_due_date)
				if row.collection_reminded_due_date
				else None,
				"terms": [],
			},
		)
		if row.term_due_date:
			inv["terms"].append(Term(getdate(row.term_due_date), flt(row.term_amount)))
	return invoices


def customer_email(customers: list[str]) -> dict[str, str]:
	"""The customer's own e-mail (the primary contact's, as ERPNext keeps it on the customer)."""
	if not customers:
		return {}
	rows = frappe.get_all(
		"Customer", filters={"name": ["in", customers]}, fields=["name", "email_id"], limit_page_length=0
	)
	return {r.name: r.email_id for r in rows if r.email_id}


def unallocated_credits(customers: list[str] | None = None) -> dict[tuple[str, str], float]:
	"""Money received but not matched to invoices, per (customer, company), in company currency:
	unallocated Payment Entry amounts and credit notes with a negative outstanding of their own."""
	pe = frappe.qb.DocType("Payment Entry")
	payments = _receipts(pe, pe.unallocated_amount, pe.source_exchange_rate).where(pe.unallocated_amount > 0)
	si = frappe.qb.DocType("Sales Invoice")
	credit_notes = (
		frappe.qb.from_(si)
		.select(si.customer, si.company, si.outstanding_amount, si.conversion_rate)
		.where((si.docstatus == 1) & (si.outstanding_amount < 0))
	)
	if customers is not None:
		if not customers:
			return {}
		payments = payments.where(pe.party.isin(list(customers)))
		credit_notes = credit_notes.where(si.customer.isin(list(customers)))
	result: dict[tuple[str, str], float] = defaultdict(float)
	for party, company, amount, rate in payments.run():
		result[(party, company)] += flt(amount) * (flt(rate) or 1.0)
	for customer, company, outstanding, rate in credit_notes.run():
		result[(customer, company)] += -flt(outstanding) * (flt(rate) or 1.0)
	return {key: flt(value, 2) for key, value in result.items()}


def _receipts(pe, *fields):
	"""Submitted Payment Entries receiving money from customers: party, company and ``fields``."""
	return (
		frappe.qb.from_(pe)
		.select(pe.party, pe.company, *fields)
		.where((pe.docstatus == 1) & (pe.party_type == "Customer") & (pe.payment_type == "Receive"))
	)


def payments_received(customers: list[str], since: date, until: date) -> list[dict]:
	"""Receipts of these customers between two dates, in company currency (party, company, date, amount)."""
	if not customers:
		return []
	pe = frappe.qb.DocType("Payment Entry")
	return (
		_receipts(pe, pe.posting_date, pe.base_received_amount)
		.where(pe.party.isin(sorted(customers)) & (pe.posting_date >= since) & (pe.posting_date <= until))
		.run(as_dict=True)
	)
