"""Lifecycles walked as the people live them (issue 25): a customer's invoices, payments and
cancellations interleaved at random with the people's acts — the owner approving, rejecting, releasing
or keeping a lock; a supervisor recording and resolving a dispute; a collector logging a promise; a
manager approving a repayment plan; letters requested, approved and issued — and the daily run on
later days or the same day again. After every step, what the README promises:

- a lock takes effect (approved, activated) only while something is owed; an active lock whose
  customer paid down is proposed for release by the next run, unless the owner kept it locked;
- nothing automatic happens while a case is paused: no lock proposal, letter, legal proposal or alert;
- a case on a plan gets no follow-up from the run while its installments are met;
- a letter not yet issued states what is owed today; an issued letter stated what was owed that day;
- a case's status says what is pending (a promise, a plan, a dispute), and its open follow-ups belong
  to the current stage's owners.

CI walks 4 sequences of 30 steps from a fixed seed; COLLECTIONS_LIFECYCLE_SEED / _EXAMPLES / _STEPS
walk others.
"""

import os
import random
import time

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, nowdate

from collections_module.collection_cases.ladder import jobs as ladder_jobs
from collections_module.policy import roles
from collections_module.policy import stock_lock as sl
from collections_module.tests.test_ladder_run import daily_run_over
from collections_module.tests.test_ledger_sequences import erpnext_receivable, on_day
from collections_module.tests.utils import ROLE_USERS, ensure_users, make_customer, make_invoice, pay

CASE, LOCK, LETTER, PLAN = "Collection Case", "Stock Release Lock", "Collection Letter", "Repayment Plan"
SEED = int(os.environ.get("COLLECTIONS_LIFECYCLE_SEED") or 20261208)
EXAMPLES = int(os.environ.get("COLLECTIONS_LIFECYCLE_EXAMPLES") or 4)
STEPS = int(os.environ.get("COLLECTIONS_LIFECYCLE_STEPS") or 30)
STATS: dict[str, int] = {}


def as_user(role):
	frappe.set_user(ROLE_USERS[role])


