"""Incentives on a real site (issue 19): an Incentive Plan set in the desk, refused when its tiers overlap;
the month's Incentive Statement of each collector drafted from the recovery ledger and the month's
figures with the formula shown; a collector reads their own statement only and cannot review it; a
manager reviews it, and then its figures are fixed."""

from datetime import date

import frappe
from frappe.client import get, get_list, insert, save, set_value
from frappe.utils import fmt_money

from collections_module.policy import roles
from collections_module.team import api, incentives
from collections_module.tests.test_legal import as_user
from collections_module.tests.utils import ROLE_USERS, CollectionsTestCase, company, ensure_user

MONTH = date(2032, 3, 1)  # a month no other test's data falls in
A = "cm.incentive.a@example.com"
B = "cm.incentive.b@example.com"
BOSS = "cm.incentive.boss@example.com"  # a collector who is also a collection manager
MANAGER = ROLE_USERS[roles.MANAGER]
SUPERVISOR = ROLE_USERS[roles.SUPERVISOR]
STATEMENT = "Incentive Statement"
TIERS = [
	{"from_pct": 0, "to_pct": 80, "rate": 1},
	{"from_pct": 80, "to_pct": 100, "rate": 2},
	{"from_pct": 100, "rate": 3},
]


def make_plan(**fields) -> str:
	"""0–80 % → 1 %, 80–100 % → 2 %, from 100 % → 3 %; quality gate 60 (half paid below it); 50 per
	refused contact; the default plan."""
	return (
		frappe.get_doc(
			{
				"doctype": "Incentive Plan",
				"plan_name": f"_CM Incentive {frappe.generate_hash(length=8)}",
				"active": 1,
				"is_default": 1,
				"tiers": TIERS,
				"quality_gate": 60,
				"below_gate_share": 50,
				"refusal_penalty": 50,
				**fields,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def recovered(collector: str, day: date, amount: float):
	"""A row of the recovery ledger, as the server writes it from a receipt."""
	frappe.get_doc(
		{
			"doctype": "Collection Recovery",
			"posting_date": day,
			"collector": collector,
			"company": company(),
			"amount": amount,
			"allocated": amount,
			"currency": currency(),
			"recovery_key": f"_CM incentive {collector} {day} {frappe.generate_hash(length=6)}",
		}
	).insert(ignore_permissions=True)


def target(collector: str, amount: float):
	frappe.get_doc(
		{"doctype": "Collection Target", "month": MONTH, "collector": collector, "target_amount": amount}
	).insert(ignore_permissions=True)


def refused(collector: str, day: date):
	frappe.get_doc(
		{
			"doctype": "Contact Refusal",
			"refused_at": f"{day} 10:00:00",
			"collector": collector,
			"rule": "Calls per day",
			"message": "Too many calls today",
		}
	).insert(ignore_permissions=True)


def quality(collector: str, week_start: date, score: float):
	"""A submitted call-quality review of the collector's call, with its score."""
	frappe.get_doc(
		{
			"doctype": "Call Quality Review",
			"collector": collector,
			"contact_log": f"_CM incentive call {collector} {week_start}",
			"week_start": week_start,
			"score": score,
			"docstatus": 1,
		}
	).db_insert()


def currency() -> str:
	return frappe.get_cached_value("Company", company(), "default_currency")


def money(x: float) -> str:
	return fmt_money(x, precision=2, currency=currency())


def statement_of(collector: str):
	return frappe.get_doc(STATEMENT, {"collector": collector, "month": MONTH, "company": company()})


class TestIncentives(CollectionsTestCase):
	def setUp(self):
		for user in (A, B):
			ensure_user(user, roles.COLLECTOR)
		ensure_user(BOSS, roles.COLLECTOR, roles.MANAGER)
		people = [A, B, BOSS]
		old = frappe.get_all(STATEMENT, filters={"collector": ["in", people]}, pluck="name")
		if old:
			frappe.db.delete("Incentive Statement Line", {"parent": ["in", old]})
			frappe.db.delete(STATEMENT, {"name": ["in", old]})
		for doctype in ("Collection Recovery", "Collection Target", "Contact Refusal", "Call Quality Review"):
			frappe.db.delete(doctype, {"collector": ["in", people]})
		self.plan = make_plan()
		# A: 9,000 recovered in the month of a 10,000 target, one refused contact, calls scored 85
		target(A, 10_000)
		recovered(A, date(2032, 3, 10), 6_000)
		recovered(A, date(2032, 3, 31), 3_000)
		recovered(A, date(2032, 4, 1), 5_000)  # next month's
		recovered(A, date(2032, 2, 29), 5_000)  # last month's
		refused(A, date(2032, 3, 12))
		quality(A, date(2032, 3, 8), 85)
		# B: 12,000 of a 10,000 target, but calls scored 40, below the gate of 60
		target(B, 10_000)
		recovered(B, date(2032, 3, 5), 12_000)
		quality(B, date(2032, 3, 15), 40)

	def test_the_statement_pays_the_tier_less_the_penalties_with_the_formula(self):
		names = incentives.draft_statements(MONTH, company())
		a, b = statement_of(A), statement_of(B)
		self.assertEqual({a.name, b.name} - set(names), set())
		self.assertEqual((a.recovered, a.target, a.achievement, a.tier, a.rate), (9_000, 10_000, 90, 2, 2))
		self.assertEqual((a.commission, a.penalties, a.total), (180, 50, 130))
		self.assertEqual((a.refusals, a.quality_score, a.quality_samples), (1, 85, 1))
		self.assertEqual((a.plan, a.status, a.currency), (self.plan, "Draft", currency()))
		self.assertEqual([(r.kind, r.amount) for r in a.lines], [("Commission", 180), ("Refusals", -50)])
		self.assertEqual(sum(r.amount for r in a.lines), a.total)
		self.assertEqual(
			a.formula,
			f"{money(9_000)} ÷ {money(10_000)} = 90 % → tier 2: 2 % × {money(9_000)} = {money(180)}; "
			f"− refused contacts: 1 × {money(50)}; total {money(130)}",
		)
		# B: tier 3 (3 % of 12,000 = 360), half of it below the quality gate
		self.assertEqual((b.tier, b.commission, b.penalties, b.total), (3, 180, 0, 180))
		self.assertEqual([(r.kind, r.amount) for r in b.lines], [("Commission", 360), ("Quality Gate", -180)])
		self.assertIn("40", b.lines[1].description)

		# drafted again: the same statements, brought up to date
		recovered(A, date(2032, 3, 20), 1_000)  # 10,000: 100 % → tier 3
		self.assertEqual(set(incentives.draft_statements(MONTH, company())), set(names))
		a.reload()
		self.assertEqual((a.recovered, a.tier, a.commission, a.total), (10_000, 3, 300, 250))
		self.assertEqual(frappe.db.count(STATEMENT, {"collector": A, "month": MONTH}), 1)

	def test_a_collector_reads_only_their_own_statement_and_cannot_review_it(self):
		incentives.draft_statements(MONTH, company())
		a, b = statement_of(A), statement_of(B)
		self.assertEqual(as_user(A, get, STATEMENT, a.name)["total"], 130)
		with self.assertRaises(frappe.PermissionError):
			as_user(A, get, STATEMENT, b.name)
		listed = as_user(A, get_list, STATEMENT, fields=["name"], limit_page_length=0)
		self.assertEqual([r.name for r in listed], [a.name])
		rows = as_user(
			A, get_list, "Incentive Statement Line", fields=["parent"], parent=STATEMENT, limit_page_length=0
		)
		self.assertEqual({r.parent for r in rows}, {a.name})
		# no path to Reviewed for the collector: the endpoint, a field change, drafting
		with self.assertRaises(frappe.PermissionError):
			as_user(A, api.review_incentive_statement, a.name)
		with self.assertRaises(frappe.PermissionError):
			as_user(A, set_value, STATEMENT, a.name, "status", "Reviewed")
		with self.assertRaises(frappe.PermissionError):
			as_user(A, api.draft_incentive_statements, str(MONTH), company())
		# a supervisor reads every statement but does not review them
		self.assertEqual(as_user(SUPERVISOR, get, STATEMENT, b.name)["total"], 180)
		with self.assertRaises(frappe.PermissionError):
			as_user(SUPERVISOR, api.review_incentive_statement, a.name)
		self.assertEqual(frappe.db.get_value(STATEMENT, a.name, "status"), "Draft")

	def test_a_manager_reviews_and_the_figures_are_then_fixed(self):
		names = as_user(MANAGER, api.draft_incentive_statements, str(MONTH), company())
		a = statement_of(A)
		self.assertIn(a.name, names)
		# a person's edit of a figure is replaced by the server's value; the note is theirs
		sent = {**as_user(MANAGER, get, STATEMENT, a.name), "total": 99_999, "review_note": "Good month"}
		saved = as_user(MANAGER, save, sent)
		self.assertEqual(
			(saved["total"], saved["review_note"], saved["status"]), (130, "Good month", "Draft")
		)
		# marking it Reviewed through the form's status is not a review
		saved = as_user(MANAGER, save, {**saved, "status": "Reviewed"})
		self.assertEqual(saved["status"], "Draft")

		as_user(MANAGER, api.review_incentive_statement, a.name, "Checked against the ledger")
		a.reload()
		self.assertEqual((a.status, a.reviewed_by), ("Reviewed", MANAGER))
		self.assertTrue(a.reviewed_on)
		self.assertEqual(a.review_note, "Checked against the ledger")
		with self.assertRaises(frappe.ValidationError):
			as_user(MANAGER, api.review_incentive_statement, a.name)

		# drafting again leaves the reviewed statement as it was
		recovered(A, date(2032, 3, 25), 4_000)
		self.assertNotIn(a.name, incentives.draft_statements(MONTH, company()))
		a.reload()
		self.assertEqual((a.recovered, a.total, a.status), (9_000, 130, "Reviewed"))
		# not even the server changes it, and nobody deletes it
		a.total = 1
		with self.assertRaises(frappe.PermissionError):
			a.save(ignore_permissions=True)
		with self.assertRaises(frappe.PermissionError):
			as_user(MANAGER, frappe.delete_doc, STATEMENT, a.name)
		self.assertEqual(frappe.db.get_value(STATEMENT, a.name, "total"), 130)

	def test_no_one_reviews_their_own_statement(self):
		target(BOSS, 1_000)
		recovered(BOSS, date(2032, 3, 3), 1_000)
		incentives.draft_statements(MONTH, company())
		own = statement_of(BOSS)
		self.assertEqual(own.total, 30)  # 100 % → 3 % of 1,000
		with self.assertRaises(frappe.PermissionError):
			as_user(BOSS, api.review_incentive_statement, own.name)
		as_user(BOSS, api.review_incentive_statement, statement_of(A).name)  # another's: yes
		as_user(MANAGER, api.review_incentive_statement, own.name)
		self.assertEqual(frappe.db.get_value(STATEMENT, own.name, "reviewed_by"), MANAGER)

	def test_the_monthly_job_drafts_last_month_with_the_default_plan(self):
		names = incentives.draft_last_month(date(2032, 4, 2))
		self.assertIn(statement_of(A).name, names)
		self.assertEqual(statement_of(A).plan, self.plan)

	def test_a_plan_with_overlapping_tiers_is_refused(self):
		overlapping = [
			{"from_pct": 0, "to_pct": 90, "rate": 1},
			{"from_pct": 80, "to_pct": 100, "rate": 2},
			{"from_pct": 100, "rate": 3},
		]
		plan = {
			"doctype": "Incentive Plan",
			"plan_name": f"_CM Incentive {frappe.generate_hash(length=8)}",
			"tiers": overlapping,
		}
		with self.assertRaises(frappe.ValidationError) as refused:
			as_user(MANAGER, insert, plan)
		self.assertIn(
			"Tier 2: it starts at 80 %, overlapping the tier before, which ends at 90 %",
			str(refused.exception),
		)
		# a falling rate and a quality gate above 100 are refused alike, each named
		falling = [{"from_pct": 0, "to_pct": 80, "rate": 2}, {"from_pct": 80, "rate": 1}]
		with self.assertRaises(frappe.ValidationError) as refused:
			as_user(MANAGER, insert, {**plan, "tiers": falling, "quality_gate": 120})
		self.assertIn("below the rate of the tier before", str(refused.exception))
		self.assertIn("The quality gate 120", str(refused.exception))
		# a collector reads plans but does not write them
		with self.assertRaises(frappe.PermissionError):
			as_user(A, insert, {**plan, "tiers": TIERS})
		self.assertTrue(as_user(A, get, "Incentive Plan", self.plan))

	def test_one_default_plan(self):
		other = make_plan()
		self.assertEqual(frappe.db.get_value("Incentive Plan", self.plan, "is_default"), 0)
		self.assertEqual(incentives.default_plan(), other)
		with self.assertRaises(frappe.ValidationError):
			frappe.get_doc("Incentive Plan", other).update({"active": 0}).save(ignore_permissions=True)
