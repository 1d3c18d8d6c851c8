"""The daily run in chunks: stopped half-way and run again, written by chunk jobs, racing a user's save,
and what it leaves for people (one alert per person, the timeline, closed follow-ups)."""

from unittest import mock

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days

from collections_module.collection_cases.ladder import jobs as ladder_jobs
from collections_module.collection_cases.ladder import plan as ladder_plan
from collections_module.collection_cases.ladder.jobs import run
from collections_module.collection_cases.ladder.model import RunInProgress
from collections_module.policy import roles
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.utils import (
	OTHER_SUPERVISOR,
	ROLE_USERS,
	ensure_users,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
	todos,
)


def one_customer_per_chunk():
	return mock.patch.dict(frappe.local.conf, {"collections_chunk_size": 1})


def debts(label: str, n: int, days: int = -20) -> list[str]:
	customers = [make_customer(f"{label} {i}") for i in range(n)]
	for customer in customers:
		make_invoice(customer, due_in_days=days, amount=400)
	return sorted(customers)


def written(customer: str, on_date) -> bool:
	return str(open_case(customer).as_of_date) == str(on_date)


class TestRunChunks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def test_a_run_stopped_half_way_is_finished_by_the_next_with_nothing_doubled(self):
		customers = debts("Chunk Stop", 3)
		on_date = add_days(today(), 2)
		real = ladder_jobs._run_chunk
		calls = []

		def stopped_after_the_first(*args, **kwargs):
			calls.append(args)
			if len(calls) == 2:
				raise SystemExit("killed")  # the process dies while the second chunk runs
			return real(*args, **kwargs)

		with daily_run_over(customers), one_customer_per_chunk():
			with mock.patch.object(ladder_jobs, "_run_chunk", stopped_after_the_first):
				self.assertRaises(SystemExit, run, on_date)
			self.assertEqual([written(c, on_date) for c in customers], [True, False, False])
			stopped = frappe.get_last_doc("Collections Run Log")
			self.assertEqual((stopped.status, stopped.chunks_planned, stopped.chunks), ("Running", 3, 1))

			report = run(on_date)  # the same date again
		stopped.reload()
		self.assertEqual(stopped.status, "Failed")  # said plainly on the stopped run's log
		self.assertEqual([written(c, on_date) for c in customers], [True, True, True])
		self.assertEqual(sum(1 for p in report.cases if p.decision.follow_up_due), 2)  # not the first again
		for customer in customers:
			case = open_case(customer)
			open_todos = [t.allocated_to for t in todos(case.name) if t.status == "Open"]
			self.assertEqual(len(open_todos), len(set(open_todos)), customer)  # one per person
			self.assertIn(OTHER_SUPERVISOR, open_todos)  # unassigned: the team leads allocate it
			self.assertEqual(
				len({(r.changed_on, r.to_stage) for r in case.stage_history}), len(case.stage_history)
			)
		log = frappe.get_last_doc("Collections Run Log")
		self.assertEqual((log.status, log.chunks, log.cases), ("Finished", 3, 3))

	def test_a_case_changed_while_the_run_writes_it_is_never_overwritten(self):
		(customer,) = debts("Chunk Race", 1)
		case = open_case(customer)
		on_date = add_days(today(), 3)
		real = ladder_plan._plan_reminders

		def supervisor_saves_meanwhile(*args):
			# planned, not yet written: a supervisor gives the case to a collector
			frappe.db.set_value("Collection Case", case.name, "collector", ROLE_USERS[roles.COLLECTOR])
			return real(*args)

		with (
			daily_run_over([customer]),
			mock.patch.object(ladder_plan, "_plan_reminders", supervisor_saves_meanwhile),
		):
			report = run(on_date)
		case.reload()
		self.assertEqual(case.collector, ROLE_USERS[roles.COLLECTOR])
		self.assertNotEqual(str(case.as_of_date), str(on_date))
		self.assertTrue(any("changed while the run wrote it" in w for w in report.warnings), report.warnings)

		with daily_run_over([customer]):
			run(on_date)  # the next run writes it, and the follow-up goes to the new collector
		case.reload()
		self.assertEqual((case.collector, str(case.as_of_date)), (ROLE_USERS[roles.COLLECTOR], str(on_date)))
		self.assertIn(ROLE_USERS[roles.COLLECTOR], [t.allocated_to for t in todos(case.name)])

	def test_a_background_run_queues_a_job_per_chunk_and_refuses_a_second_run_meanwhile(self):
		customers = debts("Chunk Job", 2)
		on_date = add_days(today(), 4)
		queued = []
		with daily_run_over(customers), one_customer_per_chunk():
			with mock.patch.object(frappe, "enqueue", lambda method, **kw: queued.append((method, kw))):
				report = run(on_date, background=True)
			self.assertEqual(report.cases, [])  # nothing written here: the jobs write
			log = frappe.get_last_doc("Collections Run Log")
			self.assertEqual(
				[(m, kw["queue"], kw["job_id"], kw["customers"]) for m, kw in queued],
				[
					(
						"collections_module.collection_cases.ladder.jobs.run_chunk",
						"long",
						f"collections_run_chunk::{log.name}::{i}",
						[c],
					)
					for i, c in enumerate(customers, 1)
				],
			)
			with mock.patch("frappe.utils.background_jobs.is_job_enqueued", return_value=True):
				self.assertRaisesRegex(RunInProgress, "already running", run, on_date)

			for method, kw in reversed(queued):  # workers finish in any order
				frappe.get_attr(method)(on_date=kw["on_date"], customers=kw["customers"], log=kw["log"])
		log.reload()
		self.assertEqual((log.status, log.chunks, log.cases, log.errors), ("Finished", 2, 2, 0))
		self.assertTrue(all(written(c, on_date) for c in customers))

	def test_each_person_is_told_once_per_run_and_the_case_shows_assignment_and_stage(self):
		customers = debts("Chunk Tell", 3)
		on_date = add_days(today(), 1)
		with daily_run_over(customers), one_customer_per_chunk():
			run(on_date)
		log = frappe.get_last_doc("Collections Run Log")
		told = frappe.get_all(
			"Notification Log",
			filters={"for_user": OTHER_SUPERVISOR, "link": "/app/my-day", "creation": [">=", log.started]},
			fields=["subject", "type"],
		)
		self.assertEqual(len(told), 1, told)  # three follow-ups, one alert
		self.assertEqual(told[0].type, "Assignment")
		self.assertIn("3 new follow-ups", told[0].subject)
		case = open_case(customers[0])
		self.assertIn(OTHER_SUPERVISOR, frappe.parse_json(case._assign))  # "Assigned To" on the form
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_name": case.name, "comment_type": "Assigned", "content": ["like", "%Follow up%"]},
			)
		)

		# the next day nothing new is assigned: no alert
		with daily_run_over(customers), one_customer_per_chunk():
			run(add_days(on_date, 1))
		self.assertEqual(
			frappe.db.count(
				"Notification Log",
				{"for_user": OTHER_SUPERVISOR, "link": "/app/my-day", "creation": [">=", log.started]},
			),
			1,
		)

	def test_a_stage_change_is_on_the_timeline_and_a_paid_case_closes_its_follow_ups(self):
		(customer,) = debts("Chunk Close", 1, days=-25)
		case = open_case(customer)
		stage = case.current_stage
		with daily_run_over([customer]):
			run(add_days(today(), 10))  # 35 days overdue: the manager's stage
		case.reload()
		self.assertNotEqual(case.current_stage, stage)
		version = frappe.get_last_doc(
			"Version", filters={"ref_doctype": "Collection Case", "docname": case.name}
		)
		self.assertIn(
			["current_stage", stage, case.current_stage], frappe.parse_json(version.data)["changed"]
		)
		self.assertTrue([t for t in todos(case.name) if t.status == "Open"])

		invoice = case.invoices[0].sales_invoice
		pay(invoice)
		case.reload()
		self.assertEqual(case.status, "Closed")
		self.assertEqual([t.status for t in todos(case.name) if t.status == "Open"], [])
		self.assertEqual(frappe.parse_json(case._assign or "[]"), [])
