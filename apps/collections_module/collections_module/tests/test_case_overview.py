"""The customer overview on the Collection Case form and the case list's bulk actions — as real users,
through the methods the desk calls."""

from datetime import date, datetime
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days

from collections_module.collection_cases import overview
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	contact_log,
	ensure_user,
	local_time,
	make_customer,
	make_invoice,
	open_case,
	today,
)

test_ignore = ["Customer", "Company", "User", "Collection Policy", "Sales Invoice", "Currency"]

API = "collections_module.collection_cases.overview_api"
CASE = "Collection Case"
LETTER = "Collection Letter"
SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]
COLLECTOR = ROLE_USERS[roles.COLLECTOR]
# a collector of its own, with a name that is not their e-mail
NAMED_COLLECTOR = "cm.overview.collector@example.com"
NAMED = "Overview Collector"
SH = "Asia/Shanghai"


def desk_call(method: str, **kwargs):
	"""As the desk calls a method: resolved by its dotted path, refused unless whitelisted."""
	fn = frappe.get_attr(f"{API}.{method}")
	frappe.is_whitelisted(fn)
	return frappe.call(fn, **kwargs)


def case_for(label: str, collector: str = NAMED_COLLECTOR, invoices=((-20, 1000),)):
	"""An open, verified case in Shanghai time with overdue invoices [(due in days, amount)]."""
	customer = make_customer(label)
	for due_in, amount in invoices:
		make_invoice(customer, due_in_days=due_in, amount=amount)
	case = open_case(customer)
	case.update({"collector": collector, "verified": 1, "debtor_timezone": SH})
	case.save(ignore_permissions=True)
	return case


class TestAgeingAndPromisesPure(CollectionsTestCase):
	def test_buckets_split_on_days_past_due(self):
		on = date(2026, 6, 30)
		terms = [
			("A", date(2026, 7, 10), 5.0),  # not yet due
			("B", on, 7.0),  # due today: not yet overdue
			("C", add_days(on, -1), 1.0),
			("C", add_days(on, -30), 2.0),
			("D", add_days(on, -31), 3.0),
			("E", add_days(on, -90), 4.0),
			("F", add_days(on, -91), 10.0),
			("G", add_days(on, -180), 20.0),
			("H", add_days(on, -181), 40.0),
		]
		got = [(b["from"], b["to"], b["amount"], b["count"]) for b in overview.ageing_buckets(terms, on)]
		self.assertEqual(
			got,
			[
				(None, None, 12.0, 2),
				(1, 30, 3.0, 1),
				(31, 60, 3.0, 1),
				(61, 90, 4.0, 1),
				(91, 180, 30.0, 2),
				(181, None, 40.0, 1),
			],
		)

	def test_promise_statuses_follow_the_recovery_ledger_and_the_case(self):
		on = date(2026, 6, 30)
		p = frappe._dict
		promises = [
			p(start_time=datetime(2026, 6, 1, 10), promise_amount=100, promise_date=date(2026, 6, 5)),
			p(start_time=datetime(2026, 6, 10, 10), promise_amount=100, promise_date=date(2026, 6, 15)),
			p(start_time=datetime(2026, 6, 20, 10), promise_amount=100, promise_date=date(2026, 7, 5)),
		]
		receipts = [(date(2026, 6, 3), 100.0)]
		self.assertEqual(
			overview.promise_statuses(promises, receipts, "Pending", on), ["Kept", "Broken", "Pending"]
		)
		# the daily run settled the last one on the case: that is its status
		self.assertEqual(overview.promise_statuses(promises, receipts, "Kept", on)[-1], "Kept")


