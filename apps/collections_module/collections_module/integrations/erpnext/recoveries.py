"""The recovery ledger, written from ERPNext's own ledger (issue 19): each customer's Payment Ledger
on its Sales Invoices and the repayments on its Debts are read set-based, the policy core says which
part of each receipt is a recovery and on whose case (policy/recovery.py), and the *Collection
Recovery* rows are made to match — inserted, updated or deleted by their key. Rebuilding is idempotent:
the same ledger gives the same rows, so a cancel, an unreconcile or a reconciliation is just a rebuild
of the customers it touched. `bench --site S collections rebuild-recoveries` rebuilds every customer.
"""

from collections import defaultdict

import frappe
from frappe.utils import flt, getdate, now_datetime

from collections_module.collection_cases.history import contacts_of, holdings_of, timelines_of
from collections_module.policy import recovery as rc
from collections_module.policy.ledger import Term

RECOVERY = "Collection Recovery"
CASE = "Collection Case"
# Journal Entries that bring money in; write-offs, credit notes and revaluations recover nothing
RECEIPT_JOURNALS = ("Journal Entry", "Bank Entry", "Cash Entry")
CHUNK = 500
FIELDS = {  # Recovery attribute -> Collection Recovery field
	"key": "recovery_key",
	"case": "collection_case",
	"customer": "customer",
	"company": "company",
	"against_type": "against_type",
	"against": "against",
	"voucher_type": "voucher_type",
	"voucher_no": "voucher_no",
	"row": "voucher_row",
	"posting_date": "posting_date",
	"allocated": "allocated",
	"amount": "amount",
	"currency": "currency",
	"collector": "collector",
	"stage": "stage",
	"policy": "policy",
	"grade": "risk_grade",
	"channel": "channel",
}


def rebuild(customers: list[str] | None = None, progress=None) -> dict[str, int]:
	"""Make the recovery rows of these customers (None: all) match the ledger, a chunk of customers at
	a time. Returns how many rows were written and deleted."""
	if customers is None:
		customers = _all_customers()
	done = {"written": 0, "deleted": 0}
	customers = sorted(set(customers))
	for i in range(0, len(customers), CHUNK):
		part = customers[i : i + CHUNK]
		write, delete = rc.changes(_stored(part), _rebuilt(part))
		_delete([*delete, *(r.key for r in write)])
		_insert(write)
		done["written"] += len(write)
		done["deleted"] += len(delete)
		if progress:
			progress(min(i + CHUNK, len(customers)), len(customers))
	return done


def _all_customers() -> list[str]:
	return sorted(
		{c for (c,) in frappe.db.sql("select distinct customer from `tabCollection Case`")}
		| {c for (c,) in frappe.db.sql(f"select distinct customer from `tab{RECOVERY}`")}
	)


def _rebuilt(customers: list[str]) -> list[rc.Recovery]:
	receivables, receipts = _invoices(customers)
	debts, repayments = _debts(customers)
	return rc.recoveries(receivables + debts, receipts + repayments, _cases(customers))


def _invoices(customers: list[str]) -> tuple[list[rc.Receivable], list[rc.Receipt]]:
	"""Each invoice as posted (its own Payment Ledger row, company currency) split over its payment
	terms, and every allocation to it still linked (unreconciled and cancelled ones are delinked)."""
	rows = frappe.db.sql(
		"""select ple.voucher_type, ple.voucher_no, ple.against_voucher_no, ple.party, ple.company,
			ple.posting_date, sum(ple.amount) as amount
		from `tabPayment Ledger Entry` ple
		where ple.party_type = 'Customer' and ple.party in %(customers)s and ple.delinked = 0
			and ple.against_voucher_type = 'Sales Invoice'
		group by ple.voucher_type, ple.voucher_no, ple.against_voucher_no, ple.party, ple.company,
			ple.posting_date""",
		{"customers": customers},
		as_dict=True,
	)
	own = {r.against_voucher_no: r for r in rows if r.voucher_no == r.against_voucher_no}
	if not own:
		return [], []
	names = sorted(own)
	due = dict(
		frappe.db.sql("select name, due_date from `tabSales Invoice` where name in %(n)s", {"n": names})
	)
	schedule = defaultdict(list)
	for parent, due_date, portion in frappe.db.sql(
		"""select parent, due_date, invoice_portion from `tabPayment Schedule`
		where parenttype = 'Sales Invoice' and parent in %(n)s order by idx""",
		{"n": names},
	):
		schedule[parent].append((getdate(due_date), flt(portion)))
	currency = _currencies({r.company for r in own.values()})
	receivables = []
	for name, r in own.items():
		total = flt(r.amount, 2)
		parts = schedule.get(name) or [(getdate(due[name]), 100.0)]
		terms = tuple(Term(d, flt(total * p / 100, 2)) for d, p in parts)
		receivables.append(
			rc.Receivable(
				rc.SALES_INVOICE,
				name,
				r.party,
				r.company,
				terms,
				getdate(r.posting_date),
				currency[r.company],
			)
		)
	journals = {r.voucher_no for r in rows if r.voucher_type == "Journal Entry"}
	money_in = set()
	if journals:
		money_in = {
			n
			for (n,) in frappe.db.sql(
				"select name from `tabJournal Entry` where name in %(n)s and voucher_type in %(t)s",
				{"n": sorted(journals), "t": RECEIPT_JOURNALS},
			)
		}
	receipts = [
		rc.Receipt(
			r.voucher_type,
			r.voucher_no,
			rc.SALES_INVOICE,
			r.against_voucher_no,
			-flt(r.amount, 2),
			getdate(r.posting_date),
			recovery=r.voucher_type == "Payment Entry" or r.voucher_no in money_in,
		)
		for r in rows
		if r.voucher_no != r.against_voucher_no and r.against_voucher_no in own and flt(r.amount, 2)
	]
	return receivables, receipts


