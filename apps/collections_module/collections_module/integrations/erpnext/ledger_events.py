"""ERPNext postings that change what a customer owes keep the customer's collection case in step.

Sales Invoice, Payment Entry and Journal Entry (credit notes are Sales Invoices with is_return) on
submit and cancel, ERPNext's Unreconcile Payment on submit and the Payment Reconciliation tool's
Reconcile: the affected customers are re-read from the ledger and their cases updated, closed
when nothing is overdue any more, reopened when a cancellation makes a debt overdue again. Follow-up
tasks and e-mail belong to the daily run and are not created here.
"""

import frappe


def affected_customers(doc) -> list[str]:
	if doc.doctype == "Sales Invoice":
		return [doc.customer]
	if doc.doctype == "Payment Entry":
		return [doc.party] if doc.party_type == "Customer" and doc.party else []
	if doc.doctype == "Journal Entry":
		return sorted({row.party for row in doc.accounts if row.party_type == "Customer" and row.party})
	if doc.doctype == "Payment Reconciliation":
		return [doc.party] if doc.party_type == "Customer" and doc.party else []
	if doc.doctype == "Unreconcile Payment":  # the invoices it unlinks are owed again, at once
		return sorted({row.party for row in doc.allocations if row.party_type == "Customer" and row.party})
	return []


def on_ledger_change(doc, method=None):
	customers = affected_customers(doc)
	if not customers:
		return
	follow_ledger(customers)


def follow_ledger(customers: list[str]):
	"""The recovery ledger first (promises and plans are settled on it), then the cases; a case the
	run opens or reopens takes the day's recoveries too."""
	from collections_module.collection_cases.ladder.jobs import run
	from collections_module.integrations.erpnext.recoveries import rebuild

	rebuild(customers)
	report = run(customers=customers, follow_ups=False, reminders=False)
	if any(p.case is None or p.reopen for p in report.cases if not p.close):
		rebuild(customers)
