"""Sequences, not stories: customers driven through random sequences of ledger events and days, the
app's promises checked after every step (R-B1..R-B7).

Each step happens on the machine's day (time frozen there): an invoice (one term or two), a part or
full payment (or one dated days ahead), a credit note, a cancellation of any of these, ERPNext's Unreconcile Payment, or the
next day's daily run (a day to three weeks on), or the same day's run again. After every step, for each customer:
- something overdue in ERPNext's own Accounts Receivable report <=> exactly one open case, else none;
- the open case's total is that report's overdue outstanding;
- a closed case holds no key and nothing outstanding;
- the run reported no failure and the Error Log has nothing for the customer;
- at most one live stock-release lock; no two open follow-ups of one case for one person.

CI walks 8 sequences of 24 steps drawn from a fixed seed, the same every run; `COLLECTIONS_SEQUENCE_SEED`,
`COLLECTIONS_SEQUENCE_EXAMPLES` and `COLLECTIONS_SEQUENCE_STEPS` walk others, more or longer, and
`COLLECTIONS_EXPLORE=N` lets Hypothesis search N sequences of the same machine.
"""

import os
import random
import time
from contextlib import contextmanager
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, nowdate
from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from collections_module.collection_cases.ladder import jobs as ladder_jobs
from collections_module.policy.stock_lock import LIVE_STATES
from collections_module.tests.utils import company, ensure_users, make_customer, make_invoice, pay

CASE = "Collection Case"
CUSTOMERS = 2
STEPS = int(os.environ.get("COLLECTIONS_SEQUENCE_STEPS") or 24)
EXAMPLES = int(os.environ.get("COLLECTIONS_SEQUENCE_EXAMPLES") or 8)


@contextmanager
def on_day(day: date):
	"""Everything inside happens on ``day``: postings, ledger events and the run (freezegun)."""
	from freezegun import freeze_time

	with freeze_time(f"{day} 10:00:00", tick=True):
		yield


def erpnext_receivable(customer: str, day: date) -> tuple[float, int]:
	"""The customer's overdue outstanding on ``day`` as ERPNext's Accounts Receivable report gives it,
	per payment term (terms at least a day past due), and the days overdue of its oldest such term."""
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute

	_columns, rows, *_ = execute(
		frappe._dict(
			company=company(),
			report_date=str(day),
			party_type="Customer",
			party=[customer],
			ageing_based_on="Due Date",
			range="30, 60, 90, 120",
			based_on_payment_terms=1,
		)
	)
	due = [
		r
		for r in rows
		if isinstance(r, dict)
		and r.get("voucher_type")
		== "Sales Invoice"  # an unallocated payment is a credit, not a payment of what is due
		and r.get("due_date")
		and getdate(r["due_date"]) < day
		and flt(r.get("outstanding")) > 0
	]
	total = flt(sum(flt(r.get("outstanding")) for r in due), 2)
	oldest = max(((day - getdate(r["due_date"])).days for r in due), default=0)
	return total, oldest


STATS = {"sequences": 0, "steps": 0, "checks": 0}


