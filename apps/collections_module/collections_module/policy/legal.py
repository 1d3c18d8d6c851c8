"""Legal and outsourced collection: the kinds of action, their stages, when to propose one, and what
they brought back.

When the collector's own work fails, the case moves on to measures outside the team: a collection
agency (委外/外包催收), a lawyer's letter, a lawsuit prepared with its evidence, enforcement of the
judgment (seizure, wage garnishment, freezing of assets), debt restructuring for a debtor willing but
unable to pay, or disposal as a non-performing asset. Each kind of action goes through its stages in a
fixed order. A stage may not be skipped or gone back to — except Closed, reachable from any stage,
because an action can end at any point (the debtor pays, the agency returns the case, the claim is
withdrawn).

A customer who does not cooperate or cannot be reached is reported to legal (不配合催收或无法联系到客户,
应及时向法务部门汇报). The system proposes the review — lost contact, or broken promises up to a
threshold — and legal decides; the proposal says why in a template with arguments, translated by the
caller.

The outcome evaluation (催收结果的评估) sums, per policy, stage, grade, channel or collector, what was
recovered and what it cost: return on cost = recovered ÷ cost, and the average days to recover.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# --- kinds of action and their stages --------------------------------------------------------------

AGENCY_REFERRAL = "Agency Referral"  # R-F1
LAWYERS_LETTER = "Lawyer's Letter"  # R-F2, R-B8
LAWSUIT = "Lawsuit"  # R-F2
ENFORCEMENT = "Enforcement"  # R-F2
RESTRUCTURING = "Restructuring"  # R-F3
NON_PERFORMING_DISPOSAL = "Non-Performing Disposal"  # R-F3

LEGAL_TYPES = (AGENCY_REFERRAL, LAWYERS_LETTER, LAWSUIT, ENFORCEMENT, RESTRUCTURING, NON_PERFORMING_DISPOSAL)

CLOSED = "Closed"

STAGES = {
	AGENCY_REFERRAL: ("Referred", "Working", "Returned", CLOSED),
	# The owner approves before the letter goes out (R-B8); the desk gives "Approved" to that role only.
	LAWYERS_LETTER: ("Requested", "Approved", "Sent", CLOSED),
	# Filing needs the evidence prepared (R-F2): see stage_errors.
	LAWSUIT: ("Filed", "Hearing", "Judgment", "Enforcement", CLOSED),
	ENFORCEMENT: ("Applied", "Measures Ordered", "Recovering", CLOSED),
	# A restructured plan needs approval (R-C8).
	RESTRUCTURING: ("Proposed", "Approved", "Repaying", CLOSED),
	NON_PERFORMING_DISPOSAL: ("Identified", "Referred", "Disposed", CLOSED),
}

ENFORCEMENT_MEASURES = ("Seizure", "Wage Garnishment", "Asset Freeze")  # 查封、扣划工资、冻结资产

# Stages an approver, not the collector, sets (the desk restricts them to the approving role).
APPROVAL_STAGES = frozenset({(LAWYERS_LETTER, "Approved"), (RESTRUCTURING, "Approved")})

# Stages that need the evidence prepared before they are entered.
EVIDENCE_STAGES = frozenset({(LAWSUIT, "Filed")})


def stages(legal_type: str) -> tuple[str, ...]:
	try:
		return STAGES[legal_type]
	except KeyError:
		raise ValueError(f"Unknown legal action type: {legal_type}") from None


def next_stages(legal_type: str, current: str | None) -> tuple[str, ...]:
	"""The stages an action may move to from ``current`` (None or "" for a new action): the next one in
	order, and Closed from any stage; nothing once closed."""
	order = stages(legal_type)
	if not current:
		return order[:1]
	if current not in order:
		raise ValueError(f"{current} is not a stage of {legal_type}")
	if current == CLOSED:
		return ()
	following = order[order.index(current) + 1]
	return (following,) if following == CLOSED else (following, CLOSED)


def stage_errors(
	legal_type: str, current: str | None, new: str, evidence_ready: bool = False
) -> list[tuple[str, tuple]]:
	"""Why ``current`` → ``new`` is refused, as (template, args); empty when it is allowed."""
	errors: list[tuple[str, tuple]] = []
	if new not in next_stages(legal_type, current):
		errors.append(("{0}: cannot move from {1} to {2}", (legal_type, current or "new", new)))
	if (legal_type, new) in EVIDENCE_STAGES and not evidence_ready:
		errors.append(("{0}: prepare the evidence before {1}", (legal_type, new)))
	return errors


# --- proposing a legal review (R-F4) ---------------------------------------------------------------

LOST_CONTACT_REASON = "the customer cannot be reached"
BROKEN_REASON = "{0} broken promises, the threshold is {1}"
BOTH_REASON = "the customer cannot be reached and broke {0} promises, the threshold is {1}"
NOT_YET_REASON = "{0} broken promises, below the threshold of {1}"
OFF_REASON = "reachable; no threshold of broken promises is set"


def propose_legal_review(lost_contact: bool, broken_promises: int, threshold: int) -> tuple[bool, str, tuple]:
	"""Whether to propose the case to legal, and why: (propose, template, args). A threshold of 0 or
	less switches the broken-promise trigger off (a setting left blank); lost contact always counts."""
	broken = max(int(broken_promises or 0), 0)
	threshold = int(threshold or 0)
	uncooperative = threshold > 0 and broken >= threshold
	if lost_contact and uncooperative:
		return True, BOTH_REASON, (broken, threshold)
	if lost_contact:
		return True, LOST_CONTACT_REASON, ()
	if uncooperative:
		return True, BROKEN_REASON, (broken, threshold)
	if threshold <= 0:
		return False, OFF_REASON, ()
	return False, NOT_YET_REASON, (broken, threshold)


# --- outcome evaluation (R-G6) ---------------------------------------------------------------------

OUTCOME_KEYS = ("policy", "stage", "grade", "channel", "collector")


@dataclass(frozen=True)
class OutcomeInput:
	"""One case (or action) of the evaluation; amounts in the company currency."""

	recovered: float = 0.0
	cost: float = 0.0  # agency fees, legal fees, visits…
	days_to_recover: float | None = None  # None while nothing is recovered
	policy: str = ""
	stage: str = ""
	grade: str = ""
	channel: str = ""
	collector: str = ""


@dataclass(frozen=True)
class Outcome:
	key: str
	cases: int
	recovered: float
	cost: float
	return_on_cost: float | None  # recovered ÷ cost; None when nothing was spent
	recovered_cases: int  # cases that recovered anything
	avg_days_to_recover: float | None  # over the cases that give their days; None when none does

	@property
	def net(self) -> float:
		return self.recovered - self.cost


def _get(row, name: str):
	"""A field of a row given as a mapping (a query's dict) or an object (OutcomeInput)."""
	return row.get(name) if isinstance(row, Mapping) else getattr(row, name, None)


def _money(x) -> float:
	return 0.0 if x is None or not math.isfinite(float(x)) else float(x)


def _outcome(key: str, rows: list) -> Outcome:
	recovered = math.fsum(_money(_get(r, "recovered")) for r in rows)
	cost = math.fsum(_money(_get(r, "cost")) for r in rows)
	days = [float(d) for r in rows if (d := _get(r, "days_to_recover")) is not None and math.isfinite(d)]
	return Outcome(
		key=key,
		cases=len(rows),
		recovered=recovered,
		cost=cost,
		return_on_cost=recovered / cost if cost > 0 else None,
		recovered_cases=sum(_money(_get(r, "recovered")) > 0 for r in rows),
		avg_days_to_recover=math.fsum(days) / len(days) if days else None,
	)


def outcome_rows(rows: Iterable, by: str) -> list[Outcome]:
	"""The outcome per value of ``by`` (one of OUTCOME_KEYS), in sorted order; a row without a value
	is in the group ""."""
	if by not in OUTCOME_KEYS:
		raise ValueError(f"Cannot group the outcome by {by}: one of {', '.join(OUTCOME_KEYS)}")
	groups: dict[str, list] = {}
	for r in rows:
		groups.setdefault(str(_get(r, by) or ""), []).append(r)
	return [_outcome(k, groups[k]) for k in sorted(groups)]


def outcome_total(rows: Iterable) -> Outcome:
	"""The outcome of all rows together (the report's total line), key ""."""
	return _outcome("", list(rows))
