"""Contact conduct (R-C2..R-C7): when a debtor may be contacted, how often, and why not.

Every contact is judged in the debtor's local time. A rule set holds the allowed hours and weekdays,
per-day caps per case (effective conversations, outbound calls, visits) and optional rolling caps
(N calls in D days; quiet days after a conversation, as US Regulation F has them). A refusal names
the rule and the next time contact would be allowed.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

PHONE = "Phone"
VISIT = "Visit"
LETTER = "Letter"
OUTBOUND = "Outbound"
# Letters are posted, not a contact at an hour; inbound contacts are the debtor's choice.
TIMED_CHANNELS = ("Phone", "SMS", "Email", "Instant Message", "Visit")

ALL_WEEKDAYS = frozenset(range(7))  # Monday = 0


@dataclass(frozen=True)
class RuleSet:
	name: str = "Source Rules"
	start: time = time(8, 0)
	end: time = time(21, 0)  # inclusive: a contact starting at 21:00:00 is allowed, 21:00:01 is not
	weekdays: frozenset = ALL_WEEKDAYS
	max_effective_per_day: int | None = 5
	max_calls_per_day: int | None = 10
	max_visits_per_day: int | None = 2
	rolling_calls: int | None = None
	rolling_days: int | None = None
	quiet_days_after_conversation: int | None = None


SOURCE_RULES = RuleSet()  # R-C2, R-C3
REGULATION_F = RuleSet(
	name="US Regulation F",
	max_effective_per_day=None,
	max_calls_per_day=None,
	max_visits_per_day=None,
	rolling_calls=7,
	rolling_days=7,
	quiet_days_after_conversation=7,
)


@dataclass(frozen=True)
class Contact:
	at: datetime  # aware (UTC or any zone)
	channel: str = PHONE
	direction: str = OUTBOUND
	effective: bool = False  # an effective conversation (有效通话 / 面谈)

	@property
	def is_call(self) -> bool:
		return self.channel == PHONE and self.direction == OUTBOUND

	@property
	def is_visit(self) -> bool:
		return self.channel == VISIT


# What a user reads for each rule (translated by the caller); the keys stay in code and data.
RULE_LABELS = {
	"weekday": "Contact days",
	"hours": "Contact hours",
	"calls per day": "Calls per day",
	"effective conversations per day": "Effective conversations per day",
	"visits per day": "Visits per day",
	"rolling calls": "Calls in a rolling period",
	"quiet days after a conversation": "Quiet days after a conversation",
	"dispute": "Dispute",
	"verification": "Verification",
	"do not contact": "Do not contact",
}


def rule_label(rule: str) -> str:
	return RULE_LABELS.get(rule, rule)


@dataclass(frozen=True)
class Verdict:
	"""``message`` is a template with {0}, {1}... filled from ``args``: the caller translates the
	template, then formats it (``text`` is the English sentence)."""

	allowed: bool
	rule: str = ""
	message: str = ""
	next_allowed: datetime | None = None  # aware, in the debtor's zone
	args: tuple = ()

	@property
	def text(self) -> str:
		return self.message.format(*self.args)


def _aware(moment: datetime) -> datetime:
	return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _local(moment: datetime, tz: str) -> datetime:
	return _aware(moment).astimezone(ZoneInfo(tz))


def _window_start(day: date, rules: RuleSet, tz: str) -> datetime:
	return datetime.combine(day, rules.start, tzinfo=ZoneInfo(tz))


def _next_window_start(local: datetime, rules: RuleSet, tz: str, include_today: bool) -> datetime:
	"""The next moment the window is open: now if inside it today (when today counts), else the start
	of the next allowed day's window."""
	day = local.date() if include_today else local.date() + timedelta(days=1)
	for _ in range(8):
		if day.weekday() in rules.weekdays:
			start = _window_start(day, rules, tz)
			if day != local.date() or start >= local:
				return start
			if local.time() <= rules.end:
				return local
		day += timedelta(days=1)
	raise ValueError(f"rule set {rules.name} allows no weekday")


