"""The daily run of the overdue ladder (R-B1..R-B8).

Gathers, in a handful of set-based queries, every open invoice term, every open case, the customers'
policies and the holders of the collection roles; asks the policy core what each case's stage,
escalations and follow-ups are on the run date; then stores that. The plan is made completely before
anything is written, so a dry run prints exactly what a real run would do. Running the same date twice
creates nothing new: the stage, the last follow-up date and the reminded due dates are stored.

`bench --site S collections run --date YYYY-MM-DD [--dry-run]` runs it for any date.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import flt, fmt_money, getdate, nowdate

from collections_module.bulk import (
	assign_follow_ups,
	close_follow_ups,
	insert_children,
	record_versions,
	update_by_name,
)
from collections_module.collections_module.doctype.collection_policy.collection_policy import load_ladders
from collections_module.guards import invariant_key
from collections_module.integrations.erpnext import receivables
from collections_module.letter_run import LetterPlan, apply_letters, plan_letters
from collections_module.lock_run import LockPlan, apply_locks, plan_locks
from collections_module.messages import tr
from collections_module.policy import contact_rules as cr
from collections_module.policy import grading, roles
from collections_module.policy import ladder as lad
from collections_module.policy.dates import aging_bucket
from collections_module.policy.ledger import OverdueLine, TermDue, overdue_lines, reminder_terms
from collections_module.tasks import notify

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


def run_daily():
	"""Scheduler entry point (daily_long): today's run, planned here and written by chunk jobs on the
	long queue, so more workers finish sooner and no job's timeout limits the run."""
	settings = frappe.get_single("Collection Settings")
	if settings.disable_daily_run:
		return
	run_job(str(getdate(nowdate())), triggered_by=_("Scheduler"))


def run_job(on_date: str, triggered_by: str | None = None):
	"""A background job: the daily run for ``on_date``, its chunks queued as jobs of their own."""
	try:
		run(getdate(on_date), commit=True, triggered_by=triggered_by, background=True)
	except RunInProgress as e:
		frappe.log_error(title="Collections run skipped", message=str(e))


def enqueue_run(on_date: str | None = None, triggered_by: str | None = None):
	"""Start today's run on the long queue; one job per site and date is queued at a time."""
	on_date = str(getdate(on_date or nowdate()))
	frappe.enqueue(
		"collections_module.ladder_run.run_job",
		queue="long",
		timeout=3600,
		job_id=f"collections_run::{on_date}",
		deduplicate=True,
		on_date=on_date,
		triggered_by=triggered_by,
	)


def _acquire_run_lock():
	"""One daily run at a time per site, whoever starts it (scheduler, command, button): a database
	named lock, held by this connection until released or the connection ends (a killed run frees it),
	and no earlier run's chunk jobs still queued or working."""
	key = f"{frappe.conf.db_name}:{RUN_LOCK}"
	if not frappe.db.sql("select get_lock(%s, 0)", key)[0][0] or _chunks_pending():
		frappe.db.sql("select release_lock(%s)", key)
		frappe.throw(
			_("A collections run is already running on this site. Try again when it has finished."),
			RunInProgress,
			title=_("Run in progress"),
		)
	return key


def _chunk_job_id(log: str, index: int) -> str:
	return f"collections_run_chunk::{log}::{index}"


def _chunks_pending() -> bool:
	"""True while a run written by chunk jobs has one of them queued or working. A run whose jobs are
	all gone without finishing (a worker killed) is marked stopped; the next run does its work."""
	from frappe.utils.background_jobs import is_job_enqueued

	for log in frappe.get_all(
		RUN_LOG, filters={"status": "Running", "chunks_planned": [">", 0]}, fields=["name", "chunks_planned"]
	):
		try:
			if any(is_job_enqueued(_chunk_job_id(log.name, i)) for i in range(1, log.chunks_planned + 1)):
				return True
		except Exception:  # no Redis: no job can be pending
			return False
	return False


def run(
	on_date: date | str | None = None,
	dry_run: bool = False,
	customers: list[str] | None = None,
	follow_ups: bool = True,
	reminders: bool = True,
	commit: bool = False,
	triggered_by: str | None = None,
	progress=None,
	ladders: dict | None = None,
	background: bool = False,
) -> RunReport:
	"""Plan and (unless ``dry_run``) apply the ladder for ``on_date``.

	The daily run (all customers, written) runs one at a time per site. It splits the customers into
	chunks; each chunk is planned on the ledger as it then stands, written set-based and committed, so
	a run killed at any moment keeps what it finished and the next run (the same date again) does the
	rest, doubling nothing: what was written is read back as the cases' stored state. ``background``
	queues every chunk as a job on the long queue (more workers finish sooner); otherwise the chunks
	run here, one after another, and ``progress(done, total)`` is called after each. ``commit``: commit
	each chunk (outside a request: scheduler, job, command).

	``customers`` limits the run to those customers (ledger events); ``follow_ups`` and ``reminders``
	off keep an event from creating tasks or mail, which belong to the daily run. Ledger events do not
	wait for the daily run: the database's unique keys keep one open case and one live lock per
	customer and company. ``ladders`` (policy -> stages) replaces the saved policies for a what-if dry
	run.
	"""
	on_date = getdate(on_date or nowdate())
	if customers is not None or dry_run:
		return _run(on_date, dry_run, customers, follow_ups, reminders, commit=commit, ladders=ladders)
	lock = _acquire_run_lock()
	try:
		size = int(frappe.conf.get("collections_chunk_size") or CHUNK_SIZE)
		scope = _customers_in_scope()
		chunks = [scope[i : i + size] for i in range(0, len(scope), size)]
		log = _start_log(on_date, triggered_by, commit, len(chunks))
		if background and chunks:
			for i, chunk in enumerate(chunks, 1):
				frappe.enqueue(
					"collections_module.ladder_run.run_chunk",
					queue="long",
					timeout=1800,
					job_id=_chunk_job_id(log, i),
					enqueue_after_commit=not commit,
					on_date=str(on_date),
					customers=chunk,
					log=log,
				)
			return RunReport(on_date, False)
		report = RunReport(on_date, False)
		try:
			for i, chunk in enumerate(chunks, 1):
				report.merge(_run_chunk(on_date, chunk, log, commit))
				if progress:
					progress(i, len(chunks))
		except Exception:
			_finish_log(log, "Failed", commit)
			raise
		_finish_log(log, "Finished", commit)
		return report
	finally:
		frappe.db.sql("select release_lock(%s)", lock)


