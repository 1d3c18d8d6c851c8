"""Benchmark of debts handed in: a batch imported through Frappe's Data Import, then allocated across a
team. Creates real Debts, Customers and Collection Cases, so run it on a throwaway site only:

    bench --site S execute collections_module.benchmarks.intake.main --kwargs '{"rows": 10000, "collectors": 40}'

Prints the import's seconds and rows per second, and the seconds of the allocation proposal and of its
confirmation (cases, ToDos, reassignment rows). Figures go in the issue notes, not in tests.
"""

import csv
import io
import time

import frappe
from frappe.utils import add_days, now_datetime

from collections_module.policy import roles
from collections_module.tests.utils import collector_profile, company, today

CLIENT = "_Bench Intake Client"
HEADER = [
	"Client",
	"Client's Account No.",
	"Intake Batch",
	"Company",
	"Due Date",
	"Debtor",
	"ID Number",
	"Phones",
	"Region",
	"Principal",
	"Interest",
	"Fees",
	"Currency",
]


def _team(collectors: int, capacity: int) -> list[str]:
	users = [f"bench.alloc{i:03d}@example.com" for i in range(collectors)]
	for i, user in enumerate(users):
		collector_profile(
			user,
			team="_Bench Intake",
			active=1,
			capacity_cases=capacity,
			regions="North" if i % 4 == 0 else "",
		)
	frappe.db.commit()
	return users


def _import(batch: str, rows: int) -> tuple[float, frappe._dict]:
	from frappe.core.doctype.data_import.data_import import start_import

	currency = frappe.get_cached_value("Company", company(), "default_currency")
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(HEADER)
	due = add_days(today(), -45)
	for i in range(rows):
		writer.writerow(
			[
				CLIENT,
				f"B-{batch}-{i:06d}",
				batch,
				company(),
				due,
				f"Bench Debtor {batch} {i:06d}",
				f"BID{batch}{i:06d}",
				"13800000000",
				"North" if i % 3 == 0 else "South",
				500 + (i * 37) % 20_000,
				25,
				5,
				currency,
			]
		)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"bench-debts-{batch}.csv",
			"content": out.getvalue(),
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": "Debt",
			"import_type": "Insert New Records",
			"import_file": file.file_url,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	started = time.monotonic()
	start_import(data_import.name)  # as the background job does it
	seconds = time.monotonic() - started
	ok = frappe.db.count("Data Import Log", {"data_import": data_import.name, "success": 1})
	failed = frappe.db.count("Data Import Log", {"data_import": data_import.name, "success": 0})
	return seconds, frappe._dict(
		ok=ok, failed=failed, status=frappe.db.get_value("Data Import", data_import.name, "status")
	)


def main(rows: int = 10_000, collectors: int = 40, capacity: int = 300):
	from collections_module.intake.allocation import confirm, propose

	frappe.set_user("Administrator")
	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert()
	users = _team(collectors, capacity)
	# only this team takes part
	frappe.db.set_value("Collector Profile", {"team": ["!=", "_Bench Intake"]}, "active", 0)
	batch = frappe.get_doc(
		{
			"doctype": "Intake Batch",
			"client": CLIENT,
			"company": company(),
			"received_at": now_datetime(),
		}
	).insert()
	frappe.db.commit()
	print(f"batch {batch.name}: {rows} debts, {len(users)} collectors of capacity {capacity}")

	seconds, result = _import(batch.name, rows)
	print(
		f"import: {seconds:.1f} s, {result.ok / seconds:.1f} debts/s, {result.ok} imported, "
		f"{result.failed} failed, status {result.status}"
	)
	cases = frappe.db.sql(
		"""select count(distinct c.name) from `tabCollection Case` c
		join `tabCollection Case Invoice` l on l.parent = c.name
		join `tabDebt` d on d.name = l.debt
		where d.intake_batch = %s and c.status != 'Closed'""",
		batch.name,
	)[0][0]
	print(f"open cases of the batch: {cases}")

	started = time.monotonic()
	proposal = propose(batch.name)
	proposed = time.monotonic() - started
	started = time.monotonic()
	allocated = confirm(batch.name, proposal["assignments"])
	frappe.db.commit()
	confirmed = time.monotonic() - started
	print(
		f"allocation: proposal {proposed:.2f} s for {len(proposal['assignments'])} cases; "
		f"confirmation {confirmed:.2f} s for {allocated} cases"
	)
	loads = sorted(lo["after"] for lo in proposal["loads"])
	print(f"load after: min {loads[0]}, max {loads[-1]} (capacity {capacity})")
