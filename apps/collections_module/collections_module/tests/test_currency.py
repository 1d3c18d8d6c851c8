"""Case amounts agree with ERPNext's own Accounts Receivable report in every currency setting."""

import frappe
from frappe.tests.utils import change_settings

from collections_module.tests.utils import (
	CollectionsTestCase,
	company,
	make_customer,
	make_invoice,
	open_case,
	pay,
	today,
)

EUR_RATE = 1.25


def ar_outstanding(customer: str, based_on_payment_terms: int = 0) -> float:
	"""What ERPNext's Accounts Receivable report shows the customer owes, in the company currency."""
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute

	_columns, rows, *_ = execute(
		{
			"company": company(),
			"party_type": "Customer",
			"party": [customer],
			"report_date": today(),
			"ageing_based_on": "Due Date",
			"based_on_payment_terms": based_on_payment_terms,
			"range": "30, 60, 90, 120",
		}
	)
	return round(sum(r.get("outstanding", 0) for r in rows if isinstance(r, dict)), 2)


def eur_receivable_account() -> str:
	"""A receivable account kept in EUR, for the setting where each party account has one currency."""
	abbr = frappe.get_cached_value("Company", company(), "abbr")
	name = f"_CM Debtors EUR - {abbr}"
	if not frappe.db.exists("Account", name):
		parent = frappe.db.get_value(
			"Account", {"company": company(), "account_type": "Receivable", "is_group": 0}, "parent_account"
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": "_CM Debtors EUR",
				"company": company(),
				"parent_account": parent,
				"account_type": "Receivable",
				"account_currency": "EUR",
			}
		).insert(ignore_permissions=True)
	return name


class TestCaseCurrency(CollectionsTestCase):
	def eur_invoice(self, customer, amount=1000, **fields):
		return make_invoice(
			customer, due_in_days=-20, amount=amount, currency="EUR", conversion_rate=EUR_RATE, **fields
		)

	@change_settings("Accounts Settings", {"allow_multi_currency_invoices_against_single_party_account": 1})
	def test_eur_invoice_booked_to_the_company_currency_receivable(self):
		customer = make_customer("EUR on USD Account")
		si = self.eur_invoice(customer)
		self.assertEqual(
			si.party_account_currency, frappe.get_cached_value("Company", company(), "default_currency")
		)
		case = open_case(customer)
		self.assertEqual(case.total_outstanding, 1250.0)  # not 1,562.50: the rate is applied once
		self.assertEqual(case.total_outstanding, ar_outstanding(customer))
		self.assertEqual(case.invoices[0].outstanding, 1250.0)

	def test_eur_invoice_booked_to_a_eur_receivable(self):
		customer = make_customer("EUR on EUR Account", default_currency="EUR")
		account = eur_receivable_account()
		si = self.eur_invoice(customer, debit_to=account)
		self.assertEqual(si.outstanding_amount, 1000)  # ERPNext keeps it in the account's currency
		case = open_case(customer)
		self.assertEqual(case.total_outstanding, 1250.0)
		self.assertEqual(case.total_outstanding, ar_outstanding(customer))
		# a part payment at another rate: the case follows the ledger, as the report does
		pe = pay(si.name, amount=400)
		self.assertTrue(pe.docstatus == 1)
		case.reload()
		self.assertEqual(case.total_outstanding, ar_outstanding(customer))
