"""The approval inbox and the workspace's trend charts on a real site: the owner sees a proposed lock
with the customer's name and the amount at stake, a collector sees nothing, nobody is asked to approve
their own request; the recovery trend adds up the recovery ledger as each user may read it, and the
DSO follows the payment ledger and the sales."""

import frappe
from frappe import _
from frappe.desk.query_report import run as run_report
from frappe.utils import add_days, flt, get_first_day

from collections_module.collection_cases.ladder.jobs import run
from collections_module.enforcement import approvals
from collections_module.policy import roles, trends
from collections_module.team.dashboard_chart_source.collections_days_sales_outstanding import (
	collections_days_sales_outstanding as dso_chart,
)
from collections_module.team.dashboard_chart_source.collections_recovery_trend import (
	collections_recovery_trend as recovery_chart,
)
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	company,
	make_customer,
	make_invoice,
	open_case,
	ready_case,
	today,
)

test_ignore = ["Customer", "Company", "User", "Collection Case", "Sales Invoice"]

LOCK = "Stock Release Lock"
REPORT = "Awaiting My Approval"
OWNER = ROLE_USERS[roles.OWNER]
MANAGER = ROLE_USERS[roles.MANAGER]
SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]
COLLECTOR = ROLE_USERS[roles.COLLECTOR]


def row_of(rows: list[dict], record: str) -> dict | None:
	return next((r for r in rows if r["record"] == record), None)


class TestAwaitingMyApproval(CollectionsTestCase):
	def proposed_lock(self) -> tuple[str, str, str]:
		"""A lock the daily run proposes at 91 days, for a customer whose name is not its ID; the case
		is the test collector's."""
		customer = make_customer("Inbox Lock")
		display = f"Inbox Trading Co. {frappe.generate_hash(length=6)}"
		frappe.db.set_value("Customer", customer, "customer_name", display)
		make_invoice(customer, due_in_days=-91, amount=5000)
		run(today(), customers=[customer])
		lock = frappe.db.get_value(LOCK, {"customer": customer, "status": "Proposed"})
		self.assertIsNotNone(lock, "the daily run proposes a lock at 91 days")
		case = open_case(customer)
		case.collector = COLLECTOR
		case.save(ignore_permissions=True)
		return customer, display, lock

	def test_owner_sees_a_proposed_lock_with_the_customer_name_and_amount(self):
		customer, display, lock = self.proposed_lock()
		frappe.set_user(OWNER)
		rows = approvals.awaiting()
		row = row_of(rows, lock)
		self.assertIsNotNone(row, "the owner decides proposed locks")
		self.assertEqual(row["customer_name"], display)
		self.assertNotEqual(row["customer_name"], customer)
		self.assertEqual(row["amount"], 5000)
		self.assertEqual(row["currency"], frappe.get_cached_value("Company", company(), "default_currency"))
		self.assertEqual((row["reference_doctype"], row["document_type"]), (LOCK, _(LOCK)))
		self.assertEqual(row["actions"], ", ".join([_("Approve"), _("Reject")]))
		self.assertEqual(row["days_waiting"], 0)
		self.assertNotIn("@", row["requested_by"])
		amounts = [flt(r["amount"]) for r in rows]
		self.assertEqual(amounts, sorted(amounts, reverse=True), "largest amount first")

		# the report shows the same, with the amounts per document type as a chart
		result = run_report(REPORT)
		self.assertEqual(row_of(result["result"], lock)["customer_name"], display)
		chart = result["chart"]["data"]
		self.assertIn(_(LOCK), chart["labels"])
		self.assertGreaterEqual(chart["datasets"][0]["values"][chart["labels"].index(_(LOCK))], 5000)

	def test_a_collector_sees_nothing(self):
		_customer, _display, lock = self.proposed_lock()
		frappe.set_user(COLLECTOR)  # their customer's lock: they read it, they cannot decide it
		self.assertTrue(frappe.has_permission(LOCK, "read", lock))
		self.assertEqual(approvals.awaiting(), [])
		self.assertRaises(frappe.PermissionError, run_report, REPORT)

	def test_nobody_is_asked_to_approve_their_own_request(self):
		case = ready_case("Inbox Waiver")
		frappe.set_user(MANAGER)
		waiver = frappe.get_doc(
			{
				"doctype": "Collection Waiver",
				"collection_case": case.name,
				"sales_invoice": case.invoices[0].sales_invoice,
				"waiver_type": "Penalty",
				"amount": 150,
				"reason": "Late-payment penalty waived for payment in full",
			}
		).insert()
		self.assertIsNone(
			row_of(approvals.awaiting(), waiver.name), "a manager approves waivers, not their own"
		)

		frappe.set_user(OWNER)
		row = row_of(approvals.awaiting(), waiver.name)
		self.assertIsNotNone(row)
		self.assertEqual((row["amount"], row["customer_name"]), (150, case.customer_name))
		self.assertEqual(row["requested_by"], frappe.db.get_value("User", MANAGER, "full_name"))
		self.assertEqual(row["company"], case.company)


