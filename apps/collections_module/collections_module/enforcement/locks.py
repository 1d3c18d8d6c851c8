"""Stock-release locks and blacklist entries as records that change state: each change in the timeline,
and a lock put in force (R-B7, R-G4)."""

import frappe
from frappe import _

from collections_module.policy import stock_lock as sl


def log_state_change(doc, previous: str):
	"""Each state change in the document's timeline, with who and why (Versions are kept too, outside tests)."""
	why = (
		doc.get("release_reason")
		if doc.status in (sl.RELEASED, sl.RELEASE_PROPOSED)
		else doc.get("removal_reason")
	)
	text = _("{0} → {1} by {2}").format(_(previous), _(doc.status), frappe.session.user)
	doc.add_comment("Info", text + (f": {why}" if why and doc.status not in (sl.ACTIVE, sl.APPROVED) else ""))


def activate(name: str):
	"""Approved -> Active through the workflow's 'Activate' transition (the effective date has come)."""
	doc = frappe.get_doc("Stock Release Lock", name)
	doc.status = sl.ACTIVE
	doc.add_comment("Info", _("Lock in force from {0}.").format(frappe.format(doc.effective_from, "Date")))
	doc.save(ignore_permissions=True)


def overdue_now(customer: str, company: str) -> float:
	"""What the customer owes overdue today, from the ledger (invoices and debts handed in), as the
	daily run reads it: a lock takes effect only while something is (issue 25)."""
	from frappe.utils import getdate, nowdate

	from collections_module.integrations.erpnext import receivables
	from collections_module.policy.ledger import overdue_lines

	today = getdate(nowdate())
	terms = receivables.terms_by_customer(receivables.open_invoices([customer], today)).get(
		(customer, company), []
	)
	terms += receivables.open_debts([customer]).get((customer, company), [])
	return round(sum(line.outstanding for line in overdue_lines(terms, today)), 2)


def expire_blacklist_entries(today=None) -> int:
	"""Listings past their expiry date end by themselves: status Expired, logged on the entry."""
	from frappe import _
	from frappe.utils import getdate, nowdate

	today = getdate(today or nowdate())
	ended = frappe.get_all(
		"Blacklist Entry",
		filters=[  # (Frappe compares an empty date as 0001-01-01: an entry without expiry never ends)
			["status", "in", [sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED, sl.BL_PROPOSED]],
			["expiry_date", "is", "set"],
			["expiry_date", "<", today],
		],
		pluck="name",
	)
	for name in ended:
		doc = frappe.get_doc("Blacklist Entry", name)
		previous = doc.status
		doc.db_set("status", sl.BL_EXPIRED)
		doc.add_comment(
			"Info", _("{0} → {1}: the listing reached its expiry date.").format(_(previous), _(sl.BL_EXPIRED))
		)
	return len(ended)