def run_chunk(on_date: str, customers: list[str], log: str):
	"""A chunk job of a background run; the last one to finish closes the run's log."""
	commit = not frappe.flags.in_test
	if frappe.db.get_value(RUN_LOG, log, "status") != "Running":
		return  # a later run took over
	try:
		_run_chunk(getdate(on_date), customers, log, commit=commit)
	except Exception:
		if commit:
			frappe.db.rollback()
		frappe.log_error(title=f"Collections run: chunk from {customers[0]}")
		_count_chunk(log, None, failed=True)
	# the log's row, locked: of two chunks finishing at once, exactly one sees the run complete
	done, planned, status = frappe.db.sql(
		f"select chunks, chunks_planned, status from `tab{RUN_LOG}` where name = %s for update", log
	)[0]
	if status == "Running" and done >= planned:
		_finish_log(log, "Finished", commit, discard=False)
	elif commit:
		frappe.db.commit()


def _run_chunk(on_date: date, customers: list[str], log: str, commit: bool) -> RunReport:
	"""One chunk of the daily run: planned, written, counted in the log and committed. Cases changed by
	someone else between planning and writing are planned again once, on what was committed."""
	report = _run(on_date, False, customers, True, True, commit=commit)
	if report.stale and commit:
		frappe.db.commit()  # a fresh snapshot of what the others committed
		stale = sorted(set(report.stale))
		report.cases = [p for p in report.cases if p.customer not in stale]
		report.stale = []
		report.merge(_run(on_date, False, stale, True, False, commit=commit))
	for customer in report.stale:
		report.warnings.append(f"{customer}: changed while the run wrote it; left for the next run")
	_count_chunk(log, report)
	if commit:
		frappe.db.commit()
	frappe.publish_realtime(
		"collections_run_progress",
		{"log": log, "description": _("{0} cases written").format(len(report.cases))},
		doctype=RUN_LOG,
		after_commit=False,
	)
	return report


def _customers_in_scope() -> list[str]:
	"""Every customer the daily run may touch: an open invoice (owed, or due soon), an open case or a
	live lock."""
	rows = frappe.db.sql(
		"""select customer from `tabSales Invoice` where docstatus = 1 and outstanding_amount > 0
		union select customer from `tabCollection Case` where status != 'Closed'
		union select customer from `tabStock Release Lock` where live_key is not null
		union select customer from `tabDebt` where status = 'Open' and outstanding > 0"""
	)
	return sorted({r[0] for r in rows if r[0]})


def _run(on_date, dry_run, customers, follow_ups, reminders, commit=False, ladders=None):
	report = RunReport(on_date, dry_run)
	invoices = receivables.open_invoices(customers)
	terms = receivables.terms_by_customer(invoices)
	debts = receivables.open_debts(customers)  # accounts handed in by clients: lines like invoices
	for key, debt_terms in debts.items():
		terms[key].extend(debt_terms)
	credits = receivables.unallocated_credits(customers)
	open_cases = _open_cases(customers)
	keys = sorted(set(terms) | set(open_cases))
	overdue = {key: overdue_lines(terms.get(key, []), on_date) for key in keys}
	reopenable = _reopenable_cases(
		{line.invoice for key, lines in overdue.items() if key not in open_cases for line in lines}
	)
	stored_lines = _stored_lines(
		[c.name for c in open_cases.values()] + [c.name for c in reopenable.values()]
	)
	settings = frappe.get_single("Collection Settings")
	ladders = load_ladders() if ladders is None else ladders
	policy_of = _policy_resolver(
		{key[0] for key in keys} | {i["customer"] for i in invoices.values()}, settings, set(ladders)
	)
	holders = role_holders()
	ctx = _RunContext(
		on_date,
		report,
		stored_lines,
		policy_of,
		ladders,
		holders,
		_promise_outcomes(open_cases, on_date),
		{t.invoice for debt_terms in debts.values() for t in debt_terms},
		_Grader(sorted({key[0] for key in keys}), on_date, settings),
	)

	for key in keys:
		lines = overdue[key]
		case = open_cases.get(key)
		if not lines:
			if case:
				report.cases.append(CasePlan(key[0], key[1], case, close=True))
			continue
		reopen = False
		if case is None:
			case = next((reopenable[line.invoice] for line in lines if line.invoice in reopenable), None)
			reopen = case is not None
		plan = _plan_case(key, case, reopen, lines, ctx)
		if plan:
			plan.credit = credits.get(key, 0.0)
			if not follow_ups and plan.decision.follow_up_due:
				plan.decision.follow_up_due = False
				plan.decision.next_action_date = on_date
				plan.owners = []
			report.cases.append(plan)

	if follow_ups:  # lock proposals and releases are decisions of the daily run, like follow-ups
		owing = {key for key, lines in overdue.items() if lines}
		report.locks = plan_locks(report.cases, ladders, on_date, customers, owing)
		report.letters = plan_letters(report.cases)
		report.legal = _plan_legal_reviews(report.cases, ctx.grader, settings)

	if reminders:
		report.reminders = _plan_reminders(invoices, policy_of, ladders, on_date)
		if report.reminders and not frappe.db.exists(
			"Email Account", {"enable_outgoing": 1, "default_outgoing": 1}
		):
			report.warnings.append("No default outgoing Email Account: pre-due reminders are not sent.")
			report.reminders = []

	if not dry_run:
		_apply(report)
	return report


