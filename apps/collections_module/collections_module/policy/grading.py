"""Risk grade A–D of a customer or case from stated facts, with the points of each (R-E3, R-G3).

The source sets the strategy by the debtor's profile: its payment history and credit, the amount and
age of the debt, whether it can be reached; good credit gets gentle methods (phone, letter), poor
credit firmer ones (visits, legal), long-overdue debts legal action or asset preservation; risky
customers get more intensity, malicious defaulters are blacklisted. Here each fact adds points, the
sum is the score, and the score falls in a grade band: A (low risk) to D (high risk). Every fact and
its points is listed, so the case shows why it has its grade; a blacklisted customer is at least D
whatever its score.

Every weight is a field of ``Weights`` whose default is the module constant below, and the bands are a
settings-like dict: an administrator changes them, the code does not. All points are non-negative and
grow with the fact, so a worse fact never improves the score nor the grade.

Default points (a score of 0 is a perfect record):

- payment history: up to 20 for the share of past invoices paid late (or still unpaid past due);
  5 when there is no history yet; up to 15 more for paying on average late, in full from 60 days;
- 8 per broken promise, at most 3 counted (24);
- amount outstanding: 5 from 50,000, 10 from 200,000, 15 from 1,000,000 (company currency);
- days overdue: 5 from 31 days, 10 from 61, 20 from 91, 30 from 181 (the ladder's month marks);
- lost contact 20, disputed 10, blacklisted 30 and at least grade D.

Default bands (score from which the grade applies): A 0, B 20, C 40, D 60. A customer that paid 1 of
10 invoices late, on average 5 days late, now 20 days overdue on 20,000 scores 2 + 1 = 3 (A); one
that paid 5 of 10 late, broke two promises, lost contact and is 120 days overdue scores
10 + 16 + 20 + 20 = 66 (D).

A debt overdue beyond ``legal_review_days`` (default 180) is proposed for a legal review and graded at
least D whatever its score (R-E3: long overdue -> legal action). Repayments on client-handed debts
count in the payment history like paid invoices (``history_input(..., debts=...)``). Weights, bands
and the threshold are read from the settings, and each grade's default policy is defined, in
grade_settings.py.

Factors are (template, args, points): the caller translates the template, then fills it.
"""

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

A, B, C, D = "A", "B", "C", "D"
GRADES = (A, B, C, D)  # best to worst

CONTACTABLE, LOST_CONTACT = "Contactable", "Lost Contact"  # as classified by filtering (R-E4)

# The score from which each grade applies.
DEFAULT_BANDS = {A: 0, B: 20, C: 40, D: 60}

LATE_SHARE_POINTS = 20  # every past invoice paid late
NO_HISTORY_POINTS = 5  # no past invoice due yet: a little unknown
DAYS_LATE_POINTS = 15  # paying on average DAYS_LATE_FULL days late or more
DAYS_LATE_FULL = 60.0
BROKEN_PROMISE_POINTS = 8  # per broken promise
BROKEN_PROMISE_MAX = 3  # broken promises counted at most
AMOUNT_STEPS = ((50_000, 5), (200_000, 10), (1_000_000, 15))  # (from amount, points)
AGE_STEPS = ((31, 5), (61, 10), (91, 20), (181, 30))  # (from days overdue, points)
LOST_CONTACT_POINTS = 20
DISPUTED_POINTS = 10
BLACKLISTED_POINTS = 30
BLACKLISTED_FLOOR = D  # a blacklisted customer is graded at least this (R-G4)
LEGAL_REVIEW_DAYS = 180  # overdue beyond this: legal review (R-E3, R-F2); 0 = off
LEGAL_REVIEW_FLOOR = D  # ... and graded at least this

LEGAL_REVIEW = "Legal Review"  # the measure added to a long-overdue debt
# Suggested methods per grade (R-E3): gentle for good credit, firmer for poor, legal for the worst.
DEFAULT_MEASURES = {
	A: ("Phone", "Letter"),
	B: ("Phone", "SMS", "Email", "Letter"),
	C: ("Phone", "Visit", "Letter"),
	D: ("Visit", "Legal", "Asset Preservation"),
}


