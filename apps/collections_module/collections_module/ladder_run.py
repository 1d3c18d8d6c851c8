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
from frappe.utils import flt, fmt_money, getdate, nowdate

from collections_module.collections_module.doctype.collection_policy.collection_policy import load_ladders
from collections_module.integrations.erpnext import receivables
from collections_module.letter_run import LetterPlan, apply_letters, plan_letters
from collections_module.lock_run import LockPlan, apply_locks, plan_locks
from collections_module.messages import tr
from collections_module.policy import contact_rules as cr
from collections_module.policy import ladder as lad
from collections_module.policy.dates import aging_bucket
from collections_module.policy.ledger import OverdueLine, TermDue, overdue_lines, reminder_terms
from collections_module.tasks import assign_follow_up, notify

CASE = "Collection Case"
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

	def _same_case_as_stored(self) -> bool:
		"""Nothing about the case itself changes: no close or reopen, the same lines, stage, policy,
		credit, no escalation and no promise settled."""
		d = self.decision
		return bool(
			self.case
			and not (self.close or self.reopen or self.lines_changed)
			and d is not None
			and not d.stage_changed
			and not self.notify
			and self.policy == self.case.policy
			and self.policy_note == (self.case.policy_note or "")
			and not self.promise
			and flt(self.credit) == flt(self.case.unallocated_credit)
		)

	@property
	def only_figures_move(self) -> bool:
		"""True when nothing but the passing days changes: stored by set-based updates."""
		d = self.decision
		return (
			self._same_case_as_stored()
			and not d.follow_up_due
			and d.next_action_date == self.case.next_action_date
		)

	@property
	def only_follow_up(self) -> bool:
		"""True when the passing days and a follow-up falling due are all that changes: stored
		set-based, the follow-up assigned as usual."""
		return self._same_case_as_stored() and self.decision.follow_up_due


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


CHUNK_SIZE = 200  # cases written and committed together by the daily run
FOLLOW_UP_BATCH = 50  # follow-up-only cases stored by one set-based update
RUN_LOG = "Collections Run Log"


def run_daily():
	"""Scheduler entry point (daily_long: it runs on the long queue's workers): today's run."""
	settings = frappe.get_single("Collection Settings")
	if settings.disable_daily_run:
		return
	run_job(str(getdate(nowdate())), triggered_by=_("Scheduler"))


def run_job(on_date: str, triggered_by: str | None = None):
	"""A background job: the daily run for ``on_date``, committed chunk by chunk."""
	try:
		run(getdate(on_date), commit=True, triggered_by=triggered_by)
	except RunInProgress as e:
		frappe.log_error(title="Collections run skipped", message=str(e))


def enqueue_run(on_date: str | None = None, triggered_by: str | None = None):
	"""Start today's run on the long queue; one job per site and date is queued at a time."""
	on_date = str(getdate(on_date or nowdate()))
	frappe.enqueue(
		"collections_module.ladder_run.run_job",
		queue="long",
		timeout=6 * 3600,
		job_id=f"collections_run::{frappe.local.site}::{on_date}",
		deduplicate=True,
		on_date=on_date,
		triggered_by=triggered_by,
	)


def _acquire_run_lock():
	"""One daily run at a time per site, whoever starts it (scheduler, command, button): a database
	named lock, held by this connection until released or the connection ends (a killed run frees it)."""
	key = f"{frappe.conf.db_name}:{RUN_LOCK}"
	if not frappe.db.sql("select get_lock(%s, 0)", key)[0][0]:
		frappe.throw(
			_("A collections run is already running on this site. Try again when it has finished."),
			RunInProgress,
			title=_("Run in progress"),
		)
	return key


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
) -> RunReport:
	"""Plan and (unless ``dry_run``) apply the ladder for ``on_date``.

	``commit``: the daily run outside a request (scheduler, job, command) commits every chunk of
	cases, so a run killed at any moment keeps what it finished and the next run (the same date again)
	does the rest, doubling nothing: what was written is read back as the cases' stored state.
	``progress(done, total)`` is called after every chunk. ``ladders`` (policy -> stages) replaces the
	saved policies for a what-if dry run.

	``customers`` limits the run to those customers (ledger events); ``follow_ups`` and ``reminders``
	off keep an event from creating tasks or mail, which belong to the daily run. The daily run (all
	customers, written) runs one at a time per site; ledger events for a few customers do not wait for
	it: the database's unique keys keep one open case and one live lock per customer and company.
	"""
	daily = customers is None and not dry_run
	lock = _acquire_run_lock() if daily else None
	try:
		on_date = getdate(on_date or nowdate())
		log = _start_log(on_date, triggered_by, commit) if daily else None
		try:
			report = _run(
				on_date, dry_run, customers, follow_ups, reminders, log, commit and daily, progress, ladders
			)
		except Exception:
			if log:
				_finish_log(log, None, "Failed", commit)
			raise
		if log:
			_finish_log(log, report, "Finished", commit)
		return report
	finally:
		if lock:
			frappe.db.sql("select release_lock(%s)", lock)


