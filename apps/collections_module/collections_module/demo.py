"""A demo data set a newcomer sees at once: `bench --site S collections demo [--remove]`.

Everything is made through ERPNext's own documents (customers, items, a stock receipt, submitted Sales
Invoices, Payment Entries, a credit note, a Sales Order and a Delivery Note) and this app's workflows,
then the daily ladder runs: customers sit at every stage of the ladder, one promise to pay was kept and
one broken, one debt is disputed, one customer's shipments are locked (an order and a delivery held,
the goods in stock), another lock waits for the owner, a statement waits for the customer's
confirmation and a letter for the owner's approval, and every collector has calls due today on My Day.
One user per role, all with the password printed at the end.

Running it twice changes nothing. `--remove` takes away exactly what the demo (and whoever worked in
it) made: everything of the "Demo ..." customers and items (submitted documents cancelled first, their
ledger entries, versions, comments, follow-ups, notifications and queued mail), the demo's run log and
the demo users with their sessions and history. A demo that fails half-way is taken away again.
"""

import logging
from datetime import datetime, time
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_to_date, get_first_day, getdate, now_datetime, nowdate

from collections_module.contact_conduct import from_utc
from collections_module.policy import roles

PASSWORD = "Demo-Collections-2026"
PREFIX = "Demo "
TZ = "Asia/Shanghai"
RUN_BY = "bench collections demo"  # the run log's "triggered by"

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
OWNER = "demo.owner@example.com"
SUPERVISOR = "demo.supervisor@example.com"
SERVICE_ITEM = "Demo Installation Service"  # what the invoices bill
STOCK_ITEM = "Demo Ceramic Tiles"  # what the held order and delivery ship (in stock)
LOCKED = "Demo Redwood Builders"

