"""My Day, the follow-ups that move with a case, the workspace's cards and chart — as real users,
through the methods the desk calls."""

import csv
import re
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, get_first_day, getdate, nowdate

from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	WAREHOUSE_USER,
	CollectionsTestCase,
	contact_log,
	local_time,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
	todos,
)

CASE = "Collection Case"
MY_DAY = "collections_module.collection_cases.api.get_my_day"
DUE_TODAY = "collections_module.collection_cases.api.my_due_today"
STAGE_CHART = "collections_module.collection_cases.dashboard_chart_source.collections_overdue_by_stage.collections_overdue_by_stage.get"
COLLECTOR = ROLE_USERS[roles.COLLECTOR]
SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]
SH = "Asia/Shanghai"
APP = Path(__file__).resolve().parents[1]

test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]


def desk_call(method: str, **kwargs):
	"""As the desk calls a method: resolved by its dotted path, refused unless whitelisted."""
	fn = frappe.get_attr(method)
	frappe.is_whitelisted(fn)
	return frappe.call(fn, **kwargs)


def due_case(label, collector=COLLECTOR, amount=1000.0, days=20, tz=SH, next_action=0, **fields):
	"""An open, verified case with one overdue invoice, its next action ``next_action`` days from today."""
	customer = make_customer(label)
	make_invoice(customer, due_in_days=-days, amount=amount)
	case = open_case(customer)
	case.update({"collector": collector, "verified": 1, "debtor_timezone": tz})
	case.save(ignore_permissions=True)
	frappe.db.set_value(CASE, case.name, {"next_action_date": add_days(today(), next_action), **fields})
	return case


def zone_with_local_hour(hours: range) -> str:
	"""A time zone where the local hour is now in ``hours`` (fixed-offset zones cover every hour)."""
	now = datetime.now(ZoneInfo("UTC"))
	for offset in range(-12, 15):
		tz = f"Etc/GMT{'+' if offset <= 0 else '-'}{abs(offset)}"  # POSIX sign: Etc/GMT-8 is UTC+8
		if now.astimezone(ZoneInfo(tz)).hour in hours:
			return tz
	raise AssertionError("no zone")


def rows_for(day: dict, cases) -> dict:
	names = {c.name if hasattr(c, "name") else c for c in cases}
	return {r["case"]: r for r in day["rows"] if r["case"] in names}


@contextmanager
def counting_queries(into: list):
	orig = frappe.db.__class__.sql

	def counted(self, *args, **kwargs):
		into.append(args[0] if args else "")
		return orig(self, *args, **kwargs)

	frappe.db.__class__.sql = counted
	try:
		yield
	finally:
		frappe.db.__class__.sql = orig


def open_todos(case: str) -> list:
	return [t for t in todos(case) if t.status == "Open"]


