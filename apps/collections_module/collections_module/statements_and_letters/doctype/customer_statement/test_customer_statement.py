# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""The monthly statement cycle on a real site (R-A1..R-A6)."""

import calendar

import frappe
import frappe.client
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, getdate

from collections_module.policy import roles
from collections_module.policy.statements import previous_month
from collections_module.statements_and_letters.statement_run import chase_deadlines, follow_up, generate
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	company,
	ensure_outgoing_email_account,
	make_customer,
	make_delivery_note,
	make_invoice,
	open_case,
	pay,
	today,
)

test_ignore = ["Customer", "Company"]
REFUSED = (WorkflowPermissionError, WorkflowTransitionError)
STATEMENT = "Customer Statement"


def gl_report_closing(customer, from_date, to_date):
	"""The closing balance ERPNext's own General Ledger report shows for the customer."""
	from erpnext.accounts.report.general_ledger.general_ledger import execute

	_columns, rows = execute(
		frappe._dict(
			{
				"company": company(),
				"from_date": from_date,
				"to_date": to_date,
				"party_type": "Customer",
				"party": [customer],
				"group_by": "Group by Voucher (Consolidated)",
				"include_dimensions": 0,
			}
		)
	)
	closing = next(r for r in rows if isinstance(r, dict) and "Closing" in str(r.get("account")))
	return closing["debit"] - closing["credit"]


def assign_case(customer, collector):
	case = open_case(customer)
	case.collector = collector
	case.save()
	return case