# (customer, days overdue of its invoices, amount each, collector): every stage of the standard ladder
CUSTOMERS = [
	("Demo Harbour Foods", [-5], 4_200, COLLECTOR),  # reminder before the due date
	("Demo Bright Tiles", [3], 8_000, COLLECTOR),  # first week
	("Demo Pearl Textiles", [10], 5_500, COLLECTOR),  # second week; a statement waiting
	("Demo Summit Hardware", [20, 12], 3_000, COLLECTOR),  # daily follow-up; a credit note
	("Demo Lotus Electronics", [29], 12_000, COLLECTOR_ZH),  # supervisor
	("Demo Jade Logistics", [40], 9_800, COLLECTOR_ZH),  # manager; a part payment
	("Demo Golden Grain", [70], 15_000, COLLECTOR_2),  # general manager
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


def exists() -> bool:
	return bool(frappe.db.exists("Customer", {"name": ["like", f"{PREFIX}%"]}))


def build():
	"""Build the demo (nothing is done when it is already there) and run today's ladder."""
	if exists():
		print("The demo is already there (remove it with --remove).")
		_print_users()
		return
	_quiet_css_parser()
	try:
		_build()
	except Exception:
		frappe.db.rollback()
		print("The demo could not be built; taking away what was made of it.")
		remove(quiet=True)
		raise
	frappe.db.commit()
	print(f"Demo ready: {len(CUSTOMERS)} customers, the ladder run for {_today()}.")
	_print_users()


def _quiet_css_parser():
	"""The statement's e-mail goes through a CSS inliner that prints every CSS3 value it does not know."""
	try:
		import cssutils

		cssutils.log.setLevel(logging.CRITICAL)
	except ImportError:
		pass


def _print_users():
	print(f"Users (password {PASSWORD}):")
	for email, (_f, _l, user_roles, language) in USERS.items():
		print(f"  {email:34} {', '.join(user_roles)}{' (简体中文)' if language == 'zh' else ''}")
	host = frappe.conf.get("host_name") or f"http://{frappe.local.site}:8000"
	print(f"Log in at {host}/login (Collections workspace; collectors: My Day).")


def _build():
	for email, (first, last, user_roles, language) in USERS.items():
		_user(email, first, last, user_roles, language)
	_item(SERVICE_ITEM, stock=False)
	_item(STOCK_ITEM, stock=True)
	_stock_receipt(STOCK_ITEM, 20, 180)
	invoices = {}
	for name, days, amount, _collector in CUSTOMERS:
		_customer(name)
		for d in days:
			_ensure_fiscal_year(add_days(_today(), -d - 30))
			invoices.setdefault(name, []).append(_invoice(name, d, amount))
	for name, _days, _amount, collector in CUSTOMERS:
		_assign(name, collector)
	_payment(invoices["Demo Jade Logistics"][0], 3_800)
	_credit_note(invoices["Demo Summit Hardware"][0], 1)
	# promises: one kept (paid in time), one broken (its date passed unpaid); the run settles both
	_promise("Demo Maple Kitchens", 1_000, -4, -1)
	_payment(invoices["Demo Maple Kitchens"][0], 1_000)
	_promise("Demo Orchid Pharmacy", 1_500, -5, -2)
	# the 简体中文 collector writes in Chinese
	_contact("Demo Cedar Print", -2, "Dispute Raised", "客户称货物到货时已损坏,拒绝付款")
	_contact("Demo Bright Tiles", -1, "Callback Requested", "AP clerk asked us to call back on Monday")

	from collections_module.ladder_run import run

	run(_today(), commit=True, triggered_by=RUN_BY)
	_locks()
	_statement("Demo Pearl Textiles")
	_letters()
	# every collector has calls due today on My Day: a callback each asked for
	_callback(
		"Demo Golden Grain",
		-3,
		"The CFO asked for a call today about paying in two instalments",
		"Call the CFO about two instalments",
	)
	_callback("Demo Lotus Electronics", -2, "客户财务请我们今天回电确认付款日期", "回电确认付款日期")
	_intake()
	_team()


def remove(quiet: bool = False):
	"""Take the demo away: what belongs to its customers, items and users, cancelled first."""
	customers = frappe.get_all("Customer", filters={"name": ["like", f"{PREFIX}%"]}, pluck="name")
	items = frappe.get_all("Item", filters={"name": ["like", f"{PREFIX}%"]}, pluck="name")
	users = [u for u in USERS if frappe.db.exists("User", u)]
	if not (customers or items or users):
		quiet or print("No demo to remove.")
		return
	trash = []  # (doctype, name) of everything deleted: their traces go too

	def drop(doctype, names):
		for name in names:
			if not frappe.db.exists(doctype, name):
				continue
			doc = frappe.get_doc(doctype, name)
			if doc.docstatus == 1:
				doc.flags.ignore_permissions = True
				doc.cancel()
			_forget_workflow_actions(doctype, name)  # Frappe deletes them with the document, not their roles
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
			trash.append((doctype, name))

	def of(doctype, field, values, **filters):  # newest first: returns and payments before invoices
		if not values:
			return []
		return frappe.get_all(
			doctype, filters={field: ["in", values], **filters}, pluck="name", order_by="creation desc"
		)

	def drop_collections():  # this app's documents of the demo customers
		cases = of("Collection Case", "customer", customers)
		for doctype in ("Legal Action", "Call Quality Review"):
			for name in of(doctype, "collection_case", cases):
				frappe.db.delete(doctype, {"name": name})  # (a workflow document: straight from the table)
				trash.append((doctype, name))
		for doctype in (
			"Contact Rule Exception",
			"Contact Log",
			"Visit Record",
			"Collection Letter",
			"Collection Waiver",
			"Repayment Plan",
		):
			drop(doctype, of(doctype, "collection_case", cases))
		for doctype in ("Stock Release Lock", "Customer Statement", "Blacklist Entry", "Collection Waiver"):
			drop(doctype, of(doctype, "customer", customers))
		drop("Collection Case", cases)

	drop_collections()
	_remove_intake()
	_remove_team()
	journals = {
		r.parent
		for r in frappe.get_all(
			"Journal Entry Account",
			filters={"party_type": "Customer", "party": ["in", customers or [""]]},
			fields=["parent"],
		)
	}
	drop("Journal Entry", of("Journal Entry", "name", list(journals)))
	drop("Payment Entry", of("Payment Entry", "party", customers, party_type="Customer"))
	drop("Sales Invoice", of("Sales Invoice", "customer", customers))
	drop("Pick List", of("Pick List", "customer", customers))
	drop("Delivery Note", of("Delivery Note", "customer", customers))
	drop("Sales Order", of("Sales Order", "customer", customers))
	receipts = {
		r.parent
		for r in frappe.get_all(
			"Stock Entry Detail", filters={"item_code": ["in", items or [""]]}, fields=["parent"]
		)
	}
	drop("Stock Entry", of("Stock Entry", "name", list(receipts)))
	drop_collections()  # cancelling the ledger reopened and closed cases of the customers again
	if items:  # the stock receipt's cancellation queued a valuation repost of the demo item
		frappe.db.delete("Repost Item Valuation", {"item_code": ["in", items]})
	# the customers' own contacts and addresses (Customer.on_trash would delete them, leaving traces)
	for link in frappe.get_all(
		"Dynamic Link",
		filters={
			"parenttype": ["in", ["Contact", "Address"]],
			"link_doctype": "Customer",
			"link_name": ["in", customers or [""]],
		},
		fields=["parenttype", "parent"],
		distinct=True,
	):
		links = frappe.get_all(
			"Dynamic Link",
			{"parenttype": link.parenttype, "parent": link.parent},
			["link_doctype", "link_name"],
		)
		if all(r.link_doctype == "Customer" and r.link_name in customers for r in links):
			drop(link.parenttype, [link.parent])
	drop("Customer", customers)
	drop("Item", items)
	drop("Collections Run Log", frappe.get_all("Collections Run Log", {"triggered_by": RUN_BY}, pluck="name"))
	for doctype, name in trash:
		_forget(doctype, name)
	for user in users:
		frappe.delete_doc("User", user, force=True, ignore_permissions=True, delete_permanently=True)
		_forget("User", user)
		_forget("Notification Settings", user)
		for doctype, field in (
			("Activity Log", "user"),
			("Route History", "user"),
			("Access Log", "user"),
			("Energy Point Log", "user"),
			("Notification Log", "for_user"),
			("ToDo", "allocated_to"),
			("Sessions", "user"),
		):
			frappe.db.delete(doctype, {field: user})
		frappe.db.sql("delete from `__UserSettings` where `user` = %s", user)
	frappe.db.commit()
	quiet or print(
		f"Demo removed: {len(customers)} customers, {len(items)} items and {len(trash)} documents, "
		f"{len(users)} users."
	)


def _intake():
	"""A client's batch of debts: four allocated by the team lead and filtered (one reached, one lost
	after the whole dial order), six waiting for allocation."""
	from collections_module.intake import confirm, propose
	from collections_module.policy import filtering

	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert()
	for user in (COLLECTOR, COLLECTOR_2, COLLECTOR_ZH):
		frappe.get_doc(
			{
				"doctype": "Collector Profile",
				"user": user,
				"team": DEMO_TEAM,
				"active": 1,
				"capacity_cases": 12,
			}
		).insert(ignore_permissions=True)
	batch = frappe.get_doc(
		{
			"doctype": "Intake Batch",
			"client": CLIENT,
			"company": _company(),
			"received_at": add_to_date(now_datetime(), minutes=-40),
			"team_lead": SUPERVISOR,
		}
	).insert()
	currency = frappe.get_cached_value("Company", _company(), "default_currency")
	for i, (debtor, region, principal, days) in enumerate(DEBTORS):
		frappe.get_doc(
			{
				"doctype": "Debt",
				"client": CLIENT,
				"account_no": f"HB-{i + 1:05d}",
				"intake_batch": batch.name,
				"company": _company(),
				"product": "Credit Card",
				"due_date": add_days(_today(), -days),
				"debtor_name": debtor,
				"debtor_type": "Person",
				"id_number": f"DEMO{i + 1:014d}",
				"phones": f"1380000{i + 1:04d}",
				"employer": "Harbour Trading Co.",
				"region": region,
				"principal": principal,
				"interest": round(principal * 0.05),
				"fees": 50,
				"currency": currency,
			}
		).insert()
	proposal = propose(batch.name)
	confirm(batch.name, proposal["assignments"][:4])
	cases = [a["case"] for a in proposal["assignments"][:2]]
	for case in cases:
		frappe.db.set_value("Collection Case", case, {"verified": 1, "debtor_timezone": TZ})
	reached, lost = (frappe.db.get_value("Collection Case", c, "customer") for c in cases)
	_contact(
		reached,
		-1,
		"Callback Requested",
		"Employer's HR confirmed he still works there; he will call back",
		hour=9,
		dial_party=filtering.EMPLOYER,
		result_code="Reached Third Party",
	)
	for hour, party in enumerate(filtering.DEFAULT_DIAL_ORDER, start=9):
		_contact(
			lost,
			-1,
			"Wrong Number",
			f"{party}: number not in service",
			hour=hour,
			effective=0,
			dial_party=party,
			result_code="Number Not In Service",
		)


LAW_FIRM = "Demo Law Firm"
SUED = "Demo Eastwind Trading"


def _team():
	"""This month's targets, a reviewed call of the collector, and a lawsuit the owner approved with
	its evidence pack, filed."""
	from collections_module.collections_module.doctype.legal_action.legal_action import prepare_evidence

	month = get_first_day(_today())
	for user, amount in ((COLLECTOR, 30_000), (COLLECTOR_2, 40_000), (COLLECTOR_ZH, 25_000)):
		frappe.get_doc(
			{"doctype": "Collection Target", "collector": user, "month": month, "target_amount": amount}
		).insert()
	_contact(
		"Demo Bright Tiles",
		-1,
		"Promise to Pay",
		"AP clerk promised 2,000 by Friday; recording kept",
		hour=15,
		recording="/files/demo-call-bright-tiles.mp3",
		promise_amount=2_000,
		promise_date=add_days(_today(), 3),
	)
	call = frappe.get_all(
		"Contact Log",
		filters={"collection_case": _case("Demo Bright Tiles").name, "recording": ["is", "set"]},
		pluck="name",
	)[0]
	review = frappe.get_doc(
		{
			"doctype": "Call Quality Review",
			"contact_log": call,
			"collection_case": _case("Demo Bright Tiles").name,
			"collector": COLLECTOR,
			"reviewer": SUPERVISOR,
			"week_start": add_days(_today(), -_today().weekday()),
			"identity_and_debt_confirmed": 1,
			"identity_disclosed": 1,
			"polite_language": 1,
			"no_threats": 1,
			"no_third_party_disclosure": 1,
			"amounts_correct": 1,
			"comments": "Good call. Check the contact rules before calling back the same day.",
		}
	).insert()
	review.submit()
	if not frappe.db.exists("Supplier", LAW_FIRM):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": LAW_FIRM,
				"supplier_group": frappe.get_all(
					"Supplier Group", filters={"is_group": 0}, pluck="name", limit=1
				)[0],
			}
		).insert(ignore_permissions=True)
	action = frappe.get_doc(
		{
			"doctype": "Legal Action",
			"collection_case": _case(SUED).name,
			"legal_type": "Lawsuit",
			"supplier": LAW_FIRM,
			"reason": "130 days overdue; the formal letter went unanswered",
			"amount_claimed": 31_000,
			"fees": 2_500,
		}
	).insert()
	_as("demo.manager@example.com", action, "Request Approval")
	_as(OWNER, frappe.get_doc("Legal Action", action.name), "Approve")
	prepare_evidence(action.name)
	action = frappe.get_doc("Legal Action", action.name)
	action.stage = "Filed"
	action.save()