def _run(
	on_date, dry_run, customers, follow_ups, reminders, log=None, commit=False, progress=None, ladders=None
):
	report = RunReport(on_date, dry_run)
	invoices = receivables.open_invoices(customers)
	terms = receivables.terms_by_customer(invoices)
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
		on_date, report, stored_lines, policy_of, ladders, holders, _promise_outcomes(open_cases, on_date)
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

	if reminders:
		report.reminders = _plan_reminders(invoices, policy_of, ladders, on_date)
		if report.reminders and not frappe.db.exists(
			"Email Account", {"enable_outgoing": 1, "default_outgoing": 1}
		):
			report.warnings.append("No default outgoing Email Account: pre-due reminders are not sent.")
			report.reminders = []

	if not dry_run:
		_apply(report, log, commit, progress)
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


def _plan_case(key, case, reopen, lines, ctx: _RunContext):
	on_date, report, stored_lines, policy_of = ctx.on_date, ctx.report, ctx.stored_lines, ctx.policy_of
	ladders, holders, promises = ctx.ladders, ctx.holders, ctx.promises
	customer, company = key
	total = round(sum(line.outstanding for line in lines), 2)
	oldest = max(line.days_overdue for line in lines)
	choice = policy_of(customer)
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
		policy_note=policy_note(choice),
		decision=decision,
		reopen=reopen,
		lines_changed=case is None or reopen or stored_lines.get(case.name) != signature,
		promise=promise,
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
		.select(line.sales_invoice, *[case[f] for f in CASE_FIELDS])
		.where((case.status == "Closed") & line.sales_invoice.isin(sorted(invoices)))
		.orderby(case.modified)
		.run(as_dict=True)
	)
	return {r.sales_invoice: r for r in rows}  # the latest case wins


def _stored_lines(case_names: list[str]) -> dict[str, set]:
	if not case_names:
		return {}
	rows = frappe.get_all(
		"Collection Case Invoice",
		filters={"parent": ["in", case_names], "parenttype": CASE},
		fields=["parent", "sales_invoice", "due_date", "outstanding"],
		limit_page_length=0,
	)
	out: dict[str, set] = defaultdict(set)
	for r in rows:
		out[r.parent].add((r.sales_invoice, getdate(r.due_date), round(flt(r.outstanding), 2)))
	return out


