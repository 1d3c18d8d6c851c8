# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Contact conduct on a real site (R-C1..R-C7, R-D4): every refusal names its rule and the next allowed
time, through the document API and the REST API alike."""

import frappe
import frappe.client

from collections_module.collection_cases.ladder.jobs import run
from collections_module.contact_conduct.conduct import ContactNotAllowed
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	contact_log,
	local_time,
	notifications,
	pay,
	ready_case,
	today,
	todos,
)

test_ignore = ["Collection Case", "User", "Contact Rule Exception"]
SH = "Asia/Shanghai"


class TestContactLog(CollectionsTestCase):
	def test_contact_outside_hours_refused_through_the_rest_api_with_rule_and_next_time(self):
		case = ready_case("Late Call")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		late = contact_log(case, local_time(SH, -1, 21, 30)).as_dict()
		with self.assertRaises(ContactNotAllowed) as refused:
			frappe.client.insert(late)
		message = str(refused.exception)
		self.assertIn("outside the allowed hours 08:00-21:00", message)
		self.assertIn("Rule: Contact hours (Source Rules)", message)
		self.assertIn(f"Next allowed: {today():%Y-%m-%d} 08:00 debtor's time", message)
		# inside the window it is recorded, stored in UTC and shown in the debtor's time
		ok = contact_log(case, local_time(SH, -1, 10, 15)).insert()
		self.assertEqual(ok.debtor_local_time[-21:], "10:15 (Asia/Shanghai)")
		self.assertEqual(ok.start_utc.hour, 2)

	def test_eleventh_call_of_a_day_refused_and_supervisor_exception_recorded(self):
		case = ready_case("Eleven Calls")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		for i in range(10):
			contact_log(case, local_time(SH, -1, 9, 5 * i)).insert()
		eleventh = contact_log(case, local_time(SH, -1, 14))
		self.assertRaisesRegex(ContactNotAllowed, "10 outbound calls already today", eleventh.insert)

		self.assertRaises(
			frappe.PermissionError,
			frappe.get_doc(
				{"doctype": "Contact Rule Exception", "collection_case": case.name, "reason": "I want to"}
			).insert,
		)
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		exception = frappe.get_doc(
			{
				"doctype": "Contact Rule Exception",
				"collection_case": case.name,
				"reason": "Debtor asked us to call back at 14:00 with the bank details",
			}
		).insert()
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		allowed = contact_log(case, local_time(SH, -1, 14)).insert()
		self.assertEqual(allowed.rule_exception, exception.name)
		exception.reload()
		self.assertEqual(
			(exception.contact_log, exception.broken_rule, exception.authorized_by),
			(allowed.name, "Calls per day", ROLE_USERS[roles.SUPERVISOR]),
		)
		# one exception, one contact
		self.assertRaises(ContactNotAllowed, contact_log(case, local_time(SH, -1, 15)).insert)

	def test_dispute_pauses_collection_and_tells_the_supervisor(self):
		case = ready_case("Disputes")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		contact_log(
			case,
			local_time(SH, -1, 10),
			outcome="Dispute Raised",
			effective=1,
			summary="Says the goods were never ordered",
		).insert()
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual((case.disputed, case.status), (1, "Paused"))
		self.assertIn(ROLE_USERS[roles.SUPERVISOR], {n.for_user for n in notifications(case.name)})
		before = len(todos(case.name))
		run(today(), customers=[case.customer])
		self.assertEqual(len(todos(case.name)), before)  # the daily run creates no follow-up
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(
			ContactNotAllowed, "disputes the debt", contact_log(case, local_time(SH, -1, 10)).insert
		)
		# resolving the dispute resumes collection
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		case.reload()
		case.disputed = 0
		case.save()
		self.assertEqual(case.status, "Open")

	def test_unverified_case_cannot_be_contacted(self):
		case = ready_case("Not Verified", verified=False)
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(
			ContactNotAllowed, "not verified", contact_log(case, local_time(SH, -1, 10)).insert
		)
		# the debtor calling in is recorded all the same
		contact_log(case, local_time(SH, -1, 10), direction="Inbound").insert()

	def test_do_not_contact_point_refused_and_sensitive_warned(self):
		case = ready_case("Third Parties")
		case.append(
			"contact_points",
			{
				"contact_name": "Village committee",
				"relation": "Village/Residents' Committee",
				"flag": "Sensitive",
			},
		)
		case.append(
			"contact_points",
			{
				"contact_name": "Brother",
				"relation": "Family",
				"flag": "Do Not Contact",
				"note": "Objected, 2026-06-01",
			},
		)
		case.save()
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		refused = contact_log(case, local_time(SH, -1, 10), contact_point="brother", relation="Family")
		self.assertRaisesRegex(ContactNotAllowed, "asked not to be contacted", refused.insert)
		contact_log(case, local_time(SH, -1, 11), contact_point="Village committee").insert()

	def test_the_case_shows_the_last_contact_and_the_next_step(self):
		case = ready_case("Step By Step")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		contact_log(
			case,
			local_time(SH, -1, 10),
			outcome="Callback Requested",
			effective=1,
			summary="AP clerk confirmed invoice received",
			next_step="Call AP manager",
			next_step_date=today(),
		).insert()
		frappe.set_user("Administrator")
		case.reload()
		self.assertIn("AP clerk confirmed invoice received", case.last_contact_summary)
		self.assertEqual((case.next_step, str(case.next_step_date)), ("Call AP manager", str(today())))

	def test_broken_promise_detected_by_the_daily_run(self):
		from frappe.utils import add_days

		case = ready_case("Promise Broken")
		promise_400_in_two_days(case)
		case.reload()
		self.assertEqual((case.status, case.promise_status), ("Promise to Pay", "Pending"))
		run(add_days(today(), 2), customers=[case.customer])  # on the date: still pending, no follow-up
		case.reload()
		self.assertEqual(case.promise_status, "Pending")
		open_before = len([t for t in todos(case.name) if t.status == "Open"])
		run(add_days(today(), 3), customers=[case.customer])
		case.reload()
		self.assertEqual((case.status, case.promise_status), ("Open", "Broken"))
		followups = [t for t in todos(case.name) if t.status == "Open"]
		self.assertTrue(any("Promise to pay broken" in t.description for t in followups), followups)
		self.assertGreaterEqual(len(followups), max(open_before, 1))

	def test_kept_promise_detected_when_the_payment_arrives(self):
		from frappe.utils import add_days

		case = ready_case("Promise Kept")
		invoice = case.invoices[0].sales_invoice
		promise_400_in_two_days(case)
		pay(invoice, amount=400)
		case.reload()
		self.assertEqual((case.promise_status, case.status), ("Kept", "In Progress"))

	def test_an_exception_typed_into_the_log_is_ignored(self):
		case = ready_case("Forged Exception")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		other = ready_case("Other Case", collector=ROLE_USERS[roles.COLLECTOR])
		exception = frappe.get_doc(
			{
				"doctype": "Contact Rule Exception",
				"collection_case": other.name,
				"reason": "for the other case",
			}
		).insert()
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		forged = contact_log(case, local_time(SH, -1, 23), rule_exception=exception.name)
		self.assertRaises(ContactNotAllowed, forged.insert)

	def test_a_collector_cannot_take_over_a_case(self):
		from collections_module.tests.utils import SECOND_COLLECTOR

		theirs = ready_case("Not Mine", collector=SECOND_COLLECTOR)
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		doc = frappe.get_doc(theirs.as_dict())
		doc.collector = ROLE_USERS[roles.COLLECTOR]
		self.assertFalse(frappe.has_permission("Collection Case", "write", doc))
		self.assertRaises(frappe.PermissionError, doc.save)

	def test_promise_needs_amount_and_date_through_the_api(self):
		case = ready_case("Vague Promise")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		vague = contact_log(case, local_time(SH, -1, 10), outcome="Promise to Pay", effective=1).as_dict()
		self.assertRaises(frappe.ValidationError, frappe.client.insert, vague)


def promise_400_in_two_days(case):
	"""The collector logs the debtor's promise to pay 400 in two days (R-D4)."""
	from frappe.utils import add_days

	frappe.set_user(ROLE_USERS[roles.COLLECTOR])
	contact_log(
		case,
		local_time(SH, -1, 10),
		outcome="Promise to Pay",
		effective=1,
		promise_amount=400,
		promise_date=add_days(today(), 2),
		summary="Will pay 400 on Friday",
	).insert()
	frappe.set_user("Administrator")


