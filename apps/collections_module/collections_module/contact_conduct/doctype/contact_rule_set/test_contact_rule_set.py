# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from collections_module.contact_conduct.conduct import rule_set


class TestContactRuleSet(FrappeTestCase):
	def test_presets_are_installed_and_read_as_the_policy_core_rules(self):
		source, _tz = rule_set("Source Rules")
		self.assertEqual(
			(source.max_effective_per_day, source.max_calls_per_day, source.max_visits_per_day), (5, 10, 2)
		)
		self.assertEqual(
			(str(source.start), str(source.end), len(source.weekdays)), ("08:00:00", "21:00:00", 7)
		)
		reg_f, _tz = rule_set("US Regulation F")
		self.assertEqual(
			(reg_f.rolling_calls, reg_f.rolling_days, reg_f.quiet_days_after_conversation), (7, 7, 7)
		)
		self.assertIsNone(reg_f.max_calls_per_day)
		self.assertEqual(
			frappe.db.get_single_value("Collection Settings", "default_contact_rule_set"), "Source Rules"
		)

	def test_validation(self):
		bad = frappe.get_doc(
			{
				"doctype": "Contact Rule Set",
				"rule_set_name": "_CM Bad",
				"start_time": "21:00:00",
				"end_time": "08:00:00",
			}
		)
		self.assertRaisesRegex(frappe.ValidationError, "must be before", bad.insert)
		bad = frappe.get_doc(
			{"doctype": "Contact Rule Set", "rule_set_name": "_CM Bad TZ", "default_timezone": "Mars/Olympus"}
		)
		self.assertRaisesRegex(frappe.ValidationError, "not a time zone", bad.insert)
		bad = frappe.get_doc(
			{"doctype": "Contact Rule Set", "rule_set_name": "_CM Half Window", "rolling_calls": 7}
		)
		self.assertRaisesRegex(frappe.ValidationError, "rolling window", bad.insert)
