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


def approve(plan, role=roles.MANAGER):
	frappe.set_user(ROLE_USERS[role])
	apply_workflow(frappe.get_doc("Repayment Plan", plan.name), "Approve")
	frappe.set_user("Administrator")
	return frappe.get_doc("Repayment Plan", plan.name)


def case_todos(case):
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Collection Case", "reference_name": case, "status": "Open"},
		fields=["allocated_to", "description", "date"],
	)


class TestPlanInEffect(CollectionsTestCase):
	"""Issue 25 item 9: an approved plan is followed; installments get their status from the ledger."""

	def test_approved_plan_is_followed_and_a_missed_installment_resumes_the_ladder(self):
		from collections_module.collection_cases.ladder.jobs import run
		from collections_module.tests.utils import make_customer, make_invoice, open_case, pay, set_settings

		set_settings(installment_grace_days=2)
		customer = make_customer("Plan Followed")
		invoice = make_invoice(customer, due_in_days=-20, amount=1000)
		case = open_case(customer)
		frappe.db.set_value(
			"Collection Case", case.name, {"collector": ROLE_USERS[roles.COLLECTOR], "verified": 1}
		)
		plan = approve(request_plan(case, "Salary at month end", (3, 400), (10, 600)))
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Repayment Plan")
		frappe.db.delete("ToDo", {"reference_type": "Collection Case", "reference_name": case.name})

		# the first installment is met: no ladder follow-ups, no escalation while the plan is kept
		pay(invoice.name, 400, posting_date=add_days(today(), 1))
		for days in (1, 2, 3, 4, 5, 12):
			run(add_days(today(), days))
			if days <= 12:
				self.assertEqual(case_todos(case.name), [], f"day {days}")
		states = [r.status for r in frappe.get_doc("Repayment Plan", plan.name).installments]
		self.assertEqual(states, ["Paid", "Late"])  # day 12: the second is 2 days late, within grace
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Repayment Plan")
		self.assertEqual(
			str(frappe.db.get_value("Collection Case", case.name, "next_action_date")),
			str(add_days(today(), 10)),
		)

		# the second is missed: the plan is broken, the case resumes the ladder with one follow-up
		run(add_days(today(), 13))
		run(add_days(today(), 13))
		doc = frappe.get_doc("Repayment Plan", plan.name)
		self.assertEqual((doc.status, [r.status for r in doc.installments]), ("Broken", ["Paid", "Missed"]))
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Open")
		follow_ups = case_todos(case.name)  # the stage's owners, once each, told why
		self.assertTrue(follow_ups)
		self.assertEqual(len({t.allocated_to for t in follow_ups}), len(follow_ups))
		self.assertTrue(all(plan.name in t.description and "missed" in t.description for t in follow_ups))

	def test_plan_paid_in_full_completes_and_closes(self):
		from collections_module.collection_cases.ladder.jobs import run
		from collections_module.tests.utils import make_customer, make_invoice, open_case, pay

		customer = make_customer("Plan Completed")
		invoice = make_invoice(customer, due_in_days=-20, amount=1000)
		case = open_case(customer)
		frappe.db.set_value("Collection Case", case.name, "collector", ROLE_USERS[roles.COLLECTOR])
		plan = approve(request_plan(case, "Two parts", (3, 500), (10, 500)))
		pay(invoice.name, 1000)
		run(today())
		doc = frappe.get_doc("Repayment Plan", plan.name)
		self.assertEqual((doc.status, [r.status for r in doc.installments]), ("Completed", ["Paid", "Paid"]))
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Closed")

	def test_resolving_a_dispute_resumes_the_plan(self):
		plan_case = ready_case("Plan Disputed")
		approve(request_plan(plan_case, "Monthly", (5, 500), (35, 500)))
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		case = frappe.get_doc("Collection Case", plan_case.name)
		case.disputed, case.dispute_reason = 1, "Quantity short on one delivery"
		case.save()
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Paused")
		case.reload()
		case.disputed = 0
		case.save()
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Repayment Plan")
