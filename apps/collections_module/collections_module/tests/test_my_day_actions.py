"""My Day's one-click contact: each row carries the debtor's phone (a tel: link on the page) and e-mail
(the e-mail composer), decided on the server from the case's contact points and the customer — as the
collector reads their own day, through the method the desk calls."""

import frappe

from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	make_customer,
	make_invoice,
	open_case,
	today,
)

CASE = "Collection Case"
MY_DAY = "collections_module.collection_cases.api.get_my_day"
COLLECTOR = ROLE_USERS[roles.COLLECTOR]

test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]


def desk_call(method: str, **kwargs):
	"""As the desk calls a method: resolved by its dotted path, refused unless whitelisted."""
	fn = frappe.get_attr(method)
	frappe.is_whitelisted(fn)
	return frappe.call(fn, **kwargs)


def due_case(label: str, points=(), collector: str = COLLECTOR, **customer):
	"""An open, verified case due today with one overdue invoice and these contact points."""
	name = make_customer(label, **customer)
	make_invoice(name, due_in_days=-20, amount=1000)
	case = open_case(name)
	case.update({"collector": collector, "verified": 1, "debtor_timezone": "Asia/Shanghai"})
	for point in points:
		case.append("contact_points", point)
	case.save(ignore_permissions=True)
	frappe.db.set_value(CASE, case.name, "next_action_date", today())
	return case


def point(name: str, relation: str, phone=None, email=None, flag: str = "Normal") -> dict:
	return {"contact_name": name, "relation": relation, "phone": phone, "email": email, "flag": flag}


class TestMyDayContactActions(CollectionsTestCase):
	def test_rows_carry_the_debtors_phone_and_email_for_the_collectors_own_cases(self):
		uid = frappe.generate_hash(length=6)
		debtor_email = f"zhang.{uid}@example.com"
		# the debtor's own point is offered; family, a Sensitive point and a Do Not Contact one are not
		points = due_case(
			"MyDay Reach Points",
			[
				point("Brother", "Family", "13700000001", f"brother.{uid}@example.com"),
				point("Old number", "Debtor", "13900000002", f"old.{uid}@example.com", "Do Not Contact"),
				point("Committee", "Debtor", "13600000003", flag="Sensitive"),
				point("Zhang San", "Debtor", "138 0013 8000", debtor_email),
			],
			email=f"ap.points.{uid}@example.com",
		)
		# no contact points: the customer's own mobile and e-mail
		customer_only = due_case(
			"MyDay Reach Customer", email=f"ap.{uid}@example.com", mobile_no="13500000004"
		)
		# a number the debtor asked not to be called on is never offered, however it is written
		barred = due_case(
			"MyDay Reach Barred",
			[point("Objected", "Debtor", "+86 135 0000 0005", flag="Do Not Contact")],
			email=f"ap.barred.{uid}@example.com",
			mobile_no="13500000005",
		)
		theirs = due_case(
			"MyDay Reach Not Mine",
			[point("Li Si", "Debtor", "13800000006", f"li.{uid}@example.com")],
			collector=SECOND_COLLECTOR,
		)

		frappe.set_user(COLLECTOR)
		day = desk_call(MY_DAY, limit=500)
		got = {r["case"]: r for r in day["rows"]}
		self.assertEqual({r["collector"] for r in day["rows"]}, {COLLECTOR})  # only their own
		self.assertNotIn(theirs.name, got)
		self.assertTrue({points.name, customer_only.name, barred.name} <= set(got))

		row = got[points.name]
		self.assertEqual(
			(row["phone"], row["email"], row["phone_contact"], row["phone_relation"]),
			("138 0013 8000", debtor_email, "Zhang San", "Debtor"),
		)
		row = got[customer_only.name]
		self.assertEqual(
			(row["phone"], row["email"], row["phone_contact"], row["phone_relation"]),
			("13500000004", f"ap.{uid}@example.com", None, "Debtor"),
		)
		row = got[barred.name]
		self.assertIsNone(row["phone"])
		self.assertEqual(row["email"], f"ap.barred.{uid}@example.com")
		# the actions the server offers are unchanged: Email and Letter are the page's own buttons
		self.assertEqual({a["action"] for a in row["actions"]}, {"log_call", "log_visit", "record_promise"})

	def test_a_case_without_any_phone_or_email_carries_none(self):
		bare = due_case("MyDay Reach Bare")
		frappe.set_user(COLLECTOR)
		row = {r["case"]: r for r in desk_call(MY_DAY, limit=500)["rows"]}[bare.name]
		self.assertEqual((row["phone"], row["email"], row["phone_contact"]), (None, None, None))
