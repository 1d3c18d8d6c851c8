"""Sequences, not stories: customers driven through random sequences of ledger events and days, the
app's promises checked after every step (R-B1..R-B7).

Each step happens on the machine's day (time frozen there): an invoice (one term or two), a part or
full payment, a credit note, a cancellation of any of these, or the next day's daily run (a day to
three weeks on), or the same day's run again. After every step, for each customer:
- something overdue in ERPNext's own Accounts Receivable report <=> exactly one open case, else none;
- the open case's total is that report's overdue outstanding;
- a closed case holds no key and nothing outstanding;
- the run reported no failure and the Error Log has nothing for the customer;
- at most one live stock-release lock; no two open follow-ups of one case for one person.

`COLLECTIONS_EXPLORE=1` draws new sequences each run; by default they are the same every run (CI).
"""

import os
from contextlib import contextmanager
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, nowdate
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from collections_module import ladder_run
from collections_module.policy.stock_lock import LIVE_STATES
from collections_module.tests.utils import company, ensure_users, make_customer, make_invoice, pay

CASE = "Collection Case"
CUSTOMERS = 2
STEPS = int(os.environ.get("COLLECTIONS_SEQUENCE_STEPS") or 14)
EXAMPLES = int(os.environ.get("COLLECTIONS_SEQUENCE_EXAMPLES") or 4)


@contextmanager
def on_day(day: date):
	"""Everything inside happens on ``day``: postings, ledger events and the run (freezegun)."""
	from freezegun import freeze_time

	with freeze_time(f"{day} 10:00:00", tick=True):
		yield


def erpnext_overdue(customer: str, day: date) -> float:
	"""The customer's overdue outstanding on ``day`` as ERPNext's Accounts Receivable report gives it,
	per payment term (terms at least a day past due)."""
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
	return flt(
		sum(
			flt(r.get("outstanding"))
			for r in rows
			if isinstance(r, dict) and r.get("due_date") and getdate(r["due_date"]) < day
		),
		2,
	)


class LedgerSequences(RuleBasedStateMachine):
	def __init__(self):
		super().__init__()
		self.day = getdate(nowdate())
		self.customers: list[str] = []
		self.invoices: list[str] = []  # submitted, not returns
		self.payments: list[str] = []
		self.credits: list[str] = []
		self.failures: list[str] = []

	@initialize()
	def customers_of_a_fresh_sequence(self):
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
		with on_day(self.day):
			terms = [(due_in, 50), (due_in + 20, 50)] if split else None
			si = make_invoice(self.customers[who], due_in_days=due_in, amount=amount, terms=terms, qty=5)
		self.invoices.append(si.name)

	@precondition(lambda self: self._owing())
	@rule(pick=st.integers(0, 1000), full=st.booleans())
	def payment(self, pick, full):
		invoice = self._pick(self._owing(), pick)
		outstanding = frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")
		with on_day(self.day):
			pe = pay(invoice, None if full else flt(outstanding / 2, 2))
		self.payments.append(pe.name)

	@precondition(lambda self: self._owing())
	@rule(pick=st.integers(0, 1000))
	def credit_note(self, pick):
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		invoice = self._pick(self._owing(), pick)
		with on_day(self.day):
			credit = make_sales_return(invoice)
			credit.items[0].qty = -1  # one of five returned, credited against the invoice
			credit.set_missing_values()
			credit.calculate_taxes_and_totals()
			credit.update_outstanding_for_self = 0
			credit.insert(ignore_permissions=True)
			if flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount")) < -credit.grand_total:
				return  # more than is owed: ERPNext refuses it, a person would not submit it
			credit.submit()
		self.credits.append(credit.name)

	@precondition(lambda self: self.payments or self.credits or self._cancellable())
	@rule(pick=st.integers(0, 1000), kind=st.sampled_from(["payment", "credit", "invoice"]))
	def cancel(self, pick, kind):
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

	# --- days ------------------------------------------------------------------------------------

	@rule(days=st.sampled_from([1, 2, 5, 9, 16]))
	def next_day(self, days):
		self.day = add_days(self.day, days)
		self._daily_run()

	@rule()
	def same_day_again(self):
		self._daily_run()

	def _daily_run(self):
		from collections_module.tests.test_ladder_run import daily_run_over

		with on_day(self.day), daily_run_over(self.customers):
			report = ladder_run.run(self.day)
		self.failures += report.failures

	# --- the promises ----------------------------------------------------------------------------

	@invariant()
	def promises_hold(self):
		if not self.customers:
			return
		for customer in self.customers:
			cases = frappe.get_all(
				CASE,
				filters={"customer": customer},
				fields=["name", "status", "open_key", "total_outstanding", "as_of_date"],
			)
			open_cases = [c for c in cases if c.status != "Closed"]
			overdue = erpnext_overdue(customer, self.day)
			if overdue > 0:
				assert len(open_cases) == 1, (customer, self.day, overdue, cases)
				assert flt(open_cases[0].total_outstanding, 2) == overdue, (
					customer,
					self.day,
					overdue,
					cases,
				)
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

	@staticmethod
	def _pick(pool: list[str], pick: int) -> str:
		return pool[pick % len(pool)]


LedgerSequences.TestCase.settings = settings(
	max_examples=EXAMPLES,
	stateful_step_count=STEPS,
	deadline=None,
	database=None,
	derandomize=not os.environ.get("COLLECTIONS_EXPLORE"),
	suppress_health_check=list(HealthCheck),
	print_blob=True,
)


class TestLedgerSequences(LedgerSequences.TestCase, FrappeTestCase):
	"""The state machine under the Frappe test runner; failures inside a unit are recorded, as in
	production, so that the invariants see them."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def setUp(self):
		super().setUp()
		frappe.flags.collections_isolate_in_test = True

	def tearDown(self):
		frappe.flags.collections_isolate_in_test = False
		super().tearDown()
