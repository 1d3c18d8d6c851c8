"""A customer is collected again, and again: closing a case frees its key (R-B1..R-B7), whatever path
closes it, and a run that cannot process a customer says so (Error Log, Run Log, the leads' screens)."""

from unittest import mock

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days

from collections_module.collection_cases.ladder import apply as ladder_apply
from collections_module.collection_cases.ladder.jobs import run
from collections_module.guards import KEY_HOLDERS, free_stale_keys, invariant_key
from collections_module.policy import roles
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.utils import (
	ROLE_USERS,
	ensure_users,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
)

CASE = "Collection Case"


def cases_of(customer: str) -> list:
	return frappe.get_all(
		CASE,
		filters={"customer": customer},
		fields=["name", "status", "open_key", "total_outstanding"],
		order_by="creation asc",
	)


class TestCollectedAgain(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_a_customer_who_paid_in_full_is_collected_again_when_a_new_invoice_falls_overdue(self):
		"""The reproduction: overdue, paid in full (the case closes), a new invoice overdue later."""
		customer = make_customer("Paid Once")
		first = make_invoice(customer, due_in_days=-40, amount=500)
		closed = open_case(customer)
		pay(first.name)
		closed.reload()
		self.assertEqual((closed.status, closed.open_key), ("Closed", None))

		# a month later a new invoice falls overdue: the submit's ledger event opens a case at once
		second = make_invoice(customer, due_in_days=-3, amount=700)
		again = open_case(customer)
		self.assertIsNotNone(again)
		self.assertNotEqual(again.name, closed.name)  # a new delinquency is a new case (see the note)
		self.assertEqual(again.open_key, invariant_key(customer, again.company))
		self.assertEqual(again.total_outstanding, 700)
		self.assertEqual([r.sales_invoice for r in again.invoices], [second.name])

		# and the daily run follows it up, reporting nothing failed
		with daily_run_over([customer]):
			report = run(add_days(today(), 12))
		self.assertEqual(report.failures, [])
		again.reload()
		self.assertEqual(again.current_stage, "Daily Follow-up")
		self.assertEqual([c.status for c in cases_of(customer)], ["Closed", "Open"])

	def test_a_case_closed_by_a_cancelled_invoice_opens_again_for_the_next_one(self):
		customer = make_customer("Cancelled Then Owing")
		si = make_invoice(customer, due_in_days=-5, amount=100)
		si.cancel()
		self.assertEqual([(c.status, c.open_key) for c in cases_of(customer)], [("Closed", None)])
		make_invoice(customer, due_in_days=-8, amount=90)
		self.assertEqual(open_case(customer).total_outstanding, 90)

	def test_the_database_refuses_a_closed_case_that_keeps_its_key(self):
		customer = make_customer("Console Close")
		make_invoice(customer, due_in_days=-5, amount=100)
		case = open_case(customer)
		# past the controller, the way a console or a set-based write would: still refused
		with self.assertRaises(Exception) as refused:
			frappe.db.set_value(CASE, case.name, "status", "Closed", update_modified=False)
		self.assertIn("frees_open_key", str(refused.exception))
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Open")

	def test_free_stale_keys_counts_nothing_when_the_constraints_hold(self):
		for doctype, field, holds in KEY_HOLDERS:
			self.assertEqual(
				frappe.db.sql(
					f"select count(*) from `tab{doctype}` where `{field}` is not null and not ({holds})"
				)[0][0],
				0,
				doctype,
			)
		self.assertEqual(set(free_stale_keys().values()), {0})


class TestToldOncePerStageAndDay(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_a_stage_entered_again_the_same_day_alerts_its_owners_once(self):
		"""A payment and its cancellation on one day move the case out of the manager's stage and back:
		the supervisor and the manager were told of it once (issue 25, item 13)."""
		from collections_module.tests.utils import notifications

		customer = make_customer("Twice A Day")
		si = make_invoice(customer, due_in_days=-35, amount=1_200)
		case = open_case(customer)
		told = sorted(n.for_user for n in notifications(case.name))
		self.assertTrue(told)
		payment = pay(si.name)
		payment.cancel()
		self.assertEqual(open_case(customer).name, case.name)
		self.assertEqual(open_case(customer).current_stage, "Manager")
		self.assertEqual(sorted(n.for_user for n in notifications(case.name)), told)


class TestPausedMeansPaused(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_a_disputed_case_gets_no_lock_letter_or_alert_while_paused(self):
		"""Issue 25, item 2: while a dispute pauses the case, the run proposes no lock and no letter and
		tells nobody that it reached a stage."""
		from collections_module.tests.utils import notifications

		customer = make_customer("Disputed Lock")
		make_invoice(customer, due_in_days=-20, amount=900)
		case = open_case(customer)
		case.update({"disputed": 1, "dispute_reason": "The tiles delivered were the wrong colour"})
		case.save(ignore_permissions=True)
		self.assertEqual(case.status, "Paused")
		told = len(notifications(case.name))
		for days in (10, 40, 75, 100, 130):  # through the supervisor's, manager's, lock and letter stages
			with daily_run_over([customer]):
				report = run(add_days(today(), days))
			self.assertEqual([lk for lk in report.locks if lk.action == "propose"], [])
			self.assertEqual(report.letters, [])
			self.assertEqual(report.legal, [])
		self.assertEqual(len(notifications(case.name)), told)
		self.assertFalse(frappe.db.exists("Stock Release Lock", {"customer": customer}))


class TestResumingRestoresWhatWasPending(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_resolving_a_dispute_keeps_a_pending_promise(self):
		"""Issue 25, item 3: a promise made before the dispute still waits for its date afterwards."""
		from collections_module.tests.test_performance import call
		from collections_module.tests.utils import ROLE_USERS as USERS
		from collections_module.tests.utils import ready_case

		case = ready_case("Promise Then Dispute", collector=USERS[roles.COLLECTOR])
		call(
			case.name,
			USERS[roles.COLLECTOR],
			today(),
			1,
			outcome="Promise to Pay",
			promise_amount=500,
			promise_date=add_days(today(), 10),
		)
		case.reload()
		self.assertEqual((case.status, case.promise_status), ("Promise to Pay", "Pending"))
		case.update({"disputed": 1, "dispute_reason": "Disputes the delivery date"})
		case.save(ignore_permissions=True)
		self.assertEqual(case.status, "Paused")
		case.disputed = 0
		case.save(ignore_permissions=True)
		self.assertEqual(case.status, "Promise to Pay")


class TestUnreconciledPayment(FrappeTestCase):
	def test_unreconciling_a_payment_reopens_the_case_at_once(self):
		"""ERPNext's Unreconcile Payment makes the invoice owed again: the case follows the same moment,
		not the next day's run (issue 25, item 11)."""
		customer = make_customer("Unreconciled")
		si = make_invoice(customer, due_in_days=-12, amount=600)
		case = open_case(customer)
		payment = pay(si.name)
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Closed")
		unreconcile = frappe.get_doc(
			{
				"doctype": "Unreconcile Payment",
				"company": case.company,
				"voucher_type": "Payment Entry",
				"voucher_no": payment.name,
			}
		)
		unreconcile.add_references()
		unreconcile.insert(ignore_permissions=True)
		unreconcile.submit()
		again = open_case(customer)
		self.assertEqual(again.name, case.name)  # the same invoice owed again: the case reopens
		self.assertEqual(again.total_outstanding, 600)


class TestPaymentReconciliation(FrappeTestCase):
	def test_reconciling_an_advance_closes_the_case_at_once(self):
		"""The Payment Reconciliation tool allocates an advance to the overdue invoice: the case follows
		the same moment (issue 25: every ERPNext path that moves a receivable)."""
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		customer = make_customer("Reconciled")
		si = make_invoice(customer, due_in_days=-12, amount=500)
		case = open_case(customer)
		advance = get_payment_entry("Sales Invoice", si.name)
		advance.references = []  # received on account, not against the invoice
		advance.reference_no, advance.reference_date = "CM-ADV", today()
		advance.insert(ignore_permissions=True)
		advance.submit()
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Open")
		recon = frappe.get_doc(
			{
				"doctype": "Payment Reconciliation",
				"company": si.company,
				"party_type": "Customer",
				"party": customer,
				"receivable_payable_account": si.debit_to,
			}
		)
		recon.get_unreconciled_entries()
		invoices = [i.as_dict() for i in recon.invoices if i.invoice_number == si.name]
		payments = [p.as_dict() for p in recon.payments if p.reference_name == advance.name]
		recon.allocate_entries({"invoices": invoices, "payments": payments})
		recon.run_method("reconcile")  # as the desk's Reconcile button calls it
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Closed")


class TestPostDatedReceipts(FrappeTestCase):
	def test_a_post_dated_receipt_is_not_money_before_its_date(self):
		"""A cheque dated next week pays nothing today: the case stays open with the amount ERPNext's
		Accounts Receivable shows today, and closes on the cheque's date (issue 25, item 12)."""
		customer = make_customer("Post Dated")
		si = make_invoice(customer, due_in_days=-10, amount=800)
		case = open_case(customer)
		pay(si.name, posting_date=add_days(today(), 5))
		case.reload()
		self.assertEqual((case.status, case.total_outstanding), ("Open", 800))
		with daily_run_over([customer]):
			run(add_days(today(), 4))
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Open")
		with daily_run_over([customer]):
			run(add_days(today(), 5))
		self.assertEqual(frappe.db.get_value(CASE, case.name, "status"), "Closed")


class TestFailuresAreNeverSilent(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_a_customer_the_run_cannot_process_is_in_the_error_log_the_run_log_and_the_leads_screens(self):
		from collections_module.collection_cases.api import failures_today, get_my_day

		good, bad = make_customer("Run Good"), make_customer("Run Bad")
		for customer in (good, bad):
			make_invoice(customer, due_in_days=-20, amount=100)
		real = ladder_apply._store_lines

		def store_lines(plans, on_date):
			real(plans, on_date)
			if any(p.customer == bad for p in plans):
				raise ValueError("the disk is full")

		frappe.flags.collections_isolate_in_test = True
		try:
			with mock.patch.object(ladder_apply, "_store_lines", store_lines), daily_run_over([good, bad]):
				report = run(today())
		finally:
			frappe.flags.collections_isolate_in_test = False

		self.assertEqual([u.customer for u in report.failed_units], [bad])
		error = frappe.get_last_doc("Error Log", filters={"reference_name": bad})
		self.assertEqual(error.reference_doctype, "Customer")
		self.assertIn(bad, error.method)
		self.assertIn("ValueError: the disk is full", error.error)  # the exception with its traceback
		self.assertIn("Traceback", error.error)

		log = frappe.get_last_doc("Collections Run Log")
		self.assertEqual((log.status, log.customers_failed), ("Finished", 1))
		self.assertIn(f"the case of {bad} ", log.error_details)
		self.assertNotIn(good, log.error_details)

		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		try:
			told = frappe.call(failures_today)
			self.assertEqual(told["count"], 1)
			self.assertEqual(told["message"], "1 customer could not be processed today.")
			self.assertEqual(get_my_day()["run_failures"]["log"], log.name)
			frappe.set_user(ROLE_USERS[roles.COLLECTOR])
			self.assertEqual(frappe.call(failures_today), {})  # collectors do not read run logs
			self.assertNotIn("run_failures", get_my_day())
		finally:
			frappe.set_user("Administrator")
