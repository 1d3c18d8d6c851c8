"""A customer's record as collectors and the risk grade read it: how it paid its past invoices and the
debts handed in for it, and whether it kept the promises made on its cases. Set-based: one query for
many customers."""

from collections import defaultdict
from datetime import date

import frappe
from frappe.utils import add_days, flt, getdate

from collections_module.policy import contact_rules as cr
from collections_module.policy import grading

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


def debt_history(customers: list[str], today: date) -> dict[str, list[grading.DebtRecord]]:
	"""Per customer, the debts handed in for it (not returned to the client) due in the last two years,
	each with what was owed and its repayments — reported by the client or received — with their dates:
	the policy core counts them in the payment history like invoices (R-E3)."""
	if not customers:
		return {}
	debt = frappe.qb.DocType("Debt")
	repayment = frappe.qb.DocType("Debt Repayment")
	rows = (
		frappe.qb.from_(debt)
		.left_join(repayment)
		.on((repayment.parent == debt.name) & (repayment.parenttype == "Debt"))
		.select(
			debt.customer,
			debt.name,
			debt.due_date,
			debt.principal,
			debt.interest,
			debt.fees,
			repayment.repayment_date,
			repayment.amount,
		)
		.where(
			debt.customer.isin(list(customers))
			& (debt.status != "Returned")
			& (debt.due_date < today)
			& (debt.due_date >= add_days(today, -PAYMENT_HISTORY_DAYS))
		)
		.run(as_dict=True)
	)
	debts: dict[str, frappe._dict] = {}
	for r in rows:
		d = debts.setdefault(
			r.name,
			frappe._dict(
				customer=r.customer,
				due_date=getdate(r.due_date),
				amount=flt(r.principal) + flt(r.interest) + flt(r.fees),
				repayments=[],
			),
		)
		if r.repayment_date and flt(r.amount) > 0:
			d.repayments.append((getdate(r.repayment_date), flt(r.amount)))
	out: dict[str, list[grading.DebtRecord]] = defaultdict(list)
	for d in debts.values():
		out[d.customer].append(grading.DebtRecord(d.due_date, d.amount, tuple(sorted(d.repayments))))
	return dict(out)


def promise_history(customers: list[str], today: date) -> dict[str, frappe._dict]:
	"""Per customer, the promises to pay recorded on its cases (Contact Logs with the outcome "Promise
	to Pay"): kept when the promised amount was recovered between the promise and its date, broken when
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
	from collections_module.integrations.erpnext.recoveries import recovered_by_case

	since = min(getdate(r.start_time) for r in logs)
	receipts = recovered_by_case([r.case_name for r in logs], since, today)  # the recovery ledger
	last_of_case = {r.case_name: r.name for r in logs}  # ordered by time: the last one wins
	out: dict[str, frappe._dict] = {}
	for r in logs:
		made, due = getdate(r.start_time), getdate(r.promise_date)
		if last_of_case[r.case_name] == r.name and r.case_promise_status in (cr.KEPT, cr.BROKEN):
			outcome = r.case_promise_status
		else:
			paid = sum(a for d, a in receipts.get(r.case_name, ()) if made <= d <= due)
			outcome = cr.promise_outcome(flt(r.promise_amount), due, paid, today)
		h = out.setdefault(r.customer, frappe._dict(kept=0, broken=0, last=None))
		if outcome == cr.KEPT:
			h.kept += 1
		elif outcome == cr.BROKEN:
			h.broken += 1
		if outcome != cr.PENDING:
			h.last = outcome
	return out