@dataclass(frozen=True)
class Weights:
	late_share_points: float = LATE_SHARE_POINTS
	no_history_points: float = NO_HISTORY_POINTS
	days_late_points: float = DAYS_LATE_POINTS
	days_late_full: float = DAYS_LATE_FULL
	broken_promise_points: float = BROKEN_PROMISE_POINTS
	broken_promise_max: int = BROKEN_PROMISE_MAX
	amount_steps: tuple[tuple[float, float], ...] = AMOUNT_STEPS
	age_steps: tuple[tuple[int, float], ...] = AGE_STEPS
	lost_contact_points: float = LOST_CONTACT_POINTS
	disputed_points: float = DISPUTED_POINTS
	blacklisted_points: float = BLACKLISTED_POINTS
	blacklisted_floor: str | None = BLACKLISTED_FLOOR
	legal_review_days: int = LEGAL_REVIEW_DAYS
	legal_review_floor: str | None = LEGAL_REVIEW_FLOOR


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class GradeInput:
	"""The stated facts of a customer (or a case and its customer); amounts in the company currency."""

	invoices_due: int = 0  # past invoices (and debts) whose due date has passed
	invoices_late: int = 0  # of those, paid after the due date or still unpaid
	avg_days_late: float | None = None  # over the paid ones (None = unknown)
	promises_broken: int = 0
	amount: float = 0.0  # overdue outstanding
	days_overdue: int = 0  # of the oldest unpaid term
	contact: str | None = None  # Contactable / Lost Contact / None = not filtered yet
	blacklisted: bool = False
	disputed: bool = False
	debts_due: int = 0  # of invoices_due, how many are client-handed debts (for the wording)


@dataclass(frozen=True)
class Grade:
	grade: str
	score: int
	factors: tuple[tuple[str, tuple, int], ...]  # (template, args, points), most points first
	legal_review: bool = False  # overdue beyond the legal-review threshold

	@property
	def text(self) -> str:
		return grade_text(self, lambda template: template)


def _finite(x: float | None, default: float = 0.0) -> float:
	return default if x is None or not math.isfinite(x) else float(x)


def _points(x: float) -> int:
	"""Whole points, halves up (monotonic: a bigger x never gives fewer points)."""
	x = max(x, 0.0)
	if not math.isfinite(x + 0.5):  # absurd settings (points near the float limit): capped, not a crash
		return 10**9
	return min(math.floor(x + 0.5), 10**9)


def _step(value: float, steps) -> float:
	reached = [points for start, points in steps if value >= start]
	return max(reached, default=0)


def long_overdue(days_overdue: float, w: Weights = DEFAULT_WEIGHTS) -> bool:
	"""Overdue beyond the legal-review threshold (a threshold of 0 or less switches it off)."""
	limit = int(_finite(w.legal_review_days))
	return limit > 0 and int(max(_finite(days_overdue), 0)) > limit


HISTORY_TEMPLATES = (
	"{0} of {1} invoices paid late or still unpaid",
	"{0} of {1} debts repaid late or still unpaid",
	"{0} of {1} invoices and debts paid late or still unpaid",
)
LEGAL_TEMPLATES = ("{0} days overdue: legal review, grade {1} at best", "{0} days overdue: legal review")


