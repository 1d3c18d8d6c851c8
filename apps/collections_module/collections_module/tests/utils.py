"""Builders for integration tests: real customers, invoices and payments on the test site's company."""

from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, nowdate

from collections_module.policy import roles

ROLE_USERS = {
	roles.COLLECTOR: "cm.collector@example.com",
	roles.SUPERVISOR: "cm.supervisor@example.com",
	roles.MANAGER: "cm.manager@example.com",
	roles.GENERAL_MANAGER: "cm.gm@example.com",
	roles.OWNER: "cm.owner@example.com",
}


def today() -> date:
	return getdate(nowdate())


def company() -> str:
	return (
		frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name", limit=1)[0]
	)


WAREHOUSE_USER = "cm.warehouse@example.com"
SECOND_COLLECTOR = "cm.collector2@example.com"
# a shared site has other people in the collection roles: tests must hold with them around
OTHER_SUPERVISOR = "cm.other.supervisor@example.com"
OTHER_MANAGER = "cm.other.manager@example.com"


def ensure_users():
	"""One user per collection role, a second collector and a warehouse (Stock User) user."""
	wanted = {email: [role] for role, email in ROLE_USERS.items()}
	wanted[SECOND_COLLECTOR] = [roles.COLLECTOR]
	wanted[WAREHOUSE_USER] = ["Stock User"]
	wanted[OTHER_SUPERVISOR] = [roles.SUPERVISOR]
	wanted[OTHER_MANAGER] = [roles.MANAGER]
	for email, user_roles in wanted.items():
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		else:
			user = frappe.get_doc("User", email)
		user.add_roles(*user_roles)


def ensure_user(email: str, *user_roles: str) -> str:
	"""A system user holding ``user_roles`` (added if missing)."""
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	frappe.get_doc("User", email).add_roles(*user_roles)
	return email


def collector_profile(user: str, **fields):
	"""A collector (the user made if missing) with their Collector Profile set to ``fields``."""
	ensure_user(user, roles.COLLECTOR)
	profile = (
		frappe.get_doc("Collector Profile", user)
		if frappe.db.exists("Collector Profile", user)
		else frappe.new_doc("Collector Profile")
	)
	profile.update({"user": user, **fields})
	profile.save(ignore_permissions=True)
	return profile


def ensure_fiscal_year(day: date):
	from erpnext.accounts.utils import get_fiscal_year

	try:
		get_fiscal_year(day, company=company())
	except Exception:
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(day.year),
				"year_start_date": date(day.year, 1, 1),
				"year_end_date": date(day.year, 12, 31),
			}
		).insert(ignore_permissions=True)


def ensure_item(stock: bool = False) -> str:
	"""A test item: a service (no stock) by default, or a stock item valued at 50."""
	name = "_CM Collection Test Stock Item" if stock else "_CM Collection Test Service"
	if not frappe.db.exists("Item", name):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": name,
				"item_name": name,
				"item_group": frappe.get_all("Item Group", filters={"is_group": 0}, pluck="name", limit=1)[0],
				"stock_uom": "Nos",
				"is_stock_item": int(stock),
				"valuation_rate": 50 if stock else 0,
			}
		).insert(ignore_permissions=True)
	return name


def ensure_stock_item() -> str:
	return ensure_item(stock=True)


def state_history(doctype: str, name: str) -> list[str]:
	"""The 'A → B' state changes logged on a document's timeline, oldest first, without the user."""
	rows = frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": doctype,
			"reference_name": name,
			"comment_type": "Info",
			"content": ["like", "%→%"],
		},
		pluck="content",
		order_by="creation asc",
	)
	return [row.split(" by ")[0] for row in rows]


def make_customer(label: str, email: str | None = None, **fields) -> str:
	name = f"_CM {label} {frappe.generate_hash(length=6)}"
	frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_group": frappe.get_all(
				"Customer Group", filters={"is_group": 0}, pluck="name", limit=1
			)[0],
			"territory": frappe.get_all("Territory", filters={"is_group": 0}, pluck="name", limit=1)[0],
			"email_id": email,
			**fields,
		}
	).insert(ignore_permissions=True)
	return name


def ensure_outgoing_email_account():
	"""Reminders go out through the site's default outgoing account (in tests, into the Email Queue)."""
	if not frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "_CM Outgoing",
				"email_id": "cm.outgoing@example.com",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "localhost",
				"no_smtp_authentication": 1,
			}
		).insert(ignore_permissions=True)


