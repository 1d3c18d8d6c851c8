"""Issue 19, reproductions 8 to 11, on a real site: new-case filtering works from the import (deadlines,
progress allocated or not, the verification gate, the checklist, a validated deadline table); the
risk grade steers (the grade ladders and mapping installed, long-overdue debt to legal review, debt
repayments in the history); the blacklist matches debtors by ID number or phone; and a debtor sharing
a customer's name is told apart without the client's account number."""

import frappe
from frappe.client import insert, set_value
from frappe.desk.query_report import run as run_report
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, now_datetime

from collections_module.collection_cases.ladder.jobs import run
from collections_module.contact_conduct.conduct import ContactNotAllowed
from collections_module.integrations.erpnext.blacklist_guard import CustomerBlacklisted
from collections_module.policy import filtering, grade_settings, roles
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	CollectionsTestCase,
	company,
	ensure_user,
	local_time,
	make_customer,
	make_invoice,
	make_sales_order,
	open_case,
	set_settings,
	today,
)

CLIENT = "_CM Issue 19 Bank"
SH = "Asia/Shanghai"
COLLECTOR, SUPERVISOR = ROLE_USERS[roles.COLLECTOR], ROLE_USERS[roles.SUPERVISOR]
CHECKLIST = (
	"checked_name",
	"checked_id_number",
	"checked_phones",
	"checked_employer",
	"checked_addresses",
	"checked_amount",
)