@seed(int(os.environ.get("COLLECTIONS_SEQUENCE_SEED") or 20261207))
class LedgerSequences(RuleBasedStateMachine):
	def __init__(self):
		super().__init__()
		self.day = getdate(nowdate())
		self.customers: list[str] = []
		self.invoices: list[str] = []  # submitted, not returns
		self.payments: list[str] = []
		self.credits: list[str] = []
		self.failures: list[str] = []
		self.trace: list[str] = []  # what happened, for the message of a broken promise

	@initialize()
	def customers_of_a_fresh_sequence(self):
		STATS["sequences"] += 1
		with on_day(self.day):
			self.customers = [make_customer(f"Sequence {i}") for i in range(CUSTOMERS)]

	# --- the ledger ------------------------------------------------------------------------------

	@rule(
		who=st.integers(0, CUSTOMERS - 1),
		due_in=st.integers(-40, 5),
		amount=st.sampled_from([100, 250, 400]),
		split=st.booleans(),
	)
	def invoice(self, who, due_in, amount, split):
		STATS["invoice"] = STATS.get("invoice", 0) + 1
		with on_day(self.day):
			terms = [(due_in, 50), (due_in + 20, 50)] if split else None
			si = make_invoice(self.customers[who], due_in_days=due_in, amount=amount, terms=terms, qty=5)
		self.invoices.append(si.name)
		self._did(f"invoice {si.name} of {who}: {amount}, due in {due_in}{' (split)' if split else ''}")

	@precondition(lambda self: self._owing())
	@rule(pick=st.integers(0, 1000), full=st.booleans())
	def payment(self, pick, full):
		STATS["payment"] = STATS.get("payment", 0) + 1
		invoice = self._pick(self._owing(), pick)
		outstanding = frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")
		with on_day(self.day):
			pe = pay(invoice, None if full else flt(outstanding / 2, 2))
		self.payments.append(pe.name)
		self._did(f"payment {pe.name} of {pe.paid_amount} on {invoice}")

	@precondition(lambda self: self._owing())
	@rule(pick=st.integers(0, 1000), days=st.integers(1, 10))
	def post_dated_payment(self, pick, days):
		"""A cheque dated ``days`` ahead: not money before its date."""
		STATS["post_dated_payment"] = STATS.get("post_dated_payment", 0) + 1
		invoice = self._pick(self._owing(), pick)
		with on_day(self.day):
			pe = pay(invoice, posting_date=add_days(self.day, days))
		self.payments.append(pe.name)
		self._did(f"payment {pe.name} of {pe.paid_amount} on {invoice} dated {pe.posting_date}")

	@precondition(lambda self: self._owing())
	@rule(pick=st.integers(0, 1000))
	def credit_note(self, pick):
		STATS["credit_note"] = STATS.get("credit_note", 0) + 1
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		invoice = self._pick(self._owing(), pick)
		with on_day(self.day):
			credit = make_sales_return(invoice)
			credit.items[0].qty = -1  # one of five returned, credited against the invoice
			credit.set_posting_time, credit.posting_date = 1, self.day
			credit.set_missing_values()
			credit.calculate_taxes_and_totals()
			credit.update_outstanding_for_self = 0
			credit.insert(ignore_permissions=True)
			if flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")) < -credit.grand_total:
				return  # more than is owed: ERPNext refuses it, a person would not submit it
			credit.submit()
		self.credits.append(credit.name)
		self._did(
			f"credit note {credit.name} of {credit.grand_total} on {invoice} posted {credit.posting_date}"
		)

	@precondition(lambda self: self.payments or self.credits or self._cancellable())
	@rule(pick=st.integers(0, 1000), kind=st.sampled_from(["payment", "credit", "invoice"]))
	def cancel(self, pick, kind):
		STATS["cancel"] = STATS.get("cancel", 0) + 1
		doctype, pool = {
			"payment": ("Payment Entry", self.payments),
			"credit": ("Sales Invoice", self.credits),
			"invoice": ("Sales Invoice", self._cancellable()),
		}[kind]
		if not pool:
			return
		name = self._pick(pool, pick)
		with on_day(self.day):
			frappe.get_doc(doctype, name).cancel()
		for names in (self.payments, self.credits, self.invoices):
			if name in names:
				names.remove(name)
		self._did(f"cancel {name}")

	@precondition(lambda self: self.payments)
	@rule(pick=st.integers(0, 1000))
	def unreconcile(self, pick):
		"""ERPNext's Unreconcile Payment: the payment stays, its invoices are owed again."""
		STATS["unreconcile"] = STATS.get("unreconcile", 0) + 1
		name = self._pick(self.payments, pick)
		with on_day(self.day):
			doc = frappe.get_doc(
				{
					"doctype": "Unreconcile Payment",
					"company": company(),
					"voucher_type": "Payment Entry",
					"voucher_no": name,
				}
			)
			doc.add_references()
			if not doc.allocations:
				return
			doc.insert(ignore_permissions=True)
			doc.submit()
		self.payments.remove(name)  # an unallocated payment: not cancelled again by this walk
		self._did(f"unreconcile {name}")

	# --- days ------------------------------------------------------------------------------------

	@rule(days=st.sampled_from([1, 2, 5, 9, 16]))
	def next_day(self, days):
		STATS["next_day"] = STATS.get("next_day", 0) + 1
		self.day = add_days(self.day, days)
		self._did(f"day {self.day}: run")
		self._daily_run()

	@rule()
	def same_day_again(self):
		STATS["same_day_again"] = STATS.get("same_day_again", 0) + 1
		self._did("run again")
		self._daily_run()

	def _daily_run(self):
		from collections_module.tests.test_ladder_run import daily_run_over

		with on_day(self.day), daily_run_over(self.customers):
			report = ladder_jobs.run(self.day)
		self.failures += report.failures

	# --- the promises ----------------------------------------------------------------------------

	@invariant()
	def promises_hold(self):
		if not self.customers:
			return
		STATS["checks"] += 1
		try:
			self._check_promises()
		except AssertionError as broken:
			raise AssertionError(f"{broken}\nafter: " + "; ".join(self.trace)) from None

	def _check_promises(self):
		for customer in self.customers:
			cases = frappe.get_all(
				CASE,
				filters={"customer": customer},
				fields=["name", "status", "open_key", "total_outstanding", "as_of_date"],
			)
			open_cases = [c for c in cases if c.status != "Closed"]
			overdue, oldest = erpnext_receivable(customer, self.day)
			if overdue > 0:
				assert len(open_cases) == 1, (customer, self.day, overdue, cases)
				assert flt(open_cases[0].total_outstanding, 2) == overdue, (
					customer,
					self.day,
					overdue,
					cases,
				)
				days = frappe.db.get_value(CASE, open_cases[0].name, "oldest_days_overdue")
				assert days == oldest, ("oldest days overdue", customer, self.day, days, oldest)
			else:
				assert open_cases == [], (customer, self.day, cases)
			for case in cases:
				if case.status == "Closed":
					assert case.open_key is None, case
					assert flt(case.total_outstanding) == 0, case
					lines = frappe.get_all(
						"Collection Case Invoice",
						filters={"parent": case.name, "outstanding": [">", 0]},
						pluck="name",
					)
					assert lines == [], (case, lines)
			live_locks = frappe.db.count(
				"Stock Release Lock", {"customer": customer, "status": ["in", list(LIVE_STATES)]}
			)
			assert live_locks <= 1, (customer, live_locks)
			doubled = frappe.db.sql(
				"""select t.reference_name, t.allocated_to, count(*) from `tabToDo` t
				join `tabCollection Case` c on c.name = t.reference_name
				where t.reference_type = %s and t.status = 'Open' and c.customer = %s
				group by t.reference_name, t.allocated_to having count(*) > 1""",
				(CASE, customer),
			)
			assert not doubled, doubled
			assert not frappe.db.exists("Error Log", {"reference_name": customer}), customer
		assert self.failures == [], self.failures

	# --- helpers ---------------------------------------------------------------------------------

	def _owing(self) -> list[str]:
		return [
			name
			for name in self.invoices
			if flt(frappe.db.get_value("Sales Invoice", name, "outstanding_amount")) > 0
		]

	def _cancellable(self) -> list[str]:
		"""Invoices nothing was paid or credited against (ERPNext refuses to cancel the others)."""
		return [
			name
			for name in self.invoices
			if flt(frappe.db.get_value("Sales Invoice", name, "outstanding_amount"))
			== flt(frappe.db.get_value("Sales Invoice", name, "grand_total"))
			and not frappe.db.exists("Sales Invoice", {"return_against": name, "docstatus": 1})
		]

	def _did(self, act: str):
		self.trace.append(act)

	@staticmethod
	def _pick(pool: list[str], pick: int) -> str:
		return pool[pick % len(pool)]


