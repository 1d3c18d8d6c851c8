"""The overdue ladder (R-B1..R-B8): which stage applies, when to follow up, who owns it, who is told.

A ladder is a list of stages, each covering a range of days relative to the due date (negative = before
due). Every number of the source is a default here; the administrator edits the rows of a Collection
Policy in the desk and these functions read them.
"""

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

from collections_module.policy import roles

# Actions a stage can carry (values of the policy row's Action select).
REMINDER = "Reminder"
FOLLOW_UP = "Follow Up"
ESCALATE = "Escalate"
STOCK_LOCK = "Stock Release Lock"
LETTER = "Formal Letters"
ACTIONS = (REMINDER, FOLLOW_UP, ESCALATE, STOCK_LOCK, LETTER)

# Case statuses in which the ladder creates no follow-ups (a dispute pauses collection, R-C6;
# legal cases are followed by counsel, R-F2; a pending promise is awaited until its date and a
# repayment plan while its installments are met, R-D4).
NO_FOLLOW_UP_STATUSES = ("Paused", "Legal", "Closed", "Promise to Pay", "Repayment Plan")


@dataclass(frozen=True)
class Stage:
	name: str
	from_day: int
	to_day: int | None  # inclusive; None = open-ended
	action: str = FOLLOW_UP
	channels: tuple[str, ...] = ()
	cadence_days: int = 0  # 0 = once, on entering the stage
	owner_role: str = roles.COLLECTOR
	escalate_to_role: str | None = None
	needs_approval: bool = False
	row: int = 0  # position in the policy table, for "why this stage"

	def covers(self, days: int) -> bool:
		return self.from_day <= days and (self.to_day is None or days <= self.to_day)

	def range_label(self) -> str:
		return f"{self.from_day}+" if self.to_day is None else f"{self.from_day}–{self.to_day}"


def _row(i, name, frm, to, action, channels, cadence, owner, escalate=None, approval=False):
	return Stage(name, frm, to, action, channels, cadence, owner, escalate, approval, i)


EMAIL_PHONE = ("Email", "Phone")

# The source ladder. Where the source is silent (days 8-14 between "within a week" and "over two
# weeks") the every-two-days cadence continues; letters follow a month after the lock.
DEFAULT_LADDER = (
	_row(1, "Pre-due Reminder", -7, 0, REMINDER, ("Email",), 0, roles.COLLECTOR),  # R-B1
	_row(2, "Overdue Week 1", 1, 7, FOLLOW_UP, EMAIL_PHONE, 2, roles.COLLECTOR),  # R-B2
	_row(3, "Overdue Week 2", 8, 14, FOLLOW_UP, EMAIL_PHONE, 2, roles.COLLECTOR),
	_row(4, "Daily Follow-up", 15, 28, FOLLOW_UP, EMAIL_PHONE, 1, roles.COLLECTOR),  # R-B3
	# R-B4: two weeks of daily follow-up without progress -> the supervisor follows up.
	_row(5, "Supervisor", 29, 30, ESCALATE, EMAIL_PHONE, 1, roles.SUPERVISOR, roles.SUPERVISOR),
	# R-B6: over one month -> manager level; over two months -> general-manager level.
	_row(6, "Manager", 31, 60, ESCALATE, (*EMAIL_PHONE, "Visit"), 1, roles.SUPERVISOR, roles.MANAGER),
	_row(
		7,
		"General Manager",
		61,
		90,
		ESCALATE,
		(*EMAIL_PHONE, "Visit"),
		1,
		roles.MANAGER,
		roles.GENERAL_MANAGER,
	),
	# R-B7: over three months -> stock release locked, only with the owner's approval.
	_row(
		8,
		"Stock Release Lock",
		91,
		120,
		STOCK_LOCK,
		(*EMAIL_PHONE, "Visit"),
		1,
		roles.MANAGER,
		roles.OWNER,
		True,
	),
	# R-B8: still unpaid -> collection, reconciliation and lawyer's letters, owner's approval.
	_row(9, "Formal Letters", 121, None, LETTER, ("Letter",), 7, roles.MANAGER, roles.OWNER, True),
)


