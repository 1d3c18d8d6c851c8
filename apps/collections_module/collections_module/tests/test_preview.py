"""What-if preview of a policy change: the planner on today's ledger with unsaved rows; nothing written."""

import frappe

from collections_module.collection_cases.preview import preview_policy
from collections_module.policy import roles
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


class TestRuleSetPreview(CollectionsTestCase):
	def test_preview_replays_last_months_contacts_under_the_edited_rules(self):
		from collections_module.contact_conduct.preview import preview_rule_set
		from collections_module.tests.utils import contact_log, local_time

		rules = frappe.copy_doc(frappe.get_doc("Contact Rule Set", "Source Rules"))
		rules.rule_set_name = f"_CM Rules {frappe.generate_hash(length=5)}"
		rules.insert()
		policy = frappe.copy_doc(frappe.get_doc("Collection Policy", "Standard Ladder"))
		policy.policy_name = f"_CM Rules Policy {frappe.generate_hash(length=5)}"
		policy.contact_rule_set = rules.name
		policy.insert()
		customer = make_customer("Rules Preview", collection_policy=policy.name)
		make_invoice(customer, due_in_days=-20, amount=800)
		case = open_case(customer)
		case.update(
			{"collector": ROLE_USERS[roles.COLLECTOR], "verified": 1, "debtor_timezone": "Asia/Shanghai"}
		)
		case.save(ignore_permissions=True)
		for minute in (0, 20, 40):  # three calls one morning: the saved rules allow ten a day
			contact_log(
				case, local_time("Asia/Shanghai", -2, 10, minute), collector=ROLE_USERS[roles.COLLECTOR]
			).insert(ignore_permissions=True)
		edited = rules.as_dict()
		edited["max_calls_per_day"] = 2

		frappe.set_user(ROLE_USERS[roles.MANAGER])
		result = preview_rule_set(rules.name, frappe.as_json(edited))
		self.assertEqual((result["cases"], result["contacts"]), (1, 3))
		self.assertEqual((result["saved_refused"], result["edited_refused"]), (0, 1))
		self.assertEqual(result["newly_refused"], {"Calls per day": 1})
		self.assertEqual(
			result["by_collector"][ROLE_USERS[roles.COLLECTOR]],
			{"contacts": 3, "newly_refused": 1, "newly_allowed": 0},
		)
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Contact Rule Set", rules.name, "max_calls_per_day"), rules.max_calls_per_day
		)

		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaises(frappe.PermissionError, preview_rule_set, rules.name, frappe.as_json(edited))

	def test_a_rule_set_read_back_from_the_database_saves_again(self):
		rules = frappe.get_doc("Contact Rule Set", "Source Rules")  # times read back as timedeltas
		rules.validate()  # 8:00 is before 21:00, whatever the type