def policy_note(choice: lad.PolicyChoice) -> str:
	"""Why the case follows its policy, in the user's words."""
	source = {
		"customer": _("The customer's own policy."),
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

	def policy_of(customer):
		row = by_customer.get(customer)
		if row is None:
			return lad.choose_policy(None, [], settings.default_policy, usable)
		return lad.choose_policy(
			row.collection_policy, chain(row.customer_group), settings.default_policy, usable
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
	from collections_module.policy import roles

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


def _apply(report: RunReport, log=None, commit: bool = False, progress=None):
	"""Write the plan. Each case, lock, letter and reminder is its own unit: one that fails is rolled
	back alone (a savepoint), logged with its name in the Error Log and tried again by the next run;
	the others stand. With ``commit`` every chunk of cases is committed, so nothing holds one long
	transaction."""
	figures_only = [p for p in report.cases if p.only_figures_move]
	follow_ups_only = [p for p in report.cases if p.only_follow_up]
	units = [
		(f"case of {p.customer} / {p.company}", _apply_case, (p, report.on_date))
		for p in report.cases
		if not (p.only_figures_move or p.only_follow_up)
	]
	for i in range(0, len(follow_ups_only), FOLLOW_UP_BATCH):
		batch = follow_ups_only[i : i + FOLLOW_UP_BATCH]
		units.append(
			(
				f"follow-ups of {len(batch)} cases from {batch[0].customer}",
				_store_follow_ups,
				(batch, report.on_date),
			)
		)
	units.append(("figures of unchanged cases", _store_passing_days, (figures_only, report.on_date)))
	units += [
		(f"lock of {p.customer} / {p.company}", apply_locks, ([p], report.on_date)) for p in report.locks
	]
	units += [(f"letter of {p.customer} / {p.company}", apply_letters, ([p],)) for p in report.letters]
	units += [(f"reminder for {r.invoice}", _send_reminder, (r,)) for r in report.reminders]
	failures = []
	for done, (label, fn, args) in enumerate(units, 1):
		_isolated(label, fn, args, failures)
		if done % (frappe.conf.get("collections_chunk_size") or CHUNK_SIZE) == 0 or done == len(units):
			_end_chunk(log, commit, done, len(units), failures, progress)
	report.failures = failures


def _isolated(label: str, fn, args, failures: list):
	savepoint = "collections_unit"
	frappe.db.savepoint(savepoint)
	try:
		fn(*args)
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		raise  # the database's own conflict: never swallowed (a ledger event's posting must see it)
	except Exception:
		if frappe.flags.in_test and not frappe.flags.collections_isolate_in_test:
			raise
		frappe.db.rollback(save_point=savepoint)
		frappe.log_error(title=f"Collections run: {label}")
		failures.append(label)


def _end_chunk(log, commit: bool, done: int, total: int, failures: list, progress=None):
	if log:
		frappe.db.set_value(
			RUN_LOG,
			log,
			{"chunks": (frappe.db.get_value(RUN_LOG, log, "chunks") or 0) + 1, "errors": len(failures)},
			update_modified=False,
		)
	if commit:
		frappe.db.commit()
	if progress:
		progress(done, total)
	if log:
		frappe.publish_realtime(
			"collections_run_progress",
			{"done": done, "total": total, "description": _("{0} of {1} written").format(done, total)},
			doctype=RUN_LOG,
			after_commit=False,
		)


def _start_log(on_date: date, triggered_by: str | None, commit: bool) -> str:
	from frappe.utils import now_datetime

	# this run holds the run lock: a log still "Running" is of a run that was killed or crashed
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
		}
	).insert(ignore_permissions=True)
	if commit:
		frappe.db.commit()
	return log.name


def _finish_log(log: str, report, status: str, commit: bool):
	from frappe.utils import now_datetime

	values = {"status": status, "finished": now_datetime()}
	if report is not None:
		values.update(
			{
				"cases": len(report.cases),
				"follow_ups": sum(1 for p in report.cases if p.decision and p.decision.follow_up_due),
				"escalations": sum(len(p.notify) for p in report.cases),
				"locks": len(report.locks),
				"letters": len(report.letters),
				"reminders": len(report.reminders),
				"errors": len(getattr(report, "failures", [])),
				"error_details": "\n".join(getattr(report, "failures", []))[:10000],
			}
		)
	if commit:
		frappe.db.rollback()  # whatever a failure left half-done
	frappe.db.set_value(RUN_LOG, log, values, update_modified=False)
	if commit:
		frappe.db.commit()


def _apply_case(plan: CasePlan, on_date: date):
	if plan.close:
		doc = frappe.get_doc(CASE, plan.case.name)
		doc.append(
			"stage_history",
			{
				"changed_on": on_date,
				"from_stage": doc.current_stage,
				"to_stage": "",
				"reason": _("Nothing overdue any more: case closed."),
			},
		)
		doc.update(
			{
				"status": "Closed",
				"closed_on": on_date,
				"total_outstanding": 0,
				"oldest_days_overdue": 0,
				"overdue_bucket": "",
				"current_stage": "",
				"next_action_date": None,
				"as_of_date": on_date,
			}
		)
		for line in doc.invoices:
			line.outstanding = 0
		doc.save(ignore_permissions=True)
		return

	d = plan.decision
	doc = frappe.get_doc(CASE, plan.case.name) if plan.case else frappe.new_doc(CASE)
	if plan.case is None:
		doc.update({"customer": plan.customer, "company": plan.company, "status": "Open"})
	if plan.reopen:
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
	if plan.lines_changed:
		doc.set(
			"invoices",
			[
				{
					"sales_invoice": x.invoice,
					"due_date": x.due_date,
					"outstanding": x.outstanding,
					"days_overdue": x.days_overdue,
				}
				for x in plan.lines
			],
		)
	oldest_due = min(x.due_date for x in plan.lines)
	doc.update(
		{
			"policy": plan.policy,
			"policy_note": plan.policy_note,
			"total_outstanding": plan.total,
			"unallocated_credit": plan.credit,
			"oldest_days_overdue": plan.oldest_days,
			"oldest_due_date": oldest_due,
			"overdue_bucket": aging_bucket(plan.oldest_days),
			"as_of_date": on_date,
			"next_action_date": d.next_action_date,
		}
	)
	notified = "; ".join(f"{_(role)}: {', '.join(users) or '-'}" for role, users in plan.notify.items())
	if d.stage_changed:
		doc.append(
			"stage_history",
			{
				"changed_on": on_date,
				"from_stage": doc.current_stage or "",
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
			},
		)
		doc.current_stage = d.stage.name if d.stage else ""
		doc.stage_entered_on = d.entered_on
	if d.follow_up_due:
		doc.last_follow_up_on = on_date
	if plan.promise:
		doc.promise_status = plan.promise
		doc.status = after_promise(doc.status, plan.promise)
	doc.flags.ignore_permissions = True
	doc.save() if plan.case else doc.insert()
	plan.case = plan.case or frappe._dict(name=doc.name)

	if d.follow_up_due:
		_assign_follow_up(doc, d, plan, on_date)
	if plan.notify:
		_notify(doc, d, plan)


