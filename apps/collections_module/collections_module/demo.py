"""A demo data set a newcomer sees at once: `bench --site S collections demo [--remove]`.

Everything is made through ERPNext's own documents (customers, submitted Sales Invoices, Payment
Entries, a credit note, a Sales Order and a Delivery Note) and this app's workflows, then the daily
ladder runs: customers sit at every stage of the ladder, one promise to pay was kept and one broken,
one debt is disputed, one customer's shipments are locked (an order and a delivery held), another lock
waits for the owner, a statement waits for the customer's confirmation and a letter for the owner's
approval. One user per role, all with the password printed at the end. `--remove` takes it all away.
Running it twice changes nothing.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, nowdate

from collections_module.contact_conduct import from_utc
from collections_module.policy import roles

PASSWORD = "Demo-Collections-2026"
PREFIX = "Demo "
TZ = "Asia/Shanghai"

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
COLLECTOR, COLLECTOR_2, COLLECTOR_ZH = (
	"demo.collector@example.com",
	"demo.collector2@example.com",
	"demo.collector.zh@example.com",
)

# (customer, days overdue of its invoices, amount each, collector): every stage of the standard ladder
CUSTOMERS = [
	("Demo Harbour Foods", [-5], 4_200, COLLECTOR),  # reminder before the due date
	("Demo Bright Tiles", [3], 8_000, COLLECTOR),  # first week
	("Demo Pearl Textiles", [10], 5_500, COLLECTOR),  # second week
	("Demo Summit Hardware", [20, 12], 3_000, COLLECTOR),  # daily follow-up; a credit note
	("Demo Lotus Electronics", [29], 12_000, COLLECTOR_ZH),  # supervisor
	("Demo Jade Logistics", [40], 9_800, COLLECTOR_ZH),  # manager; a part payment
	("Demo Golden Grain", [70], 15_000, COLLECTOR_2),  # general manager
	("Demo Redwood Builders", [95], 23_400, COLLECTOR),  # lock: approved, an order and a delivery held
	("Demo Silver Lake Retail", [100], 6_600, COLLECTOR_2),  # lock proposed, waiting for the owner
	("Demo Eastwind Trading", [130], 31_000, COLLECTOR_2),  # formal letter awaiting approval
	("Demo Maple Kitchens", [18], 2_400, COLLECTOR),  # promise kept
	("Demo Orchid Pharmacy", [25], 3_600, COLLECTOR),  # promise broken
	("Demo Cedar Print", [35], 7_200, COLLECTOR_ZH),  # disputes the debt
]


def build():
	"""Build the demo (skipped when it is already there) and run today's ladder."""
	if frappe.db.exists("Customer", CUSTOMERS[0][0]):
		print("The demo is already there (remove it with --remove).")
		return
	from collections_module.tests.utils import ensure_fiscal_year

	for email, (first, last, user_roles, language) in USERS.items():
		_user(email, first, last, user_roles, language)
	frappe.db.set_single_value("Stock Settings", "allow_negative_stock", 1)
	invoices = {}
	for name, days, amount, _collector in CUSTOMERS:
		_customer(name)
		for d in days:
			ensure_fiscal_year(add_days(_today(), -d - 30))
			invoices.setdefault(name, []).append(_invoice(name, d, amount))
	for name, _days, _amount, collector in CUSTOMERS:
		_assign(name, collector)
	_payment(invoices["Demo Jade Logistics"][0], 3_800)
	_credit_note(invoices["Demo Summit Hardware"][0], 1)
	# promises: one kept (paid), one broken (its date passed)
	_promise("Demo Maple Kitchens", 1_000, -4, -1)
	_payment(invoices["Demo Maple Kitchens"][0], 1_000)
	_promise("Demo Orchid Pharmacy", 1_500, -5, -2)
	_contact("Demo Cedar Print", -2, "Dispute Raised", "Says the goods were damaged and refuses to pay")
	_contact("Demo Bright Tiles", -1, "Callback Requested", "AP clerk asked us to call back on Monday")

	from collections_module.ladder_run import run

	run(_today())
	_locks()
	_statement("Demo Pearl Textiles")
	_letters()
	frappe.db.commit()
	print(f"Demo ready: {len(CUSTOMERS)} customers. Users (password {PASSWORD}):")
	for email, (_f, _l, user_roles, language) in USERS.items():
		print(f"  {email:34} {', '.join(user_roles)}{' (简体中文)' if language == 'zh' else ''}")