def _one_check(rules: RuleSet, tz: str, c: Contact, history: list[Contact]) -> Verdict:
	local = _local(c.at, tz)
	if c.direction != OUTBOUND:
		return Verdict(True)
	if c.channel in TIMED_CHANNELS:
		if local.weekday() not in rules.weekdays:
			nxt = _next_window_start(local, rules, tz, include_today=False)
			return Verdict(
				False, "weekday", "{0} is not a contact day under {1}.", nxt, (f"{local:%A}", rules.name)
			)
		if not (rules.start <= local.time() <= rules.end):
			nxt = _next_window_start(local, rules, tz, include_today=local.time() < rules.start)
			return Verdict(
				False,
				"hours",
				"{0} is outside the allowed hours {1}-{2} (debtor's local time, {3}).",
				nxt,
				(f"{local:%H:%M}", f"{rules.start:%H:%M}", f"{rules.end:%H:%M}", tz),
			)
	same_day = [h for h in history if _local(h.at, tz).date() == local.date() and h.direction == OUTBOUND]
	# R-C3 daily caps: (applies to this contact, counts in the history, cap, rule, what is counted)
	daily_caps = (
		(
			c.is_call,
			lambda h: h.is_call,
			rules.max_calls_per_day,
			"calls per day",
			"{0} outbound calls already today; at most {1} a day.",
		),
		(
			c.effective,
			lambda h: h.effective,
			rules.max_effective_per_day,
			"effective conversations per day",
			"{0} effective conversations already today; at most {1} a day.",
		),
		(
			c.is_visit,
			lambda h: h.is_visit,
			rules.max_visits_per_day,
			"visits per day",
			"{0} visits already today; at most {1} a day.",
		),
	)
	for applies, counts, cap, rule, what in daily_caps:
		if applies and cap is not None:
			done = sum(1 for h in same_day if counts(h))
			if done >= cap:
				tomorrow = _next_window_start(local, rules, tz, include_today=False)
				return Verdict(False, rule, what, tomorrow, (done, cap))
	at = _aware(c.at)
	if c.is_call and rules.rolling_calls and rules.rolling_days:
		window = timedelta(days=rules.rolling_days)
		recent = sorted(_aware(h.at) for h in history if h.is_call and at - window < _aware(h.at) <= at)
		if len(recent) >= rules.rolling_calls:
			# the window frees up when the oldest call that keeps it full falls out of it
			frees = recent[len(recent) - rules.rolling_calls] + window
			return Verdict(
				False,
				"rolling calls",
				"{0} calls in the last {1} days; at most {2}.",
				_local(frees, tz),
				(len(recent), rules.rolling_days, rules.rolling_calls),
			)
	if c.is_call and rules.quiet_days_after_conversation:
		quiet = timedelta(days=rules.quiet_days_after_conversation)
		talks = [
			_aware(h.at)
			for h in history
			if h.effective and h.channel == PHONE and _aware(h.at) <= at < _aware(h.at) + quiet
		]
		if talks:
			until = max(talks) + quiet
			return Verdict(
				False,
				"quiet days after a conversation",
				"A conversation took place on {0}; no calls for {1} days after it.",
				_local(until, tz),
				(f"{_local(max(talks), tz):%Y-%m-%d}", rules.quiet_days_after_conversation),
			)
	return Verdict(True)


def check_contact(rules: RuleSet, tz: str, contact: Contact, history: list[Contact]) -> Verdict:
	"""Is this contact allowed? When not, the first rule it breaks and the next time all rules allow it."""
	verdict = _one_check(rules, tz, contact, history)
	if verdict.allowed:
		return verdict
	return Verdict(
		False,
		verdict.rule,
		verdict.message,
		next_allowed(rules, tz, contact, history, verdict.next_allowed),
		verdict.args,
	)


