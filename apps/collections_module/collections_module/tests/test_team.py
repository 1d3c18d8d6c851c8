"""Managing the team week by week on a real site: last week's recorded calls sampled per collector,
reproducibly, for their supervisor to review, the collector acknowledging; the weekly report drafted
with the week's figures, the collector's notes submitted, and the supervisor told who is missing."""

import frappe
from frappe.client import get_list, insert, save
from frappe.utils import add_days

from collections_module.policy import roles, weekly
from collections_module.team import weekly as team
from collections_module.tests.test_performance import call, hand_over
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	collector_profile,
	make_customer,
	make_invoice,
	open_case,
	pay,
	set_settings,
	today,
)

A, B, C = "cm.team.a@example.com", "cm.team.b@example.com", "cm.team.c@example.com"
SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]


class TestTeamWeek(CollectionsTestCase):
	def setUp(self):
		for user in (A, B, C):
			collector_profile(user, team="_CM Team", active=1, supervisor=None if user == B else SUPERVISOR)
		self.monday, self.sunday = weekly.previous_week(today())
		set_settings(quality_sample_percent=20, quality_sample_minimum=1)

	def case_of(self, collector: str, label: str) -> str:
		customer = make_customer(label)
		si = make_invoice(customer, due_in_days=(add_days(self.monday, -20) - today()).days, amount=5_000)
		case = open_case(customer).name
		before = add_days(self.monday, -5)
		frappe.db.set_value("Collection Case", case, "creation", f"{before} 09:00:00", update_modified=False)
		hand_over(case, [(before, None, collector)])
		return case, si

	def test_calls_are_sampled_reviewed_and_acknowledged(self):
		x, _si = self.case_of(A, "Team X")
		y, _si = self.case_of(B, "Team Y")
		a_calls = [
			call(x, A, add_days(self.monday, i % 5), 1, recording=f"/private/files/a{i}.mp3")
			for i in range(10)
		]
		call(x, A, add_days(self.monday, 1), 0)  # no recording: not in the draw
		for i in range(3):
			call(y, B, add_days(self.monday, i), 1, recording=f"/private/files/b{i}.mp3")

		made = team.sample_calls(today())
		mine = lambda user: sorted(  # noqa: E731
			frappe.get_all(
				"Call Quality Review",
				filters={"collector": user, "week_start": self.monday},
				pluck="contact_log",
			)
		)
		drawn_a, drawn_b = mine(A), mine(B)
		# 20 % of A's 10 recorded calls, rounded up; B's 3 calls give 1, the minimum
		self.assertEqual((len(drawn_a), len(drawn_b)), (2, 1))
		self.assertTrue(set(drawn_a) <= set(a_calls))
		self.assertGreaterEqual(made, 3)
		self.assertEqual(team.sample_calls(today()), 0)  # run again: nothing drawn twice
		# reproducible: the same week drawn again from scratch gives the same calls
		frappe.db.delete("Call Quality Review", {"week_start": self.monday})
		team.sample_calls(today())
		self.assertEqual((mine(A), mine(B)), (drawn_a, drawn_b))

		review = frappe.get_doc("Call Quality Review", {"contact_log": drawn_a[0]})
		self.assertEqual(review.reviewer, SUPERVISOR)  # A's own supervisor
		# the supervisor ticks five of the seven items and submits
		frappe.set_user(SUPERVISOR)
		doc = review.as_dict()
		doc.update(
			{
				"identity_and_debt_confirmed": 1,
				"identity_disclosed": 1,
				"polite_language": 1,
				"no_threats": 1,
				"amounts_correct": 1,
				"comments": "Did not check the contact rules before the second call",
				"collector": B,  # a dishonest edit: whose call it is belongs to the sample
			}
		)
		saved = save(doc)
		self.assertEqual((round(saved["score"], 2), saved["collector"]), (71.43, A))
		frappe.get_doc("Call Quality Review", review.name).submit()
		# B cannot acknowledge A's review nor see it; A sees and acknowledges their own
		frappe.set_user(B)
		with self.assertRaises(frappe.PermissionError):
			team.acknowledge(review.name, "not mine")
		self.assertNotIn(review.name, [r.name for r in get_list("Call Quality Review", limit_page_length=0)])
		frappe.set_user(A)
		team.acknowledge(review.name, "Understood")
		frappe.set_user("Administrator")
		review.reload()
		self.assertEqual((review.acknowledged, review.collector_comment), (1, "Understood"))

	def test_weekly_report_is_drafted_with_the_weeks_figures(self):
		x, si = self.case_of(C, "Week X")
		call(x, C, add_days(self.monday, 1), 1)
		call(x, C, add_days(self.monday, 2), 0)
		call(
			x,
			C,
			add_days(self.monday, 2),
			1,
			outcome="Promise to Pay",
			promise_amount=1_000,
			promise_date=add_days(self.monday, 4),
		)
		pay(si.name, 1_000, posting_date=add_days(self.monday, 3))

		team.draft_weekly_reports(today())
		report = frappe.get_doc("Weekly Report", {"collector": C, "week_start": self.monday})
		self.assertEqual(
			(
				report.cases_worked,
				report.contacts,
				report.effective_contacts,
				report.promises_made,
				report.received,
			),
			(1, 3, 2, 1, 1_000),
		)
		self.assertEqual(report.supervisor, SUPERVISOR)
		team.draft_weekly_reports(today())  # once per collector and week
		self.assertEqual(frappe.db.count("Weekly Report", {"collector": C, "week_start": self.monday}), 1)

		frappe.set_user(C)
		# a collector writes their notes, not their own figures, targets, refusals or reviews
		for doctype, values in (
			("Weekly Report", {"collector": C, "week_start": self.monday, "received": 99_999}),
			("Collection Target", {"collector": C, "month": self.monday, "target_amount": 1}),
			("Call Quality Review", {"contact_log": "x", "collector": C}),
		):
			with self.assertRaises(frappe.PermissionError):
				insert({"doctype": doctype, **values})
		with self.assertRaises(frappe.PermissionError):
			frappe.client.delete("Weekly Report", report.name)
		doc = frappe.get_doc("Weekly Report", report.name)
		doc.received = 99_999  # a dishonest edit of the figures
		doc.notes = "Two promises, one paid"
		doc.save()
		with self.assertRaises(frappe.ValidationError):
			doc.submit()  # no plan yet
		doc = frappe.get_doc("Weekly Report", report.name)
		doc.next_week_plan = "Visit Week X's office"
		doc.submit()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Weekly Report", report.name, "received"), 1_000)
		# the supervisor hears who has not submitted: B, not A
		missing = team.missing_weekly_reports(today())
		late = {c for users in missing.values() for c in users}
		self.assertIn(B, late)
		self.assertNotIn(C, late)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_value("Collector Profile", {"team": "_CM Team"}, "active", 0)
		super().tearDown()
