"""The daily run's part for stock-release locks (R-B7): propose a lock when a case reaches its
policy's lock stage, bring approved locks into force on their date, and propose the release (or
release, if the settings say so) once the customer has paid down to the threshold."""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, getdate

from collections_module.policy import stock_lock as sl

LOCK = "Stock Release Lock"
LIVE_FIELDS = (
	"name",
	"customer",
	"company",
	"status",
	"effective_from",
	"keep_locked_until",
	"kept_at_overdue",
)
LIVE_FIELDS += ("kept_on",)


@dataclass
class LockPlan:
	action: str  # "propose", "activate", "propose release", "release"
	customer: str
	company: str
	lock: str | None = None
	case: str | None = None
	overdue: float = 0.0
	days: int = 0

	def line(self) -> str:
		return f"LOCK   {self.action} {self.lock or ''} {self.customer} / {self.company}: {self.overdue:,.2f} overdue, {self.days} days".replace(
			"  ", " "
		)


def plan_locks(case_plans, ladders, on_date: date, customers=None, owing=frozenset()) -> list[LockPlan]:
	"""``owing``: every (customer, company) with something overdue, planned or not: never released."""
	filters = {"status": ["in", sl.LIVE_STATES]}
	if customers is not None:
		filters["customer"] = ["in", list(customers) or [""]]
	live = {
		(r.customer, r.company): r
		for r in frappe.get_all(
			LOCK,
			filters=filters,
			fields=[*LIVE_FIELDS],
		)
	}
	released = _last_releases(customers)
	# a lock the owner rejected for a case is not proposed again for that case (he decided)
	rejected_for = set(
		frappe.get_all(
			LOCK, filters={"status": sl.REJECTED, "collection_case": ["is", "set"]}, pluck="collection_case"
		)
	)
	conf = frappe.get_cached_doc("Collection Settings")
	threshold = flt(conf.release_threshold)
	plans: list[LockPlan] = []
	seen = set()
	for p in case_plans:
		key = (p.customer, p.company)
		seen.add(key)
		lock = live.get(key)
		# money received but not matched to invoices counts against what is overdue
		overdue = 0.0 if p.close else sl.net_overdue(p.total, p.credit)
		days = 0 if p.close else p.oldest_days
		stage = p.decision.stage if p.decision else None
		case = p.case.name if p.case else None
		live_name = lock.name if lock else None
		if (
			stage
			and not p.paused  # a disputed case gets no lock proposal while paused
			and case not in rejected_for
			and sl.propose_lock(ladders.get(p.policy) or [], stage, live_name, overdue)
			and sl.lock_again(released.get(key), overdue, on_date, conf.lock_again_after_days)
		):
			plans.append(LockPlan("propose", *key, None, case, overdue, days))
		elif lock and sl.propose_release(lock.status, overdue, threshold, *_kept(lock), on_date):
			plans.append(
				LockPlan(
					"release" if conf.auto_release else "propose release",
					*key,
					lock.name,
					case,
					overdue,
					days,
				)
			)
	for key, lock in live.items():
		if key in owing and sl.activate_on(  # nothing overdue by the effective date: it stays approved
			lock.status, getdate(lock.effective_from) if lock.effective_from else None, on_date
		):
			plans.append(LockPlan("activate", *key, lock.name))
		elif (
			key not in seen
			and key not in owing
			and sl.propose_release(lock.status, 0.0, threshold, *_kept(lock), on_date)
		):
			# nothing overdue and no case touched this run: paid in full earlier
			plans.append(LockPlan("release" if conf.auto_release else "propose release", *key, lock.name))
	return plans


def _kept(lock) -> tuple:
	"""The owner's 'Keep Locked': until his date, or until the customer pays more than then."""
	if not lock.kept_on:
		return None, None
	until = getdate(lock.keep_locked_until) if lock.keep_locked_until else None
	return until, flt(lock.kept_at_overdue)


def _last_releases(customers) -> dict:
	"""The latest released lock of each customer and company: when, and what was overdue then."""
	filters = {"status": sl.RELEASED, "released_on": ["is", "set"]}
	if customers is not None:
		filters["customer"] = ["in", list(customers) or [""]]
	out = {}
	for r in frappe.get_all(
		LOCK,
		filters=filters,
		fields=["customer", "company", "released_on", "released_at_overdue"],
		order_by="released_on asc",
		limit_page_length=0,
	):
		out[(r.customer, r.company)] = sl.LastRelease(getdate(r.released_on), flt(r.released_at_overdue))
	return out


def apply_locks(plans: list[LockPlan], on_date: date):
	from collections_module.enforcement.locks import activate

	for p in plans:
		if p.action == "propose":
			case = p.case or frappe.db.get_value(
				"Collection Case", {"customer": p.customer, "company": p.company, "status": ["!=", "Closed"]}
			)
			frappe.get_doc(
				{
					"doctype": LOCK,
					"customer": p.customer,
					"company": p.company,
					"collection_case": case,
					"overdue_amount": p.overdue,
					"oldest_days_overdue": p.days,
					"effective_from": on_date,
					"reason": _(
						"{0} days overdue, {1:,.2f} overdue: the policy's lock stage was reached."
					).format(p.days, p.overdue),
				}
			).insert(ignore_permissions=True)
		elif p.action == "activate":
			activate(p.lock)
		else:
			doc = frappe.get_doc(LOCK, p.lock)
			doc.status = sl.RELEASED if p.action == "release" else sl.RELEASE_PROPOSED
			doc.release_reason = doc.release_reason or _("Paid down to {0:,.2f} overdue.").format(p.overdue)
			doc.save(ignore_permissions=True)