def remove():
	"""Take the demo away: its documents (cancelled first), cases, locks, letters and users."""
	customers = frappe.get_all("Customer", filters={"name": ["like", f"{PREFIX}%"]}, pluck="name")
	if not customers:
		print("No demo to remove.")
		return
	cases = frappe.get_all("Collection Case", filters={"customer": ["in", customers]}, pluck="name")
	for doctype in (
		"Contact Log",
		"Visit Record",
		"Collection Letter",
		"Collection Waiver",
		"Repayment Plan",
	):
		for name in frappe.get_all(doctype, filters={"collection_case": ["in", cases or [""]]}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	for doctype in ("Stock Release Lock", "Customer Statement", "Blacklist Entry"):
		for name in frappe.get_all(doctype, filters={"customer": ["in", customers]}, pluck="name"):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	for name in cases:
		frappe.db.delete("ToDo", {"reference_type": "Collection Case", "reference_name": name})
		frappe.db.delete("Notification Log", {"document_type": "Collection Case", "document_name": name})
		frappe.delete_doc("Collection Case", name, force=True, ignore_permissions=True)
	for doctype, party in (
		("Payment Entry", "party"),
		("Sales Invoice", "customer"),
		("Delivery Note", "customer"),
		("Sales Order", "customer"),
	):
		# returns and payments first: newest first
		for row in frappe.get_all(
			doctype,
			filters={party: ["in", customers]},
			fields=["name", "docstatus"],
			order_by="creation desc",
		):
			doc = frappe.get_doc(doctype, row.name)
			if doc.docstatus == 1:
				doc.flags.ignore_permissions = True
				doc.cancel()
			frappe.delete_doc(doctype, row.name, force=True, ignore_permissions=True)
	for name in customers:
		frappe.delete_doc("Customer", name, force=True, ignore_permissions=True)
	for email in USERS:
		if frappe.db.exists("User", email):
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	frappe.db.commit()
	print(f"Demo removed: {len(customers)} customers and their documents, {len(USERS)} users.")


# --- builders -----------------------------------------------------------------------------------


def _today():
	return getdate(nowdate())


def _company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]


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


def _customer(name):
	frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_group": frappe.get_all("Customer Group", filters={"is_group": 0}, pluck="name")[0],
			"territory": frappe.get_all("Territory", filters={"is_group": 0}, pluck="name")[0],
			"email_id": f"ap@{name.split()[1].lower()}.example.com",
			"collection_timezone": TZ,
			"collection_monthly_statement": 1,
		}
	).insert(ignore_permissions=True)


def _invoice(customer, days_overdue, amount):
	from collections_module.tests.utils import ensure_item

	due = add_days(_today(), -days_overdue)
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": _company(),
			"set_posting_time": 1,
			"posting_date": add_days(due, -30),
			"due_date": due,
			"items": [{"item_code": ensure_item(), "qty": 1, "rate": amount}],
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
	day = add_days(_today(), days_from_today)
	return from_utc(datetime.combine(getdate(day), time(hour, 0), tzinfo=ZoneInfo(TZ)))


def _contact(customer, days_from_today, outcome, summary, **fields):
	case = _case(customer)
	frappe.set_user(case.collector)
	try:
		frappe.get_doc(
			{
				"doctype": "Contact Log",
				"collection_case": case.name,
				"start_time": _at(days_from_today, 10),
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


def _as(user, doc, action):
	frappe.set_user(user)
	try:
		apply_workflow(doc, action)
	finally:
		frappe.set_user("Administrator")


def _locks():
	"""The run proposed locks for the customers past 90 days: the owner approves one; the other waits.
	The approved customer has a Sales Order and a Delivery Note waiting to ship."""
	from collections_module.tests.utils import ensure_stock_item

	lock = frappe.get_all(
		"Stock Release Lock",
		filters={"customer": "Demo Redwood Builders", "status": "Proposed"},
		pluck="name",
	)
	if lock:
		_as("demo.owner@example.com", frappe.get_doc("Stock Release Lock", lock[0]), "Approve")
	warehouse = frappe.get_all(
		"Warehouse", filters={"company": _company(), "is_group": 0}, pluck="name", order_by="name"
	)[0]
	item = {"item_code": ensure_stock_item(), "qty": 2, "rate": 450, "warehouse": warehouse}
	frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": "Demo Redwood Builders",
			"company": _company(),
			"delivery_date": add_days(_today(), 5),
			"items": [item],
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Delivery Note",
			"customer": "Demo Redwood Builders",
			"company": _company(),
			"items": [item],
		}
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
	try:
		_as("demo.supervisor@example.com", frappe.get_doc("Customer Statement", st.name), "Approve and Send")
	except Exception:
		frappe.log_error(title="Demo: statement not sent")  # e.g. no PDF renderer: it waits under review


def _letters():
	"""Letters the run drafted go to the owner for approval."""
	for name in frappe.get_all(
		"Collection Letter", filters={"status": "Draft", "customer": ["like", f"{PREFIX}%"]}, pluck="name"
	):
		doc = frappe.get_doc("Collection Letter", name)
		case_collector = frappe.db.get_value("Collection Case", doc.collection_case, "collector")
		_as(case_collector or "demo.supervisor@example.com", doc, "Request Approval")
