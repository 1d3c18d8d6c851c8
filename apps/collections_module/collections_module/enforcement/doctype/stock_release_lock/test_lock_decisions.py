# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""The owner's decisions on a lock are remembered by the daily run (issue 25, item 10)."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days

from collections_module.collection_cases.ladder.jobs import run
from collections_module.enforcement.doctype.stock_release_lock.test_stock_release_lock import LOCK, live_lock
from collections_module.policy import roles
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	make_customer,
	make_invoice,
	open_case,
	pay,
	set_settings,
	today,
)

test_ignore = ["Customer", "Company", "User", "Collection Case", "Delivery Note"]


def as_owner(lock, action, **fields):
	frappe.set_user(ROLE_USERS[roles.OWNER])
	doc = frappe.get_doc(LOCK, lock)
	if fields:
		doc.update(fields)
		doc.save()
	apply_workflow(frappe.get_doc(LOCK, lock), action)
	frappe.set_user("Administrator")


class TestOwnersDecisions(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(auto_release=0, release_threshold=500, lock_again_after_days=30)

	def active_lock(self, label, amount=1000):
		customer = make_customer(label)
		si = make_invoice(customer, due_in_days=-91, amount=amount)
		with daily_run_over([customer]):
			run(today())
		lock = live_lock(customer)
		as_owner(lock.name, "Approve")
		self.assertEqual(frappe.db.get_value(LOCK, lock.name, "status"), "Active")
		return customer, si, lock.name

	def test_keep_locked_is_not_undone_by_the_next_run(self):
		customer, si, lock = self.active_lock("Kept Locked")
		pay(si.name, 600)  # 400 overdue: at or below the threshold
		with daily_run_over([customer]):
			run(today())
		self.assertEqual(frappe.db.get_value(LOCK, lock, "status"), "Release Proposed")
		as_owner(lock, "Keep Locked")
		for days in (1, 2, 5):
			with daily_run_over([customer]):
				run(add_days(today(), days))
			self.assertEqual(frappe.db.get_value(LOCK, lock, "status"), "Active", f"day {days}")
		self.assertEqual(frappe.db.get_value(LOCK, lock, "kept_at_overdue"), 400)
		pay(si.name, 100)  # paying more than when the owner decided: the release is proposed again
		with daily_run_over([customer]):
			run(add_days(today(), 6))
		self.assertEqual(frappe.db.get_value(LOCK, lock, "status"), "Release Proposed")

	def test_keep_locked_until_a_date(self):
		customer, si, lock = self.active_lock("Kept Until")
		pay(si.name, 600)
		with daily_run_over([customer]):
			run(today())
		frappe.set_user(ROLE_USERS[roles.OWNER])
		doc = frappe.get_doc(LOCK, lock)
		doc.keep_locked_until = add_days(today(), 10)
		doc.save()
		apply_workflow(frappe.get_doc(LOCK, lock), "Keep Locked")
		frappe.set_user("Administrator")
		pay(si.name, 100)
		with daily_run_over([customer]):
			run(add_days(today(), 10))
		self.assertEqual(frappe.db.get_value(LOCK, lock, "status"), "Active")
		with daily_run_over([customer]):
			run(add_days(today(), 11))
		self.assertEqual(frappe.db.get_value(LOCK, lock, "status"), "Release Proposed")

	def test_a_lock_released_on_purpose_is_not_proposed_again_the_next_day(self):
		customer, _si, lock = self.active_lock("Released On Purpose")
		as_owner(lock, "Release", release_reason="Key account: agreed to ship while they restructure")
		self.assertEqual(frappe.db.get_value(LOCK, lock, "released_at_overdue"), 1000)
		for days in (1, 2, 29):
			with daily_run_over([customer]):
				run(add_days(today(), days))
			self.assertEqual(frappe.db.count(LOCK, {"customer": customer}), 1, f"day {days}")
		with daily_run_over([customer]):
			run(add_days(today(), 30))  # the waiting days passed: proposed again
		self.assertEqual(frappe.db.count(LOCK, {"customer": customer, "status": "Proposed"}), 1)

	def test_a_released_lock_is_proposed_again_when_the_debt_grows(self):
		customer, _si, lock = self.active_lock("Released Then Grew")
		as_owner(lock, "Release", release_reason="Agreed to ship one more order")
		make_invoice(customer, due_in_days=-5, amount=300)
		with daily_run_over([customer]):
			run(add_days(today(), 1))
		self.assertEqual(frappe.db.count(LOCK, {"customer": customer, "status": "Proposed"}), 1)


class TestFollowUpsBelongToTheStage(CollectionsTestCase):
	def test_collectors_follow_up_closes_when_the_case_climbs_past_them(self):
		customer = make_customer("Climbs Past")
		make_invoice(customer, due_in_days=-27, amount=800)
		case = open_case(customer)
		frappe.db.set_value(
			"Collection Case", case.name, {"collector": ROLE_USERS[roles.COLLECTOR], "verified": 1}
		)
		with daily_run_over([customer]):
			run(today())
		holders = {
			t.allocated_to
			for t in frappe.get_all(
				"ToDo",
				filters={"reference_type": "Collection Case", "reference_name": case.name, "status": "Open"},
				fields=["allocated_to"],
			)
		}
		self.assertEqual(holders, {ROLE_USERS[roles.COLLECTOR]})
		with daily_run_over([customer]):
			run(add_days(today(), 3))  # 30 days: the supervisor's stage
		holders = {
			t.allocated_to
			for t in frappe.get_all(
				"ToDo",
				filters={"reference_type": "Collection Case", "reference_name": case.name, "status": "Open"},
				fields=["allocated_to"],
			)
		}
		self.assertNotIn(ROLE_USERS[roles.COLLECTOR], holders)
		self.assertIn(ROLE_USERS[roles.SUPERVISOR], holders)
		assigned = frappe.parse_json(frappe.db.get_value("Collection Case", case.name, "_assign") or "[]")
		self.assertNotIn(ROLE_USERS[roles.COLLECTOR], assigned)
