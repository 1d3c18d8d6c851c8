"""Benchmark of the My Day data call on a big portfolio (goal: p95 <= 150 ms). Run it on a throwaway
development site only:

    bench --site S execute collections_module.benchmarks.my_day.main --kwargs '{"cases": 50000, "calls": 100}'

Makes ``cases`` Collection Case rows for a throwaway collector straight into the table (bulk insert, no
controllers), with next action dates spread from ``past_days`` ago to ``future_days`` ahead (so about
past/(past+future) of them are due), a tenth closed, the daily run's open follow-up ToDos on most due
cases (and left open on 2% of the others) and closed ones on ``todo_share`` of them; then times ``calls`` calls of get_my_day as that
collector, each with the request-level caches cleared as a new request would have them, and prints
p50/p95/max (``profile``: where one call spends its time). It all happens in one transaction that is never committed and is rolled back at the
end (also on failure), so nothing stays and other sessions never see the rows. Figures go in the issue
notes, not in tests.
"""

import random
import statistics
import time

import frappe
from frappe.utils import add_days, now_datetime

from collections_module.collection_cases import my_day
from collections_module.policy import roles
from collections_module.tests.utils import company, today

PREFIX = "BENCH-MYDAY-"
STAGES = [  # (stage, from day, to day) of the shipped Standard Ladder
	("Overdue Week 1", 1, 7),
	("Overdue Week 2", 8, 14),
	("Daily Follow-up", 15, 28),
	("Supervisor", 29, 30),
	("Manager", 31, 60),
	("General Manager", 61, 90),
	("Stock Release Lock", 91, 120),
	("Formal Letters", 121, 400),
]
CASE_FIELDS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"customer",
	"customer_name",
	"company",
	"status",
	"collector",
	"policy",
	"current_stage",
	"total_outstanding",
	"oldest_days_overdue",
	"next_action_date",
	"verified",
	"disputed",
	"debtor_timezone",
	"promise_status",
	"last_contact_summary",
	"next_step",
]
TODO_FIELDS = [
	"name",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
	"status",
	"priority",
	"date",
	"allocated_to",
	"description",
	"reference_type",
	"reference_name",
	"assigned_by",
]


def make_portfolio(
	collector: str, cases: int, past_days: int, future_days: int, todo_share: float, seed: int = 11
) -> int:
	rnd = random.Random(seed)
	now, day0 = now_datetime(), today()
	comp = company()
	rows, todos, due = [], [], 0
	for i in range(cases):
		days = rnd.randint(1, 200)
		stage = next(s for s, lo, hi in STAGES if lo <= days <= hi) if days <= 400 else "Formal Letters"
		closed = rnd.random() < 0.1
		offset = rnd.randint(-past_days, future_days)
		due += int(not closed and offset <= 0)
		name = f"{PREFIX}{i:06d}"
		rows.append(
			(
				name,
				now,
				now,
				"Administrator",
				"Administrator",
				0,
				f"_BENCH Customer {i:06d}",
				f"Bench Customer {i:06d}",
				comp,
				"Closed" if closed else rnd.choice(["Open", "Open", "In Progress", "Promise to Pay"]),
				collector,
				"Standard Ladder",
				stage,
				round(rnd.uniform(100, 200_000), 2),
				days,
				add_days(day0, offset),
				1,
				0,
				rnd.choice(["Asia/Shanghai", "Asia/Singapore", "Europe/Berlin"]),
				rnd.choice(["", "", "Pending", "Kept", "Broken"]),
				"Phone (No Answer): called the accounts desk",
				"Call again",
			)
		)
		# the daily run's follow-ups: open on most due cases (dated their next action), left open past
		# their date on a few others; closed ones from earlier weeks on ``todo_share`` of the cases
		follow_ups = []
		if not closed and offset <= 0 and rnd.random() < 0.8:
			follow_ups.append(("Open", add_days(day0, offset)))
		elif not closed and rnd.random() < 0.02:
			follow_ups.append(("Open", add_days(day0, -rnd.randint(1, 10))))
		if rnd.random() < todo_share:
			follow_ups.append(("Closed", add_days(day0, -30)))
		if follow_ups:
			for status, on in follow_ups:
				todos.append(
					(
						f"{PREFIX}T{i:06d}{status[0]}",
						now,
						now,
						"Administrator",
						"Administrator",
						0,
						status,
						"Medium",
						on,
						collector,
						"Follow up: stage Daily Follow-up",
						"Collection Case",
						name,
						"Administrator",
					)
				)
	frappe.db.bulk_insert("Collection Case", CASE_FIELDS, rows, chunk_size=5000)
	frappe.db.bulk_insert("ToDo", TODO_FIELDS, todos, chunk_size=5000)
	return due


