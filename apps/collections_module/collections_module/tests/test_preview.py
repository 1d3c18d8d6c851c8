"""What-if preview of a policy change: the planner on today's ledger with unsaved rows; nothing written."""

import frappe

from collections_module.policy import roles
from collections_module.preview import preview_policy
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	make_customer,
	make_invoice,
	open_case,
	todos,
)


class TestPolicyPreview(CollectionsTestCase):
	def test_preview_shows_the_effect_of_unsaved_rows_and_writes_nothing(self):
		policy = frappe.copy_doc(frappe.get_doc("Collection Policy", "Standard Ladder"))
		policy.policy_name = f"_CM Preview {frappe.generate_hash(length=5)}"
		policy.insert()
		customer = make_customer("Preview", collection_policy=policy.name)
		make_invoice(customer, due_in_days=-35, amount=800)
		case = open_case(customer)
		self.assertEqual(case.current_stage, "Manager")
		before = (case.modified, len(case.stage_history), len(todos(case.name)))

		rows = [row.as_dict() for row in policy.stages]
		for row in rows:  # the supervisor's stage now lasts to day 40, the manager's starts at 41
			if row["stage_name"] == "Supervisor":
				row["to_day"] = 40
			if row["stage_name"] == "Manager":
				row["from_day"] = 41
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		result = preview_policy(policy.name, frappe.as_json(rows))
		moved = {m["customer"]: (m["saved"], m["edited"]) for m in result["moved"]}
		self.assertEqual(moved[customer], ("Manager", "Supervisor"))
		self.assertGreaterEqual(result["cases_moved"], 1)
		self.assertIn("saved", result)
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual((case.modified, len(case.stage_history), len(todos(case.name))), before)
		self.assertEqual(case.current_stage, "Manager")

		# an ambiguous ladder is refused, and a collector cannot preview
		rows[0]["to_day"] = 100
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		self.assertRaises(frappe.ValidationError, preview_policy, policy.name, frappe.as_json(rows))
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaises(frappe.PermissionError, preview_policy, policy.name, frappe.as_json(rows))
