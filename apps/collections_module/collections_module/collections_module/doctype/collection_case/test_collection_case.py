# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Record-level security of collection cases (R-G5), checked as real users."""

import frappe
from frappe.tests.utils import FrappeTestCase

from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	case_of,
	ensure_users,
	make_customer,
	make_invoice,
	open_case,
)

# The cases are built from real invoices in the tests; ERPNext's generic test records are not needed.
test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]


class TestCasePermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_collector_sees_only_assigned_cases_supervisor_sees_all(self):
		mine = make_customer("Mine")
		theirs = make_customer("Theirs")
		make_invoice(mine, due_in_days=-5)
		make_invoice(theirs, due_in_days=-5)
		for customer, user in ((mine, ROLE_USERS[roles.COLLECTOR]), (theirs, SECOND_COLLECTOR)):
			case = open_case(customer)
			case.collector = user
			case.save()
		mine_case, theirs_case = case_of(mine).name, case_of(theirs).name

		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		visible = frappe.get_list(
			"Collection Case", filters={"name": ["in", [mine_case, theirs_case]]}, pluck="name"
		)
		self.assertEqual(visible, [mine_case])
		self.assertTrue(frappe.has_permission("Collection Case", doc=mine_case))
		self.assertFalse(frappe.has_permission("Collection Case", doc=theirs_case))
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Collection Case", theirs_case).check_permission, "read"
		)

		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		visible = frappe.get_list(
			"Collection Case", filters={"name": ["in", [mine_case, theirs_case]]}, pluck="name"
		)
		self.assertEqual(sorted(visible), sorted([mine_case, theirs_case]))

	def test_collector_cannot_edit_the_policy(self):
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertFalse(frappe.has_permission("Collection Policy", "write"))
		self.assertTrue(frappe.has_permission("Collection Policy", "read"))
