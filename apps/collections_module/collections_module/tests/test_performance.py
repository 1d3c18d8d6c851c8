"""Collector and team performance on a real site: last month, with real invoices and payments, a case
handed from one collector to another half-way, a case allocated, paid and closed, promises, targets;
the figures computed by hand below, read through the desk's report endpoint by a manager and by a
collector (who sees only their own row). And a contact the rules refuse is counted."""

import frappe
from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, add_months, get_datetime, get_first_day, get_last_day, now_datetime

from collections_module.policy import roles
from collections_module.tests.utils import (
	CollectionsTestCase,
	collector_profile,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
)

A, B = "cm.perf.a@example.com", "cm.perf.b@example.com"
TEAM = "_CM Perf"


def days_from_today(day) -> int:
	return (day - today()).days


def hand_over(case: str, history: list[tuple]):
	"""The case's hand-over history as it was: (day, from, to) rows, the last holder on the case."""
	frappe.db.delete("Collection Case Reassignment", {"parent": case})
	for i, (day, old, new) in enumerate(history, start=1):
		frappe.get_doc(
			{
				"doctype": "Collection Case Reassignment",
				"parent": case,
				"parenttype": "Collection Case",
				"parentfield": "reassignments",
				"idx": i,
				"reassigned_on": f"{day} 10:00:00",
				"from_collector": old,
				"to_collector": new,
				"reason": "test",
			}
		).db_insert()
	frappe.db.set_value("Collection Case", case, "collector", history[-1][2], update_modified=False)


def call(case: str, collector: str, day, effective: int, **fields):
	doc = frappe.get_doc(
		{
			"doctype": "Contact Log",
			"collection_case": case,
			"collector": collector,
			# 10:00 that day, or now if that is still to come (a contact in the future is refused)
			"start_time": min(get_datetime(f"{day} 10:00:00"), now_datetime()),
			"channel": "Phone",
			"direction": "Outbound",
			"effective": effective,
			"outcome": fields.pop("outcome", "Callback Requested" if effective else "No Answer"),
			"summary": "test call",
			**fields,
		}
	)
	doc.flags.ignore_contact_rules = True  # past calls, recorded for the test
	doc.insert(ignore_permissions=True)
	return doc.name


def rows(report: str, user: str, start, end) -> dict:
	frappe.set_user(user)
	try:
		result = run_report(report, filters={"from_date": str(start), "to_date": str(end)})
	finally:
		frappe.set_user("Administrator")
	return {r.get("collector") or r.get("team"): r for r in result["result"]}