def _money(amount: float, company: str) -> str:
	return fmt_money(amount, currency=frappe.get_cached_value("Company", company, "default_currency"))


def _assign_follow_up(doc, d: lad.Decision, plan: CasePlan, on_date: date):
	description = _("Follow up {0}: stage {1}, {2} days overdue, {3} overdue. Channels: {4}.").format(
		doc.customer_name or doc.customer,
		_(d.stage.name),
		plan.oldest_days,
		_money(plan.total, doc.company),
		", ".join(_(c) for c in d.stage.channels) or "-",
	)
	if plan.promise == cr.BROKEN:
		description = (
			_("Promise to pay broken ({0} by {1}).").format(
				_money(doc.promise_amount, doc.company), doc.promise_date
			)
			+ " "
			+ description
		)
	if not doc.verified and frappe.db.get_single_value("Collection Settings", "require_verification"):
		description = _("Verify identity and debt first.") + " " + description
	assign_follow_up(CASE, doc.name, plan.owners, description, on_date)


def _notify(doc, d: lad.Decision, plan: CasePlan):
	"""Desk notification (and e-mail, per the user's notification settings) to each level entered."""
	subject = _("Collection case {0} ({1}) reached the {2} stage: {3} days overdue, {4} overdue.").format(
		doc.name,
		doc.customer_name or doc.customer,
		_(d.stage.name),
		plan.oldest_days,
		_money(plan.total, doc.company),
	)
	notify(
		[u for role_users in plan.notify.values() for u in role_users],
		CASE,
		doc.name,
		subject,
		tr(d.reason, d.reason_args),
	)


def _store_passing_days(plans: list[CasePlan], on_date: date):
	"""Cases where only time passed: figures updated in a few statements, not one save per case."""
	if not plans:
		return
	by_days: dict[int, list[str]] = defaultdict(list)
	for p in plans:
		by_days[p.oldest_days].append(p.case.name)
	case = frappe.qb.DocType(CASE)
	for days, names in by_days.items():
		(
			frappe.qb.update(case)
			.set(case.oldest_days_overdue, days)
			.set(case.overdue_bucket, aging_bucket(days))
			.set(case.as_of_date, on_date)
			.where(case.name.isin(names))
		).run()
	names = [p.case.name for p in plans]
	frappe.db.sql(
		"""update `tabCollection Case Invoice` set days_overdue = datediff(%(on)s, due_date)
		where parenttype = 'Collection Case' and parent in %(names)s""",
		{"on": on_date, "names": names},
	)


def _store_follow_ups(plans: list[CasePlan], on_date: date):
	"""Cases where only a follow-up falls due: figures, follow-up date and next action date in a few
	statements (no save per case), then each follow-up assigned (an open ToDo is moved to today)."""
	_store_passing_days(plans, on_date)
	by_next: dict[date, list[str]] = defaultdict(list)
	for p in plans:
		by_next[p.decision.next_action_date].append(p.case.name)
	case = frappe.qb.DocType(CASE)
	for next_date, names in by_next.items():
		(
			frappe.qb.update(case)
			.set(case.last_follow_up_on, on_date)
			.set(case.next_action_date, next_date)
			.where(case.name.isin(names))
		).run()
	for p in plans:
		_assign_follow_up(p.case, p.decision, p, on_date)


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
