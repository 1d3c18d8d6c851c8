"""Which recorded calls a supervisor reviews this week, and the review's score.

Supervisors listen to a random sample of call recordings (定期随机听取电话催收录音) and review the
quality of the work. The sample must be fair to every collector and impossible to argue with: each
collector gets their own share — percent of their calls, rounded up, and at least ``minimum`` when
they made any — so a quiet collector is not skipped and a busy one does not fill the sample alone.

The draw is reproducible: the same seed and the same calls give the same sample on any machine, in
any input order. Each call's place in the draw is the SHA-256 of the seed and its id, and each
collector's sample is the first calls in that order — no state of Python's ``random``, nothing that
depends on how the desk listed the calls. A larger percent only adds calls to a smaller one's sample.

The weekly seed is an HMAC of the ISO week under a key of the site: a supervisor can redo the draw
and an auditor can check it from the seed stored with the sample, but a collector who knows the week
cannot compute which calls will be heard — the site key must stay secret — and one week's seed tells
nothing of another's.

The review is a checklist of what the rules require of every call; the score is the weighted share of
items respected, 0 to 100.
"""

import hashlib
import hmac
import math
from collections.abc import Iterable, Mapping
from datetime import date

# --- the draw --------------------------------------------------------------------------------------


def sample_size(n: int, percent: float, minimum: int = 1) -> int:
	"""How many of a collector's ``n`` calls to review: ceil(percent % of n), at least ``minimum``
	when there is any call, never more than n."""
	n = max(int(n), 0)
	if not n:
		return 0
	percent = _percent(percent)
	# Rounded first so that 10 % of 30 is 3, not ceil(3.0000000000000004) = 4.
	size = math.ceil(round(percent * n / 100, 9))
	return min(max(size, max(int(minimum), 0)), n)


def _percent(percent: float) -> float:
	percent = float(percent)
	if math.isnan(percent):
		raise ValueError("The sampling percent is not a number")
	return min(max(percent, 0.0), 100.0)


def draw_key(seed: str, contact: str) -> str:
	"""The place of a call in the draw (a unit separator keeps "ab"+"c" apart from "a"+"bc")."""
	return hashlib.sha256(f"{seed}\x1f{contact}".encode()).hexdigest()


def sample(
	contacts_by_collector: Mapping[str, Iterable[str]], percent: float, seed: str, minimum: int = 1
) -> dict[str, tuple[str, ...]]:
	"""The calls to review per collector (collectors in sorted order, each one's ids sorted; a
	collector without calls gets an empty tuple). The same id listed twice is one call."""
	out = {}
	for collector in sorted(contacts_by_collector):
		ids = sorted({str(c) for c in contacts_by_collector[collector]})
		k = sample_size(len(ids), percent, minimum)
		drawn = sorted(ids, key=lambda c: (draw_key(seed, c), c))[:k]
		out[collector] = tuple(sorted(drawn))
	return out


def week_seed(iso_year: int, iso_week: int, site_key: str) -> str:
	"""The seed of an ISO week's draw: HMAC-SHA-256 of "2026-W23" under the site's secret key."""
	date.fromisocalendar(iso_year, iso_week, 1)  # ValueError for a week the year does not have
	if not site_key:
		raise ValueError("A site key is needed: without one, anyone can compute the sample")
	message = f"{iso_year:04d}-W{iso_week:02d}".encode()
	return hmac.new(site_key.encode(), message, hashlib.sha256).hexdigest()


# --- the review ------------------------------------------------------------------------------------

IDENTITY_AND_DEBT_CONFIRMED = "Identity and debt confirmed"  # R-C7: verified before collecting
IDENTITY_DISCLOSED = "Collector disclosed own identity"  # the collector says who they are and for whom
POLITE_LANGUAGE = "Polite language"  # R-C9, R-C10: civil even when the debtor is not
NO_THREATS = "No threats or insults"  # R-C10
NO_THIRD_PARTY_DISCLOSURE = "No debt disclosed to third parties"  # R-G5, R-C5
AMOUNTS_CORRECT = "Amounts stated correctly"  # R-C10: never over- or understated
CONTACT_RULES_RESPECTED = "Contact rules respected"  # R-C2, R-C3, R-C8: hours, frequency, no waivers

QUALITY_CHECKLIST = (
	IDENTITY_AND_DEBT_CONFIRMED,
	IDENTITY_DISCLOSED,
	POLITE_LANGUAGE,
	NO_THREATS,
	NO_THIRD_PARTY_DISCLOSURE,
	AMOUNTS_CORRECT,
	CONTACT_RULES_RESPECTED,
)


def score(checks: Mapping[str, bool], weights: Mapping[str, float] | None = None) -> float:
	"""The weighted share of checklist items respected, 0 to 100. Every item counts: one the reviewer
	did not tick is not respected (each is phrased so that it applies to any call). Items weigh 1
	unless ``weights`` says otherwise; an item unknown to the checklist is refused, so a misspelt key
	cannot silently score."""
	weights = dict(weights or {})
	unknown = sorted((set(checks) | set(weights)) - set(QUALITY_CHECKLIST))
	if unknown:
		raise ValueError(f"Not on the quality checklist: {', '.join(unknown)}")
	w = {item: float(weights.get(item, 1.0)) for item in QUALITY_CHECKLIST}
	if any(not math.isfinite(x) or x < 0 for x in w.values()):
		raise ValueError("Checklist weights must be finite and not negative")
	total = math.fsum(w.values())
	if total <= 0:
		raise ValueError("At least one checklist item must weigh more than 0")
	passed = math.fsum(w[item] for item in QUALITY_CHECKLIST if checks.get(item))
	return 100.0 * passed / total