class Lifecycle:
	def __init__(self, rnd: random.Random):
		self.rnd = rnd
		self.day = getdate(nowdate())
		self.trace: list[str] = []
		with on_day(self.day):
			self.customer = make_customer("Lifecycle")
		self.invoices: list[str] = []
		self.payments: list[str] = []
		self.paused_since: dict | None = None  # what existed when the case was paused
		self.issued: dict[str, float] = {}  # letter -> what ERPNext said was owed when it was issued
		self.after_run = False
		self.plan_since = None

	# --- the ledger and the days ----------------------------------------------------------------

	def invoice(self):
		due_in, amount = self.rnd.choice([-120, -95, -40, -10]), self.rnd.choice([300, 800])
		with on_day(self.day):
			si = make_invoice(self.customer, due_in_days=due_in, amount=amount)
		self.invoices.append(si.name)
		self._did(f"invoice {si.name} {amount} due in {due_in}")

	def payment(self):
		owing = self._owing()
		if not owing:
			return
		invoice = self.rnd.choice(owing)
		outstanding = flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"))
		full = self.rnd.random() < 0.5
		with on_day(self.day):
			pe = pay(invoice, None if full else flt(outstanding / 2, 2), posting_date=self.day)
		self.payments.append(pe.name)
		self._did(f"payment {pe.paid_amount} on {invoice}")

	def cancel_payment(self):
		if not self.payments:
			return
		name = self.payments.pop(self.rnd.randrange(len(self.payments)))
		with on_day(self.day):
			frappe.get_doc("Payment Entry", name).cancel()
		self._did(f"cancel {name}")

	def next_day(self):
		self.day = add_days(self.day, self.rnd.choice([1, 3, 8, 20]))
		self._run(f"day {self.day}: run")

	def same_day_again(self):
		self._run("run again")

	def _run(self, what):
		self._did(what)
		with on_day(self.day), daily_run_over([self.customer]):
			report = ladder_jobs.run(self.day)
		assert not report.failures, report.failures
		self.after_run = True

	# --- the people --------------------------------------------------------------------------------

	def owner_decides_lock(self):
		lock = frappe.db.get_value(
			LOCK,
			{"customer": self.customer, "status": ["in", list(sl.LIVE_STATES)]},
			["name", "status"],
			as_dict=True,
		)
		if not lock:
			return
		action = {
			sl.PROPOSED: self.rnd.choice(["Approve", "Approve", "Reject"]),
			sl.ACTIVE: "Release",
			sl.RELEASE_PROPOSED: self.rnd.choice(["Release", "Keep Locked"]),
		}.get(lock.status)
		if not action:
			return
		owed, _days = erpnext_receivable(self.customer, self.day)
		with on_day(self.day):
			as_user(roles.OWNER)
			try:
				doc = frappe.get_doc(LOCK, lock.name)
				if action == "Release":
					doc.release_reason = "Agreed with the customer"
					doc.save()
				apply_workflow(frappe.get_doc(LOCK, lock.name), action)
				outcome = "done"
			except frappe.ValidationError as refused:
				outcome = f"refused: {refused}"
			finally:
				frappe.set_user("Administrator")
		if action == "Approve":  # a lock takes effect only while something is owed
			assert (outcome == "done") == (owed > 0), (action, owed, outcome)
		self._did(f"owner {action} {lock.name}: {outcome}")

	def dispute_or_resolve(self):
		case = self._case()
		if not case:
			return
		with on_day(self.day):
			as_user(roles.SUPERVISOR)
			doc = frappe.get_doc(CASE, case.name)
			doc.disputed = 0 if doc.disputed else 1
			doc.dispute_reason = doc.dispute_reason or "Short delivery on one invoice"
			doc.save()
			frappe.set_user("Administrator")
		if doc.disputed:
			self.paused_since = self._automatic_acts(case.name)
		else:
			self.paused_since = None
		self._did(f"{'dispute' if doc.disputed else 'resolve'} {case.name}")

	def promise(self):
		case = self._case()
		if not case or case.status in ("Paused", "Repayment Plan"):
			return
		from frappe.utils import add_to_date, now_datetime

		from collections_module.tests.utils import contact_log

		frappe.db.set_value(
			CASE,
			case.name,
			{"collector": ROLE_USERS[roles.COLLECTOR], "verified": 1, "debtor_timezone": "Asia/Shanghai"},
		)
		with on_day(self.day):
			as_user(roles.COLLECTOR)
			try:
				contact_log(
					case.name,
					add_to_date(now_datetime(), minutes=-10),
					outcome="Promise to Pay",
					promise_amount=100,
					promise_date=add_days(self.day, 5),
				).insert()
				outcome = "logged"
			except frappe.ValidationError as refused:  # the contact rules may refuse: that is their job
				outcome = f"refused: {refused}"
			finally:
				frappe.set_user("Administrator")
		self._did(f"promise on {case.name}: {outcome}")

	def plan(self):
		case = self._case()
		if not case or case.status not in ("Open", "In Progress", "Promise to Pay"):
			return
		if frappe.db.exists(PLAN, {"collection_case": case.name, "status": "Approved"}):
			return
		frappe.db.set_value(CASE, case.name, "collector", ROLE_USERS[roles.COLLECTOR])
		with on_day(self.day):
			as_user(roles.COLLECTOR)
			doc = frappe.get_doc(
				{
					"doctype": PLAN,
					"collection_case": case.name,
					"reason": "Monthly",
					"installments": [
						{"due_date": add_days(self.day, 10), "amount": 200},
						{"due_date": add_days(self.day, 40), "amount": 200},
					],
				}
			).insert()
			as_user(roles.MANAGER)
			apply_workflow(doc, "Approve")
			frappe.set_user("Administrator")
			self.plan_since = frappe.utils.now_datetime()
		self._did(f"plan {doc.name} on {case.name}")

	def letter(self):
		"""A manager asks for a letter, or the owner approves one, or it is issued."""
		flight = frappe.get_all(
			LETTER,
			filters={"customer": self.customer, "status": ["in", ["Pending Approval", "Approved"]]},
			fields=["name", "status"],
		)
		with on_day(self.day):
			try:
				if not flight:
					case = self._case()
					if not case or case.status == "Paused":
						return
					as_user(roles.MANAGER)
					doc = frappe.get_doc(
						{
							"doctype": LETTER,
							"letter_type": "Collection Letter",
							"language": "en",
							"collection_case": case.name,
							"delivery_method": "Registered Mail",
							"registered_mail_no": "RR000000000CN",
						}
					).insert()
					apply_workflow(doc, "Request Approval")
					act = f"request {doc.name}"
				elif flight[0].status == "Pending Approval":
					as_user(roles.OWNER)
					apply_workflow(frappe.get_doc(LETTER, flight[0].name), "Approve")
					act = f"approve {flight[0].name}"
				else:
					as_user(roles.MANAGER)
					apply_workflow(frappe.get_doc(LETTER, flight[0].name), "Issue")
					frappe.set_user("Administrator")
					self.issued[flight[0].name] = erpnext_receivable(self.customer, self.day)[0]
					act = f"issue {flight[0].name}"
			finally:
				frappe.set_user("Administrator")
		self._did(act)

	# --- the promises ------------------------------------------------------------------------------

	def check(self):
		STATS["checks"] = STATS.get("checks", 0) + 1
		try:
			self._check()
		except AssertionError as broken:
			raise AssertionError(f"{broken}\nafter: " + "; ".join(self.trace)) from None
		self.after_run = False

	def _check(self):
		case = self._case()
		owed, _days = erpnext_receivable(self.customer, self.day)
		# letters: in flight they state today's debt; issued, they stated the debt of their day
		for letter in frappe.get_all(
			LETTER,
			filters={"customer": self.customer},
			fields=["name", "status", "total_outstanding", "collection_case"],
		):
			if letter.status in ("Draft", "Pending Approval", "Approved"):
				assert case and case.name == letter.collection_case, ("letter without a debt", letter, owed)
				assert flt(letter.total_outstanding, 2) == flt(case.total_outstanding, 2), (letter, case)
			if letter.status == "Issued":
				assert flt(letter.total_outstanding, 2) == self.issued[letter.name], (letter, self.issued)
		# locks: after the run, an active lock with nothing owed is on its way to release
		locks = frappe.get_all(
			LOCK,
			filters={"customer": self.customer, "status": ["in", list(sl.LIVE_STATES)]},
			fields=["name", "status", "kept_on"],
		)
		assert len(locks) <= 1, locks
		if self.after_run and owed <= 0:
			assert all(lk.status != sl.APPROVED for lk in locks), (
				"approved lock activated for nothing",
				locks,
			)
			assert all(lk.status != sl.ACTIVE or lk.kept_on for lk in locks), (
				"active lock, nothing owed",
				locks,
			)
		if not case:
			return
		# paused: nothing automatic since the dispute
		if case.status == "Paused" and self.paused_since is not None:
			assert self._automatic_acts(case.name) == self.paused_since, (
				"automatic act while paused",
				self.paused_since,
				self._automatic_acts(case.name),
			)
		# the status says what is pending
		if case.status == "Promise to Pay":
			assert case.promise_status == "Pending", case
		if case.status == "Repayment Plan":
			assert frappe.db.exists(PLAN, {"collection_case": case.name, "status": "Approved"}), case
			assert not case.disputed, case
		if case.disputed:
			assert case.status in ("Paused", "Legal"), case
		# follow-ups: after a run, only the current stage's owners hold one; none on a plan kept
		if self.after_run:
			holders = set(
				frappe.get_all(
					"ToDo",
					filters={"reference_type": CASE, "reference_name": case.name, "status": "Open"},
					pluck="allocated_to",
				)
			)
			if case.status == "Repayment Plan" and self.plan_since:  # the plan is kept: no follow-up
				given = frappe.db.count(
					"ToDo",
					{"reference_type": CASE, "reference_name": case.name, "creation": [">", self.plan_since]},
				)
				assert not given, ("follow-up while the plan is kept", case.name)
			owners = self._stage_owners(case)
			if owners is not None:
				assert holders <= owners, (
					"follow-up held past its stage",
					holders,
					owners,
					case.current_stage,
				)

	# --- helpers -----------------------------------------------------------------------------------

	def _case(self):
		name = frappe.db.get_value(CASE, {"customer": self.customer, "status": ["!=", "Closed"]})
		return frappe.get_doc(CASE, name) if name else None

	def _stage_owners(self, case) -> set | None:
		from collections_module.collection_cases.policies import load_ladders
		from collections_module.people import role_holders
		from collections_module.policy import ladder as lad

		stage = next((s for s in load_ladders().get(case.policy) or [] if s.name == case.current_stage), None)
		if not stage:
			return None
		return set(lad.stage_owners(stage, case.collector, role_holders()))

	def _automatic_acts(self, case: str) -> dict:
		return {
			"locks": frappe.db.count(LOCK, {"collection_case": case}),
			"letters": frappe.db.count(LETTER, {"collection_case": case}),
			"legal": frappe.db.count("Legal Action", {"collection_case": case}),
			"alerts": frappe.db.count(
				"Notification Log", {"document_type": CASE, "document_name": case, "type": "Alert"}
			),
		}

	def _owing(self) -> list[str]:
		return [
			n for n in self.invoices if flt(frappe.db.get_value("Sales Invoice", n, "outstanding_amount")) > 0
		]

	def _did(self, act: str):
		self.trace.append(act)
		kind = act.split(" ")[0] + (" refused" if "refused" in act else "")
		STATS[kind] = STATS.get(kind, 0) + 1


