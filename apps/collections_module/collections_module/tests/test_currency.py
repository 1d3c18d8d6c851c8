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


def payment_terms_template(name: str, terms: list[tuple[str, float, int]]) -> str:
	"""A Payment Terms Template that allocates payments per term: [(term name, portion %, credit days)]."""
	for term, portion, days in terms:
		if not frappe.db.exists("Payment Term", term):
			frappe.get_doc(
				{
					"doctype": "Payment Term",
					"payment_term_name": term,
					"invoice_portion": portion,
					"due_date_based_on": "Day(s) after invoice date",
					"credit_days": days,
				}
			).insert(ignore_permissions=True)
	if not frappe.db.exists("Payment Terms Template", name):
		frappe.get_doc(
			{
				"doctype": "Payment Terms Template",
				"template_name": name,
				"allocate_payment_based_on_payment_terms": 1,
				"terms": [
					{
						"payment_term": term,
						"invoice_portion": portion,
						"due_date_based_on": "Day(s) after invoice date",
						"credit_days": days,
					}
					for term, portion, days in terms
				],
			}
		).insert(ignore_permissions=True)
	return name


class TestTermOutstanding(CollectionsTestCase):
	def test_a_payment_against_the_later_term_leaves_the_earlier_one_overdue(self):
		"""ERPNext records which term a payment paid: the case follows it, as the AR report does."""
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry
		from frappe.utils import add_days

		template = payment_terms_template(
			"_CM Two Halves", [("_CM First Half", 50, 10), ("_CM Second Half", 50, 40)]
		)
		customer = make_customer("Term Paid")
		si = make_invoice(
			customer,
			due_in_days=-20,
			amount=1000,
			submit=False,
			posting_date=add_days(today(), -60),
			payment_terms_template=template,
		)
		si.set("payment_schedule", [])
		si.save()  # the schedule from the template: halves due 50 and 20 days ago
		si.submit()
		pe = get_payment_entry("Sales Invoice", si.name)
		pe.references = [r for r in pe.references if r.payment_term == "_CM Second Half"]
		pe.paid_amount = pe.received_amount = pe.references[0].allocated_amount = 500
		pe.reference_no, pe.reference_date = "TERM-2", today()
		pe.insert()
		pe.submit()
		case = open_case(customer)
		self.assertEqual((case.total_outstanding, case.oldest_days_overdue), (500, 50))
		self.assertEqual(case.total_outstanding, ar_outstanding(customer, based_on_payment_terms=1))