@dataclass
class _RunContext:
	"""What every case's plan reads: gathered once per run."""

	on_date: date
	report: RunReport
	stored_lines: dict
	policy_of: object
	ladders: dict
	holders: dict
	promises: dict
	debts: set  # the lines that are Debts, not Sales Invoices
	grader: "_Grader"


class _Grader:
	"""The risk grade of each case (R-E3, R-G3): its customer's records read once for the chunk, the
	grade from the policy core, and the policy the settings give that grade."""

	def __init__(self, customers: list[str], on_date: date, settings):
		from collections_module.customer_record import payment_history, promise_history

		self.on_date = on_date
		self.paid = payment_history(customers, on_date)
		self.promises = promise_history(customers, on_date)
		self.blacklisted = _blacklisted(customers, on_date)
		self.bands = grading.bands_from(
			settings.grade_b_from or grading.DEFAULT_BANDS[grading.B],
			settings.grade_c_from or grading.DEFAULT_BANDS[grading.C],
			settings.grade_d_from or grading.DEFAULT_BANDS[grading.D],
		)
		if grading.validate_bands(self.bands):  # refused on save; never let a bad table stop the run
			self.bands = grading.DEFAULT_BANDS
		self.policies = {r.grade: r.policy for r in settings.get("grade_policies") or []}

	def grade(self, customer: str, case, total: float, oldest: int) -> grading.Grade:
		paid = self.paid.get(customer) or {}
		due = int(paid.get("due") or 0)
		settled = int(paid.get("paid") or 0)
		avg_late = paid.get("avg_late")
		return grading.grade(
			grading.history_input(
				due,
				due - settled,
				int(paid.get("paid_late") or 0),
				None if avg_late is None else float(avg_late),
				promises_broken=(self.promises.get(customer) or {}).get("broken", 0),
				amount=total,
				days_overdue=oldest,
				contact=(case.filtering_class or None) if case else None,
				blacklisted=customer in self.blacklisted,
				disputed=bool(case and case.disputed),
			),
			bands=self.bands,
		)


def _blacklisted(customers: list[str], on_date: date) -> set[str]:
	"""The customers listed on the blacklist that day (the list is short: read whole, not by customer)."""
	from collections_module.policy import stock_lock as sl

	if not customers:
		return set()
	wanted = set(customers)
	rows = frappe.db.sql(
		"""select customer, status, start_date, expiry_date from `tabBlacklist Entry`
		where status in %(states)s""",
		{"states": (sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED)},
		as_dict=True,
	)
	return {
		r.customer
		for r in rows
		if r.customer in wanted
		and sl.blacklist_in_force(
			r.status,
			getdate(r.start_date) if r.start_date else None,
			getdate(r.expiry_date) if r.expiry_date else None,
			on_date,
		)
	}


def _plan_case(key, case, reopen, lines, ctx: _RunContext):
	on_date, report, stored_lines, policy_of = ctx.on_date, ctx.report, ctx.stored_lines, ctx.policy_of
	ladders, holders, promises = ctx.ladders, ctx.holders, ctx.promises
	customer, company = key
	total = round(sum(line.outstanding for line in lines), 2)
	oldest = max(line.days_overdue for line in lines)
	grade = ctx.grader.grade(customer, case, total, oldest)
	worked_by = grading.effective_grade(grade.grade, case.grade_override if case else None)
	choice = policy_of(customer, ctx.grader.policies.get(worked_by))
	policy = choice.policy
	stages = ladders.get(policy)
	if not stages:
		report.warnings.append(
			f"{customer}: no usable policy (named: {', '.join(choice.skipped) or '-'}; the default is "
			"disabled or has no stages); case not updated"
		)
		return None
	promise = promises.get(case.name) if case and not reopen else None
	status = "Open" if (case is None or reopen) else case.status
	if promise:  # a settled promise ends the wait: kept -> in progress, broken -> collect again
		status = after_promise(status, promise)
	state = lad.CaseState(
		status=status,
		stage=None if (case is None or reopen) else (case.current_stage or None),
		stage_entered_on=getdate(case.stage_entered_on) if case and case.stage_entered_on else None,
		last_contact_on=getdate(case.last_contact_on) if case and case.last_contact_on else None,
		last_follow_up_on=getdate(case.last_follow_up_on) if case and case.last_follow_up_on else None,
	)
	decision = lad.decide(state, stages, oldest, total, on_date, policy)
	signature = {(line.invoice, line.due_date, round(line.outstanding, 2)) for line in lines}
	plan = CasePlan(
		customer,
		company,
		case,
		lines=lines,
		total=total,
		oldest_days=oldest,
		policy=policy,
		policy_note=policy_note(choice, worked_by),
		decision=decision,
		grade=grade,
		risk_grade=worked_by,
		reopen=reopen,
		lines_changed=case is None or reopen or stored_lines.get(case.name) != signature,
		promise=promise,
		debts={line.invoice for line in lines} & ctx.debts,
	)
	if (
		promise == cr.BROKEN
		and not decision.follow_up_due
		and decision.stage
		and status not in lad.NO_FOLLOW_UP_STATUSES
	):
		decision.follow_up_due = True  # a broken promise is followed up the same day
		decision.next_action_date = on_date + timedelta(days=max(decision.stage.cadence_days, 1))
	if decision.follow_up_due:
		plan.owners = lad.stage_owners(decision.stage, case.collector if case else None, holders)
	plan.notify = {role: holders.get(role, []) for role in decision.notify_roles}
	return plan


