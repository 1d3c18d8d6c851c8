"""Benchmark: what the stock-release lock check costs a Delivery Note submit (goal: ratio <= 1.05).

    bench --site S execute collections_module.benchmarks.lock_check.main --kwargs '{"rounds": 60}'

Submits Delivery Notes for a customer with no lock, alternating the real check with the check replaced
by a no-op (the hook resolves its function by name at every call), and compares the medians. Everything
is rolled back at the end.
"""

import statistics
import time

import frappe

from collections_module.integrations.erpnext import shipment_guard
from collections_module.tests.utils import make_customer, make_delivery_note


def main(rounds: int = 60):
	frappe.flags.in_test = True  # keep e-mail and notifications quiet
	customer = make_customer("Lock Bench")
	real = shipment_guard.guard_shipment
	timings = {"with check": [], "check disabled": []}
	guard_only = []
	try:
		for i in range(int(rounds) * 2):
			label = "with check" if i % 2 == 0 else "check disabled"
			shipment_guard.guard_shipment = real if label == "with check" else (lambda doc, method=None: None)
			dn = make_delivery_note(customer)
			started = time.perf_counter()
			dn.submit()
			timings[label].append(time.perf_counter() - started)
			if label == "with check":
				t0 = time.perf_counter()
				real(dn)
				guard_only.append(time.perf_counter() - t0)
	finally:
		shipment_guard.guard_shipment = real
		frappe.db.rollback()
	with_check = statistics.median(timings["with check"])
	without = statistics.median(timings["check disabled"])
	print(f"Delivery Note submit, customer without a lock, {rounds} rounds each:")
	print(f"  median with check     {with_check * 1000:.1f} ms")
	print(f"  median check disabled {without * 1000:.1f} ms")
	print(
		f"  ratio {with_check / without:.3f}; the check alone: median {statistics.median(guard_only) * 1e6:.0f} µs"
	)
