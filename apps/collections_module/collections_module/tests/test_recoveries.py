"""One truth for money collected (issue 19): the recovery ledger on a real site, and the promise, the
KPIs and the outcome evaluation reading it. Each test is one of the issue's reproductions."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, get_first_day, get_last_day

from collections_module.collection_cases.ladder.jobs import run
from collections_module.integrations.erpnext.recoveries import rebuild
from collections_module.policy import roles
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.utils import (
	ROLE_USERS,
	company,
	ensure_users,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
)

RECOVERY = "Collection Recovery"
CLIENT = "_CM Recovery Bank"


def recovered(**filters) -> float:
	return flt(frappe.db.get_value(RECOVERY, filters, "sum(amount)"), 2)


def make_debt(label: str, amount: float = 1000, days_overdue: int = 60, **fields):
	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert(
			ignore_permissions=True
		)
	return frappe.get_doc(
		{
			"doctype": "Debt",
			"client": CLIENT,
			"account_no": f"RC-{frappe.generate_hash(length=8)}",
			"company": company(),
			"due_date": add_days(today(), -days_overdue),
			"debtor_name": f"_CM {label} {frappe.generate_hash(length=4)}",
			"debtor_type": "Person",
			"principal": amount,
			"currency": frappe.get_cached_value("Company", company(), "default_currency"),
			**fields,
		}
	).insert(ignore_permissions=True)


def repay(debt, amount, day=None):
	doc = frappe.get_doc("Debt", debt.name)
	doc.append(
		"repayments", {"repayment_date": day or today(), "amount": amount, "source": "Reported by Client"}
	)
	doc.save(ignore_permissions=True)
	return doc


def hand_over(case: str, collector: str, day=None):
	"""A supervisor's hand-over, as the case form records it (a reassignment row)."""
	doc = frappe.get_doc("Collection Case", case)
	doc.collector = collector
	doc.handover_reason = "Workload"
	doc.save(ignore_permissions=True)
	if day:
		frappe.db.sql(
			"update `tabCollection Case Reassignment` set reassigned_on = %s where parent = %s and idx = %s",
			(day, case, max(r.idx for r in doc.reassignments)),
		)


class TestRecoveryLedger(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_receipt_on_an_invoice_not_yet_due_recovers_nothing(self):
		"""Reproduction 6: 5,000 paid on an invoice not yet due is not a recovery of the 1,000 overdue."""
		customer = make_customer("Not Yet Due")
		make_invoice(customer, due_in_days=-20, amount=1000)
		later = make_invoice(customer, due_in_days=20, amount=5000)
		pay(later.name)
		self.assertEqual(recovered(customer=customer), 0)
		self.assertEqual(open_case(customer).total_outstanding, 1000)

	def test_part_of_a_receipt_paying_what_was_overdue_is_recovered(self):
		customer = make_customer("Part Overdue")
		si = make_invoice(customer, due_in_days=-10, amount=800, terms=[(-10, 50), (15, 50)])
		case = open_case(customer).name
		pay(si.name, 600)  # 400 overdue, 200 of the term not yet due
		self.assertEqual(recovered(customer=customer), 400)
		row = frappe.get_all(RECOVERY, filters={"customer": customer}, fields=["*"])[0]
		self.assertEqual(
			(row.voucher_type, row.against, row.collection_case), ("Payment Entry", si.name, case)
		)

	def test_journal_entry_receipts_are_recoveries_and_a_cancel_takes_them_back(self):
		customer = make_customer("Journal Receipt")
		si = make_invoice(customer, due_in_days=-15, amount=700)
		case = open_case(customer)
		bank = (
			frappe.get_cached_value("Company", si.company, "default_cash_account")
			or frappe.get_all(
				"Account",
				filters={"company": si.company, "account_type": "Cash", "is_group": 0},
				pluck="name",
			)[0]
		)
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"voucher_type": "Cash Entry",
				"company": si.company,
				"posting_date": today(),
				"accounts": [
					{"account": bank, "debit_in_account_currency": 300},
					{
						"account": si.debit_to,
						"party_type": "Customer",
						"party": customer,
						"credit_in_account_currency": 300,
						"reference_type": "Sales Invoice",
						"reference_name": si.name,
					},
				],
			}
		).insert(ignore_permissions=True)
		je.submit()
		self.assertEqual(recovered(collection_case=case.name, voucher_no=je.name), 300)
		je.cancel()
		self.assertEqual(recovered(collection_case=case.name), 0)

	def test_a_repaid_promise_is_kept(self):
		"""Reproduction 1: a debtor promised 500; the client reported a 500 repayment on the debt before
		the date; the next day's run marks the promise Kept and the case stays as it is."""
		debt = make_debt("Promise Kept")
		case = frappe.get_doc("Collection Case", frappe.db.get_value("Debt", debt.name, "collection_case"))
		frappe.db.set_value(
			"Collection Case",
			case.name,
			{
				"promise_status": "Pending",
				"promise_amount": 500,
				"promise_date": add_days(today(), 3),
				"promise_made_on": today(),
				"status": "Promise to Pay",
			},
		)
		repay(debt, 500)
		self.assertEqual(recovered(collection_case=case.name), 500)
		with daily_run_over([case.customer]):
			run(add_days(today(), 4))
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "promise_status"), "Kept")
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "In Progress")

	def test_rebuild_is_idempotent_and_matches_the_events(self):
		customer = make_customer("Rebuilt")
		si = make_invoice(customer, due_in_days=-30, amount=900)
		pay(si.name, 300)
		pay(si.name, 200)
		before = sorted(
			frappe.get_all(RECOVERY, filters={"customer": customer}, fields=["recovery_key", "amount"]),
			key=str,
		)
		frappe.db.delete(RECOVERY, {"customer": customer})
		self.assertEqual(rebuild([customer])["written"], 2)
		self.assertEqual(rebuild([customer]), {"written": 0, "deleted": 0})
		after = sorted(
			frappe.get_all(RECOVERY, filters={"customer": customer}, fields=["recovery_key", "amount"]),
			key=str,
		)
		self.assertEqual(before, after)