def _remove_team():
	for doctype in ("Collection Target", "Weekly Report"):
		frappe.db.delete(doctype, {"collector": ["in", list(USERS)]})
	if frappe.db.exists("Supplier", LAW_FIRM):
		frappe.delete_doc("Supplier", LAW_FIRM, force=True, ignore_permissions=True, delete_permanently=True)


def _remove_intake():
	"""The demo client's debts, batches and the demo team's profiles (a debt is never deleted through
	the desk: straight from the database, with its repayments)."""
	debts = frappe.get_all("Debt", filters={"client": CLIENT}, pluck="name")
	if debts:
		frappe.db.delete("Debt Repayment", {"parent": ["in", debts]})
		frappe.db.delete("Debt", {"name": ["in", debts]})
	for batch in frappe.get_all("Intake Batch", filters={"client": CLIENT}, pluck="name"):
		frappe.delete_doc("Intake Batch", batch, force=True, ignore_permissions=True, delete_permanently=True)
		_forget("Intake Batch", batch)
	if frappe.db.exists("Collection Client", CLIENT):
		frappe.delete_doc(
			"Collection Client", CLIENT, force=True, ignore_permissions=True, delete_permanently=True
		)
	for profile in frappe.get_all("Collector Profile", filters={"team": DEMO_TEAM}, pluck="name"):
		frappe.delete_doc(
			"Collector Profile", profile, force=True, ignore_permissions=True, delete_permanently=True
		)


