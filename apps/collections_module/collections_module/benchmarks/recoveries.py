"""Benchmarks of the recovery ledger (issue 19), on a throwaway site only:

    bench --site S execute collections_module.benchmarks.recoveries.main --kwargs '{"invoices": 20000}'

1. Rebuilding it for a ledger of ``invoices`` invoices (10 per customer, half of them part-paid, one
   case per customer): synthetic Payment Ledger rows written straight to the database (names start
   with BENCHREC-), the rebuild timed, then everything removed again.
2. What writing it adds to a Payment Entry's submit: ``payments`` real invoices paid with the ledger
   events as they are, and again with the recovery rebuild switched off (median seconds each).
3. Collector Performance for a month reading it: ``rows`` synthetic recovery rows in the month.
"""

import random
import statistics
import time
from unittest import mock

import frappe
from frappe.utils import add_days, get_first_day, get_last_day, getdate, now_datetime, nowdate

PREFIX = "BENCHREC-"


def _rows(doctype: str, fields: list[str], rows: list[tuple]):
	now = now_datetime()
	stamp = ["creation", "modified", "owner", "modified_by", "docstatus"]
	for i in range(0, len(rows), 5000):
		frappe.db.bulk_insert(
			doctype,
			[*fields, *stamp],
			[(*r, now, now, "Administrator", "Administrator", 1) for r in rows[i : i + 5000]],
		)


def make_ledger(invoices: int, seed: int = 19) -> list[str]:
	rnd = random.Random(seed)
	company = frappe.defaults.get_global_default("company")
	today = getdate(nowdate())
	customers = [f"{PREFIX}C{i:06d}" for i in range(max(invoices // 10, 1))]
	si, ple, cases = [], [], []
	for c, customer in enumerate(customers):
		cases.append((f"{PREFIX}CASE{c:06d}", customer, company, "Open", f"{add_days(today, -200)} 09:00:00"))
	for i in range(invoices):
		customer = customers[i % len(customers)]
		name = f"{PREFIX}SI{i:07d}"
		posted = add_days(today, -rnd.randint(40, 180))
		due = add_days(posted, 30)
		si.append((name, customer, company, posted, due))
		ple.append((f"{PREFIX}P{i:07d}a", "Sales Invoice", name, name, customer, company, posted, 1000.0))
		if i % 2:
			paid_on = add_days(due, rnd.randint(-5, 20))
			ple.append(
				(
					f"{PREFIX}P{i:07d}b",
					"Payment Entry",
					f"{PREFIX}PE{i:07d}",
					name,
					customer,
					company,
					paid_on,
					-500.0,
				)
			)
	_rows("Sales Invoice", ["name", "customer", "company", "posting_date", "due_date"], si)
	fields = [
		"name",
		"voucher_type",
		"voucher_no",
		"against_voucher_no",
		"party",
		"company",
		"posting_date",
		"amount",
	]
	_rows(
		"Payment Ledger Entry",
		[*fields, "against_voucher_type", "party_type", "delinked"],
		[(*r, "Sales Invoice", "Customer", 0) for r in ple],
	)
	_rows(
		"Collection Case", ["name", "customer", "company", "status", "creation_"][:4], [r[:4] for r in cases]
	)
	frappe.db.sql(
		f"update `tabCollection Case` set creation = %s where name like '{PREFIX}%%'", add_days(today, -200)
	)
	return customers


def remove():
	for doctype, field in (
		("Collection Recovery", "customer"),
		("Payment Ledger Entry", "name"),
		("Sales Invoice", "name"),
		("Collection Case", "name"),
	):
		frappe.db.sql(f"delete from `tab{doctype}` where `{field}` like '{PREFIX}%%'")
	frappe.db.commit()


def bench_rebuild(invoices: int) -> float:
	from collections_module.integrations.erpnext.recoveries import rebuild

	remove()
	customers = make_ledger(invoices)
	frappe.db.commit()
	started = time.monotonic()
	result = rebuild(customers)
	seconds = time.monotonic() - started
	frappe.db.commit()
	print(f"rebuild of {invoices} invoices ({len(customers)} customers): {seconds:.1f} s, {result}")
	again = time.monotonic()
	result = rebuild(customers)
	print(f"  again (nothing to change): {time.monotonic() - again:.1f} s, {result}")
	remove()
	return seconds


def bench_submit(payments: int) -> tuple[float, float]:
	from collections_module.integrations.erpnext import recoveries
	from collections_module.tests.utils import make_customer, make_invoice, pay

	def timed_payments():
		out = []
		for _i in range(payments):
			customer = make_customer("Bench Submit")
			si = make_invoice(customer, due_in_days=-20, amount=1000)
			started = time.monotonic()
			pay(si.name, 400)
			out.append(time.monotonic() - started)
		frappe.db.rollback()
		return statistics.median(out)

	with_ledger = timed_payments()
	with mock.patch.object(recoveries, "rebuild", lambda *a, **k: {"written": 0, "deleted": 0}):
		without = timed_payments()
	print(
		f"Payment Entry submit (median of {payments}): {with_ledger * 1000:.0f} ms with the recovery ledger, "
		f"{without * 1000:.0f} ms without: +{(with_ledger / without - 1) * 100:.1f} %"
	)
	return with_ledger, without


def bench_performance(rows: int) -> float:
	from collections_module.team.performance import gather

	today = getdate(nowdate())
	first, last = get_first_day(today), get_last_day(today)
	collectors = frappe.get_all("Collector Profile", pluck="user") or ["Administrator"]
	rnd = random.Random(3)
	frappe.db.sql(f"delete from `tabCollection Recovery` where name like '{PREFIX}%%'")
	_rows(
		"Collection Recovery",
		["name", "recovery_key", "customer", "company", "posting_date", "amount", "allocated", "collector"],
		[
			(
				f"{PREFIX}R{i:07d}",
				f"{PREFIX}{i}",
				f"{PREFIX}C{i % 5000:06d}",
				frappe.defaults.get_global_default("company"),
				add_days(first, rnd.randint(0, (last - first).days)),
				100.0,
				100.0,
				rnd.choice(collectors),
			)
			for i in range(rows)
		],
	)
	frappe.db.commit()
	times = []
	for _i in range(3):
		started = time.monotonic()
		gather(first, last)
		times.append(time.monotonic() - started)
	frappe.db.sql(f"delete from `tabCollection Recovery` where name like '{PREFIX}%%'")
	frappe.db.commit()
	print(f"Collector Performance for a month with {rows} recovery rows: {statistics.median(times):.2f} s")
	return statistics.median(times)


def main(invoices: int = 20_000, payments: int = 10, rows: int = 50_000):
	frappe.set_user("Administrator")
	bench_rebuild(invoices)
	bench_submit(payments)
	bench_performance(rows)