def validate_stages(stages: list[Stage]) -> list[str]:
	"""Problems that make a ladder ambiguous; empty when the ladder is usable."""
	errors = []
	if not stages:
		return ["A collection policy needs at least one stage."]
	for s in stages:
		if not s.name:
			errors.append(f"Row {s.row}: the stage needs a name.")
		if s.to_day is not None and s.to_day < s.from_day:
			errors.append(f"Row {s.row} ({s.name}): 'To Day' {s.to_day} is before 'From Day' {s.from_day}.")
		if s.cadence_days < 0:
			errors.append(f"Row {s.row} ({s.name}): the cadence cannot be negative.")
	names = [s.name for s in stages]
	for name in sorted({n for n in names if names.count(n) > 1}):
		errors.append(f"Stage name '{name}' is used more than once.")
	ordered = sorted(stages, key=lambda s: s.from_day)
	for a, b in itertools.pairwise(ordered):
		if a.to_day is None or a.to_day >= b.from_day:
			errors.append(
				f"Rows {a.row} ({a.name}, days {a.range_label()}) and {b.row} ({b.name}, days "
				f"{b.range_label()}) overlap."
			)
	return errors


def stage_for(stages: list[Stage], days: int) -> Stage | None:
	"""The stage covering ``days`` overdue, or None when no row covers it."""
	for s in stages:
		if s.covers(days):
			return s
	return None


def case_stage_for(stages: list[Stage], oldest_days_overdue: int) -> Stage | None:
	"""The stage of a case: the row covering its oldest overdue invoice. Reminder rows act on single
	invoices before they fall due (R-B1) and are never a case's stage."""
	return stage_for([s for s in stages if s.action != REMINDER], oldest_days_overdue)


def reminder_stage(stages: list[Stage]) -> Stage | None:
	return next((s for s in stages if s.action == REMINDER), None)


def next_follow_up(
	stage: Stage,
	entered_on: date,
	last_contact_on: date | None = None,
	last_follow_up_on: date | None = None,
) -> date | None:
	"""The date the next follow-up of this stage falls due.

	Entering a stage calls for a follow-up that day. After that the cadence counts from the latest
	contact or follow-up made since entering. A once-only stage (cadence 0) has nothing more to do.
	"""
	since_entry = [d for d in (last_contact_on, last_follow_up_on) if d is not None and d >= entered_on]
	if not since_entry:
		return entered_on
	if stage.cadence_days <= 0:
		return None
	return max(since_entry) + timedelta(days=stage.cadence_days)


def stages_entered(stages: list[Stage], previous: Stage | None, current: Stage) -> list[Stage]:
	"""Stages passed on the way up from ``previous`` to ``current`` (current included), in order.

	A case first seen at 65 days has passed the supervisor's and the manager's stages as well as the
	general manager's; each of them is told. Moving down (a payment) enters nothing new.
	"""
	if previous is not None and current.from_day <= previous.from_day:
		return []
	low = previous.from_day if previous is not None else None
	return [
		s
		for s in sorted(stages, key=lambda s: s.from_day)
		if s.action != REMINDER and s.from_day <= current.from_day and (low is None or s.from_day > low)
	]


def escalations(stages: list[Stage], previous: Stage | None, current: Stage) -> list[str]:
	"""Roles to notify, once, on entering ``current`` from ``previous`` (R-B4, R-B6, R-B7)."""
	notified = []
	for s in stages_entered(stages, previous, current):
		if s.escalate_to_role and s.escalate_to_role not in notified:
			notified.append(s.escalate_to_role)
	return notified


def stage_owners(stage: Stage, case_collector: str | None, role_holders: dict[str, list[str]]) -> list[str]:
	"""Who gets the follow-up task of a stage.

	The case's collector when the stage belongs to collectors or the collector holds the owner role;
	otherwise every active holder of the owner role (the supervisors for an unassigned collector-stage
	case); the collector as a last resort so no follow-up is lost when a role has nobody in it.
	"""
	holders = sorted(role_holders.get(stage.owner_role, []))
	if case_collector and (stage.owner_role == roles.COLLECTOR or case_collector in holders):
		return [case_collector]
	if stage.owner_role == roles.COLLECTOR:
		# an unassigned case goes to the team leads, who allocate it (R-E2), not to every collector
		holders = sorted(role_holders.get(roles.SUPERVISOR, []))
	if holders:
		return holders
	return [case_collector] if case_collector else []


@dataclass(frozen=True)
class CaseState:
	"""What the ladder needs to know of a case as it stands before a run."""

	status: str = "Open"
	stage: str | None = None
	stage_entered_on: date | None = None
	last_contact_on: date | None = None
	last_follow_up_on: date | None = None