def clean_up(collector: str | None = None):
	"""Recovery only (``main`` commits nothing and rolls back): delete benchmark rows left committed by
	an interrupted older run, in small committed batches, skipping rows another session holds.

	    bench --site S execute collections_module.benchmarks.my_day.clean_up
	"""
	for _ in range(10_000):
		left = 0
		for table in ("tabToDo", "tabCollection Case"):
			names = frappe.db.sql(
				f"select `name` from `{table}` where `name` like %s limit 2000 for update skip locked",
				(PREFIX + "%",),
				pluck=True,
			)
			if names:
				frappe.db.sql(f"delete from `{table}` where `name` in %s", (tuple(names),))
			frappe.db.commit()
			left += frappe.db.sql(f"select count(*) from `{table}` where `name` like %s", (PREFIX + "%",))[0][
				0
			]
		if not left:
			break
		time.sleep(0.5)
	for user in (
		[collector]
		if collector
		else frappe.get_all("User", {"name": ["like", "cm.bench.myday.%"]}, pluck="name")
	):
		if frappe.db.exists("User", user):
			frappe.delete_doc("User", user, ignore_permissions=True, force=True)
	frappe.db.commit()


def explain_due(collector: str) -> list[str]:
	"""The plan and time of each query of the due cases, as the page runs it for ``collector``."""
	out = []
	case_cond, todo_cond = my_day._scope(collector, "")
	for label, sql in my_day.due_queries(case_cond, todo_cond).items():
		values = {"open": my_day.open_statuses(), "today": today(), "collector": collector}
		t0 = time.perf_counter()
		n = len(frappe.db.sql(sql, values))
		ms = (time.perf_counter() - t0) * 1000
		plan = frappe.db.sql("explain " + sql, values, as_dict=True)
		out.append(
			f"{label}: {n} rows in {ms:.1f} ms; " + "; ".join(f"{p.table}:{p.key}:{p.rows}" for p in plan)
		)
	return out


def new_request():
	"""What a new request starts without: the request-level caches (Redis keeps its own)."""
	frappe.local.cache = {}
	frappe.local.role_permissions = {}
	frappe.local.user_perms = None
	frappe.local.document_cache = {}


def main(
	cases: int = 50_000,
	calls: int = 100,
	past_days: int = 7,
	future_days: int = 358,
	todo_share: float = 0.2,
	limit: int = my_day.DEFAULT_LIMIT,
	profile: bool = False,
):
	frappe.flags.in_test = True  # keep e-mail and notifications quiet
	collector = f"cm.bench.myday.{frappe.generate_hash(length=6)}@example.com"
	# one transaction, never committed and rolled back at the end: other sessions on the site (a daily
	# run, someone's tests) never see the benchmark's cases
	frappe.db.rollback()
	try:
		frappe.get_doc(
			{"doctype": "User", "email": collector, "first_name": "Bench Collector", "send_welcome_email": 0}
		).insert(ignore_permissions=True)
		frappe.get_doc("User", collector).add_roles(roles.COLLECTOR)
		started = time.monotonic()
		due = make_portfolio(collector, cases, past_days, future_days, todo_share)
		print(
			f"{cases} cases for {collector} made in {time.monotonic() - started:.1f} s; next action due on {due}"
		)
		print(
			f"{frappe.db.count('Collection Case')} Collection Case rows on the site, "
			f"{frappe.db.count('ToDo')} ToDo rows (in this transaction)"
		)

		frappe.set_user(collector)
		day = my_day.get_my_day(limit=limit)  # warm-up
		print(
			f"one call: {day['total']} due, {day['ranked']} ranked{' (capped)' if day['capped'] else ''}, "
			f"{len(day['rows'])} rows returned"
		)
		if profile:  # where one call spends its time
			import cProfile
			import pstats

			new_request()
			with cProfile.Profile() as prof:
				my_day.get_my_day(limit=limit)
			pstats.Stats(prof).sort_stats("cumulative").print_stats(r"my_day|ranking", 30)
			for sql in explain_due(collector):
				print(sql)
		timings = []
		for _ in range(int(calls)):
			new_request()
			t0 = time.perf_counter()
			my_day.get_my_day(limit=limit)
			timings.append((time.perf_counter() - t0) * 1000)
		timings.sort()
		p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
		print(
			f"get_my_day as the collector, {len(timings)} calls: p50 {statistics.median(timings):.1f} ms, "
			f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (goal p95 <= 150 ms)"
		)
		frappe.set_user("Administrator")
		for row in frappe.db.sql(
			"explain select name from `tabCollection Case` where status in ('Open','In Progress','Promise to Pay','Paused','Legal') "
			"and next_action_date <= %s and collector = %s",
			(today(), collector),
			as_dict=True,
		):
			print(f"plan (cases due): key={row.key} rows={row.rows} extra={row.Extra}")
	finally:
		frappe.set_user("Administrator")
		frappe.db.rollback()
		print("rolled back: nothing of the benchmark stays on the site")
