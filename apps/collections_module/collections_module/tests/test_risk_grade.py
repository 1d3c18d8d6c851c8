"""The risk grade on a real site: the daily run grades each case from its customer's record, shows why,
logs a change like a stage change and follows the policy the settings give the grade; a supervisor
overrides it with a reason through the desk's save, a collector cannot."""

import frappe
from frappe.client import set_value

from collections_module.collection_cases.ladder.jobs import run
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	make_customer,
	make_invoice,
	open_case,
	today,
)


def policy(label: str, stage: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Collection Policy",
				"policy_name": f"_CM {label} {frappe.generate_hash(length=5)}",
				"stages": [
					{
						"stage_name": stage,
						"from_day": 1,
						"open_ended": 1,
						"action": "Follow Up",
						"cadence_days": 1,
						"owner_role": roles.COLLECTOR,
					}
				],
			}
		)
		.insert()
		.name
	)


class TestRiskGrade(CollectionsTestCase):
	def setUp(self):
		self.gentle, self.firm = policy("Gentle", "Phone And Letters"), policy("Firm", "Visits And Legal")
		settings = frappe.get_single("Collection Settings")
		self.saved = [(r.grade, r.policy) for r in settings.grade_policies]
		settings.set(
			"grade_policies", [{"grade": "A", "policy": self.gentle}, {"grade": "D", "policy": self.firm}]
		)
		settings.save(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")
		settings = frappe.get_single("Collection Settings")
		settings.set("grade_policies", [{"grade": g, "policy": p} for g, p in self.saved])
		settings.save(ignore_permissions=True)
		super().tearDown()

	def test_the_grade_drives_the_policy_and_a_supervisor_overrides_it_with_a_reason(self):
		customer = make_customer("Grade")
		make_invoice(customer, due_in_days=-120, amount=1000)
		case = open_case(customer)
		# one invoice due, unpaid (20), 120 days overdue (20): 40, grade C, which has no policy here
		self.assertEqual((case.computed_grade, case.risk_grade, case.risk_score), ("C", "C", 40))
		self.assertEqual(case.policy, "Standard Ladder")
		self.assertIn("120 days overdue +20", case.grade_why)
		self.assertEqual(case.stage_history[-1].to_grade, "C")  # the first grade is logged

		# filtering finds the debtor lost (+20): grade D, and the case follows the firm policy
		frappe.db.set_value("Collection Case", case.name, "filtering_class", "Lost Contact")
		run(today(), customers=[customer])
		case.reload()
		self.assertEqual((case.risk_grade, case.risk_score), ("D", 60))
		self.assertIn("lost contact +20", case.grade_why)
		self.assertEqual((case.policy, case.current_stage), (self.firm, "Visits And Legal"))
		self.assertIn("D", case.policy_note)
		last = case.stage_history[-1]
		self.assertEqual((last.from_grade, last.to_grade, last.to_stage), ("C", "D", "Visits And Legal"))
		rows, modified = len(case.stage_history), case.modified
		run(today(), customers=[customer])  # the same day again: nothing new logged, nothing written
		case.reload()
		self.assertEqual((len(case.stage_history), case.modified), (rows, modified))
		self.assertIn(["lost contact", [], 20], frappe.parse_json(case.grade_factors))

		# a collector holding the case cannot override its grade through the desk's save
		frappe.db.set_value("Collection Case", case.name, "collector", ROLE_USERS[roles.COLLECTOR])
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		try:
			set_value("Collection Case", case.name, {"grade_override": "A", "grade_override_reason": "x"})
		except frappe.PermissionError:
			pass
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Collection Case", case.name, "grade_override"))

		# a supervisor must give a reason; with one, the case is worked as grade A at once
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		with self.assertRaises(frappe.ValidationError):
			set_value("Collection Case", case.name, "grade_override", "A")
		set_value(
			"Collection Case",
			case.name,
			{"grade_override": "A", "grade_override_reason": "Paid every year end; the CFO confirmed"},
		)
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual((case.risk_grade, case.computed_grade), ("A", "D"))
		self.assertEqual(case.grade_overridden_by, ROLE_USERS[roles.SUPERVISOR])
		self.assertEqual((case.policy, case.current_stage), (self.gentle, "Phone And Letters"))
		override = [r for r in case.stage_history if r.to_grade == "A"]
		self.assertEqual(len(override), 1)
		self.assertIn("the CFO confirmed", override[0].reason)
		# the daily run keeps the override
		run(today(), customers=[customer])
		case.reload()
		self.assertEqual((case.risk_grade, case.policy), ("A", self.gentle))

		# removing the override returns the case to its computed grade and policy
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		set_value("Collection Case", case.name, "grade_override", "")
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual((case.risk_grade, case.policy, case.grade_overridden_by), ("D", self.firm, None))

	def test_bands_must_rise(self):
		settings = frappe.get_single("Collection Settings")
		settings.grade_c_from = settings.grade_b_from
		with self.assertRaises(frappe.ValidationError):
			settings.save(ignore_permissions=True)
