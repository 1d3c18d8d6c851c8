"""The overdue ladder on a real ERPNext site: real invoices, payments, credit notes, ToDos and alerts."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days

from collections_module.collection_cases.ladder.jobs import run
from collections_module.people import role_holders
from collections_module.policy import roles
from collections_module.tests.utils import (
	OTHER_SUPERVISOR,
	ROLE_USERS,
	case_of,
	ensure_outgoing_email_account,
	ensure_users,
	make_customer,
	make_invoice,
	notifications,
	open_case,
	pay,
	today,
	todos,
)


class TestLadderRun(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_overdue_invoice_opens_a_case_at_the_right_stage_with_the_reason(self):
		customer = make_customer("Manager Stage")
		si = make_invoice(customer, due_in_days=-35, amount=1200)
		case = open_case(customer)  # made by the Sales Invoice submit event
		self.assertIsNotNone(case)
		self.assertEqual(case.current_stage, "Manager")
		self.assertEqual(case.oldest_days_overdue, 35)
		self.assertEqual(case.overdue_bucket, "31-60")
		self.assertEqual(case.total_outstanding, 1200)
		self.assertEqual([(r.sales_invoice, r.days_overdue) for r in case.invoices], [(si.name, 35)])
		why = case.stage_history[-1]
		self.assertEqual(
			(why.to_stage, why.policy, why.policy_row, why.days_overdue),
			("Manager", "Standard Ladder", 6, 35),
		)
		self.assertIn("35 days overdue", why.reason)
		self.assertIn("days 31–60 are the stage", why.reason)
		# entering at 35 days passes the supervisor's and the manager's levels: both told, once
		# (a shared site has other holders of these roles: each holder is told, and nobody else)
		told = [n.for_user for n in notifications(case.name)]
		holders = role_holders()
		self.assertEqual(sorted(told), sorted(set(holders[roles.SUPERVISOR]) | set(holders[roles.MANAGER])))
		self.assertTrue(
			{ROLE_USERS[roles.SUPERVISOR], ROLE_USERS[roles.MANAGER], OTHER_SUPERVISOR} <= set(told)
		)

	def test_daily_run_follows_up_escalates_and_is_idempotent(self):
		customer = make_customer("Ladder Walk")
		make_invoice(customer, due_in_days=-3, amount=500)
		case = open_case(customer)
		self.assertEqual(case.current_stage, "Overdue Week 1")
		self.assertEqual(todos(case.name), [])  # the ledger event creates no tasks

		run(today(), customers=[customer])
		case.reload()
		# unassigned case at a collector stage: the team lead gets the follow-up to allocate it
		self.assertEqual(
			sorted(t.allocated_to for t in todos(case.name)), sorted(role_holders()[roles.SUPERVISOR])
		)
		self.assertIn(ROLE_USERS[roles.SUPERVISOR], [t.allocated_to for t in todos(case.name)])
		self.assertEqual(str(case.next_action_date), str(add_days(today(), 2)))

		case.collector = ROLE_USERS[roles.COLLECTOR]
		case.save()
		first = len(todos(case.name))
		run(add_days(today(), 1), customers=[customer])  # every 2 days: nothing due
		self.assertEqual(len(todos(case.name)), first)
		run(add_days(today(), 2), customers=[customer])
		self.assertIn(ROLE_USERS[roles.COLLECTOR], [t.allocated_to for t in todos(case.name)])

		# 61 days overdue: general manager's stage, GM told once, manager owns the follow-up
		gm_day = add_days(today(), 58)
		run(gm_day, customers=[customer])
		case.reload()
		self.assertEqual(case.current_stage, "General Manager")
		self.assertIn(ROLE_USERS[roles.GENERAL_MANAGER], {n.for_user for n in notifications(case.name)})
		self.assertIn(ROLE_USERS[roles.MANAGER], [t.allocated_to for t in todos(case.name)])

		before = (
			len(todos(case.name)),
			len(notifications(case.name)),
			len(case.stage_history),
			frappe.db.count("ToDo", {"reference_name": case.name, "status": "Open"}),
		)
		report = run(gm_day, customers=[customer])
		case.reload()
		after = (
			len(todos(case.name)),
			len(notifications(case.name)),
			len(case.stage_history),
			frappe.db.count("ToDo", {"reference_name": case.name, "status": "Open"}),
		)
		self.assertEqual(before, after)
		self.assertFalse(any(p.decision.follow_up_due for p in report.cases))

	def test_payment_closes_the_case_and_cancelling_it_reopens_it(self):
		customer = make_customer("Pay And Cancel")
		si = make_invoice(customer, due_in_days=-10, amount=800)
		case = open_case(customer)
		pe = pay(si.name)
		case.reload()
		self.assertEqual(case.status, "Closed")
		self.assertEqual(case.total_outstanding, 0)
		self.assertIsNone(open_case(customer))

		pe.cancel()
		reopened = open_case(customer)
		self.assertEqual(reopened.name, case.name)
		self.assertEqual(reopened.status, "Open")
		self.assertEqual(reopened.total_outstanding, 800)
		self.assertEqual(reopened.current_stage, "Overdue Week 2")
		self.assertIn("reopened", " ".join(r.reason or "" for r in reopened.stage_history))

	def test_partial_payment_and_credit_note_reduce_the_case(self):
		customer = make_customer("Partial")
		si = make_invoice(customer, due_in_days=-20, amount=1000, qty=5)
		pay(si.name, amount=300)
		self.assertEqual(open_case(customer).total_outstanding, 700)

		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		credit = make_sales_return(si.name)
		credit.items[0].qty = -1  # one of five returned: 200 credited against the invoice
		credit.set_missing_values()
		credit.calculate_taxes_and_totals()  # as the desk form does on editing the quantity
		credit.update_outstanding_for_self = 0  # credit the original invoice, not a standalone credit
		credit.insert(ignore_permissions=True)
		credit.submit()
		self.assertEqual(open_case(customer).total_outstanding, 500)

	def test_only_overdue_payment_terms_count(self):
		customer = make_customer("Two Terms")
		make_invoice(customer, due_in_days=0, amount=1000, terms=[(-20, 40), (10, 60)])
		case = open_case(customer)
		self.assertEqual(case.total_outstanding, 400)
		self.assertEqual(case.oldest_days_overdue, 20)
		self.assertEqual(case.current_stage, "Daily Follow-up")

	def test_pre_due_reminder_is_sent_once_through_the_email_template(self):
		ensure_outgoing_email_account()
		customer = make_customer("Reminder", email="cm.reminder@example.com")
		si = make_invoice(customer, due_in_days=7, amount=300)
		make_invoice(customer, due_in_days=8, amount=100)  # one day outside the window
		report = run(today(), customers=[customer])
		self.assertEqual([r.invoice for r in report.reminders], [si.name])
		sent = frappe.get_all(
			"Communication",
			filters={"reference_doctype": "Sales Invoice", "reference_name": si.name},
			fields=["subject", "recipients", "content"],
		)
		self.assertEqual(len(sent), 1)
		self.assertIn(si.name, sent[0].subject)
		self.assertIn("cm.reminder@example.com", sent[0].recipients)
		self.assertIn("300", sent[0].content)
		self.assertTrue(
			frappe.db.exists("Email Queue", {"reference_doctype": "Sales Invoice", "reference_name": si.name})
		)
		self.assertIsNone(open_case(customer))  # not overdue: no case

		report = run(today(), customers=[customer])
		self.assertEqual(report.reminders, [])
		self.assertEqual(
			frappe.db.count(
				"Communication", {"reference_doctype": "Sales Invoice", "reference_name": si.name}
			),
			1,
		)

	def test_dry_run_writes_nothing_and_says_what_it_would_do(self):
		customer = make_customer("Dry Run")
		make_invoice(customer, due_in_days=-40, amount=100)
		case = open_case(customer)
		history = len(case.stage_history)
		report = run(add_days(today(), 30), dry_run=True, customers=[customer])
		text = "\n".join(report.lines())
		self.assertIn("dry run", text)
		self.assertIn("stage General Manager (entered today)", text)
		self.assertIn("notify Collection General Manager", text)
		case.reload()
		self.assertEqual((case.current_stage, len(case.stage_history)), ("Manager", history))
		self.assertEqual(todos(case.name), [])

	def test_customer_policy_overrides_the_default(self):
		policy = frappe.get_doc(
			{
				"doctype": "Collection Policy",
				"policy_name": f"_CM Strict {frappe.generate_hash(length=5)}",
				"stages": [
					{
						"stage_name": "Call",
						"from_day": 1,
						"to_day": 5,
						"action": "Follow Up",
						"cadence_days": 1,
						"owner_role": roles.COLLECTOR,
					},
					{
						"stage_name": "Lock",
						"from_day": 6,
						"open_ended": 1,
						"action": "Stock Release Lock",
						"cadence_days": 1,
						"owner_role": roles.MANAGER,
						"escalate_to_role": roles.OWNER,
						"needs_approval": 1,
					},
				],
			}
		).insert()
		customer = make_customer("Strict", collection_policy=policy.name)
		make_invoice(customer, due_in_days=-10, amount=100)
		case = open_case(customer)
		self.assertEqual((case.policy, case.current_stage), (policy.name, "Lock"))
		self.assertIn(ROLE_USERS[roles.OWNER], {n.for_user for n in notifications(case.name)})

	def test_a_case_cannot_be_closed_by_hand_while_money_is_overdue(self):
		customer = make_customer("No Manual Close")
		make_invoice(customer, due_in_days=-5, amount=100)
		case = open_case(customer)
		case.status = "Closed"
		self.assertRaises(frappe.ValidationError, case.save)

	def test_cancelled_invoice_closes_its_case(self):
		customer = make_customer("Cancel Invoice")
		si = make_invoice(customer, due_in_days=-5, amount=100)
		case = open_case(customer)
		si.cancel()
		case.reload()
		self.assertEqual(case.status, "Closed")


def daily_run_over(customers):
	"""The daily run (lock, log, chunks) planning only these customers: the test site may hold other
	people's data, which this test must neither depend on nor touch."""
	from unittest import mock

	from collections_module.collection_cases.ladder import jobs

	return mock.patch.object(jobs, "_customers_in_scope", lambda: sorted(customers))