def _plan_legal_reviews(plans: list[CasePlan], grader: "_Grader", settings) -> list[tuple[str, str, tuple]]:
	"""Open cases whose customer cannot be reached or broke promises N times (settings) are proposed
	for a legal review (R-F4), once: a case that has had a legal action is not proposed again."""
	from collections_module.policy import legal

	threshold = settings.legal_review_broken_promises or 0
	candidates = []
	for p in plans:
		if p.close or p.case is None or p.reopen or p.case.status == "Legal":
			continue
		broken = (grader.promises.get(p.customer) or {}).get("broken", 0)
		propose, template, args = legal.propose_legal_review(
			p.case.filtering_class == grading.LOST_CONTACT, broken, threshold
		)
		if propose:
			candidates.append((p.case.name, template, args))
	if not candidates:
		return []
	had = set(
		frappe.get_all(
			"Legal Action",
			filters={"collection_case": ["in", [c[0] for c in candidates]]},
			pluck="collection_case",
		)
	)
	return [c for c in candidates if c[0] not in had]


def _propose_legal(case: str, template: str, args: tuple, managers: list[str]):
	from collections_module.policy import legal

	action = frappe.get_doc(
		{
			"doctype": "Legal Action",
			"collection_case": case,
			"legal_type": legal.LAWYERS_LETTER,
			"proposed_by_run": 1,
			"reason": tr("Legal review proposed: {0}.", [tr(template, args)]),
		}
	)
	action.flags.ignore_permissions = True
	action.insert()
	notify(
		managers,
		"Legal Action",
		action.name,
		tr("Case {0} is proposed for a legal review: {1}.", [case, tr(template, args)]),
	)


def _plan_reminders(invoices, policy_of, ladders, on_date) -> list[ReminderPlan]:
	"""Pre-due reminders (R-B1): each unpaid term once, when it enters its policy's reminder window."""
	plans = []
	emails = None
	for inv, due_date, outstanding in receivables.unpaid_terms(invoices):
		stage = lad.reminder_stage(ladders.get(policy_of(inv["customer"]).policy) or [])
		if stage is None or (inv["reminded_due_date"] and due_date <= inv["reminded_due_date"]):
			continue
		to_day = 0 if stage.to_day is None else min(stage.to_day, 0)
		if not reminder_terms([TermDue(inv["name"], due_date, outstanding)], on_date, stage.from_day, to_day):
			continue
		if emails is None:
			emails = receivables.customer_email(sorted({i["customer"] for i in invoices.values()}))
		plans.append(
			ReminderPlan(
				inv["name"],
				inv["customer"],
				due_date,
				receivables.in_invoice_currency(inv, outstanding),
				inv["contact_email"] or emails.get(inv["customer"]),
			)
		)
	return plans


# --- gathering ---------------------------------------------------------------------------------


def _open_cases(customers) -> dict[tuple[str, str], frappe._dict]:
	filters = {"status": ["!=", "Closed"]}
	if customers is not None:
		filters["customer"] = ["in", list(customers) or [""]]
	rows = frappe.get_all(
		CASE, filters=filters, fields=CASE_FIELDS, order_by="creation asc", limit_page_length=0
	)
	return {(r.customer, r.company): r for r in rows}


def _reopenable_cases(invoices: set[str]) -> dict[str, frappe._dict]:
	"""Closed cases that listed one of these invoices: a cancelled payment reopens the same case."""
	if not invoices:
		return {}
	case = frappe.qb.DocType(CASE)
	line = frappe.qb.DocType("Collection Case Invoice")
	rows = (
		frappe.qb.from_(line)
		.join(case)
		.on(case.name == line.parent)
		.select(line.sales_invoice, line.debt, *[case[f] for f in CASE_FIELDS])
		.where(
			(case.status == "Closed")
			& (line.sales_invoice.isin(sorted(invoices)) | line.debt.isin(sorted(invoices)))
		)
		.orderby(case.modified)
		.run(as_dict=True)
	)
	return {r.sales_invoice or r.debt: r for r in rows}  # the latest case wins


def _stored_lines(case_names: list[str]) -> dict[str, set]:
	if not case_names:
		return {}
	rows = frappe.get_all(
		"Collection Case Invoice",
		filters={"parent": ["in", case_names], "parenttype": CASE},
		fields=["parent", "sales_invoice", "debt", "due_date", "outstanding"],
		limit_page_length=0,
	)
	out: dict[str, set] = defaultdict(set)
	for r in rows:
		out[r.parent].add((r.sales_invoice or r.debt, getdate(r.due_date), round(flt(r.outstanding), 2)))
	return out


def policy_note(choice: lad.PolicyChoice, risk_grade: str | None = None) -> str:
	"""Why the case follows its policy, in the user's words."""
	source = {
		"customer": _("The customer's own policy."),
		"grade": _("The policy for risk grade {0}.").format(risk_grade),
		"group": _("The customer group's policy."),
		"default": _("The default policy."),
	}[choice.source]
	if choice.skipped:
		return (
			_("{0} cannot be used (disabled, deleted or without stages), so {1} applies.").format(
				", ".join(choice.skipped), choice.policy
			)
			+ " "
			+ source
		)
	return source