def _forget(doctype, name):
	"""What Frappe and ERPNext keep of a deleted document: versions, comments, follow-ups, notifications,
	shares, workflow actions, queued mail, ledger entries (as ERPNext's "delete linked ledger entries")."""
	from frappe.model.delete_doc import delete_dynamic_links

	delete_dynamic_links(doctype, name)  # Frappe queues this for a worker; done now
	frappe.db.delete(
		"Comment",
		{"comment_type": "Deleted", "reference_doctype": doctype, "subject": f"{_(doctype)} {name}"},
	)
	_forget_workflow_actions(doctype, name)
	for mail in frappe.get_all(
		"Email Queue", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Email Queue Recipient", {"parent": mail})
		frappe.db.delete("Email Queue", {"name": mail})
	for comm in frappe.get_all(
		"Communication", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Communication Link", {"parent": comm})
		frappe.db.delete("Communication", {"name": comm})
	frappe.db.delete("File", {"attached_to_doctype": doctype, "attached_to_name": name})
	frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": name})
	if doctype in ("Sales Invoice", "Payment Entry", "Journal Entry", "Stock Entry", "Delivery Note"):
		frappe.db.delete("GL Entry", {"voucher_type": doctype, "voucher_no": name})
		frappe.db.delete("Payment Ledger Entry", {"voucher_type": doctype, "voucher_no": name})
		frappe.db.delete(
			"Payment Ledger Entry", {"against_voucher_type": doctype, "against_voucher_no": name}
		)
		frappe.db.delete("Stock Ledger Entry", {"voucher_type": doctype, "voucher_no": name})


def _forget_workflow_actions(doctype, name):
	for action in frappe.get_all(
		"Workflow Action", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Workflow Action Permitted Role", {"parent": action})
		frappe.db.delete("Workflow Action", {"name": action})


# --- builders -----------------------------------------------------------------------------------


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
