"""Benchmark of the daily ladder run on a trial ledger. Creates real customers and submitted Sales
Invoices, so run it on a throwaway development site only:

    bench --site S execute collections_module.benchmarks.daily_run.main --kwargs '{"customers": 500, "invoices": 4}'

Prints the ledger size and the seconds of each run; figures go in the issue notes, not in tests.
"""

import random
import time

import frappe
from frappe.utils import add_days

from collections_module.ladder_run import run
from collections_module.tests.utils import make_customer, make_invoice, today


def build_ledger(customers: int, invoices: int, seed: int = 7) -> float:
	rnd = random.Random(seed)
	started = time.monotonic()
	for i in range(customers):
		customer = make_customer(f"Bench {i:05d}")
		for _ in range(invoices):
			make_invoice(customer, due_in_days=rnd.randint(-150, 20), amount=rnd.randint(100, 50_000))
		if i % 50 == 49:
			frappe.db.commit()
	frappe.db.commit()
	return time.monotonic() - started


def timed(label: str, **kwargs):
	started = time.monotonic()
	report = run(**kwargs)
	secs = time.monotonic() - started
	frappe.db.commit() if not kwargs.get("dry_run") else frappe.db.rollback()
	followups = sum(1 for p in report.cases if p.decision and p.decision.follow_up_due)
	print(f"{label}: {secs:.2f}s, {len(report.cases)} cases, {followups} follow-ups")
	return secs


def main(customers: int = 200, invoices: int = 4, build: bool = True):
	frappe.flags.in_test = False
	if build:
		secs = build_ledger(int(customers), int(invoices))
		n = int(customers) * int(invoices)
		print(
			f"built {customers} customers / {n} submitted invoices in {secs:.1f}s ({secs / n * 1000:.0f} ms per invoice incl. the case event)"
		)
	open_invoices = frappe.db.count("Sales Invoice", {"docstatus": 1, "outstanding_amount": [">", 0]})
	open_cases = frappe.db.count("Collection Case", {"status": ["!=", "Closed"]})
	print(f"ledger: {open_invoices} open invoices, {open_cases} open cases")
	timed("dry run, today", on_date=today(), dry_run=True)
	timed("first run, today", on_date=today())
	timed("second run, same date (idempotent)", on_date=today())
	timed("next day", on_date=add_days(today(), 1))