def _policy_resolver(customers: set[str], settings, usable: set[str]):
	"""customer -> PolicyChoice, from the customer, its group (and the group's parents), or the
	default; a named policy that is disabled or has no stages is passed over (``usable``)."""
	rows = frappe.get_all(
		"Customer",
		filters={"name": ["in", sorted(customers) or [""]]},
		fields=["name", "customer_group", "collection_policy"],
		limit_page_length=0,
	)
	groups = {
		g.name: g
		for g in frappe.get_all(
			"Customer Group",
			fields=["name", "parent_customer_group", "collection_policy"],
			limit_page_length=0,
		)
	}
	by_customer = {r.name: r for r in rows}

	def chain(group):
		seen = []
		while group and group in groups and group not in seen:
			seen.append(group)
			group = groups[group].parent_customer_group
		return [groups[g].collection_policy for g in seen]

	def policy_of(customer, grade_policy=None):
		row = by_customer.get(customer)
		if row is None:
			return lad.choose_policy(None, [], settings.default_policy, usable, grade_policy)
		return lad.choose_policy(
			row.collection_policy, chain(row.customer_group), settings.default_policy, usable, grade_policy
		)

	return policy_of


def after_promise(status: str, outcome: str) -> str:
	"""A settled promise ends the wait (kept: in progress; broken: collect again); a dispute pause or
	a legal hold stays as it is."""
	if status != "Promise to Pay":
		return status
	return "In Progress" if outcome == cr.KEPT else "Open"


def _promise_outcomes(open_cases, on_date: date) -> dict[str, str]:
	"""Pending promises settled on ``on_date``: kept once the promised amount has been received since
	the promise, broken once its date has passed without it (R-D4). One query for all payments."""
	pending = [c for c in open_cases.values() if c.promise_status == cr.PENDING and c.promise_date]
	if not pending:
		return {}
	since = min(getdate(c.promise_made_on or c.promise_date) for c in pending)
	rows = receivables.payments_received({c.customer for c in pending}, since, on_date)
	outcomes = {}
	for c in pending:
		made = getdate(c.promise_made_on or c.promise_date)
		paid = sum(
			flt(r.base_received_amount)
			for r in rows
			if r.party == c.customer and r.company == c.company and getdate(r.posting_date) >= made
		)
		outcome = cr.promise_outcome(flt(c.promise_amount), getdate(c.promise_date), paid, on_date)
		if outcome != cr.PENDING:
			outcomes[c.name] = outcome
	return outcomes


def role_holders() -> dict[str, list[str]]:

	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(has_role.role, user.name)
		.where(
			(has_role.parenttype == "User")
			& has_role.role.isin(list(roles.ALL))
			& (user.enabled == 1)
			& (user.user_type == "System User")
			& user.name.notin(["Administrator", "Guest"])
		)
		.run(as_dict=True)
	)
	out: dict[str, list[str]] = defaultdict(list)
	for r in rows:
		out[r.role].append(r.name)
	return out


# --- applying ----------------------------------------------------------------------------------


def _apply(report: RunReport):
	"""Write the plan. Cases already open are written set-based, a batch at a time; a new or reopened
	case is saved as a document. Each batch, case, lock, letter and reminder is its own unit: one that
	fails is rolled back alone (a savepoint) — a failed batch is then written case by case, so the
	failing case is logged with its customer in the Error Log and tried again by the next run; the
	others stand."""
	stored = [p for p in report.cases if p.case and not p.reopen]
	for i in range(0, len(stored), CASE_BATCH):
		batch = stored[i : i + CASE_BATCH]
		if len(batch) > 1 and _isolated(None, _store_cases, (batch, report), None):
			continue
		for p in batch:
			_isolated(_unit("Case", p), _store_cases, ([p], report), report)
	units = [
		(_unit("Case", p), _apply_case, (p, report)) for p in report.cases if not (p.case and not p.reopen)
	]
	units += [(_unit("Lock", p), apply_locks, ([p], report.on_date)) for p in report.locks]
	units += [(_unit("Letter", p), apply_letters, ([p],)) for p in report.letters]
	managers = role_holders().get(roles.MANAGER, []) if report.legal else []
	units += [
		(_RunUnit("Legal review", _case_customer(case), ""), _propose_legal, (case, t, a, managers))
		for case, t, a in report.legal
	]
	units += [(_RunUnit("Reminder", r.customer, r.invoice), _send_reminder, (r,)) for r in report.reminders]
	for unit, fn, args in units:
		_isolated(unit, fn, args, report)


@dataclass
class _RunUnit:
	"""What one unit of the run writes, for whom: named in the Error Log, the report and the Run Log."""

	kind: str  # Case, Lock, Letter, Legal review, Reminder
	customer: str
	company: str  # or the invoice, for a reminder

	@property
	def label(self) -> str:
		return f"{self.kind.lower()} of {self.customer} / {self.company}"


def _unit(kind: str, plan) -> _RunUnit:
	return _RunUnit(kind, plan.customer, plan.company)


def _case_customer(case: str) -> str:
	return frappe.db.get_value(CASE, case, "customer") or case