@dataclass
class Decision:
	stage: Stage | None
	stage_changed: bool
	entered_on: date | None
	reason: str  # a template: see ``explain``
	notify_roles: list[str] = field(default_factory=list)
	follow_up_due: bool = False
	next_action_date: date | None = None
	reason_args: tuple = ()

	@property
	def reason_text(self) -> str:
		return self.reason.format(*self.reason_args)


NO_ROW = "{0} days overdue, {1} outstanding: no row of policy {2} covers it."
# {2} (the row's number) is kept among the arguments of stored reasons; the sentence no longer shows it
ROW_COVERS = "Oldest invoice {0} days overdue, {1} outstanding: days {5} are the stage '{3}' of {4}."


def explain(stage: Stage | None, days: int, amount: float, policy: str) -> tuple[str, tuple]:
	"""One sentence answering "why is this case at this stage?": a template and its arguments, for
	the caller to translate and format (the stage name is an argument, to be translated too)."""
	if stage is None:
		return NO_ROW, (days, f"{amount:,.2f}", policy)
	return ROW_COVERS, (days, f"{amount:,.2f}", stage.row, stage.name, policy, stage.range_label())


def decide(
	state: CaseState,
	stages: list[Stage],
	oldest_days_overdue: int,
	outstanding: float,
	on_date: date,
	policy: str = "",
) -> Decision:
	"""The ladder's verdict for one case on one date: its stage, whether that is new, whom to tell,
	and whether a follow-up falls due. Running it twice on the same date after storing the first
	result decides nothing new."""
	by_name = {s.name: s for s in stages}
	previous = by_name.get(state.stage) if state.stage else None
	current = case_stage_for(stages, oldest_days_overdue)
	changed = (current.name if current else None) != state.stage
	entered_on = on_date if changed else (state.stage_entered_on or on_date)
	decision = Decision(
		stage=current,
		stage_changed=changed,
		entered_on=entered_on if current else None,
		reason="",
	)
	decision.reason, decision.reason_args = explain(current, oldest_days_overdue, outstanding, policy)
	if current is None:
		return decision
	if changed:
		decision.notify_roles = escalations(stages, previous, current)
	last_follow_up = None if changed else state.last_follow_up_on
	due_on = next_follow_up(current, entered_on, state.last_contact_on, last_follow_up)
	if state.status in NO_FOLLOW_UP_STATUSES:
		decision.next_action_date = due_on
		return decision
	if due_on is not None and due_on <= on_date:
		decision.follow_up_due = True
		decision.next_action_date = next_follow_up(current, entered_on, state.last_contact_on, on_date)
	else:
		decision.next_action_date = due_on
	return decision


@dataclass(frozen=True)
class PolicyChoice:
	"""The policy a customer follows and why: where it came from, and the policies named on the
	customer or its groups that could not be used (disabled, deleted or without stages)."""

	policy: str | None
	source: str  # "customer", "grade", "group" or "default"
	skipped: tuple[str, ...] = ()


def choose_policy(
	customer_policy: str | None,
	group_policies: list[str | None],
	default: str | None,
	usable: set[str] | frozenset[str] | None = None,
	grade_policy: str | None = None,
) -> PolicyChoice:
	"""The customer's own policy, else the policy its case's risk grade maps to (R-E3, R-G3), else the
	nearest customer group's (the group first, then its parents upward), else the default. A named
	policy that is not ``usable`` never takes a customer off the ladder: it is skipped (and reported),
	and the next in line applies."""
	skipped: list[str] = []

	def ok(policy):
		if not policy:
			return False
		if usable is not None and policy not in usable:
			skipped.append(policy)
			return False
		return True

	if ok(customer_policy):
		return PolicyChoice(customer_policy, "customer")
	if ok(grade_policy):
		return PolicyChoice(grade_policy, "grade", tuple(skipped))
	for policy in group_policies:
		if ok(policy):
			return PolicyChoice(policy, "group", tuple(skipped))
	return PolicyChoice(default if ok(default) else None, "default", tuple(skipped))


def resolve_policy(
	customer_policy: str | None, group_policies: list[str | None], default: str | None
) -> str | None:
	"""The policy a customer follows when every named policy is usable (see ``choose_policy``)."""
	return choose_policy(customer_policy, group_policies, default).policy
