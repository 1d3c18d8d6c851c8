# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, date_diff, flt, getdate, nowdate

from collections_module.guards import invariant_key
from collections_module.integrations.erpnext.blacklist_guard import entry_in_force
from collections_module.policy import identity

LIVE = "Open"


class Debt(Document):
	"""An account handed in by a client for collection (R-E1), not an ERPNext invoice. Its debtor is an
	ERPNext Customer (matched by ID number, or made on import), so the case, the ladder, the contact rules,
	letters and locks work for it as for invoices. Repayments change what is outstanding; nothing is
	deleted, a debt is only closed or returned."""

	def validate(self):
		self.account_no = (self.account_no or "").strip()
		for field in ("principal", "interest", "fees"):
			if flt(self.get(field)) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		company_currency = frappe.get_cached_value("Company", self.company, "default_currency")
		self.currency = self.currency or company_currency
		if self.currency != company_currency:
			frappe.throw(
				_("Debts are kept in the company's currency, {0}; convert {1} before importing.").format(
					company_currency, self.account_no
				)
			)
		for row in self.repayments:
			if flt(row.amount) <= 0:
				frappe.throw(_("Row {0}: a repayment must be more than zero.").format(row.idx))
			row.currency = self.currency
			row.recorded_by = row.recorded_by or frappe.session.user
		self.repaid = flt(sum(flt(r.amount) for r in self.repayments), 2)
		self.outstanding = flt(flt(self.principal) + flt(self.interest) + flt(self.fees) - self.repaid, 2)
		if self.outstanding <= 0 and self.status == LIVE:
			self.status = "Closed"
		if self.is_new():
			self.take_client_requirements()
			received = getdate(self.batch_received_on() or nowdate())
			self.days_overdue_at_intake = max(date_diff(received, self.due_date), 0)
		# one open account per client and account number, held by the database (R-E1)
		self.open_key = invariant_key(self.client, self.account_no) if self.status == LIVE else None
		if self.open_key:
			other = frappe.db.get_value("Debt", {"open_key": self.open_key, "name": ["!=", self.name]})
			if other:
				frappe.throw(
					_("Account {0} of {1} is already under collection: {2}.").format(
						self.account_no, self.client, other
					),
					frappe.DuplicateEntryError,
					title=_("Already under collection"),
				)

	def batch_received_on(self):
		return self.intake_batch and frappe.db.get_value("Intake Batch", self.intake_batch, "received_at")

	def take_client_requirements(self):
		client = frappe.get_cached_doc("Collection Client", self.client)
		if client.no_visits:
			self.no_visits = 1
		if client.default_return_days and not self.return_date:
			self.return_date = add_days(
				getdate(self.batch_received_on() or nowdate()), client.default_return_days
			)
		if self.intake_batch:
			batch_client = frappe.db.get_value("Intake Batch", self.intake_batch, "client")
			if batch_client != self.client:
				frappe.throw(
					_("Intake batch {0} is from {1}, not {2}.").format(
						self.intake_batch, batch_client, self.client
					)
				)

	def before_insert(self):
		self.customer = self.customer or debtor_customer(self)

	def after_insert(self):
		list_blacklisted_debtor(self)

	def on_update(self):
		from collections_module.collection_cases.ladder.jobs import run
		from collections_module.intake.batches import debt_arrived
		from collections_module.integrations.erpnext.recoveries import rebuild

		rebuild([self.customer])  # its repayments are recoveries: promises and plans settle on them
		# the case follows the debt at once, like a posting of the ledger (no tasks: the daily run's)
		run(customers=[self.customer], follow_ups=False, reminders=False)
		case = frappe.db.get_value(
			"Collection Case", {"customer": self.customer, "company": self.company}, order_by="creation desc"
		)
		if case and case != self.collection_case:
			self.db_set("collection_case", case, update_modified=False)
		rebuild([self.customer])  # and of the case the run opened
		if self.intake_batch:
			debt_arrived(self.intake_batch)

	def on_trash(self):
		frappe.throw(_("A debt is never deleted; close it or return it to the client."))


