"""A demo data set a newcomer sees at once: `bench --site S collections demo [--remove]`.

Everything is made through ERPNext's own documents (customers, items, a stock receipt, submitted Sales
Invoices, Payment Entries, a credit note, a Sales Order and a Delivery Note) and this app's workflows,
then the daily ladder runs: customers sit at every stage of the ladder, one promise to pay was kept and
one broken, one debt is disputed, one customer's shipments are locked (an order and a delivery held,
the goods in stock), another lock waits for the owner, a statement waits for the customer's
confirmation and a letter for the owner's approval, every collector has calls due today on My Day, and
of last week's weekly reports one is submitted, one a draft and one missing (Weekly Report Status).
One user per role, all with the password printed at the end.

Running it twice changes nothing. `--remove` takes away exactly what the demo (and whoever worked in
it) made: everything of the "Demo ..." customers and items (submitted documents cancelled first, their
ledger entries, versions, comments, follow-ups, notifications and queued mail), the demo's run log and
the demo users with their sessions and history. A demo that fails half-way is taken away again.
"""

import logging

import frappe
from frappe.utils import add_days

from collections_module.setup.demo_builders import (
	CUSTOMERS,
	PASSWORD,
	PREFIX,
	RUN_BY,
	SERVICE_ITEM,
	STOCK_ITEM,
	USERS,
	_assign,
	_callback,
	_contact,
	_credit_note,
	_customer,
	_ensure_fiscal_year,
	_invoice,
	_item,
	_letters,
	_locks,
	_payment,
	_promise,
	_statement,
	_stock_receipt,
	_today,
	_user,
)
from collections_module.setup.demo_records import (
	_forget,
	_forget_workflow_actions,
	_intake,
	_remove_intake,
	_remove_team,
	_team,
)


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

	from collections_module.collection_cases.ladder.jobs import run

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


# --- builders -----------------------------------------------------------------------------------