ACTS = [
	(3, Lifecycle.invoice),
	(3, Lifecycle.payment),
	(1, Lifecycle.cancel_payment),
	(4, Lifecycle.next_day),
	(1, Lifecycle.same_day_again),
	(3, Lifecycle.owner_decides_lock),
	(2, Lifecycle.dispute_or_resolve),
	(1, Lifecycle.promise),
	(1, Lifecycle.plan),
	(3, Lifecycle.letter),
]


class TestLifecycles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_users()

	def setUp(self):
		frappe.flags.collections_isolate_in_test = True

	def tearDown(self):
		frappe.flags.collections_isolate_in_test = False
		frappe.set_user("Administrator")

	def test_people_and_the_ledger_interleaved_keep_every_promise(self):
		started, rnd = time.monotonic(), random.Random(SEED)
		for _ in range(EXAMPLES):
			walk = Lifecycle(rnd)
			walk.invoice()
			walk.check()
			for _ in range(STEPS):
				act = rnd.choices([a for _w, a in ACTS], weights=[w for w, _a in ACTS])[0]
				act(walk)
				walk.check()
			if os.environ.get("COLLECTIONS_LIFECYCLE_TRACE"):
				print("\n" + "; ".join(walk.trace))
		print(f"\nLifecycles: {STATS} in {time.monotonic() - started:.0f} s")
		self.assertGreater(STATS.get("checks", 0), EXAMPLES * STEPS)