class TestCustomerStatement(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()
		cls.first, cls.last = previous_month(getdate(today()))

	def month_with_activity(self, label, email="ap@example.com"):
		"""Opening invoice before the period; in it an invoice, a payment, a credit note and a delivery."""
		from erpnext.accounts.doctype.sales_invoice.sales_invoice import make_sales_return

		customer = make_customer(label, email=email)
		old = make_invoice(
			customer,
			due_in_days=0,
			amount=300,
			posting_date=add_days(self.first, -10),
			due_date=add_days(self.first, 20),
		)
		si = make_invoice(
			customer,
			due_in_days=0,
			amount=1000,
			qty=5,
			posting_date=add_days(self.first, 2),
			due_date=add_days(self.first, 32),
		)
		pay(old.name, amount=300, posting_date=add_days(self.first, 5))
		credit = make_sales_return(si.name)
		credit.items[0].qty = -1
		credit.posting_date, credit.set_posting_time = add_days(self.first, 9), 1
		credit.set_missing_values()
		credit.calculate_taxes_and_totals()
		credit.update_outstanding_for_self = 0
		credit.insert()
		credit.submit()
		dn = make_delivery_note(customer, rate=250)
		dn.posting_date, dn.set_posting_time = add_days(self.first, 12), 1
		dn.save()
		dn.submit()
		return customer, si, dn

	def statement(self, customer):
		return frappe.get_doc(
			{
				"doctype": STATEMENT,
				"customer": customer,
				"company": company(),
				"from_date": self.first,
				"to_date": self.last,
			}
		).insert()

	def test_closing_balance_ties_out_with_the_general_ledger(self):
		customer, si, dn = self.month_with_activity("Statement Tie Out")
		st = self.statement(customer)
		self.assertEqual(st.opening_balance, 300)
		self.assertEqual((st.total_invoiced, st.total_paid), (1000, 500))  # 300 paid + 200 credited
		self.assertEqual(st.closing_balance, 800)
		self.assertEqual(st.closing_balance, gl_report_closing(customer, self.first, self.last))
		kinds = [(l.voucher_type, l.voucher_no) for l in st.lines]
		self.assertIn(("Sales Invoice", si.name), kinds)
		self.assertIn(("Delivery Note", dn.name), kinds)
		self.assertEqual(next(l.delivered_amount for l in st.lines if l.voucher_no == dn.name), 250)
		# deadlines in the month after: day 5, 8, 20 and 30 (or the month's last day) by default (R-A2, R-A3)
		nxt = getdate(add_days(self.last, 1))
		self.assertEqual(
			[getdate(d) for d in (st.prepare_by, st.send_by, st.confirm_by)],
			[nxt.replace(day=5), nxt.replace(day=8), nxt.replace(day=20)],
		)
		self.assertEqual(
			getdate(st.finance_by), nxt.replace(day=min(30, calendar.monthrange(nxt.year, nxt.month)[1]))
		)
		self.assertRaises(frappe.DuplicateEntryError, self.statement, customer)

	def test_workflow_roles_sending_and_confirmation(self):
		customer, _si, _dn = self.month_with_activity("Statement Workflow")
		make_invoice(customer, due_in_days=-10, amount=50)  # an open case to log the send on
		assign_case(customer, ROLE_USERS[roles.COLLECTOR])
		st = self.statement(customer)
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		apply_workflow(st, "Submit for Review")
		self.assertRaises(REFUSED, apply_workflow, frappe.get_doc(STATEMENT, st.name), "Approve and Send")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		apply_workflow(frappe.get_doc(STATEMENT, st.name), "Approve and Send")
		frappe.set_user("Administrator")
		st.reload()
		self.assertEqual((st.status, str(st.sent_on)), ("Sent", str(today())))
		mail = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": STATEMENT, "reference_name": st.name},
			fields=["name", "attachments"],
		)
		self.assertEqual(len(mail), 1)
		self.assertIn(f"{st.name}.pdf", mail[0].attachments)  # the attached PDF, by file
		self.assertTrue(
			frappe.db.exists("File", {"attached_to_doctype": STATEMENT, "attached_to_name": st.name})
		)
		logged = frappe.get_all(
			"Contact Log",
			filters={"customer_name": ["like", f"%{customer[-6:]}%"], "channel": "Email"},
			pluck="summary",
		)
		self.assertTrue(any(st.name in s for s in logged), logged)

		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaisesRegex(frappe.ValidationError, "invoicing details", apply_workflow, st, "Confirm")
		st.reload()
		st.invoicing_details = "VAT special invoice; tax no. 91310000XXXX; Bank of China Shanghai"
		st.save()
		from collections_module.people import assign_follow_up

		frappe.set_user("Administrator")  # the follow-up of the unconfirmed statement, as the cycle gives it
		assign_follow_up(STATEMENT, st.name, [ROLE_USERS[roles.COLLECTOR]], "Chase the confirmation", today())
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		apply_workflow(frappe.get_doc(STATEMENT, st.name), "Confirm")
		open_todos = frappe.get_all(
			"ToDo", filters={"reference_type": STATEMENT, "reference_name": st.name, "status": "Open"}
		)
		self.assertEqual(open_todos, [])  # confirming ends the follow-up (issue 25, item 4)
		apply_workflow(frappe.get_doc(STATEMENT, st.name), "Pass to Finance")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		st = frappe.get_doc(STATEMENT, st.name)
		st.invoice_dispatch_info = "SF Express SF1234567890 to AP dept."
		st.save()
		apply_workflow(st, "Record Invoice Sent")
		st.reload()
		self.assertEqual(st.status, "Invoiced")
		self.assertTrue(st.confirmed_on and st.passed_to_finance_on and st.invoiced_on)

	def test_unconfirmed_statement_follow_ups_on_the_right_days(self):
		customer, _si, _dn = self.month_with_activity("Statement Follow Up")
		st = self.statement(customer)
		sent = getdate(today())
		frappe.db.set_value(STATEMENT, st.name, {"status": "Sent", "sent_on": sent})
		days_with_todo = []
		for offset in (1, 2, 3, 4, 15, 16, 29):
			before = len(todos_of(st.name))
			bumped = follow_up(add_days(sent, offset), customers=[customer])
			if bumped:
				days_with_todo.append(offset)
			self.assertGreaterEqual(len(todos_of(st.name)), before)
		self.assertEqual(days_with_todo, [1, 3, 15, 16, 29])
		self.assertEqual(
			frappe.db.get_value(STATEMENT, st.name, "follow_up_stage"), "Statement to Supervisor"
		)
		told = {
			n.for_user
			for n in frappe.get_all(
				"Notification Log",
				filters={"document_type": STATEMENT, "document_name": st.name},
				fields=["for_user"],
			)
		}
		self.assertIn(ROLE_USERS[roles.SUPERVISOR], told)
		self.assertEqual(
			follow_up(add_days(sent, 29), customers=[customer]), []
		)  # the same day again: nothing

	def test_statement_not_prepared_or_not_sent_in_time_is_chased(self):
		"""Issue 25 item 5: prepare-by and send-by are chased like confirm-by (R-A2)."""
		customer, _si, _dn = self.month_with_activity("Statement Late")
		st = frappe.get_doc(STATEMENT, self.statement(customer).name)
		prepare_by, send_by = getdate(st.prepare_by), getdate(st.send_by)
		self.assertEqual(chase_deadlines(prepare_by, customers=[customer]), [])  # on the day: not late
		for offset in (1, 1, 2):  # late: a follow-up each day (once a day), the supervisors told once
			chase_deadlines(add_days(prepare_by, offset), customers=[customer])
		open_todos = [t for t in todos_of(st.name) if t.status == "Open"]
		self.assertTrue(open_todos)
		self.assertTrue(all("late" in t.description for t in open_todos))
		told = frappe.get_all(
			"Notification Log",
			filters={
				"document_type": STATEMENT,
				"document_name": st.name,
				"for_user": ROLE_USERS[roles.SUPERVISOR],
				"type": "Alert",
			},
		)
		self.assertEqual(len(told), 1)
		# submitted for review: the preparing follow-up is done; not sent by the send-by day: chased
		apply_workflow(frappe.get_doc(STATEMENT, st.name), "Submit for Review")
		self.assertFalse([t for t in todos_of(st.name) if t.status == "Open"])
		self.assertEqual(chase_deadlines(send_by, customers=[customer]), [])
		chase_deadlines(add_days(send_by, 1), customers=[customer])
		owners = {t.allocated_to for t in todos_of(st.name) if t.status == "Open"}
		self.assertIn(ROLE_USERS[roles.SUPERVISOR], owners)
		managers_told = frappe.get_all(
			"Notification Log",
			filters={
				"document_type": STATEMENT,
				"document_name": st.name,
				"for_user": ROLE_USERS[roles.MANAGER],
				"type": "Alert",
			},
		)
		self.assertEqual(len(managers_told), 1)

	def test_monthly_generation_for_flagged_customers_once_and_visit_suggestion(self):
		customer = make_customer("Monthly Flag", email="ap@example.com", collection_monthly_statement=1)
		not_flagged = make_customer("No Flag")
		for c in (customer, not_flagged):  # both have activity in the month
			make_invoice(
				c,
				due_in_days=0,
				amount=100,
				posting_date=add_days(self.first, 3),
				due_date=add_days(self.first, 33),
			)
		on = add_days(self.last, 1)
		# three earlier statements, two confirmed late: chronically late (R-A6)
		for months_back, late_by in ((1, 5), (2, None), (3, 0)):
			first = getdate(add_days(self.first, -28 * months_back)).replace(day=1)
			first, last = previous_month(getdate(add_days(first, 40)))
			old = frappe.get_doc(
				{
					"doctype": STATEMENT,
					"customer": customer,
					"company": company(),
					"from_date": first,
					"to_date": last,
				}
			).insert()
			if late_by is not None:
				frappe.db.set_value(STATEMENT, old.name, "confirmed_on", add_days(old.confirm_by, late_by))
		lines = generate(on, customers=[customer, not_flagged])
		made = frappe.get_all(
			STATEMENT, filters={"customer": customer, "from_date": self.first}, pluck="name"
		)
		self.assertEqual(len(made), 1)
		self.assertFalse(frappe.db.exists(STATEMENT, {"customer": not_flagged}))
		self.assertEqual(frappe.db.get_value(STATEMENT, made[0], "visit_suggested"), 1)
		self.assertTrue(any("on-site visit" in t.description for t in todos_of(made[0])))
		self.assertIn("visit suggested", "\n".join(lines))
		generate(on, customers=[customer])  # again: nothing new
		self.assertEqual(frappe.db.count(STATEMENT, {"customer": customer, "from_date": self.first}), 1)