def make_invoice(
	customer: str,
	due_in_days: int,
	amount: float = 1000.0,
	terms: list[tuple[int, float]] | None = None,
	submit: bool = True,
	qty: int = 1,
	**fields,
):
	"""A Sales Invoice due ``due_in_days`` from today (negative = already overdue), posted 30 days before.

	``terms``: [(due_in_days, portion %), ...] gives it a payment schedule of several terms instead.
	"""
	due = add_days(today(), due_in_days)
	posting = add_days(due, -30) if not terms else add_days(today(), min(t[0] for t in terms) - 30)
	ensure_fiscal_year(getdate(posting))
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company(),
			"set_posting_time": 1,
			"posting_date": posting,
			"due_date": due if not terms else add_days(today(), max(t[0] for t in terms)),
			"items": [{"item_code": ensure_item(), "qty": qty, "rate": amount / qty}],
			"disable_rounded_total": 1,
			**fields,
		}
	)
	if terms:
		for days, portion in terms:
			si.append(
				"payment_schedule",
				{
					"due_date": add_days(today(), days),
					"invoice_portion": portion,
					"payment_amount": amount * portion / 100,
				},
			)
	si.insert(ignore_permissions=True)
	if submit:
		si.submit()
	return si


def pay(invoice: str, amount: float | None = None, posting_date=None):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry("Sales Invoice", invoice)
	pe.reference_no = "CM-TEST"
	pe.reference_date = posting_date or today()
	pe.posting_date = posting_date or today()
	if amount is not None:
		pe.paid_amount = pe.received_amount = amount
		pe.references[0].allocated_amount = amount
	pe.insert(ignore_permissions=True)
	pe.submit()
	return pe


def open_case(customer: str):
	name = frappe.db.get_value("Collection Case", {"customer": customer, "status": ["!=", "Closed"]})
	return frappe.get_doc("Collection Case", name) if name else None


def case_of(customer: str):
	name = frappe.db.get_value("Collection Case", {"customer": customer}, order_by="creation desc")
	return frappe.get_doc("Collection Case", name) if name else None


def todos(case: str) -> list:
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": "Collection Case", "reference_name": case},
		fields=["name", "allocated_to", "status", "date", "description"],
	)


def notifications(case: str) -> list:
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": "Collection Case", "document_name": case},
		fields=["for_user", "subject"],
	)


def warehouse() -> str:
	return frappe.get_all(
		"Warehouse", filters={"company": company(), "is_group": 0}, pluck="name", order_by="name", limit=1
	)[0]


def make_delivery_note(customer: str, qty: int = 1, rate: float = 100.0, submit: bool = False):
	"""A draft (or submitted) Delivery Note; negative stock is allowed in tests so no receipt is needed."""
	frappe.db.set_single_value("Stock Settings", "allow_negative_stock", 1)
	dn = frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"customer": customer,
			"company": company(),
			"items": [{"item_code": ensure_stock_item(), "qty": qty, "rate": rate, "warehouse": warehouse()}],
		}
	).insert(ignore_permissions=True)
	if submit:
		dn.submit()
	return dn


def make_sales_order(customer: str, amount: float = 100.0, submit: bool = False):
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": company(),
			"delivery_date": add_days(today(), 7),
			"items": [{"item_code": ensure_stock_item(), "qty": 1, "rate": amount, "warehouse": warehouse()}],
		}
	)
	so.insert(ignore_permissions=True)
	if submit:
		so.submit()
	return so


def set_settings(**values):
	settings = frappe.get_single("Collection Settings")
	settings.update(values)
	settings.save(ignore_permissions=True)


def ready_case(
	label: str,
	tz: str = "Asia/Shanghai",
	collector: str | None = None,
	verified: bool = True,
	days_overdue: int = 20,
):
	"""An open case with an overdue invoice, assigned to the test collector, verified, in ``tz``."""
	customer = make_customer(label)
	make_invoice(customer, due_in_days=-days_overdue, amount=1000)
	case = open_case(customer)
	case.update(
		{
			"collector": collector or ROLE_USERS[roles.COLLECTOR],
			"verified": int(verified),
			"debtor_timezone": tz,
		}
	)
	case.save(ignore_permissions=True)
	return case


def local_time(tz: str, days_from_today: int, hour: int, minute: int = 0):
	"""A desk (system time zone) datetime for ``hour:minute`` in ``tz`` on today + ``days_from_today``."""
	from datetime import datetime, time
	from zoneinfo import ZoneInfo

	from collections_module.contact_conduct.conduct import from_utc

	day = add_days(today(), days_from_today)
	return from_utc(datetime.combine(getdate(day), time(hour, minute), tzinfo=ZoneInfo(tz)))


def contact_log(case, start_time, **fields):
	return frappe.get_doc(
		{
			"doctype": "Contact Log",
			"collection_case": case.name if hasattr(case, "name") else case,
			"start_time": start_time,
			"channel": "Phone",
			"direction": "Outbound",
			"outcome": "No Answer",
			"summary": "Called the accounts payable desk",
			**fields,
		}
	)


class CollectionsTestCase(FrappeTestCase):
	"""Integration tests as real users: the collection users exist, and each test ends as Administrator."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def tearDown(self):
		frappe.set_user("Administrator")