def make_batch() -> str:
	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert(
			ignore_permissions=True
		)
	return (
		frappe.get_doc(
			{"doctype": "Intake Batch", "client": CLIENT, "company": company(), "received_at": now_datetime()}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_debt(batch: str | None = None, amount: float = 1000, days_overdue: int = 45, **fields):
	"""A debt of the test client, imported as Data Import saves each row."""
	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert(
			ignore_permissions=True
		)
	values = {
		"doctype": "Debt",
		"client": CLIENT,
		"account_no": f"I19-{frappe.generate_hash(length=8)}",
		"intake_batch": batch,
		"company": company(),
		"due_date": add_days(today(), -days_overdue),
		"debtor_name": f"_CM Debtor {frappe.generate_hash(length=6)}",
		"debtor_type": "Person",
		"principal": amount,
		"currency": frappe.get_cached_value("Company", company(), "default_currency"),
	}
	return frappe.get_doc({**values, **fields}).insert(ignore_permissions=True)


def case_of_debt(debt) -> frappe._dict:
	name = frappe.db.get_value("Debt", debt.name, "collection_case")
	return frappe.db.get_value(
		"Collection Case",
		name,
		[
			"name",
			"customer",
			"collector",
			"filtering_deadline",
			"filtering_class",
			"filtering_done_on",
			"next_dial",
			"risk_grade",
			"risk_score",
			"grade_why",
			"grade_factors",
			"policy",
			"current_stage",
		],
		as_dict=True,
	)


def filtering_call(case: str, hour: int, party: str, result: str, outcome: str = "No Answer"):
	"""A collector's filtering call, recorded through the desk's insert."""
	return insert(
		{
			"doctype": "Contact Log",
			"collection_case": case,
			"start_time": str(local_time(SH, -1, hour)),
			"channel": "Phone",
			"direction": "Outbound",
			"outcome": outcome,
			"summary": f"Filtering call to {party}",
			"dial_party": party,
			"result_code": result,
		}
	)


def allocate(case: str):
	"""The supervisor gives the case to the test collector, as the case form saves it."""
	frappe.set_user(SUPERVISOR)
	set_value("Collection Case", case, {"collector": COLLECTOR, "debtor_timezone": SH})
	frappe.set_user("Administrator")


def random_digits(n: int) -> str:
	return "".join(str(int(c, 16) % 10) for c in frappe.generate_hash(length=n))


class TestIssue19Intake(CollectionsTestCase):
	def setUp(self):
		settings = frappe.get_single("Collection Settings")
		self.saved = {
			"require_verification": settings.require_verification,
			"blacklist_refuses_sales_orders": settings.blacklist_refuses_sales_orders,
		}
		set_settings(require_verification=1)

	def tearDown(self):
		frappe.set_user("Administrator")
		set_settings(**self.saved)
		super().tearDown()

	# --- 8. filtering works from import -------------------------------------------------------------

	def test_unallocated_cases_have_a_filtering_deadline_and_are_in_progress(self):
		batch = make_batch()
		debts = [make_debt(batch, amount=amount) for amount in (1000, 2000, 3000)]
		deadline = frappe.db.get_value("Intake Batch", batch, "filtering_deadline")
		self.assertTrue(deadline)
		for debt in debts:
			case = case_of_debt(debt)
			self.assertFalse(case.collector)  # not allocated yet ...
			self.assertEqual(str(case.filtering_deadline), str(deadline))  # ... and filtered from import

		frappe.set_user(SUPERVISOR)
		by_collector = run_report(
			"Filtering Progress", filters={"intake_batch": batch, "group_by": "Collector"}
		)["result"]
		by_batch = run_report("Filtering Progress", filters={"intake_batch": batch})["result"]
		frappe.set_user("Administrator")
		(waiting,) = [
			r for r in by_collector if isinstance(r, dict) and r.get("group") == filtering.UNALLOCATED
		]
		self.assertEqual((waiting["accounts"], waiting["unallocated"], waiting["amount"]), (3, 3, 6000))
		(row,) = [r for r in by_batch if isinstance(r, dict) and r.get("group") == batch]
		self.assertEqual((row["accounts"], row["allocated"], row["unallocated"]), (3, 0, 3))
		self.assertEqual((row["amount"], row["unallocated_amount"]), (6000, 6000))

	def test_filtering_call_is_not_refused_by_the_verification_gate(self):
		case = case_of_debt(make_debt(make_batch()))
		allocate(case.name)
		frappe.set_user(COLLECTOR)
		# the new case is not verified (the setting requires it): filtering is how it gets verified
		log = filtering_call(case.name, 10, filtering.EMPLOYER, "No Answer")
		self.assertEqual(log["dial_party"], filtering.EMPLOYER)
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "next_dial"), filtering.CONTACTS)
		# a collection call that is not a filtering call still waits for the verification
		with self.assertRaises(ContactNotAllowed):
			insert(
				{
					"doctype": "Contact Log",
					"collection_case": case.name,
					"start_time": str(local_time(SH, -1, 11)),
					"channel": "Phone",
					"direction": "Outbound",
					"outcome": "No Answer",
					"summary": "Asked for payment",
				}
			)

	def test_checklist_gates_classification(self):
		case = case_of_debt(make_debt(make_batch()))
		allocate(case.name)
		frappe.set_user(COLLECTOR)
		# the employer's HR reaches the debtor's desk, but nothing of the checklist is verified yet
		filtering_call(case.name, 9, filtering.EMPLOYER, "Reached Third Party", "Callback Requested")
		self.assertFalse(frappe.db.get_value("Collection Case", case.name, "filtering_class"))
		set_value("Collection Case", case.name, {field: 1 for field in CHECKLIST[:-1]})
		filtering_call(case.name, 10, filtering.CONTACTS, "No Answer")
		self.assertFalse(frappe.db.get_value("Collection Case", case.name, "filtering_class"))  # amount
		set_value("Collection Case", case.name, "checked_amount", 1)
		# the checklist completed: the calls already made class the case at once
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "filtering_class"), "Contactable")
		filtering_call(case.name, 11, filtering.COMMITTEE, "No Answer")
		frappe.set_user("Administrator")
		done = frappe.db.get_value(
			"Collection Case", case.name, ["filtering_class", "filtering_done_on"], as_dict=True
		)
		self.assertEqual((done.filtering_class, str(done.filtering_done_on)), ("Contactable", str(today())))

	def test_negative_deadline_row_is_refused_and_debt_save_survives(self):
		manager = ROLE_USERS[roles.MANAGER]
		stored_cap = frappe.db.get_single_value("Collection Settings", "filtering_max_days")
		frappe.set_user(manager)
		settings = frappe.get_single("Collection Settings")
		settings.append("filtering_deadlines", {"max_accounts": 300, "days": -2})
		self.assertRaisesRegex(frappe.ValidationError, "at least 1 day", settings.save)
		settings = frappe.get_single("Collection Settings")
		settings.filtering_max_days = -1
		self.assertRaises(frappe.ValidationError, settings.save)
		frappe.set_user("Administrator")

		# values stored before the check (an older version, the console) never break an import
		bad = frappe.get_doc(
			{
				"doctype": "Filtering Deadline Rule",
				"parent": "Collection Settings",
				"parenttype": "Collection Settings",
				"parentfield": "filtering_deadlines",
				"idx": 99,
				"max_accounts": 300,
				"days": -2,
			}
		)
		bad.db_insert()
		frappe.db.set_single_value("Collection Settings", "filtering_max_days", -1)
		frappe.clear_document_cache("Collection Settings", "Collection Settings")
		try:
			batch = make_batch()
			debt = make_debt(batch)
			self.assertTrue(frappe.db.exists("Debt", debt.name))
			# the shipped table applies: one account, 2 days
			self.assertEqual(
				str(frappe.db.get_value("Intake Batch", batch, "filtering_deadline")),
				str(add_days(today(), 2)),
			)
			self.assertEqual(str(case_of_debt(debt).filtering_deadline), str(add_days(today(), 2)))
		finally:
			frappe.db.delete("Filtering Deadline Rule", {"name": bad.name})
			frappe.db.set_single_value("Collection Settings", "filtering_max_days", stored_cap)
			frappe.clear_document_cache("Collection Settings", "Collection Settings")

	# --- 9. grades that steer -----------------------------------------------------------------------

	def test_default_grade_policy_mapping_installed_and_d_steers_to_legal(self):
		from collections_module.setup import install

		settings = frappe.get_single("Collection Settings")
		saved = [(r.grade, r.policy, r.approach) for r in settings.grade_policies]
		marker = {"parent": "__default", "defkey": install.GRADE_MAPPING_INSTALLED}
		had_marker = frappe.db.exists("DefaultValue", marker)
		settings.set("grade_policies", [])
		settings.save(ignore_permissions=True)
		frappe.db.delete("DefaultValue", marker)
		try:
			install.ensure_grade_policies()
			install.ensure_grade_policies()  # idempotent
			settings = frappe.get_single("Collection Settings")
			self.assertEqual(
				[(r.grade, r.policy) for r in settings.grade_policies],
				[
					("A", grade_settings.STANDARD_POLICY),
					("B", grade_settings.STANDARD_POLICY),
					("C", grade_settings.STANDARD_POLICY),
					("D", grade_settings.LEGAL_POLICY),
				],
			)
			legal = frappe.get_doc("Collection Policy", grade_settings.LEGAL_POLICY)
			self.assertEqual((legal.stages[-1].stage_name, legal.stages[-1].open_ended), ("Legal Review", 1))
			self.assertEqual(frappe.db.count("Collection Policy", {"name": grade_settings.FIRM_POLICY}), 1)

			# a customer 200 days overdue is graded D and follows the legal track
			customer = make_customer("Steered To Legal")
			make_invoice(customer, due_in_days=-200, amount=1000)
			case = open_case(customer)
			self.assertEqual(case.risk_grade, "D")
			self.assertEqual((case.policy, case.current_stage), (grade_settings.LEGAL_POLICY, "Legal Review"))
		finally:
			settings = frappe.get_single("Collection Settings")
			settings.set("grade_policies", [{"grade": g, "policy": p, "approach": a} for g, p, a in saved])
			settings.save(ignore_permissions=True)
			frappe.db.delete("DefaultValue", marker)
			if had_marker:
				frappe.db.set_default(install.GRADE_MAPPING_INSTALLED, "1")

	def test_debt_1000_days_overdue_is_proposed_for_legal_review(self):
		debt = make_debt(days_overdue=1000)
		case = case_of_debt(debt)
		self.assertEqual(case.risk_grade, "D")
		self.assertIn("1000 days overdue: legal review", case.grade_why)
		run(today(), customers=[debt.customer])  # the daily run
		actions = frappe.get_all("Legal Action", filters={"collection_case": case.name}, fields=["reason"])
		self.assertEqual(len(actions), 1)
		self.assertIn("1000 days overdue", actions[0].reason)
		run(today(), customers=[debt.customer])  # once per case
		self.assertEqual(frappe.db.count("Legal Action", {"collection_case": case.name}), 1)

	def test_debt_repayments_count_in_grade_history(self):
		id_number = f"4401{random_digits(14)}"
		# an earlier debt of the debtor, repaid in full 60 days after its due date (reported by the client)
		make_debt(
			days_overdue=100,
			id_number=id_number,
			repayments=[
				{
					"repayment_date": add_days(today(), -40),
					"amount": 1000,
					"source": "Reported by Client",
				}
			],
		)
		debt = make_debt(amount=500, days_overdue=20, id_number=id_number)  # the same debtor, now overdue
		case = case_of_debt(debt)
		factors = frappe.parse_json(case.grade_factors)
		self.assertIn(["{0} of {1} debts repaid late or still unpaid", [2, 2], 20], factors)
		self.assertIn(["on average {0} days late", [60], 15], factors)
		self.assertEqual((case.risk_score, case.risk_grade), (35, "B"))

	# --- 10. blacklist by ID number or phone ---------------------------------------------------------

	def test_blacklist_by_id_number_or_phone_matches_imported_debtor(self):
		set_settings(blacklist_refuses_sales_orders=1)
		id_number, phone = f"110101{random_digits(11)}X", f"139{random_digits(8)}"
		entries = []
		for key, value in (("id_number", id_number), ("phone", phone)):
			entry = frappe.get_doc(
				{
					"doctype": "Blacklist Entry",
					key: value,
					"person_name": "Listed Debtor",
					"reason_category": "Fraud",
					"reason": "Forged payslips on a loan application",
					"start_date": today(),
				}
			).insert(ignore_permissions=True)
			frappe.set_user(ROLE_USERS[roles.OWNER])
			apply_workflow(entry, "Approve")
			frappe.set_user("Administrator")
			entries.append(entry.name)

		by_id = make_debt(id_number=f"{id_number[:6]} {id_number[6:].lower()}")  # as the client wrote it
		by_phone = make_debt(phones=f"0755 8888 1234\n+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}")
		for debt, entry in zip((by_id, by_phone), entries, strict=True):
			case = case_of_debt(debt)
			self.assertEqual(case.risk_grade, "D")
			self.assertIn("blacklisted", case.grade_why)
			# the listing names the debtor's customer now: sales are refused like any listed customer's
			self.assertEqual(frappe.db.get_value("Blacklist Entry", entry, "customer"), debt.customer)
			self.assertRaises(CustomerBlacklisted, make_sales_order, debt.customer)
			run(today(), customers=[debt.customer])  # and every run keeps it so
			self.assertEqual(case_of_debt(debt).risk_grade, "D")

		# a listing by ID number alone grades the debtor's customer on every run, named or not
		frappe.db.set_value("Blacklist Entry", entries[0], "customer", None)
		run(today(), customers=[by_id.customer])
		self.assertEqual(case_of_debt(by_id).risk_grade, "D")

	# --- 11. namesakes ---------------------------------------------------------------------------------

	def test_same_name_debtor_never_shows_the_account_number(self):
		existing = make_customer("Namesake")
		account = f"SECRET-{frappe.generate_hash(length=6)}"
		with_id = make_debt(
			debtor_name=existing, account_no=account, id_number=f"4401{random_digits(10)}1234"
		)
		without_id = make_debt(debtor_name=existing, account_no=f"{account}-2")
		names = []
		for debt in (with_id, without_id):
			self.assertNotEqual(debt.customer, existing)
			customer = frappe.db.get_value("Customer", debt.customer, ["name", "customer_name"], as_dict=True)
			for text in (customer.name, customer.customer_name):
				self.assertNotIn("SECRET", text)
			names.append(customer.customer_name)
		self.assertEqual(names, [f"{existing} (ID …1234)", f"{existing} (2)"])