class TestPerformance(CollectionsTestCase):
	def test_a_month_of_work_gives_the_figures_computed_by_hand(self):
		for user in (A, B):
			collector_profile(user, team=TEAM, active=0)
		start = get_first_day(add_months(today(), -1))
		end = get_last_day(start)
		day = lambda n: add_days(start, n)  # noqa: E731

		# X owes 10,000, due 15 days before the month; A holds it from before the month, B from day 16
		x = make_customer("Perf X")
		si_x = make_invoice(x, due_in_days=days_from_today(day(-15)), amount=10_000)
		case_x = open_case(x).name
		frappe.db.set_value(
			"Collection Case", case_x, "creation", f"{day(-14)} 09:00:00", update_modified=False
		)
		hand_over(case_x, [(day(-10), None, A), (day(15), A, B)])
		pay(si_x.name, 3_000, posting_date=day(9))  # A's
		pay(si_x.name, 2_000, posting_date=day(19))  # B's
		# Y owes 4,000 due on day 25, allocated to A that day, paid on day 27 and closed
		y = make_customer("Perf Y")
		si_y = make_invoice(y, due_in_days=days_from_today(day(24)), amount=4_000)
		case_y = frappe.db.get_value("Collection Case", {"customer": y}, "name", order_by="creation desc")
		frappe.db.set_value(
			"Collection Case", case_y, "creation", f"{day(25)} 09:00:00", update_modified=False
		)
		hand_over(case_y, [(day(25), None, A)])
		pay(si_y.name, 4_000, posting_date=day(27))
		frappe.db.set_value(
			"Collection Case",
			case_y,
			{"status": "Closed", "closed_on": day(27), "open_key": None},
			update_modified=False,
		)
		# A's calls: a promise of 2,000 by day 11 (kept: 3,000 came on day 9), one unanswered, one more
		call(case_x, A, day(2), 1, outcome="Promise to Pay", promise_amount=2_000, promise_date=day(11))
		call(case_x, A, day(3), 0)
		call(case_x, A, day(4), 1)
		call(case_x, B, day(20), 1)
		for user, amount, cases in ((A, 10_000, 2), (B, 5_000, 0)):
			frappe.get_doc(
				{
					"doctype": "Collection Target",
					"collector": user,
					"month": day(3),
					"target_amount": amount,
					"target_cases": cases,
				}
			).insert()

		manager = rows("Collector Performance", "cm.manager@example.com", start, end)
		a, b = manager[A], manager[B]
		# A: received 3,000 + 4,000; held 10,000 overdue at the start, was handed 4,000 on day 25
		self.assertEqual((a["received"], a["overdue_at_start"], a["assigned_during"]), (7_000, 10_000, 4_000))
		self.assertEqual((a["recovery_rate"], a["target"], a["target_achievement"]), (50.0, 10_000, 70.0))
		self.assertEqual((a["overdue_at_end"], a["receivables_at_end"], a["overdue_rate"]), (0, 0, None))
		self.assertEqual(
			(a["contacts"], a["effective_contacts"], a["received_per_effective_contact"]), (3, 2, 3_500)
		)
		self.assertEqual(
			(a["promises_made"], a["kept"], a["broken"], a["promise_kept_rate"]), (1, 1, 0, 100.0)
		)
		self.assertEqual((a["cases_closed"], a["target_cases"]), (1, 2))
		# B: received 2,000 of the 7,000 overdue handed over on day 16; holds 5,000, all overdue, at the end
		self.assertEqual((b["received"], b["overdue_at_start"], b["assigned_during"]), (2_000, 0, 7_000))
		self.assertEqual((b["recovery_rate"], b["target_achievement"]), (28.6, 40.0))
		self.assertEqual(
			(b["overdue_at_end"], b["receivables_at_end"], b["overdue_rate"]), (5_000, 5_000, 100.0)
		)

		# the team: the 7,000 handed between its own collectors is counted once in the base
		team = rows("Team Performance", "cm.manager@example.com", start, end)[TEAM]
		self.assertEqual((team["received"], team["target"], team["target_cases"]), (9_000, 15_000, 2))
		self.assertEqual((team["recovery_rate"], team["target_achievement"]), (64.3, 60.0))

		# a collector sees their own row only
		self.assertEqual(list(rows("Collector Performance", A, start, end)), [A])

		# which strategy paid: the outcome evaluation's recovered adds up to the ledger's receipts
		frappe.set_user("cm.manager@example.com")
		try:
			result = run_report(
				"Outcome Evaluation",
				filters={"from_date": str(start), "to_date": str(end), "group_by": "Collector"},
			)["result"]
		finally:
			frappe.set_user("Administrator")
		ledger = frappe.db.sql(
			"""select sum(base_received_amount) from `tabPayment Entry` where docstatus = 1
			and party in %s and posting_date between %s and %s""",
			([x, y], start, end),
		)[0][0]
		total = next(r for r in result if r.get("bold"))
		self.assertEqual(ledger, 9_000)
		self.assertGreaterEqual(total["recovered"], ledger)  # the site's other cases may add to it
		mine = next(r for r in result if r["group"] == frappe.db.get_value("User", A, "full_name"))  # by name
		# X (5,000, mostly A's) and Y (4,000) are A's; X recovered 33 days after it opened (its last
		# receipt: it is still open), Y 2 days after (when it closed): 17.5 on average
		self.assertEqual((mine["cases"], mine["recovered_cases"], mine["recovered"]), (2, 2, 9_000))
		self.assertEqual(mine["avg_days_to_recover"], 17.5)


class TestRefusalsAreCounted(CollectionsTestCase):
	def test_a_refused_contact_is_recorded_after_the_rollback(self):
		from collections_module.tests.utils import contact_log, ready_case

		case = ready_case("Refused", verified=False)  # an unverified debt: calls are refused
		required = frappe.db.get_single_value("Collection Settings", "require_verification")
		frappe.db.set_single_value("Collection Settings", "require_verification", 1)
		frappe.db.commit()
		try:
			frappe.set_user(case.collector)
			with self.assertRaises(frappe.ValidationError):
				contact_log(case, frappe.utils.now_datetime()).insert()
			frappe.db.rollback()  # what the desk does when a save fails
			frappe.set_user("Administrator")
			refusals = frappe.get_all(
				"Contact Refusal", filters={"collection_case": case.name}, fields=["collector", "rule"]
			)
			self.assertEqual([r.collector for r in refusals], [case.collector])
			self.assertTrue(refusals[0].rule)
		finally:
			frappe.set_user("Administrator")
			frappe.db.delete("Contact Refusal", {"collection_case": case.name})
			frappe.db.set_single_value("Collection Settings", "require_verification", required)
			frappe.db.commit()


class TestReportsReadable(CollectionsTestCase):
	def test_kpi_reports_chart_received_beside_target_by_name_with_one_decimal(self):
		"""Issue 20 (part): the KPI reports open on the figures acted on first, rates with one decimal,
		and a chart of received beside the target labelled with people's names."""
		frappe.set_user("cm.manager@example.com")
		try:
			result = run_report("Collector Performance", filters={})
		finally:
			frappe.set_user("Administrator")
		names = [c["fieldname"] for c in result["columns"]][:7]
		self.assertEqual(names[2:6], ["received", "target", "target_achievement", "recovery_rate"])
		rates = [c for c in result["columns"] if c["fieldtype"] == "Percent"]
		self.assertTrue(rates and all(c.get("precision") == 1 for c in rates))
		chart = result["chart"]
		self.assertEqual([d["name"] for d in chart["data"]["datasets"]], ["Received", "Target"])
		self.assertFalse([label for label in chart["data"]["labels"] if "@" in label])
