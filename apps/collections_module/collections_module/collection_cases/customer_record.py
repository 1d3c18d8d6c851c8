"""A customer's record as collectors and the risk grade read it: how it paid its past invoices and
whether it kept the promises made on its cases. Set-based: one query for many customers."""

from collections import defaultdict
from datetime import date

import frappe
from frappe.utils import add_days, flt, getdate

from collections_module.policy import contact_rules as cr

PAYMENT_HISTORY_DAYS = 730  # the customer's invoices due in the last two years


def payment_history(customers: list[str], today: date) -> dict[str, frappe._dict]:
	"""Per customer, its submitted invoices due in the last two years: how many, how many are paid in
	full (and how many of those late), and how many days after the due date the paid ones were settled on average (the last
	Payment Ledger entry against the invoice, as ERPNext allocates payments and credits)."""
	if not customers:
		return {}
	rows = frappe.db.sql(
		"""
		select si.customer,
			count(*) as due,
			sum(case when settled then 1 else 0 end) as paid,
			sum(case when settled and days_late > 0 then 1 else 0 end) as paid_late,
			avg(case when settled then greatest(days_late, 0) end) as avg_late
		from (
			select si.customer, si.outstanding_amount <= 0 as settled,
				datediff((
					select max(ple.posting_date) from `tabPayment Ledger Entry` ple
					where ple.against_voucher_type = 'Sales Invoice' and ple.against_voucher_no = si.name
						and ple.voucher_no != si.name and ple.delinked = 0
				), si.due_date) as days_late
			from `tabSales Invoice` si
			where si.docstatus = 1 and si.is_return = 0 and si.customer in %(customers)s
				and si.due_date < %(today)s and si.due_date >= %(since)s
		) si
		group by si.customer
		""",
		{"customers": customers, "today": today, "since": add_days(today, -PAYMENT_HISTORY_DAYS)},
		as_dict=True,
	)
	return {r.customer: r for r in rows}


def promise_history(customers: list[str], today: date) -> dict[str, frappe._dict]:
	"""Per customer, the promises to pay recorded on its cases (Contact Logs with the outcome "Promise
	to Pay"): kept when the promised amount was received between the promise and its date, broken when
	the date passed without it. The last promise of a case is as the daily run settled it on the case
	(Collection Case.promise_status)."""
	if not customers:
		return {}
	logs = frappe.db.sql(
		"""
		select c.customer, c.company, c.name as case_name, c.promise_status as case_promise_status,
			cl.name, cl.start_time, cl.promise_amount, cl.promise_date
		from `tabContact Log` cl
		join `tabCollection Case` c on c.name = cl.collection_case
		where c.customer in %(customers)s and cl.outcome = 'Promise to Pay'
			and cl.promise_date is not null and cl.docstatus < 2
		order by cl.start_time, cl.name
		""",
		{"customers": customers},
		as_dict=True,
	)
	if not logs:
		return {}
	from collections_module.integrations.erpnext.receivables import payments_received

	since = min(getdate(r.start_time) for r in logs)
	receipts = defaultdict(list)
	for p in payments_received({r.customer for r in logs}, since, today):
		receipts[(p.party, p.company)].append((getdate(p.posting_date), flt(p.base_received_amount)))
	last_of_case = {r.case_name: r.name for r in logs}  # ordered by time: the last one wins
	out: dict[str, frappe._dict] = {}
	for r in logs:
		made, due = getdate(r.start_time), getdate(r.promise_date)
		if last_of_case[r.case_name] == r.name and r.case_promise_status in (cr.KEPT, cr.BROKEN):
			outcome = r.case_promise_status
		else:
			paid = sum(a for d, a in receipts[(r.customer, r.company)] if made <= d <= due)
			outcome = cr.promise_outcome(flt(r.promise_amount), due, paid, today)
		h = out.setdefault(r.customer, frappe._dict(kept=0, broken=0, last=None))
		if outcome == cr.KEPT:
			h.kept += 1
		elif outcome == cr.BROKEN:
			h.broken += 1
		if outcome != cr.PENDING:
			h.last = outcome
	return out
