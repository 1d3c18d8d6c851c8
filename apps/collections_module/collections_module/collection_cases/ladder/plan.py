"""Planning a chunk: the ledger and the cases gathered once, each customer's case planned by the policy
core (ladder, promise, grade), the legal reviews and pre-due reminders the day calls for."""

from dataclasses import dataclass
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import getdate

from collections_module.collection_cases.ladder.apply import _apply
from collections_module.collection_cases.ladder.gather import (
	_open_cases,
	_plan_checks,
	_policy_resolver,
	_promise_outcomes,
	_reopenable_cases,
	_stored_lines,
	_told_today,
)
from collections_module.collection_cases.ladder.model import CasePlan, ReminderPlan, RunReport, after_promise
from collections_module.collection_cases.policies import load_ladders
from collections_module.enforcement.lock_run import plan_locks
from collections_module.integrations.erpnext import receivables
from collections_module.people import role_holders
from collections_module.policy import contact_rules as cr
from collections_module.policy import grading, plans
from collections_module.policy import ladder as lad
from collections_module.policy.ledger import TermDue, overdue_lines, reminder_terms
from collections_module.statements_and_letters.letter_run import plan_letters


def _run(on_date, dry_run, customers, follow_ups, reminders, commit=False, ladders=None):
	report = RunReport(on_date, dry_run)
	invoices = receivables.open_invoices(customers, on_date)
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
	case_names = [c.name for c in open_cases.values()] + [c.name for c in reopenable.values()]
	stored_lines = _stored_lines(case_names)
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
		_told_today(case_names, on_date),
		_plan_checks(open_cases, on_date, settings.installment_grace_days or 0),
	)

	for key in keys:
		lines = overdue[key]
		case = open_cases.get(key)
		if not lines:
			if case:
				report.cases.append(
					CasePlan(key[0], key[1], case, close=True, plan_check=ctx.plans.get(case.name))
				)
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
	told: set  # (case, stage) whose owners were already told today
	plans: dict  # case -> the repayment plan in effect, checked against today's ledger


class _Grader:
	"""The risk grade of each case (R-E3, R-G3): its customer's records read once for the chunk (invoices
	and the repayments of its debts), the grade from the policy core with the weights and bands of the
	settings, and the policy the settings give that grade."""

	def __init__(self, customers: list[str], on_date: date, settings):
		from collections_module.collection_cases.customer_record import (
			debt_history,
			payment_history,
			promise_history,
		)
		from collections_module.policy.grade_settings import weights_from

		self.on_date = on_date
		self.paid = payment_history(customers, on_date)
		self.debts = debt_history(customers, on_date)
		self.promises = promise_history(customers, on_date)
		self.blacklisted = _blacklisted(customers, on_date)
		# refused on save; a value in error keeps its default, so a bad setting never stops the run
		self.weights, self.bands, _errors = weights_from(settings.as_dict())
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
				debts=self.debts.get(customer) or [],
				today=self.on_date,
				promises_broken=(self.promises.get(customer) or {}).get("broken", 0),
				amount=total,
				days_overdue=oldest,
				contact=(case.filtering_class or None) if case else None,
				blacklisted=customer in self.blacklisted,
				disputed=bool(case and case.disputed),
			),
			self.weights,
			self.bands,
		)


def _blacklisted(customers: list[str], on_date: date) -> set[str]:
	"""The customers listed on the blacklist that day: by name, or by the ID number or a phone of one of
	their debts (R-G4). The list is short: read whole, then the debtors' identifiers if it names any."""
	from collections_module.policy import identity
	from collections_module.policy import stock_lock as sl

	if not customers:
		return set()
	entries = frappe.db.sql(
		"""select customer, id_number, phone, status, start_date, expiry_date
		from `tabBlacklist Entry` where status in %(states)s""",
		{"states": (sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED)},
		as_dict=True,
	)
	for e in entries:
		e.start_date = getdate(e.start_date) if e.start_date else None
		e.expiry_date = getdate(e.expiry_date) if e.expiry_date else None
	entries = [e for e in entries if identity.in_force(e, on_date)]
	wanted = set(customers)
	listed = {e.customer for e in entries if e.customer in wanted}
	by_person = [e for e in entries if e.id_number or e.phone]
	if by_person:
		debt = frappe.qb.DocType("Debt")
		for d in (
			frappe.qb.from_(debt)
			.select(debt.customer, debt.id_number, debt.phones)
			.where(debt.customer.isin(customers) & (debt.id_number.isnotnull() | debt.phones.isnotnull()))
			.run(as_dict=True)
		):
			if d.customer not in listed and identity.matches(by_person, d):
				listed.add(d.customer)
	return listed


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
	if reopen and case.disputed:  # owed again while the dispute stands: still paused
		status = "Paused"
	if promise:  # a settled promise ends the wait: kept -> in progress, broken -> collect again
		status = after_promise(status, promise)
	check = ctx.plans.get(case.name) if case and not reopen else None
	if status == "Repayment Plan":  # completed -> in progress, broken (or no plan any more) -> the ladder
		status = plans.after_plan(status, check.outcome if check else plans.BROKEN)
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
		status=status,
		plan_check=check,
	)
	resumed = check is not None and check.outcome == plans.BROKEN and status == "Open"
	if plan.on_plan:
		decision.next_action_date = plans.next_due(check.states) if check else decision.next_action_date
	if (
		(promise == cr.BROKEN or resumed)
		and not decision.follow_up_due
		and decision.stage
		and status not in lad.NO_FOLLOW_UP_STATUSES
	):
		decision.follow_up_due = True  # a broken promise or plan is followed up the same day
		decision.next_action_date = on_date + timedelta(days=max(decision.stage.cadence_days, 1))
	if decision.follow_up_due or decision.stage_changed:
		plan.owners = lad.stage_owners(decision.stage, case.collector if case else None, holders)
	plan.notify = {role: holders.get(role, []) for role in decision.notify_roles}
	if plan.paused:
		plan.notify = {}
	if case and decision.stage and (case.name, decision.stage.name) in ctx.told:
		plan.notify = {}  # a stage entered again the same day (a payment and its cancellation): told once
	return plan


def _plan_legal_reviews(plans: list[CasePlan], grader: "_Grader", settings) -> list[tuple[str, str, tuple]]:
	"""Open cases whose customer cannot be reached or broke promises N times (settings), or overdue
	beyond the legal-review days (settings), are proposed for a legal review (R-F4, R-E3), once: a case
	that has had a legal action is not proposed again."""
	from collections_module.policy import legal

	threshold = settings.legal_review_broken_promises or 0
	candidates = []
	for p in plans:
		if p.close or p.case is None or p.reopen or p.case.status == "Legal" or p.paused:
			continue
		broken = (grader.promises.get(p.customer) or {}).get("broken", 0)
		propose, template, args = legal.propose_legal_review(
			p.case.filtering_class == grading.LOST_CONTACT, broken, threshold
		)
		if not propose:  # long overdue (R-E3): beyond the settings' days, whatever else is known
			propose, template, args = grading.legal_review_proposal(p.oldest_days, grader.weights)
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