def factors(i: GradeInput, w: Weights = DEFAULT_WEIGHTS) -> list[tuple[str, tuple, int]]:
	"""Each stated fact with its points, in a fixed order."""
	out: list[tuple[str, tuple, int]] = []
	due = max(int(i.invoices_due), 0)
	late = min(max(int(i.invoices_late), 0), due)
	if not due:
		out.append(("no payment history yet", (), _points(w.no_history_points)))
	else:
		debts = min(max(int(i.debts_due), 0), due)
		template = HISTORY_TEMPLATES[0 if not debts else 1 if debts == due else 2]
		out.append((template, (late, due), _points(w.late_share_points * late / due)))
	if due and i.avg_days_late is not None:
		days_late = max(_finite(i.avg_days_late), 0.0)
		full = max(_finite(w.days_late_full, 1.0), 1.0)
		points = _points(w.days_late_points * min(days_late / full, 1.0))
		shown = _points(days_late)
		if shown == 0:
			out.append(("usually on time", (), points))
		else:
			out.append(
				("1 day late on average", (), points)
				if shown == 1
				else ("on average {0} days late", (shown,), points)
			)
	broken = max(int(i.promises_broken), 0)
	if broken:
		points = _points(w.broken_promise_points * min(broken, max(int(w.broken_promise_max), 0)))
		out.append(
			("broke 1 promise", (), points) if broken == 1 else ("broke {0} promises", (broken,), points)
		)
	amount = max(_finite(i.amount), 0.0)
	out.append(("{0} outstanding", (round(amount, 2),), _points(_step(amount, w.amount_steps))))
	days = int(max(_finite(i.days_overdue), 0))
	age_points = _points(_step(days, w.age_steps))
	if long_overdue(days, w):
		floor = w.legal_review_floor
		out.append(
			(LEGAL_TEMPLATES[0], (days, floor), age_points)
			if floor
			else (LEGAL_TEMPLATES[1], (days,), age_points)
		)
	elif days == 0:
		out.append(("not overdue", (), age_points))
	else:
		out.append(
			("1 day overdue", (), age_points) if days == 1 else ("{0} days overdue", (days,), age_points)
		)
	if i.contact == LOST_CONTACT:
		out.append(("lost contact", (), _points(w.lost_contact_points)))
	elif i.contact == CONTACTABLE:
		out.append(("contactable", (), 0))
	if i.disputed:
		out.append(("disputes the debt", (), _points(w.disputed_points)))
	if i.blacklisted:
		if w.blacklisted_floor:
			out.append(
				("blacklisted: grade {0} at best", (w.blacklisted_floor,), _points(w.blacklisted_points))
			)
		else:
			out.append(("blacklisted", (), _points(w.blacklisted_points)))
	return out


def validate_bands(bands: dict[str, float]) -> list[str]:
	"""Problems with a band table; empty when it is usable."""
	missing = [g for g in GRADES if g not in bands]
	if missing:
		return [f"Grade {g} needs a starting score." for g in missing]
	errors = []
	if bands[A] != 0:
		errors.append(f"Grade A must start at a score of 0, not {bands[A]}.")
	for better, worse in itertools.pairwise(GRADES):
		if bands[worse] <= bands[better]:
			errors.append(
				f"Grade {worse} must start at a higher score than grade {better} ({bands[worse]} ≤ {bands[better]})."
			)
	return errors


def grade_for(score: float, bands: dict[str, float] = DEFAULT_BANDS) -> str:
	"""The worst grade whose starting score the score reaches; A below every start."""
	for g in reversed(GRADES):
		if g in bands and score >= bands[g]:
			return g
	return A


def worse_of(a: str, b: str) -> str:
	return GRADES[max(GRADES.index(a), GRADES.index(b))]


def grade(i: GradeInput, w: Weights = DEFAULT_WEIGHTS, bands: dict[str, float] = DEFAULT_BANDS) -> Grade:
	"""The grade, its score and the facts behind it (R-E3, R-G3)."""
	fs = factors(i, w)
	score = sum(points for _, _, points in fs)
	g = grade_for(score, bands)
	if i.blacklisted and w.blacklisted_floor in GRADES:
		g = worse_of(g, w.blacklisted_floor)
	legal = long_overdue(i.days_overdue, w)
	if legal and w.legal_review_floor in GRADES:
		g = worse_of(g, w.legal_review_floor)
	ordered = sorted(fs, key=lambda f: -f[2])  # stable: equal points keep the fixed order
	return Grade(grade=g, score=score, factors=tuple(ordered), legal_review=legal)


LEGAL_REVIEW_REASON = "{0} days overdue, beyond the {1} days after which a debt goes to legal review"


def legal_review_proposal(days_overdue: int, w: Weights = DEFAULT_WEIGHTS) -> tuple[bool, str, tuple]:
	"""(propose, template, args), as ``legal.propose_legal_review`` gives them (R-E3, R-F4)."""
	if not long_overdue(days_overdue, w):
		return False, "", ()
	return True, LEGAL_REVIEW_REASON, (int(days_overdue), int(w.legal_review_days))


def _letter(g: "Grade | str | None") -> str | None:
	return g.grade if isinstance(g, Grade) else g or None


def grade_change(old: "Grade | str | None", new: "Grade | str | None") -> bool:
	"""Whether a regrading is worth a line in the case's log: the letter changed (a first grade
	counts; a score moving within the same band does not)."""
	return _letter(new) is not None and _letter(old) != _letter(new)


