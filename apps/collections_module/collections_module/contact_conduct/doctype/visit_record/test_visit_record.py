# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""外访记录表 (R-D2): identity disclosure required; made visits count against the visit cap (R-C3)."""

import frappe

from collections_module.contact_conduct.conduct import ContactNotAllowed
from collections_module.policy import roles
from collections_module.tests.utils import ROLE_USERS, CollectionsTestCase, local_time, ready_case

test_ignore = ["Collection Case", "User", "Contact Rule Exception"]
SH = "Asia/Shanghai"


def visit(case, hour, **fields):
	return frappe.get_doc(
		{
			"doctype": "Visit Record",
			"collection_case": case.name,
			"address": "Room 1203, 88 Century Avenue, Pudong, Shanghai",
			"collectors": [{"collector": ROLE_USERS[roles.COLLECTOR]}],
			"planned_time": local_time(SH, -1, hour),
			"actual_time": local_time(SH, -1, hour),
			"identity_disclosed": 1,
			"persons_met": "Finance manager Ms. Li",
			"outcome": "Promise to Pay",
			"summary": "Visited by appointment; agreed a payment plan",
			**fields,
		}
	)


class TestVisitRecord(CollectionsTestCase):
	def test_second_visit_allowed_third_refused(self):
		case = ready_case("Three Visits")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		visit(case, 9).insert()
		second = visit(case, 13).insert()
		self.assertIn("13:00 (Asia/Shanghai)", second.debtor_local_time)
		self.assertRaisesRegex(ContactNotAllowed, "2 visits already today", visit(case, 16).insert)
		# a visit only planned does not count
		visit(case, 17, actual_time=None).insert()

	def test_identity_disclosure_is_required_for_a_visit_made(self):
		case = ready_case("No Disclosure")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(
			frappe.ValidationError, "disclosed their identity", visit(case, 10, identity_disclosed=0).insert
		)

	def test_visit_outside_hours_refused(self):
		case = ready_case("Night Visit")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(ContactNotAllowed, "outside the allowed hours", visit(case, 22).insert)
