"""One truth, reconciled (issue 19): a random month of invoices (one term or two), part and full
payments, advances allocated later by the Payment Reconciliation tool, cash Journal Entry receipts,
credit notes, debts handed in with repayments, hand-overs and hand-backs between collectors,
cancellations and daily runs. Then, line by line against ERPNext's Payment Ledger and the debts'
repayments, computed here by hand:

- each recovery row is the part of one receipt's allocation that paid what was overdue on its date
  (oldest terms first), on the case open that day, credited to the collector holding it that day;
- no receipt recovers more than it allocated, credit notes recover nothing;
- every collector's received in Collector Performance is the sum of their rows, and the team's is the
  sum of its collectors'.

CI walks 3 months of 30 steps from a fixed seed; COLLECTIONS_RECONCILE_SEED / _EXAMPLES / _STEPS walk
others.
"""

import os
import random
from collections import defaultdict

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, nowdate

from collections_module.collection_cases.ladder import jobs as ladder_jobs
from collections_module.policy import kpi, roles
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.test_ledger_sequences import on_day
from collections_module.tests.test_recoveries import hand_over, make_debt, repay
from collections_module.tests.utils import (
	company,
	ensure_user,
	ensure_users,
	make_customer,
	make_invoice,
	pay,
)

SEED = int(os.environ.get("COLLECTIONS_RECONCILE_SEED") or 20261219)
EXAMPLES = int(os.environ.get("COLLECTIONS_RECONCILE_EXAMPLES") or 3)
STEPS = int(os.environ.get("COLLECTIONS_RECONCILE_STEPS") or 30)
RECEIPT_JOURNALS = ("Journal Entry", "Bank Entry", "Cash Entry")
STATS: dict[str, int] = {}


