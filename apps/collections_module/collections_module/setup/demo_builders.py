"""The demo's cast and its builders: users, customers, debtors and the documents made through ERPNext's
own API (invoices posted in the past, payments, credit notes, stock) and this app's workflows."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, nowdate

from collections_module.contact_conduct.conduct import from_utc
from collections_module.policy import roles

PASSWORD = "Demo-Collections-2026"


PREFIX = "Demo "


TZ = "Asia/Shanghai"


RUN_BY = "bench collections demo"  # the run log's "triggered by"


COLLECTOR, COLLECTOR_2, COLLECTOR_ZH = (
	"demo.collector@example.com",
	"demo.collector2@example.com",
	"demo.collector.zh@example.com",
)

USERS = {
	"demo.collector@example.com": ("Lin", "Collector", [roles.COLLECTOR], "en"),
	"demo.collector2@example.com": ("Ana", "Collector", [roles.COLLECTOR], "en"),
	"demo.collector.zh@example.com": ("王", "催收员", [roles.COLLECTOR], "zh"),
	"demo.supervisor@example.com": ("Sam", "Supervisor", [roles.SUPERVISOR], "en"),
	"demo.manager@example.com": ("Mia", "Manager", [roles.MANAGER], "en"),
	"demo.gm@example.com": ("Gus", "General Manager", [roles.GENERAL_MANAGER], "en"),
	"demo.owner@example.com": ("Olga", "Owner", [roles.OWNER], "en"),
	"demo.warehouse@example.com": ("Wes", "Warehouse", ["Stock User", "Stock Manager"], "en"),
	"demo.admin@example.com": ("Ada", "Administrator", ["System Manager", roles.MANAGER], "en"),
}


OWNER = "demo.owner@example.com"


SUPERVISOR = "demo.supervisor@example.com"


SERVICE_ITEM = "Demo Installation Service"  # what the invoices bill


STOCK_ITEM = "Demo Ceramic Tiles"  # what the held order and delivery ship (in stock)


LOCKED = "Demo Redwood Builders"


# (customer, days overdue of its invoices, amount each, collector): every stage of the standard ladder
CUSTOMERS = [
	("Demo Harbour Foods", [-5], 4_200, COLLECTOR),  # reminder before the due date
	("Demo Bright Tiles", [3, -20], 8_000, COLLECTOR),  # first week; a second invoice not due yet
	("Demo Pearl Textiles", [10], 5_500, COLLECTOR),  # second week; a statement waiting
	("Demo Summit Hardware", [20, 12], 3_000, COLLECTOR),  # daily follow-up; a credit note
	("Demo Lotus Electronics", [29, -15], 12_000, COLLECTOR_ZH),  # supervisor; one not due yet
	("Demo Jade Logistics", [40], 9_800, COLLECTOR_ZH),  # manager; a part payment
	("Demo Golden Grain", [70, -25], 15_000, COLLECTOR_2),  # general manager; one not due yet
	(LOCKED, [95], 23_400, COLLECTOR),  # lock: approved, an order and a delivery held
	("Demo Silver Lake Retail", [100], 6_600, COLLECTOR_2),  # lock proposed, waiting for the owner
	("Demo Eastwind Trading", [130], 31_000, COLLECTOR_2),  # formal letter awaiting approval
	("Demo Maple Kitchens", [18], 2_400, COLLECTOR),  # promise kept
	("Demo Orchid Pharmacy", [25], 3_600, COLLECTOR),  # promise broken
	("Demo Cedar Print", [35], 7_200, COLLECTOR_ZH),  # disputes the debt
]


# Accounts handed in by a client (委托): a batch of debts, four allocated and filtered, the rest waiting
# for the team lead's allocation. (debtor, region, principal, days overdue at intake)
CLIENT = "Demo Harbour Bank"


DEBTORS = [
	("Demo Debtor Zhao Lei", "North", 12_000, 95),
	("Demo Debtor Qian Min", "South", 8_500, 64),
	("Demo Debtor Sun Hao", "North", 4_200, 40),
	("Demo Debtor Li Na", "South", 15_800, 130),
	("Demo Debtor Zhou Jie", "North", 3_100, 35),
	("Demo Debtor Wu Fang", "South", 6_700, 50),
	("Demo Debtor Zheng Tao", "North", 9_900, 75),
	("Demo Debtor Wang Yan", "South", 2_600, 33),
	("Demo Debtor Feng Bo", "North", 21_000, 180),
	("Demo Debtor Chen Xi", "South", 5_400, 45),
]


DEMO_TEAM = "Demo Team"


LAW_FIRM = "Demo Law Firm"


SUED = "Demo Eastwind Trading"


def _today():
	return getdate(nowdate())


def _company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


def _warehouse() -> str:
	default = frappe.db.get_single_value("Stock Settings", "default_warehouse")
	if default and frappe.db.get_value("Warehouse", default, "company") == _company():
		return default
	return frappe.get_all(
		"Warehouse",
		filters={"company": _company(), "is_group": 0, "warehouse_type": ["!=", "Transit"]},
		pluck="name",
		order_by="name",
	)[0]


def _ensure_fiscal_year(day):
	from erpnext.accounts.utils import FiscalYearError, get_fiscal_year

	try:
		get_fiscal_year(day, company=_company())
	except FiscalYearError:
		day = getdate(day)
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(day.year),
				"year_start_date": day.replace(month=1, day=1),
				"year_end_date": day.replace(month=12, day=31),
			}
		).insert(ignore_permissions=True)


def _user(email, first, last, user_roles, language):
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first,
				"last_name": last,
				"language": language,
				"send_welcome_email": 0,
				"new_password": PASSWORD,
			}
		).insert(ignore_permissions=True)
	user = frappe.get_doc("User", email)
	user.add_roles(*user_roles)


def _item(name, stock):
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": name,
			"item_name": name,
			"item_group": frappe.get_all(
				"Item Group", filters={"is_group": 0}, pluck="name", order_by="name"
			)[0],
			"stock_uom": "Nos",
			"is_stock_item": int(stock),
			"include_item_in_manufacturing": 0,
			"valuation_rate": 180 if stock else 0,
		}
	).insert(ignore_permissions=True)


def _stock_receipt(item, qty, rate):
	"""The goods are in the warehouse: only the lock keeps them from shipping."""
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": _company(),
			"items": [
				{"item_code": item, "qty": qty, "basic_rate": rate, "t_warehouse": _warehouse()},
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()


def _customer(name):
	frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_group": frappe.get_all("Customer Group", filters={"is_group": 0}, pluck="name")[0],
			"territory": frappe.get_all("Territory", filters={"is_group": 0}, pluck="name")[0],
			"email_id": f"ap@{name.split()[1].lower()}.example.com",
			"mobile_no": f"+86 138 {sum(map(ord, name)) % 10000:04d} {len(name):04d}",
			"collection_timezone": TZ,
			"collection_monthly_statement": 1,
		}
	).insert(ignore_permissions=True)


def _invoice(customer, days_overdue, amount):
	"""A submitted invoice posted 30 days before its due date, ``days_overdue`` days ago."""
	due = add_days(_today(), -days_overdue)
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": _company(),
			"set_posting_time": 1,
			"posting_date": add_days(due, -30),
			"due_date": due,
			"items": [{"item_code": SERVICE_ITEM, "qty": 1, "rate": amount}],
			"disable_rounded_total": 1,
		}
	)
	si.insert(ignore_permissions=True)
	si.submit()
	return si.name


def _payment(invoice, amount):
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	pe = get_payment_entry("Sales Invoice", invoice)
	pe.reference_no, pe.reference_date = "DEMO", _today()
	pe.paid_amount = pe.received_amount = pe.references[0].allocated_amount = amount
	pe.insert(ignore_permissions=True)
	pe.submit()


def _credit_note(invoice, qty):
	from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

	credit = make_sales_return(invoice)
	credit.items[0].qty = -qty
	credit.set_missing_values()
	credit.calculate_taxes_and_totals()
	credit.insert(ignore_permissions=True)
	credit.submit()


def _case(customer):
	return frappe.get_doc(
		"Collection Case",
		frappe.db.get_value("Collection Case", {"customer": customer, "status": ["!=", "Closed"]}),
	)


def _assign(customer, collector):
	if not frappe.db.exists("Collection Case", {"customer": customer, "status": ["!=", "Closed"]}):
		return  # not overdue yet (the reminder customer)
	case = _case(customer)
	case.update({"collector": collector, "verified": 1, "debtor_timezone": TZ})
	case.save(ignore_permissions=True)


def _at(days_from_today, hour):
	"""``hour`` o'clock debtor's time (inside the allowed hours), ``days_from_today`` (past)."""
	day = add_days(_today(), days_from_today)
	return from_utc(datetime.combine(getdate(day), time(hour, 0), tzinfo=ZoneInfo(TZ)))


def _contact(customer, days_from_today, outcome, summary, hour=10, **fields):
	"""A call the case's collector made (and records afterwards: a late entry)."""
	case = _case(customer)
	frappe.set_user(case.collector)
	try:
		frappe.get_doc(
			{
				"doctype": "Contact Log",
				"collection_case": case.name,
				"start_time": _at(days_from_today, hour),
				"channel": "Phone",
				"direction": "Outbound",
				"effective": 1,
				"outcome": outcome,
				"summary": summary,
				**fields,
			}
		).insert()
	finally:
		frappe.set_user("Administrator")