class TestOneAtATime(FrappeTestCase):
	"""The invariants hold in the database, whatever path writes: one open case, one live lock, one run."""

	def test_the_database_refuses_a_second_open_case_and_a_second_live_lock(self):
		from collections_module.guards import invariant_key

		customer = make_customer("Unique Case")
		make_invoice(customer, due_in_days=-95, amount=300)
		case = open_case(customer)
		self.assertEqual(case.open_key, invariant_key(customer, case.company))
		twin = frappe.new_doc("Collection Case")
		twin.update(
			{"customer": customer, "company": case.company, "status": "Open", "open_key": case.open_key}
		)
		twin.set_new_name()
		# straight to the database, past every check in the controller: still refused
		self.assertRaises((frappe.UniqueValidationError, frappe.DuplicateEntryError), twin.db_insert)

		lock = frappe.get_doc(
			{"doctype": "Stock Release Lock", "customer": customer, "company": case.company, "reason": "x"}
		).insert()
		twin_lock = frappe.new_doc("Stock Release Lock")
		twin_lock.update(
			{"customer": customer, "company": case.company, "status": "Proposed", "live_key": lock.live_key}
		)
		twin_lock.set_new_name()
		self.assertRaises((frappe.UniqueValidationError, frappe.DuplicateEntryError), twin_lock.db_insert)
		# a released lock frees the key: a write past the controller that keeps it is refused
		with self.assertRaises(Exception) as refused:
			frappe.db.set_value("Stock Release Lock", lock.name, "status", "Released")
		self.assertIn("frees_live_key", str(refused.exception))
		frappe.db.set_value("Stock Release Lock", lock.name, {"status": "Released", "live_key": None})
		lock.reload()
		lock.save()
		self.assertIsNone(frappe.db.get_value("Stock Release Lock", lock.name, "live_key"))

	def test_a_second_daily_run_is_refused_while_one_runs(self):
		from frappe.database import get_db

		from collections_module.collection_cases.ladder.model import RUN_LOCK, RunInProgress

		other = get_db(
			host=frappe.conf.db_host or "127.0.0.1",
			user=frappe.conf.db_name,
			password=frappe.conf.db_password,
		)
		key = f"{frappe.conf.db_name}:{RUN_LOCK}"
		try:
			self.assertEqual(other.sql("select get_lock(%s, 0)", key)[0][0], 1)  # a run elsewhere holds it
			self.assertRaisesRegex(RunInProgress, "already running", run, today())
			run(today(), dry_run=True)  # a dry run writes nothing and does not wait
			other.sql("select release_lock(%s)", key)
			with daily_run_over([make_customer("After The Lock")]):
				run(today())  # released: the next run goes ahead
		finally:
			other.close()