class TestMyDay(CollectionsTestCase):
	def test_collector_sees_only_their_due_cases_ranked_with_reason_contact_and_actions(self):
		# created first, so a ranking that ignored the records would list it first (names break ties)
		breaker = due_case("MyDay Promise Breaker")
		contact_log(
			breaker,
			local_time(SH, -10, 10),
			outcome="Promise to Pay",
			effective=1,
			promise_amount=300,
			promise_date=add_days(today(), -5),
		).insert()

		payer = make_customer("MyDay Good Payer")
		make_invoice(payer, due_in_days=-20, amount=1000)
		paid_late = make_invoice(payer, due_in_days=-40, amount=500)
		good = open_case(payer)
		good.update({"collector": COLLECTOR, "verified": 1, "debtor_timezone": SH})
		good.save(ignore_permissions=True)
		# the case was open when the promise was made and kept (a recovery is money paid on an open case)
		frappe.db.sql(
			"update `tabCollection Case` set creation = %s where name = %s",
			(add_days(today(), -10), good.name),
		)
		contact_log(
			good,
			local_time(SH, -8, 10),  # 10:00 in Shanghai, a day earlier in some system time zones
			outcome="Promise to Pay",
			effective=1,
			promise_amount=500,
			promise_date=add_days(today(), -5),
		).insert()
		pay(paid_late.name, posting_date=add_days(today(), -6))  # the promise kept
		for case in (breaker, good):
			frappe.db.set_value(CASE, case.name, "next_action_date", today())

		follow_up = due_case("MyDay Follow-up", next_action=5)
		assign(
			{
				"assign_to": [COLLECTOR],
				"doctype": CASE,
				"name": follow_up.name,
				"description": "Call back about the March invoice",
				"date": add_days(today(), -1),
			},
			ignore_permissions=True,
		)
		not_due = due_case("MyDay Not Due", next_action=3)
		closed_hours = due_case("MyDay Asleep", tz=zone_with_local_hour(range(0, 6)))
		disputed = due_case("MyDay Disputed", disputed=1, status="Paused")
		theirs = due_case("MyDay Not Mine", collector=SECOND_COLLECTOR)
		mine = (breaker, good, follow_up, not_due, closed_hours, disputed)

		frappe.set_user(COLLECTOR)
		day = desk_call(MY_DAY, limit=500)
		self.assertFalse(day["team"])
		self.assertEqual(day["collector"], COLLECTOR)
		self.assertEqual({r["collector"] for r in day["rows"]}, {COLLECTOR})  # only their own, ever
		got = rows_for(day, (*mine, theirs))
		self.assertEqual(
			set(got), {breaker.name, good.name, follow_up.name, closed_hours.name, disputed.name}
		)
		# the same amount, the same age: the good payer who kept its promise comes first
		self.assertEqual((got[good.name]["amount"], got[breaker.name]["amount"]), (1000, 1000))
		order = [r["case"] for r in day["rows"]]
		self.assertLess(order.index(good.name), order.index(breaker.name))
		self.assertGreater(got[good.name]["expected"], got[breaker.name]["expected"])
		self.assertEqual(
			order, [r["case"] for r in sorted(day["rows"], key=lambda r: -r["expected"])]
		)  # ranked by expected recovery throughout
		self.assertIn("pays 1 of 2 invoices", got[good.name]["reason"])
		self.assertIn("kept its last promise", got[good.name]["reason"])
		self.assertIn("20 days overdue", got[good.name]["reason"])
		self.assertIn("broke its last promise", got[breaker.name]["reason"])
		self.assertTrue(got[breaker.name]["reason"].startswith(got[breaker.name]["band_label"] + ": "))
		# why it is on today's list: the next action, or the follow-up with its text
		self.assertEqual(got[good.name]["why_today"], "Next action due today.")
		self.assertEqual(
			[f["description"] for f in got[follow_up.name]["follow_ups"]],
			["Call back about the March invoice"],
		)
		self.assertTrue(got[follow_up.name]["why_today"].startswith("A follow-up due since"))
		# the last contact and the next step as the case keeps them
		self.assertIn("Promise to Pay", got[good.name]["last_contact"]["summary"])
		promised_at = local_time(SH, -8, 10)
		self.assertEqual(got[good.name]["last_contact"]["on"], str(getdate(promised_at)))

		# contact now: as the case form says it, case by case
		from collections_module.contact_conduct.conduct import contact_status

		for name, row in got.items():
			single = contact_status(name)
			self.assertEqual(
				(row["contact"]["allowed"], row["contact"]["next_allowed"], row["contact"]["message"]),
				(single["allowed"], single["next_allowed"], single["message"]),
				name,
			)
		self.assertFalse(got[closed_hours.name]["contact"]["allowed"])
		self.assertTrue(got[closed_hours.name]["contact"]["next_allowed"])
		self.assertIn("Next allowed", got[closed_hours.name]["contact"]["text"])
		self.assertFalse(got[disputed.name]["contact"]["allowed"])
		self.assertIn("disputes the debt", got[disputed.name]["contact"]["message"])

		# one-click actions, each opening a new record on the case
		actions = {a["action"]: a for a in got[good.name]["actions"]}
		self.assertEqual(set(actions), {"log_call", "log_visit", "record_promise"})
		self.assertEqual(
			(actions["log_call"]["doctype"], actions["log_call"]["values"]["collection_case"]),
			("Contact Log", good.name),
		)
		self.assertEqual(actions["log_visit"]["doctype"], "Visit Record")
		self.assertEqual(actions["record_promise"]["values"]["outcome"], "Promise to Pay")

		# someone else's day is not theirs to see
		self.assertRaises(frappe.PermissionError, desk_call, MY_DAY, collector=SECOND_COLLECTOR)

	def test_supervisor_sees_one_collector_or_the_whole_team(self):
		mine = due_case("MyDay Team A", amount=800)
		theirs = due_case("MyDay Team B", collector=SECOND_COLLECTOR, amount=600)
		unassigned = due_case("MyDay Team C", collector=None, amount=400)

		frappe.set_user(SUPERVISOR)
		one = desk_call(MY_DAY, collector=SECOND_COLLECTOR, limit=500)
		self.assertEqual({r["collector"] for r in one["rows"]}, {SECOND_COLLECTOR})
		self.assertEqual(set(rows_for(one, (mine, theirs, unassigned))), {theirs.name})
		self.assertIn(SECOND_COLLECTOR, [c["value"] for c in one["collectors"]])

		team = desk_call(MY_DAY, limit=500)
		self.assertTrue(team["team"])
		self.assertEqual(
			set(rows_for(team, (mine, theirs, unassigned))), {mine.name, theirs.name, unassigned.name}
		)
		self.assertEqual(rows_for(team, [unassigned])[unassigned.name]["collector_name"], "Unassigned")
		groups = {g["collector"]: g for g in team["by_collector"]}
		self.assertGreaterEqual(groups[COLLECTOR]["cases"], 1)
		self.assertGreaterEqual(groups[SECOND_COLLECTOR]["amount"], 600)
		self.assertIn(None, groups)  # the unassigned cases, for allocation
		# each collector's line adds up the rows of the team's day
		self.assertAlmostEqual(
			groups[SECOND_COLLECTOR]["expected"],
			sum(r["expected"] for r in team["rows"] if r["collector"] == SECOND_COLLECTOR),
			delta=0.05,
		)

		frappe.set_user(WAREHOUSE_USER)  # no collection role: no day at all
		self.assertRaises(frappe.PermissionError, desk_call, MY_DAY)

	def test_the_day_is_a_handful_of_queries_however_many_cases_are_due(self):
		due_case("MyDay Count 1")
		frappe.set_user(COLLECTOR)
		desk_call(MY_DAY)  # warm the caches (meta, rule sets)
		before: list = []
		with counting_queries(before):
			desk_call(MY_DAY)
		frappe.set_user("Administrator")
		for i in range(4):
			case = due_case(f"MyDay Count {i + 2}")
			contact_log(case, local_time(SH, -2, 10), outcome="No Answer").insert()
		frappe.set_user(COLLECTOR)
		after: list = []
		with counting_queries(after):
			day = desk_call(MY_DAY)
		self.assertGreaterEqual(len(day["rows"]), 5)
		self.assertEqual(len(after), len(before), "\n\n".join(after))
		self.assertLessEqual(len(after), 20)

	def test_reading_stops_early_only_when_no_case_left_can_outrank_the_rows_shown(self):
		from unittest.mock import patch

		from collections_module.collection_cases import my_day

		# three large cases of customers who broke their promises come first in reading order (the most
		# they could score); a smaller, unblemished case outscores them; many small ones come last
		for i in range(3):
			breaker = due_case(f"MyDay Large Breaker {i}", amount=20_000)
			contact_log(
				breaker,
				local_time(SH, -10, 10),
				outcome="Promise to Pay",
				effective=1,
				promise_amount=300,
				promise_date=add_days(today(), -5),
			).insert()
		unblemished = due_case("MyDay Unblemished", amount=18_000)
		for i in range(10):
			due_case(f"MyDay Small {i}", amount=100 + i)
		cond = "`tabCollection Case`.`collector` = " + frappe.db.escape(COLLECTOR)
		everything, total, complete = my_day.rank_due(COLLECTOR, today(), cond, None)
		self.assertTrue(complete)
		self.assertEqual(len(everything), total)
		self.assertEqual(everything[0][0].name, unblemished.name)
		with patch.object(my_day, "FIRST_CHUNK", 1):  # reads 3 cases, then 6, then 12 ...
			early, total_early, complete_early = my_day.rank_due(COLLECTOR, today(), cond, 1)
		self.assertEqual((total_early, complete_early), (total, True))
		self.assertLess(len(early), total)  # it stopped before the small ones ...
		self.assertGreater(len(early), 3)  # ... but not before the unblemished case
		self.assertEqual(early[0][0].name, unblemished.name)

		# beyond the most it may rank, the day says what it left out
		frappe.set_user(SUPERVISOR)
		with patch.object(my_day, "MAX_CANDIDATES", 2):
			day = desk_call(MY_DAY)
		self.assertTrue(day["capped"])
		self.assertEqual(day["ranked"], 2)
		self.assertIn(f"{day['total']} cases are due", day["note"])