class Month:
	def __init__(self, rnd: random.Random, n: int):
		self.rnd, self.day = rnd, getdate(nowdate())
		self.start = self.day
		self.collectors = [ensure_user(f"cm.reconcile{n}.{i}@example.com", roles.COLLECTOR) for i in range(3)]
		with on_day(self.day):
			self.customers = [make_customer(f"Reconcile {n}.{i}") for i in range(2)]
		self.invoices, self.payments, self.advances, self.debts = [], [], [], []
		self.trace = []

	def act(self):
		acts = [
			(3, self.invoice), (3, self.payment), (1, self.advance), (1, self.allocate_advance),
			(1, self.journal_receipt), (1, self.credit_note), (1, self.debt), (2, self.repayment),
			(2, self.hand_over), (1, self.cancel), (3, self.next_day),
		]  # fmt: skip
		self.rnd.choices([a for _w, a in acts], weights=[w for w, _a in acts])[0]()

	def invoice(self):
		who = self.rnd.choice(self.customers)
		due_in = self.rnd.choice([-30, -12, -3, 4, 10])
		split = self.rnd.random() < 0.4
		with on_day(self.day):
			terms = [(due_in, 50), (due_in + 20, 50)] if split else None
			si = make_invoice(who, due_in_days=due_in, amount=self.rnd.choice([300, 800]), terms=terms, qty=4)
		self.invoices.append(si.name)
		self._did(f"invoice {si.name} due {due_in}{' split' if split else ''}")

	def payment(self):
		owing = self._owing()
		if not owing:
			return
		inv = self.rnd.choice(owing)
		left = flt(frappe.db.get_value("Sales Invoice", inv, "outstanding_amount"))
		with on_day(self.day):
			pe = pay(inv, None if self.rnd.random() < 0.4 else flt(left / 2, 2), posting_date=self.day)
		self.payments.append(pe.name)
		self._did(f"payment {pe.paid_amount} on {inv}")

	def advance(self):
		owing = self._owing()
		if not owing:
			return
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		with on_day(self.day):
			pe = get_payment_entry("Sales Invoice", self.rnd.choice(owing))
			pe.references = []
			pe.paid_amount = pe.received_amount = 100
			pe.reference_no, pe.reference_date, pe.posting_date = "CM-ADV", self.day, self.day
			pe.insert(ignore_permissions=True)
			pe.submit()
		self.advances.append(pe.name)
		self._did(f"advance {pe.name} of {pe.party}")

	def allocate_advance(self):
		if not self.advances:
			return
		name = self.advances.pop()
		party, account = frappe.db.get_value("Payment Entry", name, ["party", "paid_from"])
		with on_day(self.day):
			recon = frappe.get_doc(
				{
					"doctype": "Payment Reconciliation",
					"company": company(),
					"party_type": "Customer",
					"party": party,
					"receivable_payable_account": account,
				}
			)
			recon.get_unreconciled_entries()
			invoices = [i.as_dict() for i in recon.invoices][:1]
			payments = [p.as_dict() for p in recon.payments if p.reference_name == name]
			if not invoices or not payments:
				return
			recon.allocate_entries({"invoices": invoices, "payments": payments})
			recon.run_method("reconcile")
		self._did(f"reconcile {name}")

	def journal_receipt(self):
		owing = self._owing()
		if not owing:
			return
		inv = frappe.get_doc("Sales Invoice", self.rnd.choice(owing))
		cash = frappe.get_all(
			"Account", filters={"company": inv.company, "account_type": "Cash", "is_group": 0}, pluck="name"
		)[0]
		amount = min(150.0, flt(inv.outstanding_amount))
		with on_day(self.day):
			je = frappe.get_doc(
				{
					"doctype": "Journal Entry",
					"voucher_type": "Cash Entry",
					"company": inv.company,
					"posting_date": self.day,
					"accounts": [
						{"account": cash, "debit_in_account_currency": amount},
						{
							"account": inv.debit_to,
							"party_type": "Customer",
							"party": inv.customer,
							"credit_in_account_currency": amount,
							"reference_type": "Sales Invoice",
							"reference_name": inv.name,
						},
					],
				}
			).insert(ignore_permissions=True)
			je.submit()
		self.payments.append(je.name)
		self._did(f"journal {je.name} {amount} on {inv.name}")

	def credit_note(self):
		owing = self._owing()
		if not owing:
			return
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		inv = self.rnd.choice(owing)
		with on_day(self.day):
			credit = make_sales_return(inv)
			credit.items[0].qty = -1
			credit.set_posting_time, credit.posting_date = 1, self.day
			credit.set_missing_values()
			credit.calculate_taxes_and_totals()
			credit.update_outstanding_for_self = 0
			credit.insert(ignore_permissions=True)
			if flt(frappe.db.get_value("Sales Invoice", inv, "outstanding_amount")) < -credit.grand_total:
				return
			credit.submit()
		self._did(f"credit note on {inv}")

	def debt(self):
		with on_day(self.day):
			d = make_debt(
				"Reconcile", amount=self.rnd.choice([400, 900]), days_overdue=self.rnd.choice([20, 70])
			)
		self.debts.append(d.name)
		self._did(f"debt {d.name}")

	def repayment(self):
		if not self.debts:
			return
		d = frappe.get_doc("Debt", self.rnd.choice(self.debts))
		if flt(d.outstanding) <= 0:
			return
		with on_day(self.day):
			repay(d, min(flt(d.outstanding), self.rnd.choice([100, 250, 1000])), self.day)
		self._did(f"repay {d.name}")

	def hand_over(self):
		cases = self._cases(open_only=True)
		if not cases:
			return
		case = self.rnd.choice(cases)
		with on_day(self.day):
			hand_over(case, self.rnd.choice(self.collectors))
		self._did(f"hand over {case}")

	def cancel(self):
		if not self.payments:
			return
		name = self.payments.pop(self.rnd.randrange(len(self.payments)))
		doctype = "Journal Entry" if frappe.db.exists("Journal Entry", name) else "Payment Entry"
		with on_day(self.day):
			frappe.get_doc(doctype, name).cancel()
		self._did(f"cancel {name}")

	def next_day(self):
		self.day = add_days(self.day, self.rnd.choice([1, 2, 4]))
		with on_day(self.day), daily_run_over(self._all_customers()):
			ladder_jobs.run(self.day)
		self._did(f"day {self.day}")

	# --- by hand -------------------------------------------------------------------------------------

	def expected(self) -> dict[tuple, float]:
		"""{(voucher_no, against, posting date): recovered} from the Payment Ledger and the repayments."""
		out = defaultdict(float)
		cases = self._case_lives()
		for inv in self.invoices:
			own = frappe.db.sql(
				"""select sum(amount) from `tabPayment Ledger Entry` where voucher_no = %s
				and against_voucher_no = %s and delinked = 0""",
				(inv, inv),
			)[0][0]
			total = flt(own, 2)
			doc = frappe.get_doc("Sales Invoice", inv)
			terms = [
				(getdate(t.due_date), total * flt(t.invoice_portion) / 100) for t in doc.payment_schedule
			] or [(getdate(doc.due_date), total)]
			rows = frappe.db.sql(
				"""select voucher_type, voucher_no, posting_date, -sum(amount) from `tabPayment Ledger Entry`
				where against_voucher_no = %s and voucher_no != %s and delinked = 0
				group by voucher_type, voucher_no, posting_date order by posting_date, voucher_type, voucher_no""",
				(inv, inv),
			)
			paid = 0.0
			for vtype, vno, day, amount in rows:
				day, amount = getdate(day), flt(amount, 2)
				overdue = sum(a for d, a in terms if d < day)
				part = round(min(max(paid + amount, 0), overdue) - min(paid, overdue), 2)
				paid = max(paid + amount, 0)
				receipt = vtype == "Payment Entry" or (
					vtype == "Journal Entry"
					and frappe.db.get_value("Journal Entry", vno, "voucher_type") in RECEIPT_JOURNALS
				)
				if receipt and part and self._open_case(cases, doc.customer, day):
					out[(vno, inv, day)] += part
		for name in self.debts:
			d = frappe.get_doc("Debt", name)
			owed, paid = flt(d.principal) + flt(d.interest) + flt(d.fees), 0.0
			for r in sorted(d.repayments, key=lambda r: (getdate(r.repayment_date), r.name)):
				part = round(min(paid + flt(r.amount), owed) - min(paid, owed), 2)
				paid += flt(r.amount)
				day = getdate(r.repayment_date)
				case_open = (
					self._case_open(cases, d.collection_case, day)
					if d.collection_case
					else self._open_case(cases, d.customer, day)
				)
				if part and case_open:
					out[(r.name, name, day)] += part
		return {k: round(v, 2) for k, v in out.items() if round(v, 2)}

	def holder(self, case: str, day) -> str | None:
		rows = frappe.get_all(
			"Collection Case Reassignment",
			filters={"parent": case},
			fields=["reassigned_on", "from_collector", "to_collector"],
			order_by="reassigned_on, idx",
		)
		holder = rows[0].from_collector if rows and rows[0].from_collector else None
		for r in rows:
			if getdate(r.reassigned_on) <= day:
				holder = r.to_collector
			elif holder is None:
				return r.to_collector  # before the first hand-over: its first holder
		return holder or frappe.db.get_value("Collection Case", case, "collector")

	def check(self):
		rows = frappe.get_all(
			"Collection Recovery",
			filters={"customer": ["in", self._all_customers()]},
			fields=[
				"voucher_no",
				"against",
				"posting_date",
				"amount",
				"allocated",
				"collection_case",
				"collector",
			],
		)
		found = defaultdict(float)
		for r in rows:
			found[(r.voucher_no, r.against, getdate(r.posting_date))] += flt(r.amount)
			assert flt(r.amount) <= flt(r.allocated) + 0.01, r
			assert r.collector == (self.holder(r.collection_case, getdate(r.posting_date)) or None), (
				r,
				self.holder(r.collection_case, getdate(r.posting_date)),
			)
		found = {k: round(v, 2) for k, v in found.items() if round(v, 2)}
		assert found == self.expected(), (found, self.expected(), self.trace)
		STATS["rows"] = STATS.get("rows", 0) + len(found)
		STATS["steps"] = STATS.get("steps", 0) + len(self.trace)
		# the KPIs read the same rows: each collector's received, and the team's as their sum
		from collections_module.team.performance import gather

		figures = gather(self.start, self.day, company())
		by_hand = defaultdict(float)
		for r in rows:
			if r.collector and self.start <= getdate(r.posting_date) <= self.day:
				by_hand[r.collector] += flt(r.amount)
		for user in self.collectors:
			got = flt(figures.collectors[user].received, 2) if user in figures.collectors else 0.0
			assert got == round(by_hand[user], 2), (user, got, by_hand[user], self.trace)
		mine = [figures.collectors[u] for u in self.collectors if u in figures.collectors]
		if mine:
			assert flt(kpi.sum_figures(mine).received, 2) == round(
				sum(by_hand[u] for u in self.collectors), 2
			)

	# --- helpers -------------------------------------------------------------------------------------

	def _case_lives(self):
		return frappe.get_all(
			"Collection Case",
			filters={"customer": ["in", self._all_customers()]},
			fields=["name", "customer", "creation", "closed_on"],
		)

	@staticmethod
	def _open_case(cases, customer, day):
		return any(
			c.customer == customer
			and getdate(c.creation) <= day
			and (not c.closed_on or day <= getdate(c.closed_on))
			for c in cases
		)

	@staticmethod
	def _case_open(cases, name, day):
		return any(
			c.name == name and getdate(c.creation) <= day and (not c.closed_on or day <= getdate(c.closed_on))
			for c in cases
		)

	def _all_customers(self):
		return self.customers + [frappe.db.get_value("Debt", d, "customer") for d in self.debts]

	def _cases(self, open_only=False):
		filters = {"customer": ["in", self._all_customers()]}
		if open_only:
			filters["status"] = ["!=", "Closed"]
		return frappe.get_all("Collection Case", filters=filters, pluck="name")

	def _owing(self):
		return [
			n for n in self.invoices if flt(frappe.db.get_value("Sales Invoice", n, "outstanding_amount")) > 0
		]

	def _did(self, what):
		self.trace.append(what)


class TestRecoveryReconciliation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def setUp(self):
		frappe.flags.collections_isolate_in_test = True

	def tearDown(self):
		frappe.flags.collections_isolate_in_test = False
		frappe.set_user("Administrator")

	def test_a_random_month_reconciles_with_the_payment_ledger(self):
		rnd = random.Random(SEED)
		for n in range(EXAMPLES):
			month = Month(rnd, n)
			for _ in range(STEPS):
				month.act()
			month.check()
			if os.environ.get("COLLECTIONS_RECONCILE_TRACE"):
				print("\n" + "; ".join(month.trace))
		print(f"\nReconciled: {STATS}")
		self.assertGreater(STATS.get("rows", 0), 0)  # the month really recovered something
