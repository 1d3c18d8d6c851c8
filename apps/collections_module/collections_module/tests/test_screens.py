"""What the screens need from the server, as the desk asks for it: the parties a collection role reads
without a permission pop-up (and no more), people shown by name, the run button's answer."""

import frappe
from frappe.utils import add_to_date, now_datetime, nowdate

from collections_module.collection_cases.ladder.model import RunInProgress
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	make_customer,
	make_invoice,
	open_case,
)

COLLECTOR = ROLE_USERS[roles.COLLECTOR]
MANAGER = ROLE_USERS[roles.MANAGER]
RUN_LOG = "Collections Run Log"

test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]


def desk_call(method: str, **kwargs):
	fn = frappe.get_attr(method)
	frappe.is_whitelisted(fn)
	return frappe.call(fn, **kwargs)


def held_case(label: str, collector: str):
	customer = make_customer(label)
	make_invoice(customer, due_in_days=-20, amount=1000.0)
	case = open_case(customer)
	case.update({"collector": collector, "verified": 1})
	case.save(ignore_permissions=True)
	return case


class TestPartiesWithoutPopUps(CollectionsTestCase):
	def test_collector_reads_their_customers_and_only_theirs(self):
		mine = held_case("Screens Mine", COLLECTOR)
		theirs = held_case("Screens Theirs", SECOND_COLLECTOR)
		frappe.set_user(COLLECTOR)
		# the link check the desk makes when a letter names its customer, with the fetched name
		values = desk_call(
			"frappe.client.validate_link", doctype="Customer", docname=mine.customer, fields=["customer_name"]
		)
		self.assertEqual(
			values.get("customer_name"), frappe.db.get_value("Customer", mine.customer, "customer_name")
		)
		self.assertFalse(frappe.get_list("Customer", filters={"name": theirs.customer}))
		self.assertTrue(frappe.get_list("Customer", filters={"name": mine.customer}))
		self.assertFalse(frappe.has_permission("Customer", "read", theirs.customer))
		# a letter on their case saves at once (the desk's insert)
		letter = desk_call(
			"frappe.client.insert",
			doc={
				"doctype": "Collection Letter",
				"collection_case": mine.name,
				"letter_type": "Collection Letter",
			},
		)
		self.assertEqual(letter["customer"], mine.customer)

	def test_manager_chooses_a_law_firm(self):
		firm = "Screens Law Firm"
		if not frappe.db.exists("Supplier", firm):
			frappe.get_doc(
				{
					"doctype": "Supplier",
					"supplier_name": firm,
					"supplier_group": frappe.get_all("Supplier Group", pluck="name", limit=1)[0],
				}
			).insert(ignore_permissions=True)
		frappe.set_user(MANAGER)
		found = desk_call("frappe.desk.search.search_link", doctype="Supplier", txt="Screens Law")
		self.assertIn(firm, [r.get("value") for r in found])
		self.assertTrue(frappe.has_permission("Customer", "read"))

	def test_people_come_with_the_boot_by_name(self):
		from collections_module.people import boot_session

		user = frappe.get_doc("User", COLLECTOR)
		before = (user.first_name, user.last_name)
		user.update({"first_name": "Lin", "last_name": "Wei"})
		user.save(ignore_permissions=True)
		self.addCleanup(
			lambda: (
				frappe.get_doc("User", COLLECTOR)
				.update(dict(zip(("first_name", "last_name"), before, strict=True)))
				.save(ignore_permissions=True)
			)
		)
		boot = frappe._dict()
		boot_session(boot)
		self.assertEqual(boot.collection_people[COLLECTOR], "Lin Wei")


class TestRunButtonAnswers(CollectionsTestCase):
	def test_run_is_queued_visibly_and_a_second_click_is_refused(self):
		frappe.db.delete(RUN_LOG, {"status": ["in", ["Queued", "Running"]]})
		_drop_queued_run_job()  # a run queued on this bench by hand earlier (no worker took it)
		frappe.set_user(MANAGER)
		answer = desk_call("collections_module.collection_cases.api.start_run")
		self.assertEqual(frappe.db.get_value(RUN_LOG, answer["log"], "status"), "Queued")
		self.assertTrue(answer["message"])
		from collections_module.collection_cases.ladder.jobs import workers_listening

		if not workers_listening():  # tests run without workers: the answer says the run waits for one
			self.assertEqual(answer["indicator"], "orange")
		with self.assertRaises(RunInProgress):
			desk_call("collections_module.collection_cases.api.start_run")
		# a queued log whose job is long gone holds nothing
		frappe.db.set_value(
			RUN_LOG, answer["log"], "creation", add_to_date(now_datetime(), hours=-2), update_modified=False
		)
		again = desk_call("collections_module.collection_cases.api.start_run")
		self.assertNotEqual(again["log"], answer["log"])
		frappe.db.rollback()

	def test_the_run_takes_over_its_queued_log(self):
		from collections_module.collection_cases.ladder.run_log import _start_log

		frappe.db.delete(RUN_LOG, {"status": ["in", ["Queued", "Running"]]})
		log = frappe.get_doc(
			{"doctype": RUN_LOG, "run_date": nowdate(), "status": "Queued", "triggered_by": MANAGER}
		).insert(ignore_permissions=True)
		self.assertEqual(_start_log(frappe.utils.getdate(nowdate()), MANAGER, False, 3), log.name)
		self.assertEqual(frappe.db.get_value(RUN_LOG, log.name, ["status", "chunks_planned"]), ("Running", 3))
		frappe.db.rollback()


def _drop_queued_run_job():
	from frappe.utils.background_jobs import create_job_id, get_queue

	try:
		job = get_queue("long").fetch_job(create_job_id(f"collections_run::{nowdate()}"))
		if job:
			job.delete()
	except Exception:  # no Redis: nothing can be queued
		pass
