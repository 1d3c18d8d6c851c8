"""What the daily run plans and reports: a case's plan, a reminder's plan, the run's report."""

from dataclasses import dataclass, field
from datetime import date

import frappe

from collections_module.enforcement.lock_run import LockPlan
from collections_module.messages import tr
from collections_module.policy import contact_rules as cr
from collections_module.policy import grading
from collections_module.policy import ladder as lad
from collections_module.policy.ledger import OverdueLine
from collections_module.statements_and_letters.letter_run import LetterPlan

CASE = "Collection Case"


GRADE_CHANGED = "Risk grade {0} → {1}."


CASE_FIELDS = [
	"name",
	"customer",
	"customer_name",
	"company",
	"status",
	"collector",
	"policy",
	"current_stage",
	"stage_entered_on",
	"last_contact_on",
	"last_follow_up_on",
	"next_action_date",
	"verified",
	"promise_amount",
	"promise_date",
	"promise_status",
	"promise_made_on",
	"unallocated_credit",
	"policy_note",
	"modified",
	"total_outstanding",
	"oldest_days_overdue",
	"oldest_due_date",
	"overdue_bucket",
	"as_of_date",
	"disputed",
	"filtering_class",
	"risk_grade",
	"computed_grade",
	"risk_score",
	"grade_why",
	"grade_factors",
	"grade_override",
	"open_key",  # read so that closing frees it and an open case keeps it (compared like any field)
]


@dataclass
class CasePlan:
	customer: str
	company: str
	case: frappe._dict | None  # the stored case row, None for a new case
	lines: list[OverdueLine] = field(default_factory=list)
	total: float = 0.0
	credit: float = 0.0  # unallocated payments and credit notes
	oldest_days: int = 0
	policy: str | None = None
	policy_note: str = ""  # where the policy came from, and any named policy that could not be used
	decision: lad.Decision | None = None
	close: bool = False
	reopen: bool = False
	lines_changed: bool = True
	owners: list[str] = field(default_factory=list)
	notify: dict[str, list[str]] = field(default_factory=dict)
	promise: str | None = None  # Kept / Broken when the run settles a pending promise (R-D4)
	debts: set = field(default_factory=set)  # lines that are Debts handed in, not Sales Invoices
	grade: grading.Grade | None = None  # as the policy core computes it
	risk_grade: str | None = None  # the grade the case is worked by (a supervisor's override first)
	status: str | None = None  # the case's status after today's promise and plan outcomes
	plan_check: object = None  # the repayment plan in effect, as today's ledger leaves it (R-D4)

	@property
	def paused(self) -> bool:
		"""A disputed (paused) case, or one on a plan: nothing automatic happens to it — no follow-up, alert, lock
		proposal, letter or legal review — until the dispute is resolved."""
		if not self.case:
			return False
		return bool(self.case.disputed) or (self.case.status == "Paused" and not self.reopen) or self.on_plan

	@property
	def on_plan(self) -> bool:
		"""A case following a repayment plan whose installments are met: no follow-up, alert, lock
		proposal, letter or legal review while it lasts (R-D4)."""
		return self.status == "Repayment Plan" and not self.reopen


@dataclass
class ReminderPlan:
	invoice: str
	customer: str
	due_date: date
	outstanding: float
	recipient: str | None


@dataclass
class RunReport:
	on_date: date
	dry_run: bool
	cases: list[CasePlan] = field(default_factory=list)
	reminders: list[ReminderPlan] = field(default_factory=list)
	locks: list[LockPlan] = field(default_factory=list)
	letters: list[LetterPlan] = field(default_factory=list)
	warnings: list[str] = field(default_factory=list)
	failures: list[str] = field(default_factory=list)
	stale: list[str] = field(default_factory=list)  # customers whose case changed while being written
	legal: list[tuple[str, str, tuple]] = field(default_factory=list)  # (case, reason, args) for review
	failed_units: list = field(default_factory=list)  # _RunUnit: what failed, for which customer

	def merge(self, other: "RunReport"):
		for name in ("cases", "reminders", "locks", "letters", "warnings", "failures", "stale", "legal"):
			getattr(self, name).extend(getattr(other, name))
		self.failed_units.extend(other.failed_units)

	def lines(self) -> list[str]:
		out = [f"Collections run for {self.on_date}{' (dry run: nothing written)' if self.dry_run else ''}"]
		for p in self.cases:
			who = f"{p.customer} / {p.company}"
			if p.close:
				out.append(f"CLOSE  {p.case.name} {who}: nothing overdue")
				continue
			d = p.decision
			head = "NEW   " if p.case is None else ("REOPEN" if p.reopen else "UPDATE")
			out.append(
				f"{head} {p.case.name if p.case else '(new case)'} {who}: stage {d.stage.name if d.stage else '-'}"
				f"{' (entered today)' if d.stage_changed else ''}, {p.oldest_days} days, {p.total:,.2f} overdue"
			)
			for role, users in p.notify.items():
				out.append(f"       notify {role}: {', '.join(users) or '(nobody holds the role)'}")
			if d.follow_up_due:
				out.append(
					f"       follow-up ToDo for {', '.join(p.owners) or '(nobody)'}; next {d.next_action_date}"
				)
		for r in self.reminders:
			out.append(
				f"REMIND {r.invoice} {r.customer}: {r.outstanding:,.2f} due {r.due_date}"
				f" -> {r.recipient or '(no e-mail address: not sent)'}"
			)
		out += [lock.line() for lock in self.locks]
		out += [letter.line() for letter in self.letters]
		out += [f"LEGAL  {case}: legal review proposed ({tr(t, a)})" for case, t, a in self.legal]
		out += [f"WARN   {w}" for w in self.warnings]
		out.append(
			f"{len(self.cases)} cases touched, {sum(1 for p in self.cases if p.decision and p.decision.follow_up_due)} "
			f"follow-ups, {sum(len(p.notify) for p in self.cases)} escalations, {len(self.reminders)} reminders, "
			f"{len(self.locks)} lock actions"
		)
		return out


class RunInProgress(frappe.ValidationError):
	pass


RUN_LOCK = "collections_module.daily_run"


CHUNK_SIZE = 200  # customers planned, written and committed together (site config collections_chunk_size)


CASE_BATCH = 100  # existing cases written by one set of statements


RUN_LOG = "Collections Run Log"


def after_promise(status: str, outcome: str) -> str:
	"""A settled promise ends the wait (kept: in progress; broken: collect again); a dispute pause or
	a legal hold stays as it is."""
	if status != "Promise to Pay":
		return status
	return "In Progress" if outcome == cr.KEPT else "Open"
