"""What an administrator sets for the risk grade and what the installer writes (R-E3, R-G3).

The weights, the bands and the legal-review threshold are settings: ``weights_from`` reads them from a
settings dict (Collection Settings as a dict) and says what is wrong with them; a wrong value keeps its
default, so a bad setting never stops the daily run, and the messages refuse the settings on save.

Each grade steers the collection through the policy it maps to: A and B follow the Standard Ladder, C
a firmer ladder (daily calls, visits from the second week, the lock after two months), D a firm ladder
that ends in a legal review after a set number of days. The ladders are ``ladder.Stage`` rows the
installer writes as Collection Policies; the mapping fills the settings' grade-policy table.
"""

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import fields

from collections_module.policy import ladder as lad
from collections_module.policy import roles
from collections_module.policy.grading import (
	DEFAULT_BANDS,
	GRADES,
	LEGAL_REVIEW,
	A,
	B,
	C,
	D,
	Weights,
	validate_bands,
)

# --- settings: weights, bands and the legal threshold from a dict ------------------------------------

BAND_FIELDS = {B: "grade_b_from", C: "grade_c_from", D: "grade_d_from"}  # Collection Settings fields
NO_FLOOR = ("None", "none", "-")  # a floor switched off (blank keeps the default)
_INTS = {"broken_promise_max", "legal_review_days"}
_FLOORS = {"blacklisted_floor", "legal_review_floor"}
_STEPS = {"amount_steps", "age_steps"}


def _number(value) -> float | None:
	try:
		x = float(value)
	except (TypeError, ValueError):
		return None
	return x if math.isfinite(x) else None


def _steps(value) -> tuple[tuple[float, float], ...] | None:
	"""Steps from (from, points) pairs or a text '50000:5, 200000:10'; None when unreadable."""
	if isinstance(value, str):
		value = [p.split(":") for p in value.replace(";", ",").replace("\n", ",").split(",") if p.strip()]
	try:
		pairs = [(_number(a), _number(b)) for a, b in value]
	except (TypeError, ValueError):
		return None
	if any(a is None or b is None for a, b in pairs):
		return None
	return tuple(sorted(pairs))


def _weight(name: str, value, errors: list[str]):
	"""One weight's value, or None (with a message) when it is not usable."""
	if name in _FLOORS:
		if value in GRADES:
			return value
		errors.append(f"{name}: '{value}' is not a grade ({', '.join(GRADES)}).")
		return None
	if name in _STEPS:
		steps = _steps(value)
		if steps is None or any(a < 0 or b < 0 for a, b in steps):
			errors.append(f"{name}: give non-negative 'from:points' pairs, not {value!r}.")
		elif len({a for a, _ in steps}) < len(steps):
			errors.append(f"{name}: a starting value appears more than once.")
		elif any(p2 < p1 for (_, p1), (_, p2) in itertools.pairwise(steps)):
			errors.append(f"{name}: the points must not fall as the value rises.")
		else:
			return steps
		return None
	x = _number(value)
	if x is None or x < 0 or (name == "days_late_full" and x == 0):
		least = "more than 0" if name == "days_late_full" else "at least 0"
		errors.append(f"{name}: must be a number {least}, not {value!r}.")
		return None
	if name in _INTS and x != int(x):
		errors.append(f"{name}: must be a whole number, not {value!r}.")
		return None
	return int(x) if name in _INTS else x


def weights_from(settings: Mapping | None) -> tuple[Weights, dict[str, float], list[str]]:
	"""(weights, bands, messages) from a settings dict whose keys are the ``Weights`` field names and
	``BAND_FIELDS``. A missing, None or '' value, or an unset (0) band, keeps the default; a value in
	error keeps its default and bands in error all theirs; a floor set to 'None' is switched off and a
	``legal_review_days`` of 0 switches the legal review off. Other keys are ignored."""
	settings = settings or {}
	errors: list[str] = []
	values = {}
	for f in fields(Weights):
		raw = settings.get(f.name)
		if raw is None or raw == "":
			continue
		if f.name in _FLOORS and raw in NO_FLOOR:
			values[f.name] = None
		elif (value := _weight(f.name, raw, errors)) is not None:
			values[f.name] = value
	bands = dict(DEFAULT_BANDS)
	for g, key in BAND_FIELDS.items():
		raw = settings.get(key)
		if raw in (None, "", 0):
			continue
		if _number(raw) is None:
			errors.append(f"{key}: must be a number, not {raw!r}.")
		else:
			bands[g] = int(_number(raw)) if _number(raw).is_integer() else _number(raw)
	band_errors = validate_bands(bands)
	return Weights(**values), dict(DEFAULT_BANDS) if band_errors else bands, errors + band_errors


