"""Reads ERPNext's receivables in a few set-based queries: every unpaid payment term of submitted Sales
Invoices, in the company currency.

Amounts are taken the way ERPNext's own Accounts Receivable report takes them: an invoice's outstanding
is the sum of its Payment Ledger Entries in the company currency (right in every currency setting,
"allow multi-currency invoices against single party account" included, where the invoice's own
outstanding is in the receivable account's currency and its conversion rate must not be applied again);
each payment term is its base amount less what ERPNext recorded as paid against that term, and
payments that name no term fill the earliest terms first.
"""

from collections import defaultdict
from datetime import date

import frappe
from frappe.query_builder.functions import Sum
from frappe.utils import flt, getdate

from collections_module.policy.ledger import Term, TermDue, allocate_outstanding

CHUNK = 5000  # invoice names per IN (...) list


def open_invoices(customers: list[str] | None = None, on_date: date | None = None) -> dict[str, dict]:
	"""Submitted Sales Invoices with outstanding, by name, each with its payment terms and its
	outstanding in the company currency — on ``on_date`` when given: a receipt dated later (a
	post-dated cheque) is not money yet, as in ERPNext's Accounts Receivable on that date."""
	invoices = _open_invoice_rows(customers, on_date)
	outstanding = _ledger_outstanding(list(invoices), on_date)
	for name, inv in list(invoices.items()):
		inv["outstanding"] = flt(outstanding.get(name), 2)
		if inv["outstanding"] <= 0:  # settled in the ledger (e.g. an exchange difference left over)
			del invoices[name]
	return invoices


def unpaid_terms(invoices: dict[str, dict]) -> list[tuple[dict, date, float]]:
	"""(invoice, term due date, term outstanding in the company currency) for every unpaid term."""
	out = []
	for inv in invoices.values():
		terms = inv["terms"] or [Term(inv["due_date"], inv["outstanding"])]
		for due_date, outstanding in allocate_outstanding(terms, inv["outstanding"]):
			if outstanding > 0:
				out.append((inv, due_date, outstanding))
	return out


def in_invoice_currency(inv: dict, amount: float) -> float:
	"""A company-currency amount in the invoice's own currency (for what the customer reads)."""
	return flt(amount / (flt(inv["conversion_rate"]) or 1.0), 2)


def terms_by_customer(invoices: dict[str, dict]) -> dict[tuple[str, str], list[TermDue]]:
	"""Unpaid terms per (customer, company), amounts in the company currency."""
	result: dict[tuple[str, str], list[TermDue]] = defaultdict(list)
	for inv, due_date, outstanding in unpaid_terms(invoices):
		result[(inv["customer"], inv["company"])].append(TermDue(inv["name"], due_date, flt(outstanding, 2)))
	return result


def _open_invoice_rows(customers: list[str] | None, on_date: date | None = None) -> dict[str, dict]:
	si = frappe.qb.DocType("Sales Invoice")
	ps = frappe.qb.DocType("Payment Schedule")
	owed = si.outstanding_amount > 0
	if on_date is not None:  # paid only by receipts dated after on_date: still owed on on_date
		ple = frappe.qb.DocType("Payment Ledger Entry")
		owed = owed | si.name.isin(
			frappe.qb.from_(ple)
			.select(ple.against_voucher_no)
			.where(
				(ple.against_voucher_type == "Sales Invoice")
				& (ple.posting_date > on_date)
				& (ple.delinked == 0)
				& (ple.amount < 0)
			)
		)
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
			si.conversion_rate,
			si.contact_email,
			si.collection_reminded_due_date,
			ps.due_date.as_("term_due_date"),
			ps.payment_amount.as_("term_amount"),
			ps.base_payment_amount.as_("term_base_amount"),
			ps.base_paid_amount.as_("term_base_paid"),
		)
		.where((si.docstatus == 1) & owed)
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
				"conversion_rate": row.conversion_rate,
				"contact_email": row.contact_email,
				"reminded_due_date": getdate(row.collection_reminded_due_date)
				if row.collection_reminded_due_date
				else None,
				"terms": [],
			},
		)
		if row.term_due_date:
			# the term in the company currency, less what ERPNext recorded as paid against it
			base = flt(row.term_base_amount) or flt(row.term_amount) * (flt(row.conversion_rate) or 1.0)
			inv["terms"].append(Term(getdate(row.term_due_date), flt(base - flt(row.term_base_paid), 2)))
	return invoices