class TestFollowUpsMoveWithTheCase(CollectionsTestCase):
	def follow_up_for(self, case, user):
		from collections_module.collection_cases.ladder.jobs import run

		run(today(), customers=[case.customer])
		ups = open_todos(case.name)
		self.assertTrue(any(t.allocated_to == user for t in ups), ups)
		return ups

	def test_supervisor_changes_the_collector_on_the_form(self):
		case = due_case("MyDay Handover Form", days=20)
		old = next(t for t in self.follow_up_for(case, COLLECTOR) if t.allocated_to == COLLECTOR)

		frappe.set_user(SUPERVISOR)
		stored = frappe.client.get(CASE, case.name)
		frappe.client.save({**stored, "collector": SECOND_COLLECTOR})
		frappe.set_user("Administrator")

		ups = open_todos(case.name)
		self.assertNotIn(COLLECTOR, [t.allocated_to for t in ups])
		moved = [t for t in ups if t.allocated_to == SECOND_COLLECTOR]
		self.assertEqual(len(moved), 1)
		self.assertEqual((moved[0].description, moved[0].date), (old.description, old.date))
		self.assertEqual(frappe.db.get_value("ToDo", old.name, "status"), "Cancelled")

		# the new collector's day has it; the old collector's has the case no more
		frappe.set_user(SECOND_COLLECTOR)
		self.assertIn(case.name, rows_for(desk_call(MY_DAY, limit=500), [case]))
		frappe.set_user(COLLECTOR)
		self.assertNotIn(case.name, rows_for(desk_call(MY_DAY, limit=500), [case]))

		# a save that does not change the collector moves nothing
		frappe.set_user(SUPERVISOR)
		frappe.client.save({**frappe.client.get(CASE, case.name), "dispute_reason": "none"})
		frappe.set_user("Administrator")
		self.assertEqual(len([t for t in open_todos(case.name) if t.allocated_to == SECOND_COLLECTOR]), 1)

	def test_reassign_moves_the_follow_ups_once(self):
		from collections_module.collection_cases.doctype.collection_case.collection_case import reassign

		case = due_case("MyDay Handover Reassign", days=20)
		old = next(t for t in self.follow_up_for(case, COLLECTOR) if t.allocated_to == COLLECTOR)
		frappe.set_user(SUPERVISOR)
		desk_call(
			"collections_module.collection_cases.doctype.collection_case.collection_case.reassign",
			case=case.name,
			collector=SECOND_COLLECTOR,
			reason="The debtor asked for another collector",
		)
		frappe.set_user("Administrator")
		self.assertTrue(callable(reassign))
		given = [t for t in todos(case.name) if t.allocated_to == SECOND_COLLECTOR]
		self.assertEqual(len(given), 1, given)  # one ToDo, not one per path
		self.assertEqual((given[0].status, given[0].description), ("Open", old.description))
		self.assertNotIn(COLLECTOR, [t.allocated_to for t in open_todos(case.name)])

	def test_an_unassigned_cases_follow_ups_go_from_the_supervisors_to_its_first_collector(self):
		from collections_module.people import role_holders

		case = due_case("MyDay Allocation", collector=None, days=20)  # a collector's stage
		supervisors = set(role_holders().get(roles.SUPERVISOR, []))
		self.assertIn(SUPERVISOR, supervisors)
		ups = self.follow_up_for(case, SUPERVISOR)
		self.assertTrue(supervisors <= {t.allocated_to for t in ups})

		frappe.set_user(SUPERVISOR)
		frappe.client.save({**frappe.client.get(CASE, case.name), "collector": COLLECTOR})
		frappe.set_user("Administrator")
		after = open_todos(case.name)
		self.assertEqual([t.allocated_to for t in after], [COLLECTOR])
		self.assertEqual(after[0].description, ups[0].description)