def _isolated(unit: _RunUnit | None, fn, args, report: RunReport | None) -> bool:
	"""Run one unit under a savepoint. ``report`` None: a trial (a batch), undone quietly on failure;
	otherwise a failure is never silent: the Error Log gets the customer, the exception and its
	traceback, and the report (then the Run Log) the unit and its customer."""
	savepoint = "collections_unit"
	frappe.db.savepoint(savepoint)
	try:
		fn(*args)
		return True
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		raise  # the database's own conflict: never swallowed (a ledger event's posting must see it)
	except Exception:
		if frappe.flags.in_test and not frappe.flags.collections_isolate_in_test:
			raise
		frappe.db.rollback(save_point=savepoint)
		if report is not None:
			frappe.log_error(
				title=f"Collections run: {unit.label}",
				reference_doctype="Customer",
				reference_name=unit.customer,
			)
			report.failures.append(unit.label)
			report.failed_units.append(unit)
		return False


def _start_log(on_date: date, triggered_by: str | None, commit: bool, chunks: int) -> str:
	from frappe.utils import now_datetime

	# this run holds the run lock and no chunk job is pending: a log still "Running" is of a run that
	# was killed or crashed
	for stale in frappe.get_all(RUN_LOG, filters={"status": "Running"}, pluck="name"):
		frappe.db.set_value(
			RUN_LOG,
			stale,
			{
				"status": "Failed",
				"error_details": _("Stopped before it finished; a later run completed the work."),
			},
			update_modified=False,
		)

	log = frappe.get_doc(
		{
			"doctype": RUN_LOG,
			"run_date": on_date,
			"status": "Running",
			"started": now_datetime(),
			"triggered_by": triggered_by or frappe.session.user,
			"chunks_planned": chunks,
		}
	).insert(ignore_permissions=True)
	if commit:
		frappe.db.commit()
	return log.name


def _count_chunk(log: str, report: RunReport | None, failed: bool = False):
	"""Add one chunk's figures to the run's log, atomically (chunk jobs finish in any order). Chunks
	share no customer, so the customers not processed add up."""
	figures = dict.fromkeys(
		("cases", "follow_ups", "escalations", "locks", "letters", "reminders", "errors", "customers_failed"),
		0,
	)
	details = ""
	if report is not None:
		figures.update(
			cases=len(report.cases),
			follow_ups=sum(1 for p in report.cases if p.decision and p.decision.follow_up_due),
			escalations=sum(len(p.notify) for p in report.cases),
			locks=len(report.locks),
			letters=len(report.letters),
			reminders=len(report.reminders),
			errors=len(report.failures),
			customers_failed=len({u.customer for u in report.failed_units}),
		)
		details = "\n".join(_failure_lines(report.failed_units))
	if failed:
		figures["errors"] = 1
		details = _("A chunk of the run failed; see the Error Log. The next run does its work.")
	sets = ", ".join(f"`{f}` = ifnull(`{f}`, 0) + %({f})s" for f in figures)
	frappe.db.sql(
		f"""update `tab{RUN_LOG}` set `chunks` = ifnull(`chunks`, 0) + 1, {sets},
		`error_details` = left(concat_ws('\n', nullif(`error_details`, ''), nullif(%(details)s, '')), 10000)
		where name = %(log)s""",
		{**figures, "details": details, "log": log},
	)


def _failure_lines(units: list[_RunUnit]) -> list[str]:
	"""The Run Log's words for what failed: the customer by name, the company, what could not be done."""
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ["in", sorted({u.customer for u in units}) or [""]]},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	what = {
		"Case": _("the case of {0} ({1}) could not be written"),
		"Lock": _("the stock-release lock of {0} ({1}) could not be written"),
		"Letter": _("the letter to {0} ({1}) could not be written"),
		"Legal review": _("the legal review of {0} could not be proposed"),
		"Reminder": _("the reminder to {0} for {1} could not be sent"),
	}
	return [
		what[u.kind].format(names.get(u.customer) or u.customer, u.company)
		+ "; "
		+ _("the Error Log has the cause, and the next run tries again.")
		for u in units
	]


def _tell_follow_ups(log: str):
	"""One alert per person for the follow-ups a run gave them (not one per case), with a link to My
	Day, which lists them in order."""
	started, run_by = frappe.db.get_value(RUN_LOG, log, ["started", "owner"])
	todo = frappe.qb.DocType("ToDo")
	counts = (
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count("*"))
		.where(
			(todo.reference_type == CASE)
			& (todo.status == "Open")
			& (todo.assigned_by == run_by)
			& (todo.creation >= started)
		)
		.groupby(todo.allocated_to)
		.run()
	)
	for user, n in counts:
		if user == run_by:
			continue
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"from_user": run_by,
				"type": "Assignment",
				"subject": _("The daily collections run gave you {0} new follow-ups.").format(n),
				"email_content": _("My Day lists them, the most promising first."),
				"link": "/app/my-day",
			}
		).insert(ignore_permissions=True)


def _finish_log(log: str, status: str, commit: bool, discard: bool = True):
	from frappe.utils import now_datetime

	if commit and discard:
		frappe.db.rollback()  # whatever a failure left half-done
	frappe.db.set_value(RUN_LOG, log, {"status": status, "finished": now_datetime()}, update_modified=False)
	if status == "Finished":
		_tell_follow_ups(log)
	if commit:
		frappe.db.commit()
	frappe.publish_realtime(
		"collections_run_progress",
		{"log": log, "finished": True, "description": _("Run finished")},
		doctype=RUN_LOG,
		after_commit=commit,
	)


