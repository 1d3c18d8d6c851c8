# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from collections_module.policy import roles
from collections_module.setup.install import DEFAULT_POLICY

test_ignore = ["Role"]


class TestCollectionPolicy(FrappeTestCase):
	def test_default_ladder_is_installed_and_is_the_default(self):
		policy = frappe.get_doc("Collection Policy", DEFAULT_POLICY)
		self.assertEqual(frappe.db.get_single_value("Collection Settings", "default_policy"), DEFAULT_POLICY)
		rows = [
			(r.stage_name, r.from_day, None if r.open_ended else r.to_day, r.cadence_days)
			for r in policy.stages
		]
		self.assertEqual(rows[0], ("Pre-due Reminder", -7, 0, 0))
		self.assertIn(("Manager", 31, 60, 1), rows)
		self.assertEqual(rows[-1], ("Formal Letters", 121, None, 7))

	def test_policy_refuses_an_ambiguous_ladder(self):
		doc = frappe.get_doc(
			{
				"doctype": "Collection Policy",
				"policy_name": "_CM Overlap",
				"stages": [
					{"stage_name": "A", "from_day": 1, "to_day": 10, "owner_role": roles.COLLECTOR},
					{"stage_name": "B", "from_day": 5, "to_day": 20, "owner_role": roles.COLLECTOR},
				],
			}
		)
		self.assertRaisesRegex(frappe.ValidationError, "overlap", doc.insert)

	def test_open_ended_row_is_stored_without_an_upper_day(self):
		doc = frappe.get_doc(
			{
				"doctype": "Collection Policy",
				"policy_name": "_CM Open Ended",
				"stages": [
					{
						"stage_name": "All",
						"from_day": 1,
						"to_day": 99,
						"open_ended": 1,
						"owner_role": roles.COLLECTOR,
					}
				],
			}
		).insert()
		self.assertEqual(doc.stages[0].to_day, 0)

	def test_the_default_policy_cannot_be_deleted(self):
		self.assertRaises(frappe.ValidationError, frappe.delete_doc, "Collection Policy", DEFAULT_POLICY)
