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