class TestAllocationRulesFromTheDesk(CollectionsTestCase):
	"""Issue 19 item 5: a case's allocation rules come from the desk — lowest level, preferred and excluded
	collectors — and a debtor owing two clients goes only to a collector who may work both."""

	def test_case_rules_and_every_client_of_the_debtor_reach_the_proposal(self):
		from collections_module.intake.allocation import batch_cases

		batch = make_batch()
		debt = make_debt(batch)
		case = frappe.db.get_value("Debt", debt.name, "collection_case")
		other = "_CM Issue 19 Partner"
		if not frappe.db.exists("Collection Client", other):
			frappe.get_doc({"doctype": "Collection Client", "client_name": other}).insert(
				ignore_permissions=True
			)
		customer = frappe.db.get_value("Debt", debt.name, "customer")
		second = make_debt(None, client=other, customer=customer)
		self.assertEqual(frappe.db.get_value("Debt", second.name, "collection_case"), case)
		only_bank = ensure_user("cm.alloc.onlybank@example.com", roles.COLLECTOR)
		frappe.db.delete("Collector Profile", {"user": only_bank})
		frappe.get_doc(
			{
				"doctype": "Collector Profile",
				"user": only_bank,
				"team": "_CM Issue 19",
				"active": 1,
				"clients": [{"client": CLIENT}],
			}
		).insert(ignore_permissions=True)
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		doc = frappe.get_doc("Collection Case", case)
		doc.min_collector_level = 2
		doc.preferred_collector = ROLE_USERS[roles.COLLECTOR]
		doc.append("excluded_collectors", {"collector": SECOND_COLLECTOR})
		doc.save()
		frappe.set_user("Administrator")
		(got,) = [c for c in batch_cases(batch) if c.id == case]
		self.assertEqual((got.min_level, got.preferred), (2, ROLE_USERS[roles.COLLECTOR]))
		self.assertIn(SECOND_COLLECTOR, got.excluded)
		self.assertIn(only_bank, got.excluded)  # works the bank, not the partner the debtor also owes
