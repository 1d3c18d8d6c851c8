"""The supervisor's call-quality loop on a real site: a recorded call picked on a new review (its
collector, case, recording and week come from the call), the score counted in Collector Performance's
quality column; and Weekly Report Status naming, by full name, who submitted last week's report, who
left it a draft and who has none."""

import frappe
from frappe.client import insert, save
from frappe.desk.query_report import run
from frappe.utils import add_days

from collections_module.policy import roles, weekly
from collections_module.team.doctype.call_quality_review.call_quality_review import recorded_calls
from collections_module.team.performance import gather
from collections_module.tests.test_performance import call
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	collector_profile,
	ready_case,
	today,
)

SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]
TEAM = "_CM Quality Team"
PEOPLE = {  # user: (first name, last name)
	"cm.quality.picked@example.com": ("Pia", "Picked"),
	"cm.quality.sent@example.com": ("Quinn", "Sender"),
	"cm.quality.draft@example.com": ("Dana", "Drafter"),
	"cm.quality.missing@example.com": ("Milo", "Absent"),
}
PICKED, SENT, DRAFT, MISSING = PEOPLE


def person(user: str) -> str:
	"""A collector with a full name, in the test team, reporting to the test supervisor."""
	first, last = PEOPLE[user]
	if not frappe.db.exists("User", user):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": user,
				"first_name": first,
				"last_name": last,
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
	collector_profile(user, team=TEAM, active=1, supervisor=SUPERVISOR)
	return f"{first} {last}"


def search(txt: str = "") -> list[str]:
	return [row[0] for row in recorded_calls("Contact Log", txt, "name", 0, 50, {})]


class TestQualityLoop(CollectionsTestCase):
	def setUp(self):
		# nothing of an earlier run: the team's profiles inactive, its reports gone
		frappe.db.set_value("Collector Profile", {"team": TEAM}, "active", 0)
		frappe.db.delete("Weekly Report", {"collector": ["in", list(PEOPLE)]})

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_value("Collector Profile", {"team": TEAM}, "active", 0)
		super().tearDown()

	def test_a_supervisor_picks_a_recorded_call_on_a_new_review(self):
		person(PICKED)
		case = ready_case("Quality Pick", collector=PICKED)
		recording = f"/private/files/cm-quality-{frappe.generate_hash(length=6)}.mp3"
		log = call(case.name, PICKED, today(), 1, recording=recording)
		unrecorded = call(case.name, PICKED, today(), 1)

		frappe.set_user(SUPERVISOR)
		offered = search(case.name)
		self.assertIn(log, offered)  # the recorded call is offered
		self.assertNotIn(unrecorded, offered)  # a call with nothing to listen to is not
		self.assertIn(log, search("Pia Picked"))  # found by the collector's name
		review = insert(
			{
				"doctype": "Call Quality Review",
				"contact_log": log,
				"collector": SUPERVISOR,  # whatever is sent, the call says whose it is
				"identity_and_debt_confirmed": 1,
				"identity_disclosed": 1,
				"polite_language": 1,
				"no_threats": 1,
				"no_third_party_disclosure": 1,
				"amounts_correct": 1,
			}
		)
		monday = weekly.week_of(today())[0]
		self.assertEqual(
			(review["collector"], review["collection_case"], review["recording"], str(review["week_start"])),
			(PICKED, case.name, recording, str(monday)),
		)
		self.assertEqual(review["reviewer"], SUPERVISOR)
		self.assertEqual(round(review["score"], 1), 85.7)  # six of the seven items
		self.assertNotIn(log, search(case.name))  # a call is reviewed once

		# the call is fixed once the review is saved (Set Only Once refuses the change, or the controller
		# keeps the stored call: either way the review stays on its call)
		doc = frappe.get_doc("Call Quality Review", review["name"]).as_dict()
		doc["contact_log"] = unrecorded
		try:
			save(doc)
		except frappe.ValidationError:
			pass
		self.assertEqual(frappe.db.get_value("Call Quality Review", review["name"], "contact_log"), log)

		frappe.get_doc("Call Quality Review", review["name"]).submit()
		frappe.set_user("Administrator")
		# Collector Performance's quality column reads the submitted reviews of the period
		mine = gather(monday, add_days(monday, 6)).collectors[PICKED]
		self.assertEqual((round(mine.quality_score_avg, 1), mine.quality_samples), (85.7, 1))

	def test_a_collector_cannot_search_the_calls(self):
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		with self.assertRaises(frappe.PermissionError):
			search()

	def test_weekly_report_status_names_who_submitted_and_who_is_missing(self):
		names = {user: person(user) for user in (SENT, DRAFT, MISSING)}
		monday, sunday = weekly.previous_week(today())
		for user in (SENT, DRAFT):
			frappe.get_doc(
				{
					"doctype": "Weekly Report",
					"collector": user,
					"supervisor": SUPERVISOR,
					"week_start": monday,
					"week_end": sunday,
					"notes": "A steady week",
					"next_week_plan": "Call the broken promises first",
				}
			).insert(ignore_permissions=True)
		frappe.set_user(SENT)
		frappe.get_doc("Weekly Report", {"collector": SENT, "week_start": monday}).submit()

		frappe.set_user(SUPERVISOR)
		# any day of the week names that week
		out = run("Weekly Report Status", {"week": str(add_days(monday, 2)), "team": TEAM})
		rows = {r["collector_name"]: r for r in out["result"]}
		self.assertEqual(set(rows), set(names.values()))  # by full name, never the e-mail
		self.assertEqual(
			{n: rows[n]["status_key"] for n in rows},
			{names[SENT]: "Submitted", names[DRAFT]: "Draft", names[MISSING]: "Missing"},
		)
		self.assertEqual(out["result"][0]["collector_name"], names[MISSING])  # the missing come first
		sent = rows[names[SENT]]
		self.assertEqual(
			sent["weekly_report"],
			frappe.db.get_value("Weekly Report", {"collector": SENT, "week_start": monday}),
		)
		self.assertTrue(sent["submitted_on"])
		self.assertIsNone(rows[names[MISSING]]["weekly_report"])
		supervisor = frappe.db.get_value("User", SUPERVISOR, "full_name")
		self.assertEqual({r["supervisor_name"] for r in rows.values()}, {supervisor})
		self.assertIn(names[MISSING], out["message"])
		self.assertIn(names[DRAFT], out["message"])
		self.assertEqual(out["chart"]["data"]["datasets"][0]["values"], [1, 1, 1])
		self.assertEqual([s["value"] for s in out["report_summary"]], [1, 1, 1])
		# another week: nobody has sent it
		out = run("Weekly Report Status", {"week": str(add_days(monday, -7)), "team": TEAM})
		self.assertEqual({r["status_key"] for r in out["result"]}, {"Missing"})
		# a collector does not read the team's status
		frappe.set_user(SENT)
		with self.assertRaises(frappe.PermissionError):
			run("Weekly Report Status", {"week": str(monday), "team": TEAM})