class TestKpisReadTheLedger(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def figures(self, start, end):
		from collections_module.team.performance import gather

		return gather(start, end, company())

	def test_same_day_allocation_has_a_base(self):
		"""Reproduction 2: debts imported and allocated today, 400 repaid today: a base and a rate."""
		collector = ROLE_USERS[roles.COLLECTOR]
		debts = [make_debt("Same Day", amount=500) for _i in range(3)]
		for d in debts:
			hand_over(frappe.db.get_value("Debt", d.name, "collection_case"), collector)
		repay(debts[0], 400)
		mine = self.figures(today(), today()).collectors[collector]
		self.assertGreaterEqual(mine.assigned_during + mine.overdue_at_start, 1500)
		self.assertGreaterEqual(mine.received, 400)

	def test_a_case_handed_back_counts_once(self):
		"""Reproduction 3: held by A, passed to B and back to A in the month; A's base counts it once."""
		from collections_module.tests.utils import ensure_user

		a = ensure_user("cm.handback.a@example.com", roles.COLLECTOR)  # holding nothing else
		b = ensure_user("cm.handback.b@example.com", roles.COLLECTOR)
		customer = make_customer("Handed Back")
		si = make_invoice(customer, due_in_days=-40, amount=1000)
		case = open_case(customer).name
		first = get_first_day(today())
		hand_over(case, a, first)
		hand_over(case, b, add_days(first, 1))
		hand_over(case, a, add_days(first, 2))
		pay(si.name)
		mine = self.figures(first, get_last_day(today())).collectors[a]
		self.assertEqual(flt(mine.overdue_at_start + mine.assigned_during), 1000)

	def test_targets_are_prorated_by_working_days(self):
		"""Reproduction 4: monthly targets of 10,000; the two days 30 Nov and 1 Dec are not 20,000."""
		from datetime import date

		from collections_module.team.performance import _targets

		collector = ROLE_USERS[roles.COLLECTOR]
		for month in (date(2031, 11, 1), date(2031, 12, 1)):
			frappe.get_doc(
				{
					"doctype": "Collection Target",
					"month": month,
					"collector": collector,
					"target_amount": 10000,
				}
			).insert(ignore_permissions=True)
		mine, _teams, _cases = _targets(date(2031, 11, 30), date(2031, 12, 1), company())
		self.assertLess(mine[collector], 2000)  # one working day of each month: ~500 + ~435
		self.assertGreater(mine[collector], 0)

	def test_legal_costs_count_in_the_period_incurred(self):
		"""Reproduction 5: a 1,000 fee of October is not November's or December's cost."""
		from collections_module.team.outcomes import outcomes

		customer = make_customer("Legal Cost")
		make_invoice(customer, due_in_days=-200, amount=3000)
		case = open_case(customer).name
		october = add_days(get_first_day(today()), -40)
		action = frappe.get_doc(
			{
				"doctype": "Legal Action",
				"collection_case": case,
				"legal_type": "Agency Referral",
				"reason": "Long overdue",
				"costs": [{"cost_date": october, "kind": "Fee", "amount": 1000}],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Legal Action", action.name, "approval_state", "Approved")
		now = {r["case"]: r for r in outcomes(get_first_day(today()), get_last_day(today()), company())}
		self.assertEqual(now[case]["cost"], 0)
		then = {r["case"]: r for r in outcomes(get_first_day(october), get_last_day(october), company())}
		self.assertEqual(then.get(case, {"cost": 1000})["cost"], 1000)