def random_walks(seed: int, sequences: int, steps: int):
	"""The machine's rules as a seeded random walk: every step a real act, the invariants checked after
	each. (Hypothesis' own search spends its first examples on the simplest sequence, one rule over
	and over; this walk is what CI runs, the same every time; COLLECTIONS_EXPLORE=1 adds the search.)"""
	rnd = random.Random(seed)
	acts = [
		(
			3,
			lambda m: m.invoice(
				rnd.randrange(CUSTOMERS), rnd.randint(-40, 5), rnd.choice([100, 250, 400]), rnd.random() < 0.4
			),
		),
		(3, lambda m: m._owing() and m.payment(rnd.randrange(1000), rnd.random() < 0.5)),
		(1, lambda m: m._owing() and m.credit_note(rnd.randrange(1000))),
		(2, lambda m: m.cancel(rnd.randrange(1000), rnd.choice(["payment", "credit", "invoice"]))),
		(1, lambda m: m.payments and m.unreconcile(rnd.randrange(1000))),
		(1, lambda m: m._owing() and m.post_dated_payment(rnd.randrange(1000), rnd.randint(1, 10))),
		(3, lambda m: m.next_day(rnd.choice([1, 2, 5, 9, 16]))),
		(1, lambda m: m.same_day_again()),
	]
	for _ in range(sequences):
		machine = LedgerSequences()
		machine.customers_of_a_fresh_sequence()
		machine.promises_hold()
		for _ in range(steps):
			act = rnd.choices([a for _w, a in acts], weights=[w for w, _a in acts])[0]
			act(machine)
			STATS["steps"] += 1
			machine.promises_hold()


SEED = int(os.environ.get("COLLECTIONS_SEQUENCE_SEED") or 20261207)

LedgerSequences.TestCase.settings = settings(
	max_examples=int(os.environ.get("COLLECTIONS_EXPLORE") or 0) or 1,
	stateful_step_count=STEPS,
	deadline=None,
	database=None,
	suppress_health_check=list(HealthCheck),
	print_blob=True,
)


class TestLedgerSequences(FrappeTestCase):
	"""Random sequences of ledger events and runs under the Frappe test runner; failures inside a unit
	of the run are recorded, as in production, so that the invariants see them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def setUp(self):
		frappe.flags.collections_isolate_in_test = True

	def tearDown(self):
		frappe.flags.collections_isolate_in_test = False

	def test_random_sequences_of_ledger_events_and_days_keep_every_promise(self):
		started = time.monotonic()
		random_walks(SEED, EXAMPLES, STEPS)
		print(f"\nLedger sequences: {STATS} in {time.monotonic() - started:.0f} s")
		self.assertEqual(STATS["steps"], EXAMPLES * STEPS)
		for act in ("invoice", "payment", "cancel", "next_day"):
			self.assertGreater(STATS.get(act, 0), 0, act)  # the walk really walks

	def test_hypothesis_search_when_asked(self):
		"""COLLECTIONS_EXPLORE=N: Hypothesis searches N sequences (and shrinks a failing one)."""
		if not os.environ.get("COLLECTIONS_EXPLORE"):
			self.skipTest("set COLLECTIONS_EXPLORE=N to search N sequences with Hypothesis")
		LedgerSequences.TestCase().runTest()