def _apply_case(plan: CasePlan, report: RunReport):
	"""A new case, or a closed case reopened: saved as a document (name, checks, time zone)."""
	on_date = report.on_date
	d = plan.decision
	doc = frappe.get_doc(CASE, plan.case.name) if plan.case else frappe.new_doc(CASE)
	if plan.case is None:
		doc.update({"customer": plan.customer, "company": plan.company, "status": "Open"})
	else:  # reopened
		doc.append(
			"stage_history",
			{
				"changed_on": on_date,
				"from_stage": "",
				"to_stage": "",
				"days_overdue": plan.oldest_days,
				"outstanding": plan.total,
				"reason": _("Overdue again (a payment or credit was cancelled): case reopened."),
			},
		)
		doc.update({"status": "Open", "closed_on": None, "current_stage": None})
	doc.set("invoices", _line_rows(plan))
	values, stage_row, _change = _case_values(plan, on_date, doc.as_dict())
	doc.update(values)
	if stage_row:
		doc.append("stage_history", stage_row)
	doc.flags.ignore_permissions = True
	doc.save() if plan.case else doc.insert()
	plan.case = frappe._dict({f: doc.get(f) for f in CASE_FIELDS})
	if d.follow_up_due:
		assign_follow_ups(CASE, [(doc.name, plan.owners, _follow_up_text(plan))], on_date)
	if plan.notify:
		_notify(plan)


def _line_rows(plan: CasePlan) -> list[dict]:
	return [
		{
			"debt" if x.invoice in plan.debts else "sales_invoice": x.invoice,
			"due_date": x.due_date,
			"outstanding": x.outstanding,
			"days_overdue": x.days_overdue,
		}
		for x in plan.lines
	]


def _case_values(plan: CasePlan, on_date: date, case) -> tuple[dict, dict | None, dict]:
	"""What the run writes on a case: its fields, the stage-history row (if the stage changes) and the
	timeline's changes (stage, status, policy)."""
	d = plan.decision
	if plan.close:
		values = {
			"status": "Closed",
			"closed_on": on_date,
			"total_outstanding": 0,
			"oldest_days_overdue": 0,
			"overdue_bucket": "",
			"current_stage": "",
			"next_action_date": None,
			"as_of_date": on_date,
			"open_key": None,
		}
		row = {
			"changed_on": on_date,
			"from_stage": case.current_stage or "",
			"to_stage": "",
			"reason": _("Nothing overdue any more: case closed."),
		}
	else:
		values = {
			"open_key": invariant_key(plan.customer, plan.company),
			"policy": plan.policy,
			"policy_note": plan.policy_note,
			"total_outstanding": plan.total,
			"unallocated_credit": plan.credit,
			"oldest_days_overdue": plan.oldest_days,
			"oldest_due_date": min(x.due_date for x in plan.lines),
			"overdue_bucket": aging_bucket(plan.oldest_days),
			"as_of_date": on_date,
			"next_action_date": d.next_action_date,
			"risk_grade": plan.risk_grade,
			"computed_grade": plan.grade.grade,
			"risk_score": plan.grade.score,
			"grade_why": grading.grade_text(plan.grade, _),
			# the facts as templates and arguments too, so the form shows them in each reader's language
			"grade_factors": frappe.as_json([list(f) for f in plan.grade.factors], indent=None),
		}
		row = None
		if d.stage_changed:
			notified = "; ".join(
				f"{_(role)}: {', '.join(users) or '-'}" for role, users in plan.notify.items()
			)
			row = {
				"changed_on": on_date,
				"from_stage": case.current_stage or "",
				"to_stage": d.stage.name if d.stage else "",
				"policy": plan.policy,
				"policy_row": d.stage.row if d.stage else 0,
				"days_overdue": plan.oldest_days,
				"outstanding": plan.total,
				"reason": tr(d.reason, d.reason_args),
				# kept as template and arguments too, so the form shows it in each reader's language
				"reason_template": d.reason,
				"reason_args": frappe.as_json(list(d.reason_args), indent=None),
				"notified": notified,
			}
			values["current_stage"] = d.stage.name if d.stage else ""
			values["stage_entered_on"] = d.entered_on
		if grading.grade_change(case.get("risk_grade"), plan.risk_grade):
			# logged like a stage change: on the stage's own row, or a row of its own (R-E3)
			row = row or {
				"changed_on": on_date,
				"from_stage": case.current_stage or "",
				"to_stage": case.current_stage or "",
				"policy": plan.policy,
				"days_overdue": plan.oldest_days,
				"outstanding": plan.total,
				"reason": tr(GRADE_CHANGED, [case.get("risk_grade") or "-", plan.risk_grade]),
				"reason_template": GRADE_CHANGED,
				"reason_args": frappe.as_json([case.get("risk_grade") or "-", plan.risk_grade], indent=None),
			}
			row["from_grade"] = case.get("risk_grade") or ""
			row["to_grade"] = plan.risk_grade
		if d.follow_up_due:
			values["last_follow_up_on"] = on_date
		if plan.promise:
			values["promise_status"] = plan.promise
			values["status"] = after_promise(case.status, plan.promise)
	changed = [
		[f, case.get(f), values[f]]
		for f in ("status", "current_stage", "policy", "risk_grade")
		if f in values and (case.get(f) or "") != (values[f] or "")
	]
	return values, row, {"changed": changed, "added": [["stage_history", row]] if row else []}