class TestCaseOverview(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_user(NAMED_COLLECTOR, roles.COLLECTOR)
		user = frappe.get_doc("User", NAMED_COLLECTOR)
		user.update({"first_name": "Overview", "last_name": "Collector"})
		user.save(ignore_permissions=True)

	def test_collector_reads_ageing_summing_to_the_case_contacts_and_promises_by_name(self):
		case = case_for(
			"Overview Ageing",
			invoices=((-10, 100), (-45, 200), (-75, 300), (-120, 400), (-200, 500), (10, 50)),
		)
		contact_log(
			case,
			local_time(SH, -10, 10),
			collector=NAMED_COLLECTOR,
			outcome="Promise to Pay",
			effective=1,
			promise_amount=300,
			promise_date=add_days(today(), -5),
		).insert()
		contact_log(case, local_time(SH, -2, 11), collector=NAMED_COLLECTOR).insert()
		visit = frappe.get_doc(
			{
				"doctype": "Visit Record",
				"collection_case": case.name,
				"address": "1 Test Road",
				"planned_time": local_time(SH, 3, 10),
				"collectors": [{"collector": NAMED_COLLECTOR}],
				"summary": "Visit the warehouse office",
			}
		).insert()

		frappe.set_user(NAMED_COLLECTOR)
		data = desk_call("get_case_overview", case=case.name)
		frappe.set_user("Administrator")

		case_outstanding = frappe.db.get_value(CASE, case.name, "total_outstanding")
		self.assertEqual(case_outstanding, 1500)
		amounts = [b["amount"] for b in data["ageing"]]
		self.assertEqual(amounts, [50, 100, 200, 300, 400, 500])
		self.assertEqual(sum(amounts[1:]), case_outstanding)
		self.assertEqual((data["overdue"], data["case_outstanding"]), (1500, 1500))
		self.assertEqual(
			data["currency"], frappe.get_cached_value("Company", case.company, "default_currency")
		)

		# newest first: the planned visit, then the call two days ago, then the promise
		self.assertEqual(
			[r["doctype"] for r in data["timeline"]], ["Visit Record", "Contact Log", "Contact Log"]
		)
		self.assertEqual(data["timeline"][0]["name"], visit.name)
		self.assertTrue(data["timeline"][0]["planned"])
		for row in data["timeline"]:
			self.assertEqual(row["collectors"], [NAMED])
		self.assertEqual(len(data["promises"]), 1)
		promise = data["promises"][0]
		self.assertEqual((promise["amount"], promise["status"], promise["collector"]), (300, "Broken", NAMED))
		self.assertEqual(
			{r["sales_invoice"] for r in data["invoices"] if r["pdf"]},
			{r.sales_invoice for r in frappe.get_doc(CASE, case.name).invoices},
		)
		self.assertEqual(len(data["invoices"]), 5)
		self.assertEqual(data["stock_passes"], [])
		# people by name, never by their e-mail
		self.assertNotIn(NAMED_COLLECTOR, frappe.as_json(data))

	def test_another_collector_is_refused(self):
		case = case_for("Overview Not Theirs")
		frappe.set_user(SECOND_COLLECTOR)
		self.assertRaises(frappe.PermissionError, desk_call, "get_case_overview", case=case.name)
		invoice = frappe.get_doc(CASE, case.name).invoices[0].sales_invoice
		self.assertRaises(frappe.PermissionError, desk_call, "invoice_pdf", case=case.name, invoice=invoice)

	def test_invoice_pdf_only_for_an_invoice_of_the_case(self):
		case = case_for("Overview PDF")
		other = make_invoice(make_customer("Overview Other"), due_in_days=-20, amount=10)
		invoice = frappe.get_doc(CASE, case.name).invoices[0].sales_invoice
		frappe.set_user(NAMED_COLLECTOR)
		self.assertFalse(frappe.has_permission("Sales Invoice", "read", invoice))
		self.assertRaises(
			frappe.PermissionError, desk_call, "invoice_pdf", case=case.name, invoice=other.name
		)

		seen = {}

		def fake_print(doctype, name, *args, **kwargs):
			seen.update(doctype=doctype, name=name, ignored=frappe.flags.ignore_print_permissions, **kwargs)
			return b"%PDF-1.4 fake"

		with patch("frappe.get_print", side_effect=fake_print):
			desk_call("invoice_pdf", case=case.name, invoice=invoice)
		frappe.set_user("Administrator")
		self.assertEqual((seen["doctype"], seen["name"], seen["as_pdf"]), ("Sales Invoice", invoice, True))
		self.assertTrue(seen["ignored"])
		self.assertFalse(frappe.flags.ignore_print_permissions)  # for that one print only
		self.assertEqual(frappe.local.response.type, "pdf")
		self.assertEqual(frappe.local.response.filecontent, b"%PDF-1.4 fake")
		self.assertEqual(frappe.local.response.filename, f"{invoice}.pdf")

	def test_open_one_shipment_pass_is_in_the_overview(self):
		from collections_module.collection_cases.ladder.jobs import run
		from collections_module.enforcement.doctype.stock_release_lock.stock_release_lock import grant_pass

		case = case_for("Overview Pass", invoices=((-91, 5000),))
		run(today(), customers=[case.customer])
		lock = frappe.get_doc(
			"Stock Release Lock", {"customer": case.customer, "status": ["not in", ["Released", "Rejected"]]}
		)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(lock, "Approve")
		pass_role = frappe.get_cached_doc("Collection Settings").pass_role or roles.OWNER
		frappe.set_user("Administrator")
		ensure_user(ROLE_USERS[roles.OWNER], pass_role)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		grant_pass(lock.name, "Ship the urgent order")
		frappe.set_user(NAMED_COLLECTOR)
		passes = desk_call("get_case_overview", case=case.name)["stock_passes"]
		frappe.set_user("Administrator")
		self.assertEqual(len(passes), 1)
		self.assertEqual((passes[0]["lock"], passes[0]["reason"]), (lock.name, "Ship the urgent order"))
		owner_name = frappe.db.get_value("User", ROLE_USERS[roles.OWNER], "full_name")
		self.assertEqual(passes[0]["granted_by"], owner_name)


class TestCaseBulkActions(CollectionsTestCase):
	def test_bulk_letters_make_drafts_and_refuse_a_second(self):
		first, second = case_for("Bulk Letter A", COLLECTOR), case_for("Bulk Letter B", COLLECTOR)
		frappe.set_user(COLLECTOR)
		self.assertRaises(frappe.PermissionError, desk_call, "request_letters", cases=[first.name])
		frappe.set_user(SUPERVISOR)
		results = desk_call("request_letters", cases=frappe.as_json([first.name, second.name]))
		self.assertEqual([r["done"] for r in results], [True, True])
		for case in (first, second):
			letters = frappe.get_all(
				LETTER,
				filters={"collection_case": case.name},
				fields=["status", "letter_type", "total_outstanding"],
			)
			self.assertEqual(len(letters), 1)
			self.assertEqual((letters[0].status, letters[0].letter_type), ("Draft", "Collection Letter"))
			self.assertEqual(letters[0].total_outstanding, 1000)
		again = desk_call("request_letters", cases=[first.name])
		self.assertFalse(again[0]["done"])
		self.assertTrue(again[0]["message"])
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count(LETTER, {"collection_case": first.name}), 1)

	def test_bulk_assign_hands_each_case_over_and_reports_refusals(self):
		mine, theirs = case_for("Bulk Assign A", COLLECTOR), case_for("Bulk Assign B", SECOND_COLLECTOR)
		frappe.set_user(COLLECTOR)
		self.assertRaises(
			frappe.PermissionError,
			desk_call,
			"assign_cases",
			cases=[mine.name],
			collector=SECOND_COLLECTOR,
			reason="x",
		)
		frappe.set_user(SUPERVISOR)
		results = desk_call(
			"assign_cases", cases=[mine.name, theirs.name], collector=SECOND_COLLECTOR, reason="Workload"
		)
		frappe.set_user("Administrator")
		self.assertEqual([r["done"] for r in results], [True, False])
		self.assertEqual(frappe.db.get_value(CASE, mine.name, "collector"), SECOND_COLLECTOR)
		row = frappe.get_doc(CASE, mine.name).reassignments[-1]
		self.assertEqual((row.to_collector, row.reason), (SECOND_COLLECTOR, "Workload"))
		self.assertNotIn(SECOND_COLLECTOR, results[0]["message"])  # the collector's name, not their e-mail
