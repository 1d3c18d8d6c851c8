"""Debts handed in by a client, on a real site: a batch imported through Data Import from a file with bad
rows, the bad rows fixed and imported again, the cases allocated by capacity and client, and a collector
seeing only their own imported debts.

Data Import commits after every row, so this test's records stay on the site; it removes them at the
end (and any left by an earlier run that was stopped)."""

import csv
import io

import frappe
from frappe.client import get_list
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	collector_profile,
	company,
	ensure_user,
	ensure_users,
	today,
)

ROWS, BAD = 1000, 20
CLIENT, OTHER_CLIENT = "_CM Intake Bank", "_CM Intake Partner"
COLLECTORS = [f"cm.alloc{i}@example.com" for i in range(1, 9)]
HEADER = [
	"Client",
	"Client's Account No.",
	"Intake Batch",
	"Company",
	"Due Date",
	"Debtor",
	"ID Number",
	"Phones",
	"Region",
	"Principal",
	"Interest",
	"Fees",
	"Currency",
]


def purge():
	"""This test's records, straight from the database (a debt is never deleted through the desk)."""
	debts = frappe.get_all(
		"Debt", filters={"client": ["in", [CLIENT, OTHER_CLIENT]]}, fields=["name", "customer"]
	)
	customers = sorted({d.customer for d in debts if d.customer})
	cases = frappe.get_all("Collection Case", filters={"customer": ["in", customers or [""]]}, pluck="name")
	for doctype, field, values in (
		("ToDo", "reference_name", cases),
		("Contact Log", "collection_case", cases),
		("Collection Case Invoice", "parent", cases),
		("Collection Case Stage Log", "parent", cases),
		("Collection Case Reassignment", "parent", cases),
		("Collection Case", "name", cases),
		("Debt Repayment", "parent", [d.name for d in debts]),
		("Debt", "name", [d.name for d in debts]),
		("Customer", "name", customers),
		("Intake Batch", "client", [CLIENT, OTHER_CLIENT]),
	):
		if values:
			frappe.db.delete(doctype, {field: ["in", values]})
	frappe.db.commit()


def import_rows(rows: list[list]) -> frappe._dict:
	out = io.StringIO()
	writer = csv.writer(out)
	writer.writerow(HEADER)
	writer.writerows(rows)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"debts-{frappe.generate_hash(length=6)}.csv",
			"content": out.getvalue(),
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": "Debt",
			"import_type": "Insert New Records",
			"import_file": file.file_url,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	data_import.start_import()  # runs at once in tests; commits row by row
	data_import.reload()
	logs = frappe.get_all(
		"Data Import Log",
		filters={"data_import": data_import.name},
		fields=["success", "row_indexes", "messages", "exception"],
	)
	return frappe._dict(status=data_import.status, logs=logs)


