"""Benchmark of the team reports (Collector Performance, Team Performance, Outcome Evaluation) for one
month on a site of 50,000 cases and 500,000 contact logs. Tops the site up with synthetic closed cases
(hand-over history, stage rows) and contact logs written straight to the database, on the customers and
collectors already there; run it on a throwaway site only:

    bench --site S execute collections_module.benchmarks.performance.main --kwargs '{"cases": 50000, "contacts": 500000}'

`remove()` takes the synthetic rows away again (their names start with BENCHKPI-). Prints each
report's seconds (median of 3), as the desk calls it; figures go in the issue notes.
"""

import random
import time

import frappe
from frappe.utils import add_days, add_months, get_first_day, get_last_day, getdate, now_datetime, nowdate

PREFIX = "BENCHKPI-"


def _collectors() -> list[str]:
	users = frappe.get_all("Collector Profile", pluck="user")
	if not users:
		frappe.throw("Run the intake benchmark first: it makes the collectors.")
	return users


def top_up(cases: int, contacts: int, seed: int = 11):
	rnd = random.Random(seed)
	have = frappe.db.count("Collection Case")
	add = max(cases - have, 0)
	customers = frappe.get_all("Customer", pluck="name")
	company = frappe.defaults.get_global_default("company")
	collectors = _collectors()
	today = getdate(nowdate())
	now, user = now_datetime(), "Administrator"
	stamp = {"owner": user, "modified_by": user, "docstatus": 0}
	case_rows, hand_rows, stage_rows = [], [], []
	for i in range(add):
		name = f"{PREFIX}{i:07d}"
		created = add_days(today, -rnd.randint(30, 400))
		closed = add_days(created, rnd.randint(5, 120))
		collector = rnd.choice(collectors)
		case_rows.append(
			(
				name,
				now,
				rnd.choice(customers),
				company,
				"Closed",
				collector,
				f"{created} 09:00:00",
				closed,
				"Standard Ladder",
				rnd.choice("ABCD"),
				0,
			)
		)
		hand_rows.append(
			(
				f"{name}-h1",
				name,
				"Collection Case",
				"reassignments",
				1,
				f"{created} 10:00:00",
				None,
				collector,
			)
		)
		if rnd.random() < 0.3:
			other = rnd.choice(collectors)
			hand_rows.append(
				(
					f"{name}-h2",
					name,
					"Collection Case",
					"reassignments",
					2,
					f"{add_days(created, 3)} 10:00:00",
					collector,
					other,
				)
			)
		stage_rows.append(
			(f"{name}-s1", name, "Collection Case", "stage_history", 1, created, "", "Overdue Week 1")
		)
	_insert(
		"Collection Case",
		[
			"name",
			"modified",
			"customer",
			"company",
			"status",
			"collector",
			"creation",
			"closed_on",
			"policy",
			"risk_grade",
			"total_outstanding",
		],
		case_rows,
		stamp,
	)
	_insert(
		"Collection Case Reassignment",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"reassigned_on",
			"from_collector",
			"to_collector",
		],
		hand_rows,
		stamp,
	)
	_insert(
		"Collection Case Stage Log",
		["name", "parent", "parenttype", "parentfield", "idx", "changed_on", "from_stage", "to_stage"],
		stage_rows,
		stamp,
	)
	print(f"cases: {have} + {add} synthetic = {frappe.db.count('Collection Case')}")

	have = frappe.db.count("Contact Log")
	add = max(contacts - have, 0)
	case_names = frappe.get_all("Collection Case", fields=["name", "collector"], limit_page_length=0)
	rows = []
	for i in range(add):
		c = rnd.choice(case_names)
		day = add_days(today, -rnd.randint(0, 365))
		effective = int(rnd.random() < 0.4)
		promise = effective and rnd.random() < 0.2
		rows.append(
			(
				f"{PREFIX}{i:08d}",
				now,
				c.name,
				c.collector or rnd.choice(collectors),
				"Phone",
				"Outbound",
				f"{day} {rnd.randint(8, 20):02d}:{rnd.randint(0, 59):02d}:00",
				effective,
				"Promise to Pay" if promise else ("Callback Requested" if effective else "No Answer"),
				rnd.randint(100, 5000) if promise else 0,
				add_days(day, 7) if promise else None,
				"bench call",
				int(rnd.random() < 0.05),
			)
		)
		if len(rows) == 50_000:
			_insert("Contact Log", _CONTACT_FIELDS, rows, stamp)
			rows = []
	_insert("Contact Log", _CONTACT_FIELDS, rows, stamp)
	print(f"contact logs: {have} + {add} synthetic = {frappe.db.count('Contact Log')}")


_CONTACT_FIELDS = [
	"name",
	"modified",
	"collection_case",
	"collector",
	"channel",
	"direction",
	"start_time",
	"effective",
	"outcome",
	"promise_amount",
	"promise_date",
	"summary",
	"late_entry",
]


def _insert(doctype: str, fields: list[str], rows: list[tuple], stamp: dict):
	if not rows:
		return
	names = [*fields, *stamp] + ([] if "creation" in fields else ["creation"])
	extra = [] if "creation" in fields else [now_datetime()]
	values = [[*r, *stamp.values(), *extra] for r in rows]
	frappe.db.bulk_insert(doctype, names, values, ignore_duplicates=True, chunk_size=5000)
	frappe.db.commit()


def timed(label: str, report: str, filters: dict, user: str, repeat: int = 3) -> float:
	from frappe.desk.query_report import run

	times = []
	for _ in range(repeat):
		frappe.set_user(user)
		started = time.monotonic()
		result = run(report, filters=filters, ignore_prepared_report=True)
		times.append(time.monotonic() - started)
		frappe.set_user("Administrator")
	secs = sorted(times)[len(times) // 2]
	print(f"{label}: {secs:.2f} s (median of {repeat}), {len(result['result'])} rows")
	return secs


def main(cases: int = 50_000, contacts: int = 500_000):
	from collections_module.setup.install import ensure_indexes

	ensure_indexes()
	top_up(cases, contacts)
	manager = frappe.get_all(
		"Has Role", filters={"role": "Collection Manager", "parenttype": "User"}, pluck="parent"
	)
	user = next((u for u in manager if u != "Administrator"), "Administrator")
	start = get_first_day(add_months(nowdate(), -1))
	month = {"from_date": str(start), "to_date": str(get_last_day(start))}
	timed("Collector Performance, last month", "Collector Performance", month, user)
	timed("Team Performance, last month", "Team Performance", month, user)
	timed(
		"Outcome Evaluation, last month by collector",
		"Outcome Evaluation",
		{**month, "group_by": "Collector"},
		user,
	)


def remove():
	for doctype, field in (
		("Contact Log", "name"),
		("Collection Case Reassignment", "parent"),
		("Collection Case Stage Log", "parent"),
		("Collection Case", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{field}` like %s", f"{PREFIX}%")
	frappe.db.commit()