def _ledger_outstanding(names: list[str], on_date: date | None = None) -> dict[str, float]:
	"""Each invoice's outstanding in the company currency, from the Payment Ledger (as the AR report),
	counting only entries posted by ``on_date`` when given."""
	ple = frappe.qb.DocType("Payment Ledger Entry")
	out: dict[str, float] = {}
	for i in range(0, len(names), CHUNK):
		where = (
			(ple.delinked == 0)
			& (ple.against_voucher_type == "Sales Invoice")
			& ple.against_voucher_no.isin(names[i : i + CHUNK])
		)
		if on_date is not None:
			where &= ple.posting_date <= on_date
		rows = (
			frappe.qb.from_(ple)
			.select(ple.against_voucher_no, Sum(ple.amount))
			.where(where)
			.groupby(ple.against_voucher_no)
			.run()
		)
		out.update({name: flt(amount) for name, amount in rows})
	return out


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
	ple = frappe.qb.DocType("Payment Ledger Entry")
	# a credit note's own unallocated balance: its Payment Ledger Entries, in the company currency
	credit_notes = (
		frappe.qb.from_(si)
		.join(ple)
		.on((ple.against_voucher_type == "Sales Invoice") & (ple.against_voucher_no == si.name))
		.select(si.customer, si.company, Sum(ple.amount))
		.where((si.docstatus == 1) & (si.outstanding_amount < 0) & (ple.delinked == 0))
		.groupby(si.name, si.customer, si.company)
	)
	if customers is not None:
		if not customers:
			return {}
		payments = payments.where(pe.party.isin(list(customers)))
		credit_notes = credit_notes.where(si.customer.isin(list(customers)))
	result: dict[tuple[str, str], float] = defaultdict(float)
	for party, company, amount, rate in payments.run():
		result[(party, company)] += flt(amount) * (flt(rate) or 1.0)
	for customer, company, balance in credit_notes.run():
		if flt(balance) < 0:
			result[(customer, company)] += -flt(balance)
	return {key: flt(value, 2) for key, value in result.items()}


def _receipts(pe, *fields):
	"""Submitted Payment Entries receiving money from customers: party, company and ``fields``."""
	return (
		frappe.qb.from_(pe)
		.select(pe.party, pe.company, *fields)
		.where((pe.docstatus == 1) & (pe.party_type == "Customer") & (pe.payment_type == "Receive"))
	)


def open_debts(customers: list[str] | None = None) -> dict[tuple[str, str], list[TermDue]]:
	"""Debts handed in for collection (not ERPNext invoices), still open, per (customer, company): each
	one term due on its due date, for its outstanding (kept in the company currency)."""
	debt = frappe.qb.DocType("Debt")
	query = (
		frappe.qb.from_(debt)
		.select(debt.name, debt.customer, debt.company, debt.due_date, debt.outstanding)
		.where((debt.status == "Open") & (debt.outstanding > 0) & debt.customer.isnotnull())
	)
	if customers is not None:
		if not customers:
			return {}
		query = query.where(debt.customer.isin(list(customers)))
	result: dict[tuple[str, str], list[TermDue]] = defaultdict(list)
	for r in query.run(as_dict=True):
		result[(r.customer, r.company)].append(TermDue(r.name, getdate(r.due_date), flt(r.outstanding, 2)))
	return result