class TestIntake(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()
		purge()
		for name in (CLIENT, OTHER_CLIENT):
			if not frappe.db.exists("Collection Client", name):
				frappe.get_doc({"doctype": "Collection Client", "client_name": name}).insert()
		for i, user in enumerate(COLLECTORS):
			# one collector works only the partner's accounts (a client restriction)
			collector_profile(
				user,
				team="_CM Intake",
				active=1,
				capacity_cases=110,
				clients=[{"client": OTHER_CLIENT}] if i == 0 else [],
			)
		# other collectors' profiles on a shared site take no part
		frappe.db.set_value("Collector Profile", {"team": ["!=", "_CM Intake"]}, "active", 0)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		purge()
		# this test's collectors take no part in what runs after it on the site (the demo's allocation)
		frappe.db.set_value("Collector Profile", {"team": "_CM Intake"}, "active", 0)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_batch_is_imported_allocated_and_scoped(self):
		from collections_module.intake.allocation import confirm, propose

		batch = frappe.get_doc(
			{
				"doctype": "Intake Batch",
				"client": CLIENT,
				"company": company(),
				"received_at": add_days(now_datetime(), 0),
				"team_lead": ROLE_USERS[roles.SUPERVISOR],
			}
		).insert()
		frappe.db.commit()
		due = add_days(today(), -45)
		rows = [
			[
				CLIENT,
				f"ACC-{i:05d}",
				batch.name,
				company(),
				due,
				f"Debtor {batch.name} {i:04d}",
				f"ID{batch.name}{i:05d}",
				"13800000000",
				"North" if i % 2 else "South",
				1000 + i,
				50,
				10,
				"USD",
			]
			for i in range(ROWS)
		]
		bad = {}
		for k, i in enumerate(range(7, ROWS, ROWS // BAD)):
			fixed = list(rows[i])
			if k % 4 == 0:
				rows[i][5] = ""  # no debtor
			elif k % 4 == 1:
				rows[i][9] = -5  # a negative principal
			elif k % 4 == 2:
				rows[i][12] = "EUR"  # not the company's currency
			else:
				rows[i][1] = rows[i - 1][1]  # the account of the row before: already under collection
			bad[i] = fixed
		# a file Frappe cannot read as a whole (an unknown client) is refused before any row, with
		# Frappe's warning naming the row
		refused = import_rows([[*rows[0][:0], "_CM No Such Client", *rows[0][1:]]])
		self.assertIn(
			"_CM No Such Client",
			frappe.db.get_value(
				"Data Import", {"name": ["like", "%"]}, "template_warnings", order_by="creation desc"
			)
			or "",
		)
		self.assertEqual(refused.logs, [])
		self.assertEqual(frappe.db.count("Debt", {"intake_batch": batch.name}), 0)

		result = import_rows(rows)
		failed = [log for log in result.logs if not log.success]
		self.assertEqual(result.status, "Partial Success")
		self.assertEqual(len(failed), BAD)  # each bad row reported on its own
		self.assertEqual(frappe.db.count("Debt", {"intake_batch": batch.name}), ROWS - BAD)  # the rest, once

		again = import_rows(list(bad.values()))  # the fixed rows
		self.assertEqual(again.status, "Success")
		self.assertEqual(frappe.db.count("Debt", {"intake_batch": batch.name}), ROWS)
		# an account already under collection is reported, not duplicated
		twice = import_rows([rows[0], rows[1]])
		self.assertEqual([log.success for log in twice.logs], [0, 0])
		self.assertIn("already under collection", frappe.as_json(twice.logs[0].messages))
		self.assertEqual(frappe.db.count("Debt", {"client": CLIENT, "account_no": rows[0][1]}), 1)

		batch.reload()
		self.assertEqual(batch.debt_count, ROWS)
		self.assertEqual(batch.import_on_time, "Met")
		self.assertEqual(str(batch.filtering_deadline), str(add_days(today(), 4)))  # > 500 accounts
		debt = frappe.get_doc("Debt", {"intake_batch": batch.name, "account_no": "ACC-00003"})
		self.assertEqual((debt.outstanding, debt.days_overdue_at_intake), (1063.0, 45))
		case = frappe.get_doc("Collection Case", debt.collection_case)
		self.assertEqual([(r.debt, r.outstanding) for r in case.invoices], [(debt.name, 1063.0)])
		self.assertEqual(case.total_outstanding, 1063.0)

		# the team lead allocates: capacity 110 each, one collector works only the partner's accounts
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		proposal = propose(batch.name)
		given = [a for a in proposal["assignments"] if a["collector"]]
		self.assertEqual(len(given), 7 * 110)  # every eligible collector filled to capacity, no more
		self.assertNotIn(COLLECTORS[0], {a["collector"] for a in given})
		left = [a for a in proposal["assignments"] if not a["collector"]]
		self.assertEqual(len(left), ROWS - 770)
		self.assertIn("capacity", left[0]["reason"])
		# an adjustment that breaks a rule is refused
		wrong = [dict(given[0], collector=COLLECTORS[0])]
		self.assertRaises(frappe.ValidationError, confirm, batch.name, frappe.as_json(wrong))
		self.assertEqual(confirm(batch.name, frappe.as_json(proposal["assignments"])), 770)
		frappe.set_user("Administrator")
		loads = {
			u: frappe.db.count("Collection Case", {"collector": u, "status": ["!=", "Closed"]})
			for u in COLLECTORS
		}
		self.assertEqual(sorted(loads.values()), [0] + [110] * 7)
		one = given[0]
		self.assertIn(
			one["collector"],
			[
				t.allocated_to
				for t in frappe.get_all(
					"ToDo", filters={"reference_name": one["case"], "status": "Open"}, fields=["allocated_to"]
				)
			],
		)
		self.assertEqual(frappe.db.get_value("Intake Batch", batch.name, "allocated"), 770)

		# a collector sees only their own imported debts, through the list the desk calls
		frappe.set_user(one["collector"])
		seen = get_list(
			"Debt",
			fields=["name", "collection_case"],
			filters={"intake_batch": batch.name},
			limit_page_length=0,
		)
		cases = {r.collection_case for r in seen}
		self.assertEqual(len(cases), 110)
		self.assertIn(one["case"], cases)
		frappe.set_user("Administrator")

		# new-case filtering: the dial order tried without reaching anyone makes the case "Lost Contact"
		from frappe.client import insert
		from frappe.desk.query_report import run as run_report

		from collections_module.policy.filtering import DEFAULT_DIAL_ORDER
		from collections_module.tests.utils import local_time

		case = frappe.get_doc("Collection Case", one["case"])
		self.assertEqual(str(case.filtering_deadline), str(batch.filtering_deadline))
		checklist = ("name", "id_number", "phones", "employer", "addresses", "amount")
		case.update(
			{"verified": 1, "debtor_timezone": "Asia/Shanghai", **{f"checked_{c}": 1 for c in checklist}}
		)
		case.save(ignore_permissions=True)
		frappe.set_user(one["collector"])
		for minute, party in enumerate(DEFAULT_DIAL_ORDER):
			self.assertIsNone(frappe.db.get_value("Collection Case", case.name, "filtering_class") or None)
			self.assertEqual(frappe.db.get_value("Collection Case", case.name, "next_dial") or party, party)
			insert(
				{
					"doctype": "Contact Log",
					"collection_case": case.name,
					"start_time": str(local_time("Asia/Shanghai", -1, 10, minute * 10)),
					"channel": "Phone",
					"direction": "Outbound",
					"outcome": "No Answer",
					"summary": f"Filtering call to {party}",
					"dial_party": party,
					"result_code": "No Answer" if minute % 2 else "Wrong Number",
				}
			)
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "filtering_class"), "Lost Contact")
		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		report = run_report("Filtering Progress", filters={"intake_batch": batch.name})
		(row,) = [r for r in report["result"] if isinstance(r, dict) and r.get("group") == batch.name]
		# every account of the batch, allocated or not
		self.assertEqual((row["accounts"], row["done"], row["lost_contact"]), (ROWS, 1, 1))
		self.assertEqual(row["lost_contact_amount"], case.total_outstanding)
		frappe.set_user("Administrator")
