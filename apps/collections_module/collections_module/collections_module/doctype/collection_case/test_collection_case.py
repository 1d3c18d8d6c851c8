# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Record-level security of collection cases (R-G5), checked as real users."""

import frappe

from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	case_of,
	make_customer,
	make_invoice,
	open_case,
)

# The cases are built from real invoices in the tests; ERPNext's generic test records are not needed.
test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]


class TestCasePermissions(CollectionsTestCase):
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


class TestCaseReassignment(CollectionsTestCase):
	def test_supervisor_hands_a_case_over_with_a_reason_and_the_follow_ups_move(self):
		from collections_module.collections_module.doctype.collection_case.collection_case import reassign
		from collections_module.ladder_run import run
		from collections_module.tests.utils import ready_case, today, todos

		case = ready_case("Abusive Debtor")
		run(today(), customers=[case.customer])
		self.assertIn(
			ROLE_USERS[roles.COLLECTOR], [t.allocated_to for t in todos(case.name) if t.status == "Open"]
		)
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaises(frappe.PermissionError, reassign, case.name, SECOND_COLLECTOR, "tired of him")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		self.assertRaises(frappe.ValidationError, reassign, case.name, SECOND_COLLECTOR, " ")
		reassign(case.name, SECOND_COLLECTOR, "Debtor insults the collector on every call (R-C9)")
		frappe.set_user("Administrator")
		case.reload()
		row = case.reassignments[-1]
		self.assertEqual(
			(case.collector, row.from_collector, row.to_collector, row.reassigned_by),
			(SECOND_COLLECTOR, ROLE_USERS[roles.COLLECTOR], SECOND_COLLECTOR, ROLE_USERS[roles.SUPERVISOR]),
		)
		open_todos = [t.allocated_to for t in todos(case.name) if t.status == "Open"]
		self.assertIn(SECOND_COLLECTOR, open_todos)
		self.assertNotIn(ROLE_USERS[roles.COLLECTOR], open_todos)