def _debts(customers: list[str]) -> tuple[list[rc.Receivable], list[rc.Receipt]]:
	"""Debts handed in, each one term, and the repayments recorded on them (reported or received)."""
	debts = frappe.db.sql(
		"""select name, customer, company, due_date, principal + interest + fees as amount,
			date(creation) as posted, collection_case
		from `tabDebt` where customer in %(customers)s and status != 'Returned'""",
		{"customers": customers},
		as_dict=True,
	)
	if not debts:
		return [], []
	currency = _currencies({d.company for d in debts})
	receivables = [
		rc.debt(
			d.name,
			d.customer,
			d.company,
			flt(d.amount, 2),
			getdate(d.due_date) if d.due_date else None,
			getdate(d.posted),
			currency[d.company],
			d.collection_case or "",
		)
		for d in debts
	]
	repayments = [
		rc.Receipt(
			rc.DEBT_REPAYMENT,
			r.name,
			rc.DEBT,
			r.parent,
			flt(r.amount, 2),
			getdate(r.repayment_date),
			row=r.name,
		)
		for r in frappe.db.sql(
			"""select name, parent, repayment_date, amount from `tabDebt Repayment`
			where parenttype = 'Debt' and parent in %(debts)s""",
			{"debts": [d.name for d in debts]},
			as_dict=True,
		)
	]
	return receivables, repayments


def _cases(customers: list[str]) -> list[rc.CaseLife]:
	rows = frappe.db.sql(
		f"""select name, customer, company, collector, date(creation) as created, closed_on
		from `tab{CASE}` where customer in %(customers)s""",
		{"customers": customers},
		as_dict=True,
	)
	names = [r.name for r in rows]
	holdings, timelines, contacts = holdings_of(rows), timelines_of(names), contacts_of(names)
	return [
		rc.CaseLife(
			r.name,
			r.customer,
			r.company,
			getdate(r.created),
			getdate(r.closed_on) if r.closed_on else None,
			tuple(holdings[r.name]),
			tuple(timelines[r.name]["stages"]),
			tuple(timelines[r.name]["policies"]),
			tuple(timelines[r.name]["grades"]),
			tuple(contacts.get(r.name, ())),
		)
		for r in rows
	]


def _currencies(companies) -> dict[str, str]:
	return {c: frappe.get_cached_value("Company", c, "default_currency") for c in companies}


def _stored(customers: list[str]) -> list[rc.Recovery]:
	rows = frappe.db.sql(
		f"select {', '.join(f'`{f}`' for f in FIELDS.values())} from `tab{RECOVERY}` where customer in %(c)s",
		{"c": customers},
		as_dict=True,
	)
	out = []
	for r in rows:
		values = {attr: r[field] for attr, field in FIELDS.items()}
		values["posting_date"] = getdate(values["posting_date"])
		for money in ("allocated", "amount"):
			values[money] = flt(values[money], 2)
		for text in ("case", "against_type", "against", "voucher_type", "voucher_no", "row", "currency"):
			values[text] = values[text] or ""
		for text in ("collector", "stage", "policy", "grade", "channel"):
			values[text] = values[text] or ""
		out.append(rc.Recovery(**values))
	return out


def _delete(keys):
	keys = sorted(set(keys))
	for i in range(0, len(keys), 1000):
		frappe.db.sql(f"delete from `tab{RECOVERY}` where recovery_key in %(k)s", {"k": keys[i : i + 1000]})


def _insert(rows: list[rc.Recovery]):
	if not rows:
		return
	stamp, user = now_datetime(), frappe.session.user
	columns = ["name", "creation", "modified", "owner", "modified_by", "docstatus", *FIELDS.values()]
	values = [
		(
			frappe.generate_hash(length=12),
			stamp,
			stamp,
			user,
			user,
			0,
			*[
				getattr(r, attr) or None if attr not in ("allocated", "amount") else getattr(r, attr)
				for attr in FIELDS
			],
		)
		for r in rows
	]
	frappe.db.bulk_insert(RECOVERY, columns, values)


def recovered_by_case(cases: list[str], since, until) -> dict[str, list[tuple]]:
	"""{case: [(posting date, amount)]} of the recoveries of these cases between two dates: what
	promises and repayment plans are settled on."""
	out = defaultdict(list)
	if not cases:
		return out
	for case, day, amount in frappe.db.sql(
		f"""select collection_case, posting_date, amount from `tab{RECOVERY}`
		where collection_case in %(cases)s and posting_date between %(since)s and %(until)s""",
		{"cases": sorted(set(cases)), "since": since, "until": until},
	):
		out[case].append((getdate(day), flt(amount)))
	return out
