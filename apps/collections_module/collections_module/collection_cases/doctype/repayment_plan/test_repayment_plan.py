# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt

import frappe
import frappe.client
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.utils import add_days

from collections_module.policy import roles
from collections_module.tests.utils import ROLE_USERS, CollectionsTestCase, ready_case, today

test_ignore = ["Collection Case"]


def request_plan(case, reason, *installments):
	"""The collector asks for a plan of (days from today, amount) installments."""
	frappe.set_user(ROLE_USERS[roles.COLLECTOR])
	return frappe.get_doc(
		{
			"doctype": "Repayment Plan",
			"collection_case": case.name,
			"reason": reason,
			"installments": [{"due_date": add_days(today(), d), "amount": a} for d, a in installments],
		}
	).insert()


class TestRepaymentPlan(CollectionsTestCase):
	def test_plan_needs_a_managers_approval(self):
		plan = request_plan(ready_case("Plan"), "Cash-flow problem; willing to pay", (60, 500), (30, 500))
		self.assertEqual((plan.status, plan.total_amount), ("Requested", 1000))
		self.assertEqual(
			[str(r.due_date) for r in plan.installments],
			[str(add_days(today(), 30)), str(add_days(today(), 60))],
		)
		self.assertRaises((WorkflowPermissionError, WorkflowTransitionError), apply_workflow, plan, "Approve")
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		apply_workflow(plan, "Approve")
		plan.reload()
		self.assertEqual((plan.status, plan.approved_by), ("Approved", ROLE_USERS[roles.MANAGER]))

	def test_installments_must_be_positive_and_on_distinct_dates(self):
		case = ready_case("Bad Plan")
		plan = frappe.get_doc(
			{
				"doctype": "Repayment Plan",
				"collection_case": case.name,
				"reason": "x",
				"installments": [{"due_date": today(), "amount": 100}, {"due_date": today(), "amount": 100}],
			}
		)
		self.assertRaisesRegex(frappe.ValidationError, "same date", plan.insert)

	def test_approver_who_rewrote_the_plan_cannot_approve_it(self):
		plan = request_plan(ready_case("Rewritten Plan"), "Two installments", (30, 500), (60, 500))
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		stored = frappe.client.get("Repayment Plan", plan.name)
		stored["installments"][1]["due_date"] = str(add_days(today(), 360))  # a year to pay the rest
		frappe.client.save(stored)
		self.assertRaisesRegex(
			frappe.PermissionError,
			"You changed the terms",
			apply_workflow,
			frappe.get_doc("Repayment Plan", plan.name),
			"Approve",
		)
		frappe.set_user(ROLE_USERS[roles.GENERAL_MANAGER])
		apply_workflow(frappe.get_doc("Repayment Plan", plan.name), "Approve")
		self.assertEqual(
			frappe.db.get_value("Repayment Plan", plan.name, "approved_by"), ROLE_USERS[roles.GENERAL_MANAGER]
		)
