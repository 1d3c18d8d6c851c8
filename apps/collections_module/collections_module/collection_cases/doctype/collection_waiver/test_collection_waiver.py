# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""A waiver changes nothing in the ledger until it is approved (R-C8)."""

import frappe
import frappe.client
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow

from collections_module.policy import roles
from collections_module.tests.utils import ROLE_USERS, CollectionsTestCase, open_case, ready_case

test_ignore = ["Collection Case", "Sales Invoice", "Journal Entry", "Customer"]
REFUSED = (WorkflowPermissionError, WorkflowTransitionError)


def request_waiver(case, waiver_type, amount, reason, invoice=None):
	return frappe.get_doc(
		{
			"doctype": "Collection Waiver",
			"collection_case": case.name,
			"sales_invoice": invoice or case.invoices[0].sales_invoice,
			"waiver_type": waiver_type,
			"amount": amount,
			"reason": reason,
		}
	)


class TestCollectionWaiver(CollectionsTestCase):
	def test_waiver_has_no_effect_until_approved(self):
		case = ready_case("Waiver")
		invoice = case.invoices[0].sales_invoice
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		waiver = request_waiver(
			case,
			"Penalty",
			150,
			"Late-payment penalty waived for payment in full by month end",
			invoice=invoice,
		).insert()
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"), 1000)
		self.assertRaises(REFUSED, apply_workflow, waiver, "Approve")  # a collector cannot approve
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"), 1000)
		self.assertFalse(frappe.db.exists("Journal Entry", {"cheque_no": waiver.name}))

		frappe.set_user(ROLE_USERS[roles.MANAGER])
		apply_workflow(waiver, "Approve")
		frappe.set_user("Administrator")
		waiver.reload()
		self.assertEqual((waiver.status, waiver.approved_by), ("Approved", ROLE_USERS[roles.MANAGER]))
		self.assertEqual(frappe.db.get_value("Journal Entry", waiver.journal_entry, "docstatus"), 1)
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"), 850)
		self.assertEqual(open_case(case.customer).total_outstanding, 850)

	def test_waiver_cannot_exceed_the_outstanding(self):
		case = ready_case("Too Much")
		doc = request_waiver(case, "Principal", 1000.01, "x")
		self.assertRaisesRegex(frappe.ValidationError, "more than the invoice's outstanding", doc.insert)

	def test_rejected_waiver_changes_nothing(self):
		case = ready_case("Rejected Waiver")
		invoice = case.invoices[0].sales_invoice
		waiver = request_waiver(case, "Interest", 50, "asks for goodwill", invoice=invoice).insert()
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(waiver, "Reject")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"), 1000)
		self.assertIsNone(frappe.db.get_value("Collection Waiver", waiver.name, "journal_entry"))

	def test_approver_who_rewrote_the_amount_cannot_approve_it(self):
		"""Raising the amount (or changing the type) and then approving is self-approval: refused."""
		case = ready_case("Rewritten Waiver")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		waiver = request_waiver(case, "Penalty", 50, "Penalty waived for payment in full").insert()
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		saved = frappe.client.save({**frappe.client.get("Collection Waiver", waiver.name), "amount": 600})
		self.assertEqual(saved["terms_changed_by"], ROLE_USERS[roles.MANAGER])
		self.assertRaisesRegex(
			frappe.PermissionError,
			"You changed the terms",
			apply_workflow,
			frappe.get_doc("Collection Waiver", waiver.name),
			"Approve",
		)
		# changing the type and approving in one request is refused the same way
		stored = frappe.client.get("Collection Waiver", waiver.name)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.save,
			{**stored, "waiver_type": "Principal", "status": "Approved"},
		)
		# the author field cannot be set by hand to let oneself through
		frappe.client.save({**stored, "terms_changed_by": ROLE_USERS[roles.GENERAL_MANAGER]})
		self.assertEqual(
			frappe.db.get_value("Collection Waiver", waiver.name, "terms_changed_by"),
			ROLE_USERS[roles.MANAGER],
		)
		self.assertEqual(frappe.db.get_value("Collection Waiver", waiver.name, "status"), "Requested")
		# someone who did not touch the terms approves what is written
		frappe.set_user(ROLE_USERS[roles.GENERAL_MANAGER])
		apply_workflow(frappe.get_doc("Collection Waiver", waiver.name), "Approve")
		self.assertEqual(
			frappe.db.get_value("Collection Waiver", waiver.name, ["status", "amount"]), ("Approved", 600)
		)
