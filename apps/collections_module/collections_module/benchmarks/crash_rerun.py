"""Crash and concurrency check of the daily run, for a throwaway site (it makes real customers and
submitted invoices). Driven by benchmarks/crash_rerun.sh, which kills runs part-way and starts two at
once; this module builds the ledger and counts what must never be doubled.

    bench --site S execute collections_module.benchmarks.crash_rerun.build --kwargs '{"customers": 300}'
    bench --site S execute collections_module.benchmarks.crash_rerun.duplicates
"""

import frappe

from collections_module.benchmarks.daily_run import build_ledger

CHECKS = {
	"open cases per customer and company": """select customer, company from `tabCollection Case`
		where status != 'Closed' group by customer, company having count(*) > 1""",
	"live locks per customer and company": """select customer, company from `tabStock Release Lock`
		where status in ('Proposed', 'Approved', 'Active', 'Release Proposed')
		group by customer, company having count(*) > 1""",
	"open follow-ups per case and person": """select reference_name, allocated_to from `tabToDo`
		where reference_type = 'Collection Case' and status = 'Open'
		group by reference_name, allocated_to having count(*) > 1""",
	"stage rows per case, day and stage": """select parent, changed_on, to_stage from `tabCollection Case Stage Log`
		where parenttype = 'Collection Case' group by parent, changed_on, to_stage having count(*) > 1""",
	"escalations per case, person and message": """select document_name, for_user, subject from `tabNotification Log`
		where document_type = 'Collection Case' group by document_name, for_user, subject having count(*) > 1""",
	"letters awaiting per case": """select collection_case from `tabCollection Letter`
		where status in ('Draft', 'Pending Approval') group by collection_case having count(*) > 1""",
}


def build(customers: int = 300, invoices: int = 1, seed: int = 11, events: bool = True):
	frappe.flags.in_test = False
	secs = build_ledger(int(customers), int(invoices), seed=int(seed), events=bool(events))
	print(f"built {customers} customers with {invoices} invoice(s) each in {secs:.1f}s")


def duplicates() -> int:
	total = 0
	for label, sql in CHECKS.items():
		found = len(frappe.db.sql(sql))
		total += found
		print(f"{label}: {found} doubled")
	print(f"duplicates found: {total}")
	return total