def replay(rules: RuleSet, tz: str, contacts: list[Contact]) -> list[Verdict]:
	"""Each of a case's contacts judged as it was made: against the contacts before it (a what-if of a
	rule change, replayed on the contacts actually made). Verdicts in the order of ``contacts``."""
	order = sorted(range(len(contacts)), key=lambda i: contacts[i].at)
	verdicts: list[Verdict] = [Verdict(True)] * len(contacts)
	for n, i in enumerate(order):
		verdicts[i] = _one_check(rules, tz, contacts[i], [contacts[j] for j in order[:n]])
	return verdicts


def next_allowed(
	rules: RuleSet, tz: str, contact: Contact, history: list[Contact], hint: datetime | None = None
) -> datetime:
	"""The earliest moment from ``hint`` on when the same kind of contact passes every rule."""
	moment = hint or _aware(contact.at)
	for _ in range(400):
		probe = Contact(moment, contact.channel, contact.direction, contact.effective)
		verdict = _one_check(rules, tz, probe, history)
		if verdict.allowed:
			return _local(moment, tz)
		if verdict.next_allowed is None or verdict.next_allowed <= moment:
			moment = moment + timedelta(minutes=1)
		else:
			moment = verdict.next_allowed
	raise ValueError("no allowed time within 400 steps")


# --- R-C4: timing advice (a suggestion, never a block) -------------------------------------------


@dataclass(frozen=True)
class Advice:
	good: list[str] = field(default_factory=list)
	avoid: list[str] = field(default_factory=list)


def timing_advice(moment: datetime, tz: str) -> Advice:
	"""Mornings, Mondays and the start of the month are good times; weekends, month end and the last
	half hour of the working morning or afternoon are not (R-C4)."""
	local = _local(moment, tz)
	good, avoid = [], []
	if local.hour < 12:
		good.append("morning")
	if local.weekday() == 0:
		good.append("Monday")
	if local.day <= 5:
		good.append("start of the month")
	if local.weekday() >= 5:
		avoid.append("weekend")
	if calendar.monthrange(local.year, local.month)[1] - local.day < 3:  # the last three days
		avoid.append("month end")
	clock = local.time()
	if time(11, 30) <= clock < time(12, 0) or time(17, 30) <= clock < time(18, 0):
		avoid.append("end of the working morning/afternoon")
	return Advice(good, avoid)


# --- R-C5..R-C7: may this case / person be contacted for collection at all? ---------------------

DO_NOT_CONTACT = "Do Not Contact"
SENSITIVE = "Sensitive"


@dataclass(frozen=True)
class CaseGate:
	allowed: bool
	rule: str = ""
	message: str = ""
	warning: str = ""


def case_gate(
	disputed: bool, verified: bool, contact_flag: str | None = None, is_debtor: bool = True
) -> CaseGate:
	if disputed:
		return CaseGate(
			False,
			"dispute",
			"The debtor disputes the debt: collection is paused until the dispute is resolved.",
		)
	if not verified:
		return CaseGate(
			False,
			"verification",
			"Identity and debt are not verified yet: no collection contact before verification.",
		)
	if contact_flag == DO_NOT_CONTACT:
		return CaseGate(False, "do not contact", "This contact point asked not to be contacted.")
	if contact_flag == SENSITIVE:
		return CaseGate(
			True,
			warning="Sensitive contact point (e.g. press, residents' committee): handle with care.",
		)
	return CaseGate(True)


# --- R-D4: promises to pay ------------------------------------------------------------------------

PENDING, KEPT, BROKEN = "Pending", "Kept", "Broken"


def promise_outcome(
	amount: float, due: date, paid_since: float, on_date: date, tolerance: float = 0.005
) -> str:
	"""Kept once the promised amount has arrived; broken once its date has passed without it."""
	if paid_since + tolerance >= amount:
		return KEPT
	if on_date > due:
		return BROKEN
	return PENDING