def measures(g: "Grade | str", table: dict[str, tuple[str, ...]] = DEFAULT_MEASURES) -> tuple[str, ...]:
	"""The methods suggested for a grade (R-E3); a long-overdue debt adds the legal review."""
	out = tuple(table.get(_letter(g) or "", ()))
	if isinstance(g, Grade) and g.legal_review and LEGAL_REVIEW not in out:
		out += (LEGAL_REVIEW,)
	return out


def grade_text(g: Grade, translate) -> str:
	"""'C (45): 100 days overdue +20, broke 2 promises +16, ...'; ``translate`` maps each template.
	A legal-review fact is shown even at 0 points: it sets the grade."""
	parts = [
		f"{translate(t).format(*(translate(a) if isinstance(a, str) else a for a in args))} +{points}"
		for t, args, points in g.factors
		if points or t in LEGAL_TEMPLATES
	]
	head = f"{g.grade} ({g.score})"
	return f"{head}: {', '.join(parts)}" if parts else head


def bands_from(b_from: float, c_from: float, d_from: float) -> dict[str, float]:
	"""The band table from the three starting scores an administrator sets (A always starts at 0)."""
	return {A: 0, B: b_from, C: c_from, D: d_from}


def effective_grade(computed: str | None, override: str | None) -> str | None:
	"""The grade a case is worked by: a supervisor's override, else the computed grade."""
	return override if override in GRADES else computed or None


# --- payment history: invoices and client-handed debts (R-E3) ----------------------------------------


@dataclass(frozen=True)
class PaymentRecord:
	"""Past obligations due (invoices or debts): how many, still unpaid, paid late, and the average days
	late of the paid ones."""

	due: int = 0
	unpaid: int = 0
	paid_late: int = 0
	avg_days_late: float | None = None


@dataclass(frozen=True)
class DebtRecord:
	"""A client-handed debt: its due date, what was owed then, and its repayments (date, amount)."""

	due_date: date | None  # None: not counted
	amount: float
	repayments: tuple[tuple[date, float], ...] = ()


def debt_record(debts: Iterable[DebtRecord], today: date, tolerance: float = 0.005) -> PaymentRecord:
	"""Debts as invoices count: due once the due date has passed; paid on the day the repayments reach
	the amount (late when after the due date); repayments after ``today`` are not known yet."""
	due = unpaid = paid_late = 0
	late_days = []
	for d in debts:
		if d.due_date is None or d.due_date >= today:
			continue
		due += 1
		owed, paid_on = max(_finite(d.amount), 0.0), d.due_date if _finite(d.amount) <= 0 else None
		for on, amount in sorted(r for r in d.repayments if r[0] <= today):
			owed -= _finite(amount)
			if paid_on is None and owed <= tolerance:
				paid_on = on
		if paid_on is None:
			unpaid += 1
			continue
		late_days.append(max((paid_on - d.due_date).days, 0))
		paid_late += late_days[-1] > 0
	avg = sum(late_days) / len(late_days) if late_days else None
	return PaymentRecord(due, unpaid, paid_late, avg)


def _combined_avg(a: PaymentRecord, b: PaymentRecord) -> float | None:
	"""The average days late over both, weighted by the paid ones of each."""
	known = [(r.avg_days_late, max(r.due - r.unpaid, 0)) for r in (a, b) if r.avg_days_late is not None]
	if len(known) < 2:
		return known[0][0] if known else None
	weight = sum(n for _, n in known)
	return sum(x * n for x, n in known) / weight if weight else known[0][0]


def history_input(
	due: int,
	late_unpaid: int,
	paid_late: int,
	avg_days_late: float | None,
	*,
	debts: "PaymentRecord | Iterable[DebtRecord] | None" = None,
	today: date | None = None,
	**facts,
) -> GradeInput:
	"""GradeInput from a customer's invoice record — the invoices due, how many are still unpaid, how
	many were paid late — and its debts' repayments: a PaymentRecord, or DebtRecords (with ``today``)."""
	invoices = PaymentRecord(due, late_unpaid, paid_late, avg_days_late)
	if debts is not None and not isinstance(debts, PaymentRecord):
		if today is None:
			raise ValueError("Debt repayments are counted as of a date: give today.")
		debts = debt_record(debts, today)
	debts = debts or PaymentRecord()
	return GradeInput(
		invoices_due=invoices.due + debts.due,
		invoices_late=late_unpaid + paid_late + debts.unpaid + debts.paid_late,
		avg_days_late=_combined_avg(invoices, debts),
		debts_due=debts.due,
		**facts,
	)