def todos_of(name):
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": STATEMENT, "reference_name": name},
		fields=["allocated_to", "description", "status"],
	)


class TestStatementScope(CollectionsTestCase):
	"""A statement pulls the customer's General Ledger: a Collector reaches only those of their cases."""

	def setUp(self):
		self.first, self.last = previous_month(getdate(today()))

	def new(self, customer):
		return {
			"doctype": STATEMENT,
			"customer": customer,
			"company": company(),
			"from_date": str(self.first),
			"to_date": str(self.last),
		}

	def test_collector_creates_reads_and_writes_only_statements_of_their_cases(self):
		from collections_module.tests.utils import SECOND_COLLECTOR

		mine, theirs = make_customer("Stmt Mine"), make_customer("Stmt Theirs")
		for customer, collector in ((mine, ROLE_USERS[roles.COLLECTOR]), (theirs, SECOND_COLLECTOR)):
			make_invoice(
				customer, due_in_days=0, amount=700, posting_date=add_days(self.first, 1), due_date=self.last
			)
			assign_case(customer, collector)
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		other = frappe.client.insert(self.new(theirs))

		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		self.assertRaises(frappe.PermissionError, frappe.client.insert, self.new(theirs))
		self.assertRaises(frappe.PermissionError, frappe.client.get, STATEMENT, other["name"])
		listed = frappe.client.get_list(
			STATEMENT, filters={"customer": ["in", [mine, theirs]]}, fields=["name"]
		)
		self.assertNotIn(other["name"], [r["name"] for r in listed])
		own = frappe.client.insert(self.new(mine))
		self.assertEqual(own["closing_balance"], 700)
		# moving one's own statement onto another customer is refused
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.save,
			{**frappe.client.get(STATEMENT, own["name"]), "customer": theirs},
		)

	def test_lines_and_totals_are_the_servers_in_every_state(self):
		customer = make_customer("Stmt Forged")
		si = make_invoice(
			customer, due_in_days=0, amount=900, posting_date=add_days(self.first, 1), due_date=self.last
		)
		assign_case(customer, ROLE_USERS[roles.COLLECTOR])
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		forged_line = {"voucher_type": "Sales Invoice", "voucher_no": si.name, "debit": 1, "balance": 1}
		forged = {**self.new(customer), "closing_balance": 1, "total_invoiced": 1, "lines": [forged_line]}
		st = frappe.client.insert(forged)
		self.assertEqual((st["closing_balance"], st["total_invoiced"]), (900, 900))
		self.assertEqual([(x["voucher_no"], x["debit"]) for x in st["lines"]], [(si.name, 900)])
		apply_workflow(frappe.get_doc(STATEMENT, st["name"]), "Submit for Review")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])  # may edit a statement under review
		stored = frappe.client.get(STATEMENT, st["name"])
		saved = frappe.client.save(
			{
				**stored,
				"closing_balance": 5,
				"total_paid": 895,
				"lines": stored["lines"][:0],
				"sent_on": str(today()),
			}
		)
		self.assertEqual((saved["closing_balance"], saved["total_paid"], saved["sent_on"]), (900, 0, None))
		self.assertEqual(len(saved["lines"]), len(stored["lines"]))
