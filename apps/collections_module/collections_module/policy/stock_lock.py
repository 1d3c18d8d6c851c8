"""Stock-release locks (R-B7) and the blacklist (R-G4): when a shipment is refused, when a lock is
proposed, when its release is proposed.

Nothing blocks until the owner (老板) approves. Invoicing goods already shipped is never blocked
(erpnext #37888): only documents that move stock out, or that promise to (Sales Orders, if the
administrator chooses), are held.
"""

from dataclasses import dataclass
from datetime import date

# Lock workflow states.
PROPOSED = "Proposed"
APPROVED = "Approved"
ACTIVE = "Active"
RELEASE_PROPOSED = "Release Proposed"
RELEASED = "Released"
REJECTED = "Rejected"
LIVE_STATES = (PROPOSED, APPROVED, ACTIVE, RELEASE_PROPOSED)  # a customer has at most one live lock
BLOCKING_STATES = (ACTIVE, RELEASE_PROPOSED)  # still blocks until the owner releases it


def ships_goods(doctype: str, update_stock: bool = False) -> bool:
	"""Documents that take goods out of the warehouse. A (POS) invoice only does with 'Update Stock'."""
	if doctype in ("Delivery Note", "Pick List"):
		return True
	return doctype in ("Sales Invoice", "POS Invoice") and bool(update_stock)


def is_held(doctype: str, update_stock: bool = False, hold_sales_orders: bool = False) -> bool:
	"""Whether a lock holds this document at submit."""
	if ships_goods(doctype, update_stock):
		return True
	return doctype == "Sales Order" and hold_sales_orders


@dataclass(frozen=True)
class ShipmentVerdict:
	allowed: bool
	use_pass: bool = False


def shipment_verdict(
	lock_state: str | None, held: bool, unused_passes: int, pass_applies: bool
) -> ShipmentVerdict:
	"""May this document go through? ``pass_applies``: the pass is for Delivery Notes only."""
	if not held or lock_state not in BLOCKING_STATES:
		return ShipmentVerdict(True)
	if pass_applies and unused_passes > 0:
		return ShipmentVerdict(True, use_pass=True)
	return ShipmentVerdict(False)


def propose_lock(stages, current, live_lock: str | None, net_overdue: float = 1.0) -> bool:
	"""The daily run proposes a lock when a case is at its policy's lock stage or beyond (a case first
	seen at 125 days is past it), the customer has no live lock, and its unallocated payments and
	credit notes do not already cover what is overdue (``net_overdue`` <= 0)."""
	from collections_module.policy.ladder import STOCK_LOCK

	lock_from = min((s.from_day for s in stages if s.action == STOCK_LOCK), default=None)
	at_stage = current is not None and lock_from is not None and current.from_day >= lock_from
	return at_stage and live_lock is None and net_overdue > 0


def net_overdue(overdue: float, unallocated_credit: float) -> float:
	"""What is overdue once money received but not yet matched to invoices is counted (never < 0)."""
	return max(round(overdue - max(unallocated_credit, 0.0), 2), 0.0)


def propose_release(
	lock_state: str,
	overdue: float,
	threshold: float,
	kept_until: date | None = None,
	kept_at: float | None = None,
	on_date: date | None = None,
) -> bool:
	"""An active lock is proposed for release once the overdue amount is paid down to the threshold
	— unless the owner decided to keep it: until his date, or (without a date) until the customer
	pays more than when he decided."""
	if lock_state != ACTIVE or overdue > threshold:
		return False
	if kept_until is not None:
		return on_date is not None and on_date > kept_until
	return kept_at is None or overdue < kept_at - 0.005


@dataclass(frozen=True)
class LastRelease:
	released_on: date
	overdue_then: float


def lock_again(last: LastRelease | None, net_overdue: float, on_date: date, wait_days: int = 30) -> bool:
	"""A lock the owner released is not proposed again the next day: only once the overdue grows past
	what it was at the release, or ``wait_days`` have passed."""
	if last is None:
		return True
	if net_overdue > last.overdue_then + 0.005:
		return True
	return (on_date - last.released_on).days >= max(int(wait_days or 0), 0)


def activate_on(lock_state: str, effective_from: date | None, on_date: date) -> bool:
	"""An approved lock takes effect on its effective date (the customer may be told in advance)."""
	return lock_state == APPROVED and (effective_from is None or effective_from <= on_date)


# Blacklist (R-G4).
BL_PROPOSED = "Proposed"
BL_ACTIVE = "Active"
BL_REMOVAL_PROPOSED = "Removal Proposed"
BL_REMOVED = "Removed"
BL_REJECTED = "Rejected"
BL_EXPIRED = "Expired"  # past its expiry date: ended by itself


def blacklist_in_force(state: str, start: date | None, expiry: date | None, on_date: date) -> bool:
	"""A listing is in force while approved (or awaiting removal), from its start to its expiry."""
	if state not in (BL_ACTIVE, BL_REMOVAL_PROPOSED):
		return False
	if start and on_date < start:
		return False
	return not (expiry and on_date > expiry)


def blacklist_refuses(doctype: str, refuse_quotations: bool, refuse_sales_orders: bool) -> bool:
	return (doctype == "Quotation" and refuse_quotations) or (
		doctype == "Sales Order" and refuse_sales_orders
	)