class TestWorkspaceCards(CollectionsTestCase):
	def card(self, name):
		return frappe.get_doc("Number Card", name).as_dict()

	def card_value(self, name, extra_filters=()):
		from frappe.desk.doctype.number_card.number_card import get_result

		doc = self.card(name)
		filters = frappe.parse_json(doc.filters_json or "[]") + list(extra_filters)
		return get_result(frappe.as_json(doc), filters)

	def test_overdue_total_and_stage_chart_follow_record_level_security(self):

		due_case("MyDay Card Mine", amount=700)
		due_case("MyDay Card Theirs", collector=SECOND_COLLECTOR, amount=900)

		def open_total(**filters):
			return flt(
				sum(
					frappe.get_all(
						CASE, filters={"status": ["!=", "Closed"], **filters}, pluck="total_outstanding"
					)
				),
				2,
			)

		frappe.set_user(COLLECTOR)
		self.assertAlmostEqual(
			self.card_value("Collections Overdue Total"), open_total(collector=COLLECTOR), places=2
		)
		stages = desk_call(STAGE_CHART)
		self.assertAlmostEqual(
			sum(stages["datasets"][0]["values"]), open_total(collector=COLLECTOR), places=2
		)
		# the stage names in the reader's language
		frappe.local.lang = "zh"
		try:
			labels = desk_call(STAGE_CHART)["labels"]
		finally:
			frappe.local.lang = "en"
		self.assertFalse([label for label in labels if label.isascii()], labels)
		frappe.set_user(SUPERVISOR)
		self.assertAlmostEqual(self.card_value("Collections Overdue Total"), open_total(), places=2)
		self.assertGreater(open_total(), open_total(collector=COLLECTOR))  # the collector's is only theirs

	def test_my_follow_ups_due_and_promises_due_this_week(self):
		case = due_case("MyDay Card Follow-ups", next_action=5)
		frappe.set_user(COLLECTOR)
		before = desk_call(DUE_TODAY)["value"]
		frappe.set_user("Administrator")
		assign(
			{"assign_to": [COLLECTOR], "doctype": CASE, "name": case.name, "date": add_days(today(), -2)},
			ignore_permissions=True,
		)
		later = due_case("MyDay Card Later", next_action=5)
		assign(
			{"assign_to": [COLLECTOR], "doctype": CASE, "name": later.name, "date": add_days(today(), 2)},
			ignore_permissions=True,
		)
		frappe.set_user(COLLECTOR)
		result = desk_call(DUE_TODAY)
		self.assertEqual(result["value"], before + 1)  # the one due, not the one due in two days
		self.assertEqual(result["route"], ["my-day"])

		# promises: pending and due within 7 days (the card's dynamic filter, evaluated as the desk does)
		week = [[CASE, "promise_date", "<=", str(add_days(today(), 7))]]
		frappe.set_user("Administrator")
		base = self.card_value("Collections Promises Due This Week", week)
		due_case("MyDay Promise Soon", promise_status="Pending", promise_date=add_days(today(), 3))
		due_case("MyDay Promise Later", promise_status="Pending", promise_date=add_days(today(), 10))
		due_case("MyDay Promise Kept", promise_status="Kept", promise_date=add_days(today(), 1))
		self.assertEqual(self.card_value("Collections Promises Due This Week", week), base + 1)
		dynamic = frappe.parse_json(self.card("Collections Promises Due This Week").dynamic_filters_json)
		self.assertEqual(dynamic[0][:3], [CASE, "promise_date", "<="])
		self.assertIn("add_days(frappe.datetime.get_today(), 7)", dynamic[0][3])

	def test_blocked_shipments_counts_the_locks_that_block(self):
		from collections_module.policy.stock_lock import BLOCKING_STATES

		filters = frappe.parse_json(self.card("Collections Blocked Shipments").filters_json)
		self.assertEqual(filters, [["Stock Release Lock", "status", "in", list(BLOCKING_STATES), False]])

	def test_workspace_opens_with_my_day_for_collectors_and_the_cards(self):
		ws = frappe.get_doc("Workspace", "Collections")
		first = frappe.parse_json(ws.content)[0]
		self.assertEqual((first["type"], first["data"]["shortcut_name"]), ("shortcut", "My Day"))
		shortcut = next(s for s in ws.shortcuts if s.label == "My Day")
		self.assertEqual((shortcut.type, shortcut.link_to), ("Page", "my-day"))
		self.assertEqual(
			{c.number_card_name for c in ws.number_cards},
			{
				"Collections Overdue Total",
				"Collections My Due Today",
				"Collections Promises Due This Week",
				"Collections Blocked Shipments",
				"Collections Recovered This Month",
			},
		)
		self.assertEqual(
			[c.chart_name for c in ws.charts],
			[
				"Collections Overdue by Stage",
				"Collections Recovered vs Target",
				"Collections Recovery Trend",
				"Collections Days Sales Outstanding",
			],
		)
		page = frappe.get_doc("Page", "my-day")
		self.assertTrue(set(roles.ALL) <= {r.role for r in page.roles})
		# what the desk shows a collector on the workspace: My Day, the cards, the chart
		frappe.set_user(COLLECTOR)
		shown = desk_call(
			"frappe.desk.desktop.get_desktop_page",
			page=frappe.as_json({"name": "Collections", "title": "Collections", "public": 1}),
		)
		self.assertIn("My Day", [s.label for s in shown["shortcuts"]["items"]])
		self.assertTrue(
			{"Overdue Total", "My Follow-ups Due", "Promises Due This Week"}
			<= {c.label for c in shown["number_cards"]["items"]}
		)
		self.assertIn("Overdue by Stage", [c.label for c in shown["charts"]["items"]])
		# the team's recovery is for the leads; a collector's card counts their own
		self.assertNotIn("Recovered vs Target", [c.label for c in shown["charts"]["items"]])
		from collections_module.team.performance import gather

		month = gather(get_first_day(nowdate()), nowdate()).collectors.get(COLLECTOR)
		self.assertEqual(
			desk_call("collections_module.team.api.recovered_this_month")["value"],
			month.received if month else 0,
		)
		frappe.set_user(WAREHOUSE_USER)
		shown = desk_call(
			"frappe.desk.desktop.get_desktop_page",
			page=frappe.as_json({"name": "Collections", "title": "Collections", "public": 1}),
		)
		self.assertNotIn("My Day", [s.label for s in (shown.get("shortcuts") or {}).get("items", [])])
		for user, allowed in ((COLLECTOR, True), (SUPERVISOR, True), (WAREHOUSE_USER, False)):
			frappe.set_user(user)
			self.assertEqual(bool(frappe.get_doc("Page", "my-day").is_permitted()), allowed, user)