class TestTrendCharts(CollectionsTestCase):
	def recovered(self, collector: str, amount: float, day=None):
		frappe.get_doc(
			{
				"doctype": "Collection Recovery",
				"posting_date": day or today(),
				"collector": collector,
				"company": company(),
				"amount": amount,
				"allocated": amount,
				"currency": frappe.get_cached_value("Company", company(), "default_currency"),
				"recovery_key": f"_CM trend {collector} {frappe.generate_hash(length=8)}",
			}
		).insert(ignore_permissions=True)

	def ledger_this_month(self, collector: str | None = None) -> float:
		filters = {"company": company(), "posting_date": ["between", [get_first_day(today()), today()]]}
		if collector:
			filters["collector"] = collector
		return flt(
			sum(flt(a) for a in frappe.get_all("Collection Recovery", filters=filters, pluck="amount")), 2
		)

	def test_recovery_trend_adds_up_the_ledger_as_each_user_reads_it(self):
		self.recovered(COLLECTOR, 123.45)
		self.recovered(SECOND_COLLECTOR, 200)
		self.recovered(COLLECTOR, 999, day=add_days(get_first_day(today()), -1))  # last month's

		frappe.set_user(SUPERVISOR)  # the team's
		data = recovery_chart.get(filters={"company": company()})
		self.assertEqual(len(data["labels"]), 12)
		self.assertEqual(data["labels"][-1], trends.month_key(today()))
		this_month = data["datasets"][0]["values"][-1]
		self.assertAlmostEqual(this_month, self.ledger_this_month(), places=2)
		self.assertGreaterEqual(this_month, 323.45)

		frappe.set_user(COLLECTOR)  # their own rows only
		data = recovery_chart.get(filters=frappe.as_json({"company": company()}))
		self.assertAlmostEqual(data["datasets"][0]["values"][-1], self.ledger_this_month(COLLECTOR), places=2)

	def test_dso_follows_the_ledgers_and_is_for_the_leads(self):
		make_invoice(make_customer("DSO"), due_in_days=20, amount=3000)
		frappe.set_user(OWNER)
		data = dso_chart.get(filters={"company": company()})
		self.assertEqual(len(data["labels"]), 12)
		month_start = get_first_day(today())
		window_start, _end = trends.sales_window(month_start, today())
		owed = frappe.get_all(
			"Payment Ledger Entry",
			filters={
				"company": company(),
				"party_type": "Customer",
				"account_type": "Receivable",
				"delinked": 0,
				"posting_date": ["<=", today()],
			},
			fields=["sum(amount) as total"],
		)[0].total
		sold = frappe.get_all(
			"Sales Invoice",
			filters={
				"company": company(),
				"docstatus": 1,
				"is_return": 0,
				"is_opening": ["!=", "Yes"],
				"posting_date": ["between", [window_start, today()]],
			},
			fields=["sum(base_grand_total) as total"],
		)[0].total
		expected = trends.dso(flt(owed), flt(sold), trends.days_in(window_start, today())) or 0
		self.assertAlmostEqual(data["datasets"][0]["values"][-1], expected, delta=0.11)

		frappe.set_user(COLLECTOR)
		self.assertRaises(frappe.PermissionError, dso_chart.get, filters={"company": company()})
