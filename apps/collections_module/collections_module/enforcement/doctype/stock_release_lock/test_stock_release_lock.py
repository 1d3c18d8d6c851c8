# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Stock-release lock (R-B7) on a real ERPNext site: proposal by the daily run, the owner's approval,
refusal of shipments through every path, the one-shipment pass, invoicing still allowed, release."""

import frappe
import frappe.client
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow

# a user without the transition is refused one way or the other, depending on the state
REFUSED = (WorkflowPermissionError, WorkflowTransitionError)

from collections_module.collection_cases.ladder.jobs import run
from collections_module.integrations.erpnext.shipment_guard import StockReleaseLocked
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	WAREHOUSE_USER,
	CollectionsTestCase,
	company,
	ensure_stock_item,
	ensure_user,
	make_customer,
	make_delivery_note,
	make_invoice,
	make_sales_order,
	open_case,
	pay,
	set_settings,
	state_history,
	today,
	warehouse,
)

test_ignore = ["Customer", "Company", "User", "Collection Case", "Delivery Note"]

LOCK = "Stock Release Lock"


def live_lock(customer):
	name = frappe.db.get_value(LOCK, {"customer": customer, "status": ["not in", ["Released", "Rejected"]]})
	return frappe.get_doc(LOCK, name) if name else None


class TestStockReleaseLock(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(hold_sales_orders=0, auto_release=0, release_threshold=0, pass_role=roles.OWNER)

	def locked_customer(self):
		customer = make_customer("Locked")
		si = make_invoice(customer, due_in_days=-91, amount=5000)
		run(today(), customers=[customer])
		lock = live_lock(customer)
		self.assertIsNotNone(lock, "the daily run proposes a lock at 91 days")
		self.assertEqual(lock.status, "Proposed")
		self.assertEqual((lock.overdue_amount, lock.oldest_days_overdue), (5000, 91))
		self.assertEqual(lock.collection_case, open_case(customer).name)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(lock, "Approve")
		frappe.set_user("Administrator")
		lock.reload()
		self.assertEqual(lock.status, "Active")
		self.assertEqual(lock.approved_by, ROLE_USERS[roles.OWNER])
		return customer, si, lock

	def test_nothing_blocks_while_only_proposed_and_a_collector_cannot_approve(self):
		customer = make_customer("Proposed Only")
		make_invoice(customer, due_in_days=-95, amount=100)
		run(today(), customers=[customer])
		lock = live_lock(customer)
		make_delivery_note(customer, submit=True)  # not approved yet: ships
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])  # not their customer: cannot even read the lock
		self.assertRaises((*REFUSED, frappe.PermissionError), apply_workflow, lock, "Approve")
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		self.assertRaises(REFUSED, apply_workflow, lock, "Approve")
		frappe.set_user("Administrator")
		run(today(), customers=[customer])  # the same date again: no second proposal
		self.assertEqual(frappe.db.count(LOCK, {"customer": customer}), 1)

	def test_locked_customer_cannot_ship_through_any_path(self):
		customer, _si, lock = self.locked_customer()
		dn = make_delivery_note(customer)
		with self.assertRaises(StockReleaseLocked) as refused:
			dn.submit()
		message = str(refused.exception)
		self.assertIn(lock.name, message)
		self.assertIn("5,000.00", message)
		self.assertIn("Business Owner", message)

		# the REST API's submit (frappe.client.submit) goes through the same server-side check
		import frappe.client

		dn2 = make_delivery_note(customer)
		self.assertRaises(StockReleaseLocked, frappe.client.submit, dn2.as_dict())
		# and as a warehouse user
		frappe.set_user(WAREHOUSE_USER)
		self.assertRaises(StockReleaseLocked, frappe.get_doc("Delivery Note", dn2.name).submit)

	def test_one_shipment_pass_lets_exactly_one_delivery_through(self):
		from collections_module.enforcement.doctype.stock_release_lock.stock_release_lock import (
			grant_pass,
		)

		customer, _si, lock = self.locked_customer()
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaises(frappe.PermissionError, grant_pass, lock.name, "urgent order")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		self.assertRaises(frappe.ValidationError, grant_pass, lock.name, "  ")
		grant_pass(lock.name, "Customer paid half in cash; ship the urgent order")
		from collections_module.integrations.erpnext.shipment_guard import lock_banner

		# the warehouse's banner says a pass is open, until a delivery uses it
		frappe.set_user(WAREHOUSE_USER)
		self.assertEqual([b.pass_open for b in lock_banner(customer)], [True])
		frappe.set_user("Administrator")

		first = make_delivery_note(customer, submit=True)
		self.assertEqual(first.docstatus, 1)
		lock.reload()
		self.assertEqual(lock.passes[0].delivery_note, first.name)
		self.assertEqual([b.pass_open for b in lock_banner(customer)], [False])
		second = make_delivery_note(customer)
		self.assertRaises(StockReleaseLocked, second.submit)

	def test_invoicing_goods_already_delivered_is_never_blocked(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		customer = make_customer("Delivered Then Locked")
		dn = make_delivery_note(customer, submit=True)
		make_invoice(customer, due_in_days=-91, amount=700)
		run(today(), customers=[customer])
		lock = live_lock(customer)
		apply_workflow(lock, "Approve")
		si = make_sales_invoice(dn.name)
		si.insert(ignore_permissions=True)
		si.submit()
		self.assertEqual(si.docstatus, 1)
		# but an invoice that itself ships goods (Update Stock) is a shipment
		upd = make_invoice(customer, due_in_days=10, amount=50, submit=False, update_stock=1)
		upd.items[0].item_code = "_CM Collection Test Stock Item"
		upd.items[0].warehouse = frappe.get_all(
			"Warehouse",
			filters={"company": upd.company, "is_group": 0},
			pluck="name",
			order_by="name",
			limit=1,
		)[0]
		upd.save()
		self.assertRaises(StockReleaseLocked, upd.submit)

	def test_sales_orders_held_only_when_the_setting_says_so(self):
		customer, _si, _lock = self.locked_customer()
		make_sales_order(customer, submit=True)
		set_settings(hold_sales_orders=1)
		try:
			self.assertRaises(StockReleaseLocked, make_sales_order(customer).submit)
		finally:
			set_settings(hold_sales_orders=0)

	def test_payment_proposes_release_and_the_owner_releases(self):
		customer, si, lock = self.locked_customer()
		pay(si.name)
		self.assertEqual(live_lock(customer).status, "Active")  # nothing changes before the owner decides
		run(today(), customers=[customer])
		lock.reload()
		self.assertEqual(lock.status, "Release Proposed")
		self.assertRaises(
			StockReleaseLocked, make_delivery_note(customer).submit
		)  # still held until released
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		self.assertRaises(REFUSED, apply_workflow, lock, "Release")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(lock, "Release")
		frappe.set_user("Administrator")
		lock.reload()
		self.assertEqual((lock.status, lock.released_by), ("Released", ROLE_USERS[roles.OWNER]))
		self.assertEqual(make_delivery_note(customer, submit=True).docstatus, 1)
		self.assertEqual(
			state_history(LOCK, lock.name),
			[
				"Proposed → Approved",
				"Approved → Active",
				"Active → Release Proposed",
				"Release Proposed → Released",
			],
		)

	def test_automatic_release_when_the_setting_says_so(self):
		customer, si, lock = self.locked_customer()
		set_settings(auto_release=1)
		try:
			pay(si.name)
			run(today(), customers=[customer])
			lock.reload()
			self.assertEqual(lock.status, "Released")
			self.assertIn("Paid down", lock.release_reason)
		finally:
			set_settings(auto_release=0)

	def test_collection_staff_can_propose_a_lock_by_hand(self):
		customer = make_customer("By Hand")
		make_invoice(customer, due_in_days=-40, amount=300)
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		lock = frappe.get_doc(
			{
				"doctype": LOCK,
				"customer": customer,
				"company": open_case(customer).company,
				"reason": "Refuses every call; manager agrees",
			}
		).insert()
		self.assertEqual(
			(lock.status, lock.proposed_by, lock.overdue_amount),
			("Proposed", ROLE_USERS[roles.SUPERVISOR], 300),
		)
		dup = frappe.get_doc(
			{"doctype": LOCK, "customer": customer, "company": lock.company, "reason": "again"}
		)
		self.assertRaises(frappe.DuplicateEntryError, dup.insert)

	def test_blocked_shipments_report_lists_what_the_warehouse_cannot_ship(self):
		from collections_module.enforcement.report.blocked_shipments.blocked_shipments import execute

		customer, _si, lock = self.locked_customer()
		dn = make_delivery_note(customer)
		so = make_sales_order(customer)
		_columns, rows = execute({"customer": customer})
		listed = {(r["doctype"], r["document"], r["lock"]) for r in rows}
		self.assertIn(("Delivery Note", dn.name, lock.name), listed)
		self.assertIn(("Sales Order", so.name, lock.name), listed)
		self.assertTrue(
			all(r["locked_since"] == lock.effective_from and r["overdue_amount"] == 5000 for r in rows)
		)
		self.assertTrue(all(r["ask"].startswith(roles.OWNER) for r in rows))

	def test_warehouse_sees_the_lock_but_not_the_collection_notes(self):
		customer, _si, lock = self.locked_customer()
		frappe.set_user(WAREHOUSE_USER)
		self.assertTrue(frappe.has_permission(LOCK, "read", lock.name))
		self.assertFalse(frappe.has_permission(LOCK, "write", lock.name))
		self.assertFalse(frappe.has_permission("Collection Case", "read"))
		self.assertFalse(frappe.has_permission("Contact Log", "read"))
		from collections_module.integrations.erpnext.shipment_guard import lock_banner

		self.assertEqual([b.name for b in lock_banner(customer)], [lock.name])

	def test_a_pass_cannot_be_slipped_in_by_saving_the_lock(self):
		_customer, _si, lock = self.locked_customer()
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		doc = frappe.get_doc(LOCK, lock.name)
		doc.append("passes", {"reason": "just this once"})
		try:
			doc.save()  # the passes table is not the collector's to write: the row is dropped, or refused
		except frappe.PermissionError:
			pass
		self.assertEqual(frappe.db.count("Stock Release Pass", {"parent": lock.name}), 0)
		doc = frappe.get_doc(LOCK, lock.name)
		doc.effective_from = frappe.utils.add_days(today(), 30)
		self.assertRaises(frappe.PermissionError, doc.save)

	def test_no_lock_while_payments_on_account_cover_the_overdue(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		customer = make_customer("Paid On Account")
		si = make_invoice(customer, due_in_days=-95, amount=600)
		# a payment received without naming the invoice: unallocated
		pe = get_payment_entry("Sales Invoice", si.name)
		pe.references = []
		pe.reference_no, pe.reference_date = "ON-ACCOUNT", today()
		pe.paid_amount = pe.received_amount = 600
		pe.insert()
		pe.submit()
		run(today(), customers=[customer])
		case = open_case(customer)
		self.assertEqual((case.total_outstanding, case.unallocated_credit), (600, 600))
		self.assertIsNone(live_lock(customer))


def second_company() -> str:
	"""Another company on the site, for User Permission tests (made once)."""
	name = "_CM Second Company"
	if not frappe.db.exists("Company", name):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": name,
				"abbr": "_CM2",
				"default_currency": frappe.get_cached_value("Company", company(), "default_currency"),
				"country": frappe.get_cached_value("Company", company(), "country"),
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	return name


class TestWarehouseView(CollectionsTestCase):
	"""What the warehouse sees, through the endpoints the desk calls."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		set_settings(hold_sales_orders=0, auto_release=0, release_threshold=0, pass_role=roles.OWNER)

	def active_lock(self, customer, company_name=None, status="Active"):
		lock = frappe.get_doc(
			{
				"doctype": LOCK,
				"customer": customer,
				"company": company_name or company(),
				"reason": "Over 90 days overdue: owner approved",
				"overdue_amount": 2500,
				"oldest_days_overdue": 95,
			}
		).insert()
		frappe.db.set_value(
			LOCK,
			lock.name,
			{"status": status, "effective_from": today(), "approved_by": ROLE_USERS[roles.OWNER]},
		)
		return lock.name

	def test_warehouse_runs_blocked_shipments_and_sees_only_blocking_locks(self):
		from frappe.desk.query_report import run as run_report

		customer = make_customer("Warehouse View")
		held = self.active_lock(customer)
		dn = make_delivery_note(customer)
		proposed = self.active_lock(make_customer("Only Proposed"), status="Proposed")
		for user_roles in (["Stock User"], ["Stock Manager"], ["Sales User"]):
			user = ensure_user(f"cm.wh.{user_roles[0].split()[0].lower()}@example.com", *user_roles)
			frappe.set_user(user)
			result = run_report("Blocked Shipments", filters={"customer": customer})
			rows = [r for r in result["result"] if isinstance(r, dict)]
			self.assertEqual([(r["lock"], r["document"]) for r in rows], [(held, dn.name)], user_roles)
			self.assertEqual(
				rows[0]["currency"], frappe.get_cached_value("Company", company(), "default_currency")
			)
			visible = frappe.client.get_list(
				LOCK, filters={"name": ["in", [held, proposed]]}, fields=["name"]
			)
			self.assertEqual([r["name"] for r in visible], [held])
			self.assertRaises(frappe.PermissionError, frappe.client.get, LOCK, proposed)
			shown = frappe.client.get(LOCK, held)
			self.assertIsNone(shown.get("approved_by"))  # the collection side is not theirs to read
			frappe.set_user("Administrator")

	def test_user_restricted_to_one_company_sees_nothing_of_another(self):
		from frappe.desk.query_report import run as run_report

		from collections_module.integrations.erpnext.shipment_guard import lock_banner

		other = second_company()
		customer = make_customer("Two Companies")
		here, there = self.active_lock(customer), self.active_lock(customer, other)
		user = ensure_user("cm.wh.restricted@example.com", "Stock User")
		if not frappe.db.exists(
			"User Permission", {"user": user, "allow": "Company", "for_value": company()}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": user, "allow": "Company", "for_value": company()}
			).insert(ignore_permissions=True)
		frappe.set_user(user)
		rows = run_report("Blocked Shipments", filters={"customer": customer})["result"]
		self.assertEqual({r["lock"] for r in rows if isinstance(r, dict)}, {here})
		self.assertEqual([b.name for b in lock_banner(customer)], [here])
		frappe.set_user(WAREHOUSE_USER)  # not restricted: both
		self.assertEqual({b.name for b in lock_banner(customer)}, {here, there})

	def test_consolidated_pos_invoice_is_never_refused(self):
		frappe.db.set_single_value("Stock Settings", "allow_negative_stock", 1)
		customer = make_customer("POS Closing")
		self.active_lock(customer)
		si = make_invoice(customer, due_in_days=0, amount=100, submit=False, update_stock=1)
		si.items[0].item_code = ensure_stock_item()
		si.items[0].warehouse = warehouse()
		si.save()
		si.is_consolidated = 1  # as POS closing makes it
		si.submit()  # goods already left at the till: POS closing must go through
		self.assertEqual(si.docstatus, 1)
		plain = make_invoice(customer, due_in_days=0, amount=100, submit=False, update_stock=1)
		plain.items[0].item_code = ensure_stock_item()
		plain.items[0].warehouse = warehouse()
		plain.save()
		self.assertRaises(StockReleaseLocked, plain.submit)


class TestLockAgainstTheLedger(CollectionsTestCase):
	def test_a_customer_who_paid_while_the_lock_was_proposed_is_never_locked(self):
		"""Proposed at 95 days, paid in full before the owner decides: the approval is refused with the
		reason, nothing blocks the delivery, and no daily run activates it (issue 25, item 1)."""
		customer = make_customer("Paid While Proposed")
		si = make_invoice(customer, due_in_days=-95, amount=700)
		run(today(), customers=[customer])
		lock = live_lock(customer)
		self.assertEqual(lock.status, "Proposed")
		pay(si.name)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		try:
			with self.assertRaisesRegex(frappe.ValidationError, "owes nothing overdue"):
				apply_workflow(frappe.get_doc(LOCK, lock.name), "Approve")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(LOCK, lock.name, "status"), "Proposed")
		make_delivery_note(customer, submit=True)  # ships
