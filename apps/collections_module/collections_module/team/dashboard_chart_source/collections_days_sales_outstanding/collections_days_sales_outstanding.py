# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt
"""Dashboard chart source "Collections Days Sales Outstanding": each of the last twelve months, what
customers owed at the month's end against the credit sales of the trailing three months (policy/trends:
receivables ÷ sales × days). For one company (the user's default unless the chart says otherwise):

- receivables at a month's end: the Payment Ledger Entries of customers on receivable accounts, not
  delinked, posted up to that day (the current month: up to today);
- credit sales: submitted Sales Invoices that are not returns nor opening balances, by posting date, at
  their company-currency total (base_grand_total), the currency the ledger's amounts are in.

A company-wide figure from the books: for the collection leads and the accounts manager only. Two
queries, whatever the number of months."""

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate

from collections_module.policy import roles, trends

READERS = {
	roles.SUPERVISOR,
	roles.MANAGER,
	roles.GENERAL_MANAGER,
	roles.OWNER,
	"Accounts Manager",
	"System Manager",
}


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | list | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
) -> dict:
	if not set(frappe.get_roles()) & READERS:
		frappe.throw(
			_(
				"Only collection supervisors and above, and accounts managers, see the Days Sales Outstanding."
			),
			frappe.PermissionError,
		)
	company = chart_company(filters)
	ranges = trends.month_ranges(getdate(nowdate()))
	values = trends.dso_series(
		ranges, receivables_at(company, [end for _start, end in ranges]), credit_sales(company, ranges)
	)
	return {
		"labels": [trends.month_key(start) for start, _end in ranges],
		"datasets": [{"name": _("Days Sales Outstanding"), "values": [v or 0 for v in values]}],
		"type": "line",
	}


def chart_company(filters) -> str | None:
	"""The company the chart is filtered by, else the user's default company."""
	return (
		trends.company_of(filters)
		or frappe.defaults.get_user_default("Company")
		or frappe.defaults.get_global_default("company")
	)


def receivables_at(company: str | None, ends: list) -> list[float]:
	"""What customers owed on each day of ``ends``: one pass over the payment ledger."""
	if not ends:
		return []
	params = {"company": company, "last": max(ends)}
	sums = []
	for i, end in enumerate(ends):
		params[f"end{i}"] = end
		sums.append(f"sum(case when posting_date <= %(end{i})s then amount else 0 end)")
	row = frappe.db.sql(
		f"""select {", ".join(sums)} from `tabPayment Ledger Entry`
		where company = %(company)s and party_type = 'Customer' and account_type = 'Receivable'
			and delinked = 0 and posting_date <= %(last)s""",
		params,
	)
	return [flt(v, 2) for v in row[0]] if row else [0.0] * len(ends)


def credit_sales(company: str | None, ranges) -> dict[str, float]:
	"""'YYYY-MM' -> credit sales, from the start of the first month's trailing window to the last day."""
	start, _end = trends.sales_window(*ranges[0])
	return {
		month: flt(total)
		for month, total in frappe.db.sql(
			"""select date_format(posting_date, '%%Y-%%m'), sum(base_grand_total) from `tabSales Invoice`
			where company = %(company)s and docstatus = 1 and is_return = 0
				and ifnull(is_opening, 'No') <> 'Yes' and posting_date between %(start)s and %(end)s
			group by 1""",
			{"company": company, "start": start, "end": ranges[-1][1]},
		)
	}
