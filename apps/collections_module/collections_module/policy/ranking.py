"""Which case to call first today: the expected recovery of a contact, and why (My Day).

The expected recovery of a case is its overdue amount times the likelihood that a contact today leads
to payment. The likelihood is learned from the customer's own record — the share of its past invoices
it paid and how late, the promises it kept or broke — and falls as the debt ages and climbs the
ladder. Every factor is a number in [0, 1], so the likelihood is too, and the amount only multiplies:
more overdue never lowers the expected recovery, all else equal.

The reasons are templates with arguments ("pays {0} of {1} invoices", (8, 10)): the caller translates
each template, then fills it, so the sentence reads in the user's language.
"""

import math
from dataclasses import dataclass

KEPT, BROKEN = "Kept", "Broken"

HIGH, MEDIUM, LOW = "High", "Medium", "Low"
HIGH_FROM = 0.5  # likelihood from which a case is a good bet today
MEDIUM_FROM = 0.25

# Weights and scales of the model (days are where a factor halves).
HISTORY_WEIGHT = 0.65  # the invoices' record; the rest is the promises' record
LATENESS_HALF_DAYS = 30.0  # paying on average this many days late halves the punctuality factor
AGE_HALF_DAYS = 90.0  # a debt this many days overdue is half as likely to be paid on a contact
STAGE_STEP = 0.1  # each escalation level above the collector's lowers the likelihood a little
MAX_STAGE_LEVEL = 4  # collector, supervisor, manager, general manager, owner


@dataclass(frozen=True)
class RankInput:
	"""What is known of a case and its customer on the day (amounts in the company currency)."""

	amount: float  # overdue outstanding of the case
	days_overdue: int = 0  # of the oldest unpaid term
	stage: str = ""  # the ladder stage's name (for the reason)
	stage_level: int = 0  # 0 = a collector's stage .. 4 = the owner's
	invoices_due: int = 0  # the customer's past invoices whose due date has passed
	invoices_paid: int = 0  # of those, paid in full
	avg_days_late: float | None = None  # over the paid ones (None = none paid)
	promises_kept: int = 0
	promises_broken: int = 0
	last_promise: str | None = None  # the last settled promise: Kept / Broken / None


@dataclass(frozen=True)
class Rank:
	score: float  # the expected recovery: amount × likelihood
	likelihood: float  # in [0, 1]
	band: str  # High / Medium / Low likelihood
	reasons: tuple[tuple[str, tuple], ...]  # (template, args), most telling first

	@property
	def text(self) -> str:
		"""The reason in English ("High: pays 8 of 10 invoices, kept its last promise, 12 days overdue")."""
		return reason_text(self, lambda template: template)


def _finite(x: float | None, default: float = 0.0) -> float:
	return default if x is None or not math.isfinite(x) else float(x)


def history_factor(due: int, paid: int, avg_days_late: float | None) -> float:
	"""Share of past invoices paid (smoothed: a customer with no history counts as even), lowered
	for paying late."""
	due = max(int(due), 0)
	paid = min(max(int(paid), 0), due)
	share = (paid + 1) / (due + 2)
	late = max(_finite(avg_days_late), 0.0) if paid else 0.0
	punctuality = 1 / (1 + late / LATENESS_HALF_DAYS)
	return share * (0.5 + 0.5 * punctuality)


def promise_factor(kept: int, broken: int, last: str | None) -> float:
	"""Share of promises kept (smoothed), the last settled promise counting twice."""
	kept, broken = max(int(kept), 0), max(int(broken), 0)
	kept += last == KEPT
	broken += last == BROKEN
	return (kept + 1) / (kept + broken + 2)


def age_factor(days_overdue: int) -> float:
	return 1 / (1 + max(_finite(days_overdue), 0.0) / AGE_HALF_DAYS)


def stage_factor(level: int) -> float:
	return 1 / (1 + STAGE_STEP * min(max(int(level or 0), 0), MAX_STAGE_LEVEL))


def likelihood(i: RankInput) -> float:
	behaviour = HISTORY_WEIGHT * history_factor(i.invoices_due, i.invoices_paid, i.avg_days_late) + (
		1 - HISTORY_WEIGHT
	) * promise_factor(i.promises_kept, i.promises_broken, i.last_promise)
	value = behaviour * age_factor(i.days_overdue) * stage_factor(i.stage_level)
	return min(max(value, 0.0), 1.0)


def band(p: float) -> str:
	return HIGH if p >= HIGH_FROM else MEDIUM if p >= MEDIUM_FROM else LOW


def reasons(i: RankInput) -> list[tuple[str, tuple]]:
	out: list[tuple[str, tuple]] = []
	due = max(int(i.invoices_due), 0)
	paid = min(max(int(i.invoices_paid), 0), due)
	if not due:
		out.append(("no payment history yet", ()))
	else:
		out.append(("pays {0} of {1} invoices", (paid, due)))
		if paid and i.avg_days_late is not None:
			late = round(max(_finite(i.avg_days_late), 0.0))
			out.append(("usually on time", ()) if late <= 0 else ("on average {0} days late", (late,)))
	if i.last_promise == KEPT:
		out.append(("kept its last promise", ()))
	elif i.last_promise == BROKEN:
		out.append(("broke its last promise", ()))
	settled = max(int(i.promises_kept), 0) + max(int(i.promises_broken), 0)
	if settled > 1:
		out.append(("kept {0} of {1} promises", (max(int(i.promises_kept), 0), settled)))
	days = int(max(_finite(i.days_overdue), 0))
	out.append(("1 day overdue", ()) if days == 1 else ("{0} days overdue", (days,)))
	if i.stage and i.stage_level > 0:
		out.append(("escalated to the {0} stage", (i.stage,)))
	return out


def rank(i: RankInput, explain: bool = True) -> Rank:
	"""The case's expected recovery, likelihood and band; with ``explain``, the reasons too (a caller
	ranking thousands of cases explains only the ones it shows)."""
	p = likelihood(i)
	amount = max(_finite(i.amount), 0.0)
	return Rank(score=amount * p, likelihood=p, band=band(p), reasons=tuple(reasons(i)) if explain else ())


def upper_bound(amount: float, days_overdue: int) -> float:
	"""The most a case of this amount and age can score, whatever its customer's record and stage (both
	factors are at most 1): a caller that reads cases in this order can stop once its best rows score
	above the next case's bound. In SQL: greatest(amount, 0) / (1 + greatest(days, 0) / AGE_HALF_DAYS)."""
	return max(_finite(amount), 0.0) * age_factor(days_overdue)


def reason_text(r: Rank, translate) -> str:
	"""The reason as one sentence; ``translate`` maps each template (and text argument) to the
	user's language."""
	parts = [
		translate(template).format(*(translate(a) if isinstance(a, str) else a for a in args))
		for template, args in r.reasons
	]
	return translate("{0}: {1}").format(translate(r.band), ", ".join(parts))