def debtor_customer(debt) -> str:
	"""The debtor as an ERPNext Customer: the customer of an earlier debt with the same ID number, else a
	new customer (an individual or a company) named after the debtor."""
	if debt.id_number:
		known = frappe.db.get_value(
			"Debt", {"id_number": debt.id_number, "customer": ["is", "set"]}, "customer", order_by="creation"
		)
		if known:
			return known
	name = debtor_customer_name(debt.debtor_name, debt.id_number, debt.account_no)
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_type": "Individual" if debt.debtor_type == "Person" else "Company",
			"customer_group": _default("customer_group", "Customer Group"),
			"territory": _default("territory", "Territory"),
		}
	)
	customer.flags.ignore_permissions = True
	customer.insert()
	return customer.name


def debtor_customer_name(debtor_name: str, id_number: str | None, account_no: str | None) -> str:
	"""The debtor's name, told apart from a customer of the same name by the ID number's last digits or
	a number (R-G5) — never by the client's account number, which every desk user reading customers
	would see."""
	avoid = [account_no] if account_no else []
	base = identity.customer_name_for(debtor_name, None, [], avoid=avoid)
	customer = frappe.qb.DocType("Customer")
	taken = (
		frappe.qb.from_(customer)
		.select(customer.name, customer.customer_name)
		.where(customer.name.like(f"{base}%") | customer.customer_name.like(f"{base}%"))
		.run()
	)
	return identity.customer_name_for(
		debtor_name, id_number, [n for row in taken for n in row if n], avoid=avoid
	)


def list_blacklisted_debtor(debt):
	"""A debtor whose ID number or phone is on the blacklist (R-G4) is that listing's person: a listing
	that names no customer yet is given the debtor's, so the customer is refused sales and graded like
	a listed customer; either way the debt says which listing it matches."""
	from collections_module.policy import stock_lock as sl

	if not (debt.id_number or debt.phones):
		return
	entries = frappe.get_all(
		"Blacklist Entry",
		filters={"status": ["in", [sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED]]},
		or_filters={"id_number": ["is", "set"], "phone": ["is", "set"]},
		fields=["name", "customer", "id_number", "phone", "status", "start_date", "expiry_date"],
	)
	for e in entries:
		e.start_date, e.expiry_date = _date(e.start_date), _date(e.expiry_date)
	debtor = identity.Debtor(debt.customer, debt.id_number, debt.phones or "")
	found = identity.matches(entries, debtor, getdate(nowdate()))
	listed = any(e.customer == debt.customer for e in found) or bool(
		debt.customer and entry_in_force(debt.customer)
	)
	for entry in found:
		keys = ", ".join(_(k) for k in identity.matched_by(entry, debtor))
		if not entry.customer and debt.customer and not listed:
			frappe.db.set_value(
				"Blacklist Entry",
				entry.name,
				{
					"customer": debt.customer,
					"customer_name": frappe.db.get_value("Customer", debt.customer, "customer_name"),
				},
				update_modified=False,
			)
			frappe.get_doc("Blacklist Entry", entry.name).add_comment(
				"Info",
				_("Debt {0}: its debtor matches this listing by {1}, so customer {2} is listed.").format(
					debt.name, keys, debt.customer
				),
			)
			listed = True
		debt.add_comment(
			"Info",
			_("The debtor matches blacklist entry {0} by {1}: the customer is treated as listed.").format(
				entry.name, keys
			),
		)


def _date(value):
	return getdate(value) if value else None


def _default(field: str, doctype: str) -> str:
	return (
		frappe.db.get_single_value("Selling Settings", field)
		or frappe.get_all(doctype, filters={"is_group": 0}, pluck="name", limit=1)[0]
	)
