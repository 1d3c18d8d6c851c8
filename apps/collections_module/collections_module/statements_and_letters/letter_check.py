"""Letters in flight kept true to the ledger (R-B8, R-C10). Whenever a case is re-read from the ledger
(a posting, a reconciliation, the daily run), its letters not yet issued are checked: withdrawn when
nothing is owed any more, restated and sent back for approval when the amount changed. Approving and
issuing check again (collection_letter.check_ledger)."""

import frappe
from frappe.utils import flt

from collections_module.messages import tr
from collections_module.people import notify
from collections_module.policy import letters

LETTER = "Collection Letter"


def recheck(case_names: list[str]):
	if not case_names:
		return
	rows = frappe.get_all(
		LETTER,
		filters={"collection_case": ["in", case_names], "status": ["in", letters.IN_FLIGHT]},
		fields=["name", "collection_case", "status", "total_outstanding"],
		limit_page_length=0,
	)
	if not rows:
		return
	cases = {
		c.name: c
		for c in frappe.get_all(
			"Collection Case",
			filters={"name": ["in", sorted({r.collection_case for r in rows})]},
			fields=["name", "status", "total_outstanding"],
		)
	}
	for r in rows:
		case = cases.get(r.collection_case)
		verdict = letters.letter_verdict(
			flt(r.total_outstanding),
			flt(case.total_outstanding if case else 0),
			bool(case) and case.status != "Closed",
		)
		if verdict == letters.WITHDRAW:
			withdraw(r.name)
		elif verdict == letters.REFRESH:
			restate(r.name)


def withdraw(name: str):
	doc = frappe.get_doc(LETTER, name)
	doc.db_set("status", "Withdrawn")
	text = tr("Withdrawn: {0} owes nothing overdue any more.", [doc.customer_name or doc.customer])
	doc.add_comment("Info", text)
	_tell(doc, text)


def restate(name: str):
	"""The letter restated from the case as it stands; an approved one goes back to the owner."""
	doc = frappe.get_doc(LETTER, name)
	stated = flt(doc.total_outstanding)
	if doc.letter_template:  # the subject and consequences may quote the amount: rendered again
		doc.subject = doc.consequences = None
	doc.fill_from_case()
	doc.status = letters.status_after_refresh(doc.status)
	if doc.status == "Pending Approval":
		doc.approved_by = doc.approved_on = None
	doc.db_update()
	doc.update_children()
	currency = frappe.get_cached_value("Company", doc.company, "default_currency")
	text = tr(
		"The amount owed changed from {0} to {1}: the letter now states {1} and needs approval again.",
		[
			frappe.utils.fmt_money(stated, currency=currency),
			frappe.utils.fmt_money(doc.total_outstanding, currency=currency),
		],
	)
	doc.add_comment("Info", text)
	_tell(doc, text)


def _tell(doc, text: str):
	"""Who asked for the letter and who approved it hear why it changed."""
	users = [u for u in (doc.owner, doc.approved_by) if u and u not in ("Administrator", "Guest")]
	notify(users, LETTER, doc.name, text)
