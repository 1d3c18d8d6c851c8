"""Benchmark of the daily ladder run on a trial ledger. Creates real customers and submitted Sales
Invoices, so run it on a throwaway development site only:

    bench --site S execute collections_module.benchmarks.daily_run.main --kwargs '{"customers": 1000, "invoices": 5}'

Prints the ledger size, ERPNext's Accounts Receivable report time on it, and each run's seconds, its
ratio to the report, the time per case and the longest transaction (chunk); figures go in the issue
notes, not in tests.
"""

import contextlib
import random
import time

import frappe
from frappe.utils import add_days

from collections_module.collection_cases.ladder.jobs import run
from collections_module.tests.utils import make_customer, make_invoice, today


def build_ledger(customers: int, invoices: int, seed: int = 7, events: bool = True) -> float:
	"""``events`` off: the invoices are posted without the collections ledger event, as on a site where
	the app is installed after the fact (the first run then opens the cases)."""
	from unittest import mock

	from collections_module.integrations.erpnext import ledger_events

	rnd = random.Random(seed)
	started = time.monotonic()
	quiet = mock.patch.object(ledger_events, "on_ledger_change", lambda doc, method=None: None)
	with quiet if not events else contextlib.nullcontext():
		for i in range(customers):
			customer = make_customer(f"Bench {i:05d}")
			for _ in range(invoices):
				make_invoice(customer, due_in_days=rnd.randint(-150, 20), amount=rnd.randint(100, 50_000))
			if i % 50 == 49:
				frappe.db.commit()
	frappe.db.commit()
	return time.monotonic() - started


def ar_report_seconds(repeat: int = 3) -> float:
	"""ERPNext's Accounts Receivable report on the same ledger, median of ``repeat`` runs."""
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute

	company = frappe.defaults.get_global_default("company")
	times = []
	for _ in range(repeat):
		started = time.monotonic()
		execute(
			frappe._dict(
				company=company, report_date=today(), ageing_based_on="Due Date", range="30, 60, 90, 120"
			)
		)
		times.append(time.monotonic() - started)
	return sorted(times)[len(times) // 2]


def timed(label: str, ar: float | None = None, **kwargs):
	"""One run as the scheduler makes it (committed chunk by chunk); the longest chunk is the longest
	transaction."""
	chunk_times = []
	last = [time.monotonic()]

	def progress(done, total):
		now = time.monotonic()
		chunk_times.append(now - last[0])
		last[0] = now

	started = time.monotonic()
	report = run(commit=not kwargs.get("dry_run"), progress=progress, **kwargs)
	secs = time.monotonic() - started
	frappe.db.commit() if not kwargs.get("dry_run") else frappe.db.rollback()
	followups = sum(1 for p in report.cases if p.decision and p.decision.follow_up_due)
	ratio = f", {secs / ar:.2f}x the AR report" if ar else ""
	longest = f", longest transaction {max(chunk_times):.2f}s" if chunk_times else ""
	per_case = secs / max(len(report.cases), 1) * 1000
	print(
		f"{label}: {secs:.2f}s{ratio}, {len(report.cases)} cases ({per_case:.1f} ms each), "
		f"{followups} follow-ups{longest}"
	)
	return secs


def reset():
	"""Take away everything the collections runs made (a throwaway site only), so the next run is a
	first run again."""
	for sql in (
		"delete from `tabCollection Case Invoice` where parenttype = 'Collection Case'",
		"delete from `tabCollection Case Stage Log` where parenttype = 'Collection Case'",
		"delete from `tabCollection Case Reassignment` where parenttype = 'Collection Case'",
		"delete from `tabCollection Case`",
		"delete from `tabToDo` where reference_type = 'Collection Case'",
		"delete from `tabComment` where reference_doctype = 'Collection Case'",
		"delete from `tabVersion` where ref_doctype = 'Collection Case'",
		"delete from `tabNotification Log` where document_type = 'Collection Case' or link = '/app/my-day'",
		"delete from `tabStock Release Lock`",
		"delete from `tabCollection Letter Invoice`",
		"delete from `tabCollection Letter`",
		"delete from `tabCollections Run Log`",
	):
		frappe.db.sql(sql)
	frappe.db.commit()


def timed_background(label: str, ar: float, on_date) -> float:
	"""The scheduler's way: chunks queued as jobs on the long queue (start `bench worker --queue long`
	workers first); seconds until the run's log says it finished."""
	started = time.monotonic()
	run(on_date, commit=True, background=True)
	frappe.db.commit()
	log = frappe.get_last_doc("Collections Run Log").name
	while True:
		time.sleep(0.25)
		frappe.db.rollback()  # a fresh snapshot
		status, chunks, cases = frappe.db.get_value("Collections Run Log", log, ["status", "chunks", "cases"])
		if status != "Running":
			break
	secs = time.monotonic() - started
	print(
		f"{label}: {secs:.2f}s, {secs / ar:.2f}x the AR report, {cases} cases in {chunks} chunk jobs ({status})"
	)
	return secs


def main(
	customers: int = 200, invoices: int = 4, build: bool = True, fresh: bool = False, workers: bool = False
):
	frappe.flags.in_test = False
	if fresh:
		reset()
	if build:
		secs = build_ledger(int(customers), int(invoices))
		n = int(customers) * int(invoices)
		print(
			f"built {customers} customers / {n} submitted invoices in {secs:.1f}s ({secs / n * 1000:.0f} ms per invoice incl. the case event)"
		)
	open_invoices = frappe.db.count("Sales Invoice", {"docstatus": 1, "outstanding_amount": [">", 0]})
	open_cases = frappe.db.count("Collection Case", {"status": ["!=", "Closed"]})
	print(f"ledger: {open_invoices} open invoices, {open_cases} open cases")
	ar = ar_report_seconds()
	print(f"Accounts Receivable report: {ar:.2f}s (median of 3)")
	timed("dry run, today", ar, on_date=today(), dry_run=True)
	timed("first run, today", ar, on_date=today())
	timed("same date again", ar, on_date=today())
	timed("an ordinary day (the next)", ar, on_date=add_days(today(), 1))
	# every open case due: as if nobody had been followed up
	frappe.db.sql("update `tabCollection Case` set last_follow_up_on = null where status != 'Closed'")
	frappe.db.commit()
	timed("a day when every case is due", ar, on_date=add_days(today(), 2))
	from collections_module.collection_cases.preview import preview_policy

	policy = frappe.get_doc("Collection Policy", "Standard Ladder")
	started = time.monotonic()
	preview_policy(policy.name, [row.as_dict() for row in policy.stages])
	print(f"preview of a policy change: {time.monotonic() - started:.2f}s")
	if workers:  # the same days again, written by chunk jobs on the long queue's workers
		timed_background("an ordinary day, by chunk jobs", ar, add_days(today(), 3))
		frappe.db.sql("update `tabCollection Case` set last_follow_up_on = null where status != 'Closed'")
		frappe.db.commit()
		timed_background("a day when every case is due, by chunk jobs", ar, add_days(today(), 4))
