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
		from collections_module.collection_cases.doctype.collection_case.collection_case import reassign
		from collections_module.collection_cases.ladder.jobs import run
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


class TestCaseFences(CollectionsTestCase):
	"""The fields that drive the ladder and the contact rules belong to the roles that own them."""

	def test_collector_cannot_move_the_fences_through_the_api(self):
		from frappe.utils import add_days

		from collections_module.contact_conduct.conduct import ContactNotAllowed
		from collections_module.tests.utils import contact_log, local_time, ready_case, today

		case = ready_case("Fence Mover", tz="Asia/Shanghai")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		stored = frappe.client.get("Collection Case", case.name)
		frappe.client.save(
			{
				**stored,
				"debtor_timezone": "America/New_York",  # 22:30 in Shanghai is 09:30 in New York
				"last_follow_up_on": str(add_days(today(), 30)),
				"next_action_date": str(add_days(today(), 30)),
				"status": "Promise to Pay",
				"current_stage": "Overdue Week 1",
				"total_outstanding": 1,
				"policy": "Standard Ladder",
				"promise_status": "Kept",
			}
		)
		after = frappe.client.get("Collection Case", case.name)
		for field in (
			"debtor_timezone",
			"last_follow_up_on",
			"next_action_date",
			"status",
			"current_stage",
			"total_outstanding",
			"promise_status",
		):
			self.assertEqual(str(after[field]), str(stored[field]), field)
		# handing the case to someone else is refused outright
		self.assertRaises(
			frappe.PermissionError, frappe.client.save, {**after, "collector": SECOND_COLLECTOR}
		)
		# the contact rules still judge the debtor's time in Shanghai
		self.assertRaisesRegex(
			ContactNotAllowed,
			"outside the allowed hours",
			contact_log(case, local_time("Asia/Shanghai", -1, 22, 30)).insert,
		)

	def test_collector_raises_a_dispute_only_a_supervisor_resolves_it(self):
		from collections_module.tests.utils import ready_case

		case = ready_case("Dispute Fence")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		raised = frappe.client.save(
			{
				**frappe.client.get("Collection Case", case.name),
				"disputed": 1,
				"dispute_reason": "Denies the order",
			}
		)
		self.assertEqual((raised["disputed"], raised["status"]), (1, "Paused"))
		self.assertRaisesRegex(
			frappe.PermissionError,
			"resolve a dispute",
			frappe.client.save,
			{**frappe.client.get("Collection Case", case.name), "disputed": 0},
		)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.save,
			{**frappe.client.get("Collection Case", case.name), "verified": 0},
		)
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		resolved = frappe.client.save({**frappe.client.get("Collection Case", case.name), "disputed": 0})
		self.assertEqual((resolved["disputed"], resolved["status"]), (0, "Open"))

	def test_customer_policy_and_time_zone_are_collection_managers_settings(self):
		customer = make_customer("Policy Fence")
		from collections_module.integrations.erpnext.customer_fields import set_collection_fields
		from collections_module.tests.utils import ensure_user

		frappe.set_user(ensure_user("cm.sales@example.com", "Sales Manager", "Sales Master Manager"))
		stored = frappe.client.get("Customer", customer)
		self.assertRaisesRegex(
			frappe.PermissionError,
			"Only a collection manager",
			frappe.client.save,
			{**stored, "collection_timezone": "Pacific/Kiritimati"},
		)
		self.assertRaises(
			frappe.PermissionError, frappe.client.save, {**stored, "collection_policy": "Standard Ladder"}
		)
		self.assertRaises(
			frappe.PermissionError,
			set_collection_fields,
			"Customer",
			customer,
			collection_timezone="Asia/Shanghai",
		)
		# a collection manager sets them through the customer form's action
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		set_collection_fields(
			"Customer", customer, collection_policy="Standard Ladder", collection_timezone="Asia/Shanghai"
		)
		self.assertEqual(
			frappe.db.get_value("Customer", customer, ["collection_policy", "collection_timezone"]),
			("Standard Ladder", "Asia/Shanghai"),
		)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"not a time zone",
			set_collection_fields,
			"Customer",
			customer,
			collection_timezone="Mars/Olympus",
		)

	def test_disabled_policy_never_takes_a_customer_off_the_ladder(self):
		from collections_module.collection_cases.ladder.jobs import run
		from collections_module.tests.utils import today

		policy = frappe.copy_doc(frappe.get_doc("Collection Policy", "Standard Ladder"))
		policy.policy_name = f"_CM Gentle {frappe.generate_hash(length=5)}"
		policy.insert()
		customer = make_customer("Disabled Policy", collection_policy=policy.name)
		make_invoice(customer, due_in_days=-35)
		self.assertEqual(open_case(customer).policy, policy.name)
		frappe.db.set_value("Collection Policy", policy.name, "enabled", 0)
		run(today(), customers=[customer])
		case = open_case(customer)
		self.assertEqual((case.policy, case.current_stage), ("Standard Ladder", "Manager"))
		self.assertIn(policy.name, case.policy_note)
		self.assertIn("Standard Ladder applies", case.policy_note)


class TestCaseSharing(CollectionsTestCase):
	def test_collectors_cannot_share_sharing_is_a_supervisors_act(self):
		import frappe.share

		from collections_module.tests.utils import contact_log, local_time, ready_case

		case = ready_case("Sharing")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		log = contact_log(case, local_time("Asia/Shanghai", -1, 10)).insert()
		for doctype, name in (("Collection Case", case.name), ("Contact Log", log.name)):
			self.assertRaises(
				frappe.PermissionError, frappe.share.add, doctype, name, SECOND_COLLECTOR, read=1
			)
		self.assertFalse(frappe.db.exists("DocShare", {"share_name": case.name, "user": SECOND_COLLECTOR}))
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		frappe.share.add("Collection Case", case.name, SECOND_COLLECTOR, read=1)
		self.assertTrue(frappe.db.exists("DocShare", {"share_name": case.name, "user": SECOND_COLLECTOR}))