def _store_cases(plans: list[CasePlan], report: RunReport):
	"""Open cases written set-based: one statement for their fields, one for their stage rows, a few
	for their invoice lines, versions and follow-ups; then the escalations. A case changed by someone
	else since it was planned is left for the chunk to plan again."""
	on_date = report.on_date
	case = frappe.qb.DocType(CASE)
	current = dict(
		frappe.qb.from_(case)
		.select(case.name, case.modified)
		.where(case.name.isin([p.case.name for p in plans]))
		.for_update()
		.run()
	)
	fresh = []
	for p in plans:
		if current.get(p.case.name) != p.case.modified:
			report.stale.append(p.customer)
		else:
			fresh.append(p)
	if not fresh:
		return
	values, rows, versions = {}, [], {}
	for p in fresh:
		changed, row, change = _case_values(p, on_date, p.case)
		changed = {f: v for f, v in changed.items() if not _same(p.case.get(f), v)}
		if changed:  # a case the day does not change is not written (nor its modified stamp moved)
			values[p.case.name] = changed
		if row:
			rows.append({"parent": p.case.name, **row})
		if change["changed"] or change["added"]:
			versions[p.case.name] = change
	update_by_name(CASE, values)
	insert_children("Collection Case Stage Log", CASE, "stage_history", rows)
	record_versions(CASE, versions)
	_store_lines([p for p in fresh if p.case.name in values or p.lines_changed or p.close], on_date)
	closed = [p.case.name for p in fresh if p.close]
	if closed:
		close_follow_ups(CASE, closed)
	follow = [
		(p.case.name, p.owners, _follow_up_text(p)) for p in fresh if p.decision and p.decision.follow_up_due
	]
	assign_follow_ups(CASE, follow, on_date)
	for p in fresh:
		p.case.modified = None  # written: this plan is spent
		if p.notify:
			_notify(p)


def _same(stored, new) -> bool:
	"""A stored value and the value the run would write are the same (dates, money, empty)."""
	if stored in (None, "") or new in (None, ""):
		return stored in (None, "") and new in (None, "")
	if isinstance(new, float | int) and not isinstance(new, bool):
		return flt(stored, 2) == flt(new, 2)
	if isinstance(new, date):
		return getdate(stored) == new
	return stored == new


def _store_lines(plans: list[CasePlan], on_date: date):
	"""The cases' invoice lines: replaced where the lines changed, paid off on closing, else only their
	days overdue move on."""
	line = frappe.qb.DocType("Collection Case Invoice")
	replaced = [p for p in plans if p.lines_changed and not p.close]
	closed = [p.case.name for p in plans if p.close]
	passing = [p.case.name for p in plans if not (p.close or p.lines_changed)]
	if replaced:
		frappe.qb.from_(line).delete().where(
			(line.parenttype == CASE) & line.parent.isin([p.case.name for p in replaced])
		).run()
		insert_children(
			"Collection Case Invoice",
			CASE,
			"invoices",
			[{"parent": p.case.name, **row} for p in replaced for row in _line_rows(p)],
		)
	if closed:
		frappe.qb.update(line).set(line.outstanding, 0).where(
			(line.parenttype == CASE) & line.parent.isin(closed)
		).run()
	if passing:
		frappe.db.sql(
			"""update `tabCollection Case Invoice` set days_overdue = datediff(%(on)s, due_date)
			where parenttype = 'Collection Case' and parent in %(names)s""",
			{"on": on_date, "names": passing},
		)


def _money(amount: float, company: str) -> str:
	return fmt_money(amount, currency=frappe.get_cached_value("Company", company, "default_currency"))


def _follow_up_text(plan: CasePlan) -> str:
	d, case = plan.decision, plan.case
	description = _("Follow up {0}: stage {1}, {2} days overdue, {3} overdue. Channels: {4}.").format(
		case.customer_name or plan.customer,
		_(d.stage.name),
		plan.oldest_days,
		_money(plan.total, plan.company),
		", ".join(_(c) for c in d.stage.channels) or "-",
	)
	if plan.promise == cr.BROKEN:
		description = (
			_("Promise to pay broken ({0} by {1}).").format(
				_money(case.promise_amount, plan.company), case.promise_date
			)
			+ " "
			+ description
		)
	if not case.verified and frappe.db.get_single_value("Collection Settings", "require_verification"):
		description = _("Verify identity and debt first.") + " " + description
	return description


def _notify(plan: CasePlan):
	"""Desk notification (and e-mail, per the user's notification settings) to each level entered."""
	d, case = plan.decision, plan.case
	subject = _("Collection case {0} ({1}) reached the {2} stage: {3} days overdue, {4} overdue.").format(
		case.name,
		case.customer_name or plan.customer,
		_(d.stage.name),
		plan.oldest_days,
		_money(plan.total, plan.company),
	)
	notify(
		[u for role_users in plan.notify.values() for u in role_users],
		CASE,
		case.name,
		subject,
		tr(d.reason, d.reason_args),
	)


def _send_reminder(r: ReminderPlan):
	"""The pre-due reminder through the Email Template (R-B1); logged as a Communication on the invoice."""
	if not r.recipient:
		return
	from frappe.core.doctype.communication.email import _make

	template = frappe.db.get_single_value("Collection Settings", "reminder_email_template")
	if not template:
		return
	invoice = frappe.get_doc("Sales Invoice", r.invoice)
	context = invoice.as_dict()
	context.update({"term_due_date": r.due_date, "term_outstanding": r.outstanding})
	formatted = frappe.get_doc("Email Template", template).get_formatted_email(context)
	try:
		_make(
			doctype="Sales Invoice",
			name=r.invoice,
			subject=formatted["subject"],
			content=formatted["message"],
			recipients=r.recipient,
			communication_medium="Email",
			send_email=True,
		)
	except Exception:
		if frappe.flags.in_test:
			raise
		frappe.log_error(title=f"Collections reminder for {r.invoice}")
		return
	frappe.db.set_value(
		"Sales Invoice", r.invoice, "collection_reminded_due_date", r.due_date, update_modified=False
	)
