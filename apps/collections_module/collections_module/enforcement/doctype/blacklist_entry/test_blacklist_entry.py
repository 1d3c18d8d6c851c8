# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Blacklist (R-G4): listing and removal need the owner's approval; a listed customer's Quotations and
Sales Orders are refused server-side and it gets no new credit while listed; its own credit limits are
never touched."""

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow

# a user without the transition is refused one way or the other, depending on the state
REFUSED = (WorkflowPermissionError, WorkflowTransitionError)

from collections_module.integrations.erpnext.blacklist_guard import CustomerBlacklisted
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	company,
	ensure_item,
	make_customer,
	make_invoice,
	make_sales_order,
	pay,
	set_settings,
	state_history,
	today,
)

test_ignore = ["Customer"]


def quotation(customer):
	return frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": company(),
			"items": [{"item_code": ensure_item(), "qty": 1, "rate": 10}],
		}
	)


def credit_limits(customer):
	rows = frappe.get_all(
		"Customer Credit Limit",
		filters={"parent": customer},
		fields=["company", "credit_limit", "bypass_credit_limit_check"],
	)
	return [(r.company, r.credit_limit, r.bypass_credit_limit_check) for r in rows]


def cash_invoice(customer):
	"""A POS-style invoice paid in full on the spot: no credit given."""
	si = make_invoice(customer, due_in_days=0, amount=100, submit=False, is_pos=1)
	si.set("payments", [])
	si.append("payments", {"mode_of_payment": "Cash", "amount": si.grand_total})
	si.save()
	si.submit()
	return si


class TestBlacklistEntry(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(
			blacklist_refuses_quotations=1, blacklist_refuses_sales_orders=1, blacklist_holds_credit=1
		)

	def test_listing_a_customer_who_owes_refuses_sales_and_credit_until_removed(self):
		customer = make_customer("Defaulter")
		frappe.get_doc("Customer", customer).append(
			"credit_limits", {"company": company(), "credit_limit": 5000, "bypass_credit_limit_check": 1}
		).save()
		make_invoice(customer, due_in_days=-100, amount=3000)  # owes 3,000: the customers a blacklist is for
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		entry = frappe.get_doc(
			{
				"doctype": "Blacklist Entry",
				"customer": customer,
				"reason_category": "Malicious Default",
				"reason": "Took delivery, denies the order, refuses all contact",
				"start_date": today(),
			}
		).insert()
		self.assertEqual(entry.status, "Proposed")
		make_sales_order(customer)  # not approved yet: nothing refused
		self.assertRaises(REFUSED, apply_workflow, entry, "Approve")

		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(entry, "Approve")
		frappe.set_user("Administrator")
		entry.reload()
		self.assertEqual((entry.status, entry.approved_by), ("Active", ROLE_USERS[roles.OWNER]))
		self.assertRaises(CustomerBlacklisted, make_sales_order, customer)
		self.assertRaises(CustomerBlacklisted, quotation(customer).insert)
		# no new credit: an invoice leaving something owing is refused on submit ...
		self.assertRaisesRegex(
			CustomerBlacklisted, "no new credit", make_invoice, customer, due_in_days=30, amount=200
		)
		# ... one paid at the till goes through, and the customer can still pay what is owed
		self.assertEqual(cash_invoice(customer).docstatus, 1)
		self.assertEqual(
			pay(
				frappe.get_all(
					"Sales Invoice",
					{"customer": customer, "docstatus": 1, "outstanding_amount": [">", 0]},
					pluck="name",
				)[0],
				amount=500,
			).docstatus,
			1,
		)
		self.assertEqual(
			credit_limits(customer), [(company(), 5000, 1)]
		)  # the customer's own limits untouched

		frappe.set_user(ROLE_USERS[roles.MANAGER])
		entry.reload()
		entry.removal_reason = "Settled in full and apologised"
		entry.save()
		apply_workflow(entry, "Propose Removal")
		self.assertRaises(CustomerBlacklisted, make_sales_order, customer)  # still listed until approved
		self.assertRaises(
			REFUSED, apply_workflow, frappe.get_doc("Blacklist Entry", entry.name), "Approve Removal"
		)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(frappe.get_doc("Blacklist Entry", entry.name), "Approve Removal")
		frappe.set_user("Administrator")
		self.assertEqual(make_sales_order(customer).docstatus, 0)
		self.assertEqual(quotation(customer).insert().docstatus, 0)
		self.assertEqual(make_invoice(customer, due_in_days=30, amount=200).docstatus, 1)  # credit again
		self.assertEqual(credit_limits(customer), [(company(), 5000, 1)])
		self.assertEqual(
			state_history("Blacklist Entry", entry.name),
			["Proposed → Active", "Active → Removal Proposed", "Removal Proposed → Removed"],
		)

	def test_effects_are_settings(self):
		customer = make_customer("Listed Quotations Allowed")
		entry = frappe.get_doc(
			{
				"doctype": "Blacklist Entry",
				"customer": customer,
				"reason_category": "Fraud",
				"reason": "Forged remittance slips",
				"start_date": today(),
			}
		).insert()
		apply_workflow(entry, "Approve")
		set_settings(blacklist_refuses_quotations=0)
		try:
			self.assertEqual(quotation(customer).insert().docstatus, 0)
			self.assertRaises(CustomerBlacklisted, make_sales_order, customer)
		finally:
			set_settings(blacklist_refuses_quotations=1)

	def test_consumer_debt_entry_needs_an_identifier(self):
		entry = frappe.get_doc(
			{"doctype": "Blacklist Entry", "reason_category": "Fraud", "reason": "x", "start_date": today()}
		)
		self.assertRaises(frappe.ValidationError, entry.insert)
		entry.id_number = "110101199003070000"
		entry.insert()

	def test_an_expired_listing_ends_by_itself_and_the_customer_can_be_listed_again(self):
		"""Issue 25, item 8: past its expiry date a listing no longer blocks a new one, and the daily job
		marks it Expired."""
		from frappe.utils import add_days

		from collections_module.enforcement.locks import expire_blacklist_entries

		customer = make_customer("Listed Once")
		old = frappe.get_doc(
			{
				"doctype": "Blacklist Entry",
				"customer": customer,
				"reason_category": "Fraud",
				"reason": "Forged remittance slips",
				"start_date": add_days(today(), -400),
				"expiry_date": add_days(today(), -30),
			}
		).insert()
		frappe.db.set_value("Blacklist Entry", old.name, "status", "Active")
		again = frappe.get_doc(
			{
				"doctype": "Blacklist Entry",
				"customer": customer,
				"reason_category": "Malicious Default",
				"reason": "Defaulted again",
				"start_date": today(),
			}
		).insert()
		self.assertEqual(again.status, "Proposed")
		self.assertGreaterEqual(expire_blacklist_entries(), 1)
		self.assertEqual(frappe.db.get_value("Blacklist Entry", old.name, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("Blacklist Entry", again.name, "status"), "Proposed")