class TestRunUnits(FrappeTestCase):
	def test_one_case_that_fails_rolls_back_alone_and_is_logged_by_name(self):
		from unittest import mock

		from collections_module.collection_cases.ladder import apply as ladder_apply

		good, bad = make_customer("Unit Good"), make_customer("Unit Bad")
		for customer in (good, bad):
			make_invoice(customer, due_in_days=-20, amount=100)
		real = ladder_apply._store_lines

		def store_lines(plans, on_date):
			real(plans, on_date)  # writes first, then fails: the savepoint must undo its writes
			if any(p.customer == bad for p in plans):
				raise ValueError("broken case")

		frappe.flags.collections_isolate_in_test = True
		try:
			with mock.patch.object(ladder_apply, "_store_lines", store_lines):
				report = run(add_days(today(), 15), customers=[good, bad])
		finally:
			frappe.flags.collections_isolate_in_test = False
		self.assertEqual(report.failures, [f"case of {bad} / {open_case(bad).company}"])
		self.assertEqual(str(open_case(good).as_of_date), str(add_days(today(), 15)))
		self.assertNotEqual(str(open_case(bad).as_of_date), str(add_days(today(), 15)))
		self.assertTrue(frappe.db.exists("Error Log", {"method": ["like", f"%{bad}%"]}))

	def test_the_daily_run_writes_its_log(self):
		customer = make_customer("Run Log")
		make_invoice(customer, due_in_days=-20, amount=100)
		with daily_run_over([customer]):
			run(today())
		log = frappe.get_last_doc("Collections Run Log")
		self.assertEqual((log.status, str(log.run_date)), ("Finished", str(today())))
		self.assertGreaterEqual(log.chunks, 1)
		self.assertTrue(log.finished)