def validate_settings(settings: Mapping | None) -> list[str]:
	"""What is wrong with the grading settings; empty when they are usable (for the settings' save)."""
	return weights_from(settings)[2]


# --- the policy each grade follows by default ----------------------------------------------------------

STANDARD_POLICY, FIRM_POLICY, LEGAL_POLICY = "Standard Ladder", "Firm Ladder", "Legal Track"
LEGAL_TRACK_REVIEW_DAY = 61  # the D ladder's legal review from this day overdue
DEFAULT_GRADE_POLICIES = {A: STANDARD_POLICY, B: STANDARD_POLICY, C: STANDARD_POLICY, D: LEGAL_POLICY}
GRADE_APPROACH = {A: "Gentle", B: "Gentle", C: "Firmer", D: "Firm, then legal review"}

_COL, _SUP, _MGR, _OWN = roles.COLLECTOR, roles.SUPERVISOR, roles.MANAGER, roles.OWNER
_CALLS, _VISITS, _LETTERS = ("Phone", "SMS", "Email"), ("Phone", "Visit"), ("Letter",)
_PRE_DUE = lad.Stage("Pre-due Reminder", -7, 0, lad.REMINDER, ("Email", "SMS"), 0, _COL, row=1)

# Grade C: daily from the first day overdue, visits from the second week, escalated and locked sooner.
# Stage(name, from, to, action, channels, cadence, owner, escalate to, needs approval, row).
FIRM_LADDER = (
	_PRE_DUE,
	lad.Stage("Daily Follow-up", 1, 7, lad.FOLLOW_UP, _CALLS, 1, _COL, None, False, 2),
	lad.Stage("Visit", 8, 14, lad.FOLLOW_UP, _VISITS, 1, _COL, None, False, 3),
	lad.Stage("Supervisor", 15, 30, lad.ESCALATE, _VISITS, 1, _SUP, _SUP, False, 4),
	lad.Stage("Manager", 31, 60, lad.ESCALATE, _VISITS, 1, _SUP, _MGR, False, 5),
	lad.Stage("Stock Release Lock", 61, 90, lad.STOCK_LOCK, _VISITS, 1, _MGR, _OWN, True, 6),
	lad.Stage("Formal Letters", 91, None, lad.LETTER, _LETTERS, 7, _MGR, _OWN, True, 7),
)


def legal_track(review_day: int = LEGAL_TRACK_REVIEW_DAY) -> tuple[lad.Stage, ...]:
	"""Grade D: daily calls and visits, the manager from day 8, the lock from day 31 and, from
	``review_day`` on, a legal review (lawyer's letter with the owner's approval, R-B8, R-F2)."""
	if review_day < 32:
		raise ValueError(f"The legal review must come after the lock (day 31), not on day {review_day}.")
	return (
		_PRE_DUE,
		lad.Stage("Daily Follow-up", 1, 7, lad.FOLLOW_UP, (*_CALLS, "Visit"), 1, _COL, None, False, 2),
		lad.Stage("Manager", 8, 30, lad.ESCALATE, _VISITS, 1, _SUP, _MGR, False, 3),
		lad.Stage("Stock Release Lock", 31, review_day - 1, lad.STOCK_LOCK, _VISITS, 1, _MGR, _OWN, True, 4),
		lad.Stage(LEGAL_REVIEW, review_day, None, lad.LETTER, _LETTERS, 7, _MGR, _OWN, True, 5),
	)


# Every policy of the mapping with its ladder (the Standard Ladder is the source ladder).
GRADE_LADDERS = {STANDARD_POLICY: lad.DEFAULT_LADDER, FIRM_POLICY: FIRM_LADDER, LEGAL_POLICY: legal_track()}


def grade_policy_rows(policies: Mapping[str, str] = DEFAULT_GRADE_POLICIES) -> list[dict]:
	"""Rows of the settings' grade-policy table (Collection Grade Policy), best grade first."""
	return [
		{"grade": g, "policy": policies[g], "approach": GRADE_APPROACH[g]} for g in GRADES if g in policies
	]


def stage_rows(stages: Iterable[lad.Stage]) -> list[dict]:
	"""Rows of a Collection Policy's stages table, as the installer writes the source ladder."""
	return [
		{
			"stage_name": s.name,
			"from_day": s.from_day,
			"to_day": s.to_day or 0,
			"open_ended": int(s.to_day is None),
			"action": s.action,
			"channels": ", ".join(s.channels),
			"cadence_days": s.cadence_days,
			"owner_role": s.owner_role,
			"escalate_to_role": s.escalate_to_role,
			"needs_approval": int(s.needs_approval),
		}
		for s in stages
	]
