"""Writing a plan: existing cases set-based in batches, new and reopened cases as documents, each unit
under its own savepoint so that one failure rolls back alone and is named (never silent)."""

from dataclasses import dataclass
from datetime import date
from functools import partial

import frappe
from frappe import _
from frappe.utils import flt, getdate

from collections_module.bulk import (
	assign_follow_ups,
	close_follow_ups,
	hand_over_follow_ups,
	insert_children,
	record_versions,
	update_by_name,
)
from collections_module.collection_cases.ladder.changes import _case_values, _line_rows
from collections_module.collection_cases.ladder.model import (
	CASE,
	CASE_BATCH,
	CASE_FIELDS,
	CasePlan,
	RunReport,
)
from collections_module.collection_cases.ladder.notify import (
	_follow_up_text,
	_notify,
	_propose_legal,
	_send_reminder,
)
from collections_module.collection_cases.ladder.repayment import store_plan_state
from collections_module.enforcement.lock_run import apply_locks
from collections_module.people import role_holders
from collections_module.policy import roles
from collections_module.statements_and_letters.letter_check import recheck as recheck_letters
from collections_module.statements_and_letters.letter_run import apply_letters


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
	units += [
		(_unit("Repayment plan", p), store_plan_state, (p, report.on_date))
		for p in report.cases
		if p.plan_check
	]
	# letters not yet issued state what is owed today: restated or withdrawn (R-C10)
	in_step = [p.case.name for p in report.cases if p.case and p.case.get("name")]
	units.append(
		(
			_RunUnit("Letters in flight", ", ".join(sorted({p.customer for p in report.cases}))[:140], ""),
			recheck_letters,
			(in_step,),
		)
	)
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
		doc.update({"status": "Paused" if doc.disputed else "Open", "closed_on": None, "current_stage": None})
	doc.set("invoices", _line_rows(plan))
	values, stage_row, _change = _case_values(plan, on_date, doc.as_dict())
	doc.update(values)
	if stage_row:
		doc.append("stage_history", stage_row)
	doc.flags.ignore_permissions = True
	doc.save() if plan.case else doc.insert()
	plan.case = frappe._dict({f: doc.get(f) for f in CASE_FIELDS})
	if d.follow_up_due:
		assign_follow_ups(CASE, [(doc.name, plan.owners, partial(_follow_up_text, plan))], on_date)
	if plan.notify:
		_notify(plan)


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
		(p.case.name, p.owners, partial(_follow_up_text, p))
		for p in fresh
		if p.decision and p.decision.follow_up_due
	]
	assign_follow_ups(CASE, follow, on_date)
	# a case that climbed past its follow-ups' holders: theirs close, the new stage's owners hold it
	hand_over_follow_ups(
		CASE,
		{
			p.case.name: p.owners
			for p in fresh
			if p.decision and p.decision.stage_changed and p.decision.stage
		},
	)
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