def _promise(customer, amount, made_days, due_days):
	_contact(
		customer,
		made_days,
		"Promise to Pay",
		f"Promised {amount:,} by {add_days(_today(), due_days)}",
		promise_amount=amount,
		promise_date=add_days(_today(), due_days),
	)


def _callback(customer, days_from_today, summary, next_step):
	"""The customer asked for a call back today: the collector's contact and follow-up for today."""
	_contact(
		customer,
		days_from_today,
		"Callback Requested",
		summary,
		hour=11,
		next_step=next_step,
		next_step_date=_today(),
	)
	case = _case(customer)
	from frappe.translate import print_language

	# the collector sets it themself: its timeline note in their language
	with print_language(frappe.db.get_value("User", case.collector, "language") or "en"):
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": case.collector,
				"assigned_by": case.collector,
				"reference_type": "Collection Case",
				"reference_name": case.name,
				"date": _today(),
				"description": next_step,
			}
		).insert(ignore_permissions=True)


def _as(user, doc, action):
	frappe.set_user(user)
	try:
		apply_workflow(doc, action)
	finally:
		frappe.set_user("Administrator")


def _locks():
	"""The run proposed locks for the customers past 90 days: the owner approves one; the others wait.
	The approved customer has a Sales Order and a Delivery Note waiting to ship."""
	lock = frappe.get_all(
		"Stock Release Lock", filters={"customer": LOCKED, "status": "Proposed"}, pluck="name"
	)
	if lock:
		_as(OWNER, frappe.get_doc("Stock Release Lock", lock[0]), "Approve")
	item = {"item_code": STOCK_ITEM, "qty": 2, "rate": 450, "warehouse": _warehouse()}
	frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": LOCKED,
			"company": _company(),
			"delivery_date": add_days(_today(), 5),
			"items": [item],
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{"doctype": "Delivery Note", "customer": LOCKED, "company": _company(), "items": [item]}
	).insert(ignore_permissions=True)


def _statement(customer):
	"""Last month's statement, reviewed and sent: it waits for the customer's confirmation."""
	from collections_module.policy.statements import previous_month

	first, last = previous_month(_today())
	st = frappe.get_doc(
		{
			"doctype": "Customer Statement",
			"customer": customer,
			"company": _company(),
			"from_date": first,
			"to_date": last,
		}
	).insert(ignore_permissions=True)
	_as(_case(customer).collector, st, "Submit for Review")
	frappe.db.savepoint("demo_statement")
	try:
		_as(SUPERVISOR, frappe.get_doc("Customer Statement", st.name), "Approve and Send")
	except Exception as e:  # e.g. no PDF renderer: it waits under review
		frappe.db.rollback(save_point="demo_statement")
		print(f"The statement {st.name} stays under review (not sent: {e}).")


def _letters():
	"""Letters the run drafted go to the owner for approval."""
	for name in frappe.get_all(
		"Collection Letter", filters={"status": "Draft", "customer": ["like", f"{PREFIX}%"]}, pluck="name"
	):
		doc = frappe.get_doc("Collection Letter", name)
		case_collector = frappe.db.get_value("Collection Case", doc.collection_case, "collector")
		_as(case_collector or SUPERVISOR, doc, "Request Approval")