class TestWordsForUsers(CollectionsTestCase):
	"""Every string the new screens show has a 简体中文 line; no requirement ids in what users read."""

	def zh(self) -> set[str]:
		"""The app's zh.csv and the words Frappe and ERPNext already translate (e.g. "Refresh")."""
		from frappe.translate import get_translations_from_apps

		with open(APP / "translations" / "zh.csv", encoding="utf-8") as f:
			ours = {row[0] for row in csv.reader(f) if row}
		return ours | set(get_translations_from_apps("zh"))

	def js_strings(self, path: Path) -> set[str]:
		return set(re.findall(r'__\("((?:[^"\\]|\\.)*)"', path.read_text(encoding="utf-8")))

	def test_page_headline_and_ranking_strings_are_translated(self):
		from collections_module.policy import ranking as rk

		module = APP / "collection_cases"
		strings = self.js_strings(module / "page" / "my_day" / "my_day.js")
		headline = self.js_strings(module / "doctype" / "collection_case" / "collection_case.js")
		self.assertIn("{0} since {1} (entered at {2} days, {3} overdue).", headline)
		self.assertIn("Today: {0} days, {1} overdue.", headline)
		strings |= headline
		for py in (module / "my_day.py", module / "my_day_rows.py"):
			strings |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', py.read_text(encoding="utf-8")))
		samples = [
			rk.RankInput(amount=1, days_overdue=d, stage="Manager", stage_level=lv, **kw)
			for d in (1, 9)
			for lv in (0, 2)
			for kw in (
				{},
				{"invoices_due": 3, "invoices_paid": 2, "avg_days_late": 0, "last_promise": rk.KEPT},
				{
					"invoices_due": 3,
					"invoices_paid": 2,
					"avg_days_late": 9,
					"promises_broken": 2,
					"last_promise": rk.BROKEN,
				},
			)
		]
		for r in map(rk.rank, samples):
			strings |= {t for t, _a in r.reasons} | {r.band}
		strings |= {"{0}: {1}", rk.HIGH, rk.MEDIUM, rk.LOW}
		strings |= {
			"My Day",
			"Overdue Total",
			"My Follow-ups Due",
			"Promises Due This Week",
			"Overdue by Stage",
		}
		missing = sorted(s for s in strings if s not in self.zh())
		self.assertEqual(missing, [])
		self.assertFalse([s for s in strings if re.search(r"\bR-[A-Z]\d", s)])


class TestEveryMessageTranslated(FrappeTestCase):
	"""Every message the app's code shows (``_("...")`` in Python, ``__("...")`` in JavaScript) has its
	简体中文 translation, in the app's zh.csv or in Frappe's and ERPNext's own."""

	def test_every_message_has_its_chinese_translation(self):
		from frappe.translate import get_translations_from_apps

		with open(APP / "translations" / "zh.csv", encoding="utf-8") as f:
			known = {row[0] for row in csv.reader(f) if row} | set(get_translations_from_apps("zh"))
		missing = []
		for path in sorted([*APP.rglob("*.py"), *APP.rglob("*.js")]):
			if {"tests", "benchmarks", "dist", "node_modules"} & set(path.parts):
				continue
			call = r"(?<![\w.])__\(" if path.suffix == ".js" else r"(?<![\w.])_\("
			# a whole literal only (followed by "," or ")"); implicit concatenations are skipped
			for text in re.findall(call + r'\s*"((?:[^"\\]|\\.)*)"\s*[,)]', path.read_text(encoding="utf-8")):
				text = text.replace('\\"', '"')
				if text not in known:
					missing.append(f"{path.relative_to(APP)}: {text}")
		self.assertEqual(missing, [])