class TestContactFacts(CollectionsTestCase):
	"""A saved contact is a record of what happened: it cannot be edited around the caps."""

	def at_the_cap(self, label):
		case = ready_case(label)
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		logs = [contact_log(case, local_time(SH, -1, 9, 5 * i)).insert() for i in range(10)]
		return case, logs

	def test_collector_cannot_move_a_call_away_to_free_a_slot(self):
		case, logs = self.at_the_cap("Cap Dodger")
		stored = frappe.client.get("Contact Log", logs[0].name)
		forty_days_back = str(local_time(SH, -41, 9))
		self.assertRaisesRegex(
			frappe.PermissionError,
			"can be corrected only by a collection supervisor",
			frappe.client.save,
			{**stored, "start_time": forty_days_back},
		)
		for change in (
			{"channel": "SMS"},
			{"direction": "Inbound"},
			{"collection_case": ready_case("Elsewhere").name},
			{"dial_party": "Debtor", "result_code": "Reached Debtor"},  # would class the case
		):
			frappe.set_user(ROLE_USERS[roles.COLLECTOR])
			self.assertRaises(frappe.PermissionError, frappe.client.save, {**stored, **change})
		# the day is still full
		self.assertRaises(ContactNotAllowed, contact_log(case, local_time(SH, -1, 14)).insert)
		# what the collector may still edit: the notes
		saved = frappe.client.save({**stored, "summary": "Called the AP desk; no answer, left a message"})
		self.assertEqual(saved["summary"], "Called the AP desk; no answer, left a message")

	def test_collector_cannot_untick_effective_conversations(self):
		case = ready_case("Effective Cap")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		talks = [contact_log(case, local_time(SH, -1, 9 + i), effective=1).insert() for i in range(5)]
		self.assertRaisesRegex(
			ContactNotAllowed, "effective", contact_log(case, local_time(SH, -1, 15), effective=1).insert
		)
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.save,
			{**frappe.client.get("Contact Log", talks[0].name), "effective": 0},
		)
		self.assertEqual(frappe.db.get_value("Contact Log", talks[0].name, "effective"), 1)

	def test_supervisor_corrects_with_a_reason_and_the_day_is_judged_again(self):
		_case, logs = self.at_the_cap("Corrected")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		stored = frappe.client.get("Contact Log", logs[0].name)
		# without a reason: refused
		self.assertRaisesRegex(
			frappe.ValidationError, "Correction Reason", frappe.client.save, {**stored, "channel": "SMS"}
		)
		# a correction that breaks a rule is judged like a new contact: 23:00 is outside the hours
		self.assertRaises(
			ContactNotAllowed,
			frappe.client.save,
			{**stored, "start_time": str(local_time(SH, -1, 23)), "correction_reason": "Wrong hour typed"},
		)
		saved = frappe.client.save(
			{**stored, "channel": "SMS", "correction_reason": "It was a text message, not a call"}
		)
		self.assertEqual((saved["channel"], saved["corrected_by"]), ("SMS", ROLE_USERS[roles.SUPERVISOR]))
		# a collector cannot write the correction fields
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		frappe.client.save({**frappe.client.get("Contact Log", logs[1].name), "correction_reason": "mine"})
		self.assertFalse(frappe.db.get_value("Contact Log", logs[1].name, "correction_reason"))

	def test_late_entry_is_marked_and_shown_on_the_case_and_a_future_time_refused(self):
		from frappe.utils import add_to_date, now_datetime

		case = ready_case("Late Filer")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(
			ContactNotAllowed,
			"in the future",
			frappe.client.insert,
			contact_log(case, add_to_date(now_datetime(), hours=3)).as_dict(),
		)
		late = frappe.client.insert(contact_log(case, local_time(SH, -2, 10)).as_dict())
		self.assertEqual(late["late_entry"], 1)
		self.assertLessEqual(
			abs((frappe.utils.get_datetime(late["entered_on"]) - now_datetime()).total_seconds()), 60
		)
		# the flag and the entry time are the server's
		frappe.client.save(
			{
				**frappe.client.get("Contact Log", late["name"]),
				"late_entry": 0,
				"entered_on": str(local_time(SH, -2, 10)),
			}
		)
		self.assertEqual(frappe.db.get_value("Contact Log", late["name"], "late_entry"), 1)
		listed = frappe.client.get_list(
			"Contact Log", filters={"collection_case": case.name, "late_entry": 1}, fields=["name"]
		)
		self.assertEqual([r["name"] for r in listed], [late["name"]])
		frappe.set_user("Administrator")
		case.reload()
		self.assertEqual(case.late_entries, 1)
		self.assertEqual(case.last_contact_late, 1)  # shown as "entered late" in the reader's language
