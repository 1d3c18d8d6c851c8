"""Contact conduct enforced on Contact Logs and Visit Records (R-C2..R-C7), the same for the desk,
the API and the console: the controllers call `enforce` from `validate`.

Gathers the case's rule set, the debtor's time zone and the recent contacts; the policy core
(policy/contact_rules.py) decides. A refusal names the rule and the next allowed time. A supervisor's
Contact Rule Exception lets one contact through the hour/cap rules (never a dispute, a missing
verification or a do-not-contact objection), and is recorded on both documents.
"""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, get_system_timezone, getdate, now_datetime, nowdate

from collections_module.messages import rule_name, verdict_text
from collections_module.policy import contact_rules as cr
from collections_module.policy import filtering

DEFAULT_RULE_SET = "Source Rules"
HISTORY_DAYS = 31


class ContactNotAllowed(frappe.ValidationError):
	pass


def rule_set(name: str | None) -> tuple[cr.RuleSet, str | None]:
	"""A Contact Rule Set document as the policy core's RuleSet, with its default time zone."""
	return rules_from_doc(frappe.get_cached_doc("Contact Rule Set", name or DEFAULT_RULE_SET))


def rules_from_doc(doc) -> tuple[cr.RuleSet, str | None]:
	"""A Contact Rule Set's values (a document or the form's unsaved values) as a RuleSet."""
	days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
	return (
		cr.RuleSet(
			name=doc.get("name") or doc.get("rule_set_name") or "",
			start=get_datetime(f"2000-01-01 {doc.get('start_time')}").time(),
			end=get_datetime(f"2000-01-01 {doc.get('end_time')}").time(),
			weekdays=frozenset(i for i, d in enumerate(days) if doc.get(d)),
			max_effective_per_day=cint(doc.get("max_effective_per_day")) or None,
			max_calls_per_day=cint(doc.get("max_calls_per_day")) or None,
			max_visits_per_day=cint(doc.get("max_visits_per_day")) or None,
			rolling_calls=cint(doc.get("rolling_calls")) or None,
			rolling_days=cint(doc.get("rolling_days")) or None,
			quiet_days_after_conversation=cint(doc.get("quiet_days_after_conversation")) or None,
		),
		doc.get("default_timezone"),
	)


def case_rules(case) -> tuple[cr.RuleSet, str]:
	"""The case's rule set (its policy's, else the default) and the debtor's time zone."""
	name = (
		case.policy and frappe.db.get_value("Collection Policy", case.policy, "contact_rule_set")
	) or frappe.db.get_single_value("Collection Settings", "default_contact_rule_set")
	rules, default_tz = rule_set(name)
	candidates = (
		case.debtor_timezone,
		frappe.db.get_value("Customer", case.customer, "collection_timezone"),
		default_tz,
	)
	tz = next((t for t in candidates if valid_timezone(t)), get_system_timezone())
	return rules, tz


def valid_timezone(tz: str | None) -> bool:
	try:
		return bool(tz) and ZoneInfo(tz) is not None
	except (ZoneInfoNotFoundError, ValueError):
		return False


def to_utc(moment) -> datetime:
	"""A desk datetime (naive, system time zone) as an aware UTC datetime; an aware one keeps its offset."""
	moment = get_datetime(moment)
	if moment.tzinfo is None:
		moment = moment.replace(tzinfo=ZoneInfo(get_system_timezone()))
	return moment.astimezone(timezone.utc)


def from_utc(moment: datetime) -> datetime:
	"""An aware datetime as a naive desk datetime in the system time zone."""
	return moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)


def history(case: str, around: datetime, exclude: tuple[str, str] | None = None) -> list[cr.Contact]:
	"""The case's contacts and made visits in the month before and the days after ``around`` (UTC)."""
	low, high = (
		from_utc(around - timedelta(days=HISTORY_DAYS)),
		from_utc(around + timedelta(days=HISTORY_DAYS)),
	)
	logs = frappe.get_all(
		"Contact Log",
		filters={"collection_case": case, "start_time": ["between", [low, high]]},
		fields=["name", "start_time", "channel", "direction", "effective"],
	)
	visits = frappe.get_all(
		"Visit Record",
		filters={"collection_case": case, "actual_time": ["between", [low, high]]},
		fields=["name", "actual_time"],
	)
	out = [
		cr.Contact(to_utc(r.start_time), r.channel, r.direction, bool(r.effective))
		for r in logs
		if exclude != ("Contact Log", r.name)
	]
	out += [
		cr.Contact(to_utc(v.actual_time), cr.VISIT) for v in visits if exclude != ("Visit Record", v.name)
	]
	return out


def contact_flag(case, contact_point: str | None) -> str | None:
	if not contact_point:
		return None
	for row in case.get("contact_points") or []:
		if (row.contact_name or "").strip().lower() == contact_point.strip().lower():
			return row.flag
	return None


def enforce(
	doc,
	moment,
	channel: str,
	direction: str = cr.OUTBOUND,
	effective: bool = False,
	contact_point: str | None = None,
):
	"""Refuse ``doc`` (a Contact Log or Visit Record) when the contact breaks the case's rules."""
	case = frappe.get_doc("Collection Case", doc.collection_case)
	require = frappe.db.get_single_value("Collection Settings", "require_verification")
	verified = bool(case.verified) or not require
	if case.filtering_deadline:  # a new case's filtering calls are how its identity gets verified
		verified = filtering.gate_verified(verified, doc.get("dial_party"), doc.get("result_code"))
	gate = cr.case_gate(bool(case.disputed), verified, contact_flag(case, contact_point))
	if not gate.allowed and direction == cr.OUTBOUND:
		record_refusal(doc, case, channel, rule_name(gate.rule), _(gate.message))
		frappe.throw(
			_(gate.message),
			ContactNotAllowed,
			title=_("Contact not allowed: {0}").format(rule_name(gate.rule)),
		)
	if gate.warning:
		frappe.msgprint(_(gate.warning), indicator="orange", alert=True)

	rules, tz = case_rules(case)
	at = to_utc(moment)
	local = at.astimezone(ZoneInfo(tz))
	doc.debtor_local_time = f"{local:%Y-%m-%d %H:%M} ({tz})"
	verdict = cr.check_contact(
		rules,
		tz,
		cr.Contact(at, channel, direction, effective),
		history(case.name, at, (doc.doctype, doc.name)),
	)
	field = "contact_log" if doc.doctype == "Contact Log" else "visit_record"
	# an exception counts only when a supervisor granted it for this case and it is unused or already
	# this document's: a value typed into the field through the API is ignored
	doc.rule_exception = None
	if verdict.allowed:
		return
	exception = frappe.db.get_value(
		"Contact Rule Exception",
		{"collection_case": case.name, field: doc.name, "valid_on": getdate(nowdate())},
		"name",
	) or frappe.db.get_value(
		"Contact Rule Exception",
		{
			"collection_case": case.name,
			"valid_on": getdate(nowdate()),
			"contact_log": ["is", "not set"],
			"visit_record": ["is", "not set"],
		},
		"name",
		for_update=True,
	)
	if exception:
		frappe.db.set_value(
			"Contact Rule Exception", exception, {field: doc.name, "broken_rule": rule_name(verdict.rule)}
		)
		doc.rule_exception = exception
		frappe.msgprint(
			_("Allowed by the supervisor's exception {0} ({1}).").format(exception, rule_name(verdict.rule)),
			alert=True,
		)
		return
	nxt = verdict.next_allowed
	message = _("{0} Rule: {1} ({2}). Next allowed: {3} debtor's time ({4} here).").format(
		verdict_text(verdict),
		rule_name(verdict.rule),
		rules.name,
		f"{nxt:%Y-%m-%d %H:%M}",
		f"{from_utc(nxt):%Y-%m-%d %H:%M}",
	)
	record_refusal(doc, case, channel, rule_name(verdict.rule), message)
	frappe.throw(message, ContactNotAllowed, title=_("Contact not allowed"))


def record_refusal(doc, case, channel: str, rule: str, message: str):
	"""A refused contact is counted in the collector's performance (R-G1): the refusal rolls the save
	back, so it is written once the rollback is done, in a transaction of its own."""
	values = {
		"doctype": "Contact Refusal",
		"refused_at": now_datetime(),
		"collector": frappe.session.user,
		"collection_case": case.name,
		"record_type": _(doc.doctype),
		"channel": _(channel) if channel else "",
		"rule": rule,
		"message": message,
	}

	def write():
		try:
			frappe.get_doc(values).insert(ignore_permissions=True)
			frappe.db.commit()
		except Exception:
			frappe.db.rollback()
			frappe.log_error("Contact refusal not recorded")

	frappe.db.after_rollback.add(write)


FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks of phones and desks differ a little


def record_facts(doc, moment_field: str, facts: tuple[str, ...]) -> bool:
	"""A saved contact is a record of what happened (R-C1): its time, channel, direction and
	effectiveness cannot be edited around the caps. Returns True when this save must be judged by the
	contact rules (a new contact, or a supervisor's correction).

	- a contact time in the future is refused;
	- a new contact recorded more than the setting's hours after it happened is a late entry, with the
	  time it was really entered;
	- a Collector cannot change the facts of a saved contact; a supervisor can, with a reason, and the
	  corrected contact is judged again against the whole day.
	"""
	from collections_module.policy.roles import SEE_ALL_CASES

	moment = doc.get(moment_field)
	before = doc.get_doc_before_save()
	stamps = ("late_entry", "entered_on", "corrected_by", "corrected_on")
	if before is not None:
		for field in stamps:  # the server's, whatever a request sends
			doc.set(field, before.get(field))
	if not moment:
		return False
	now = now_datetime()
	if get_datetime(moment) > now + FUTURE_TOLERANCE:
		frappe.throw(
			_("The contact time {0} is in the future: record a contact once it has happened.").format(
				frappe.format_value(get_datetime(moment), {"fieldtype": "Datetime"})
			),
			ContactNotAllowed,
			title=_("Contact time in the future"),
		)
	recorded_now = before is None or not before.get(moment_field)
	if recorded_now:
		hours = frappe.db.get_single_value("Collection Settings", "late_entry_hours")
		hours = 2.0 if hours is None else float(hours)
		doc.entered_on = now
		doc.late_entry = int(bool(hours) and now - get_datetime(moment) > timedelta(hours=hours))
		return True
	touched = [f for f in facts if str(before.get(f) or "") != str(doc.get(f) or "")]
	if not touched:
		return False
	labels = ", ".join(_(doc.meta.get_label(f)) for f in touched)
	if not set(frappe.get_roles()) & set(SEE_ALL_CASES):
		frappe.throw(
			_(
				"A saved contact is a record of what happened: {0} can be corrected only by a collection supervisor, with a reason."
			).format(labels),
			frappe.PermissionError,
			title=_("Not allowed"),
		)
	reason = (doc.get("correction_reason") or "").strip()
	if not reason or reason == (before.get("correction_reason") or "").strip():
		frappe.throw(_("Write why {0} of this contact is corrected (Correction Reason).").format(labels))
	doc.corrected_by, doc.corrected_on = frappe.session.user, now
	return True


def late_entries(case: str) -> int:
	"""Contacts and visits of a case that were recorded late."""
	return frappe.db.count("Contact Log", {"collection_case": case, "late_entry": 1}) + frappe.db.count(
		"Visit Record", {"collection_case": case, "late_entry": 1}
	)


def keep_system_fields(doc):
	"""On an edit that is not re-judged, the exception used stays what the system recorded."""
	before = doc.get_doc_before_save()
	if before is not None:
		doc.rule_exception = before.rule_exception
		doc.debtor_local_time = before.debtor_local_time


def contact_status(case: str) -> dict:
	"""For the case form: may the debtor be called now, if not when, and the timing advice (R-C4)."""
	doc = frappe.get_doc("Collection Case", case)
	doc.check_permission("read")
	require = frappe.db.get_single_value("Collection Settings", "require_verification")
	gate = cr.case_gate(bool(doc.disputed), bool(doc.verified) or not require)
	rules, tz = case_rules(doc)
	now = to_utc(now_datetime())
	verdict = cr.check_contact(rules, tz, cr.Contact(now), history(doc.name, now)) if gate.allowed else None
	advice = cr.timing_advice(now, tz)
	message = _(gate.message) if not gate.allowed else verdict_text(verdict)
	if gate.rule == "verification" and doc.filtering_deadline:
		message += " " + _("Filtering calls (a party of the dial order, with its result) are allowed.")
	return {
		"allowed": bool(gate.allowed and verdict.allowed),
		"rule": rule_name(gate.rule or (verdict.rule if verdict else "")),
		"message": message,
		"next_allowed": f"{verdict.next_allowed:%Y-%m-%d %H:%M}"
		if verdict and verdict.next_allowed
		else None,
		"timezone": tz,
		"rule_set": rules.name,
		"good": [_(x) for x in advice.good],
		"avoid": [_(x) for x in advice.avoid],
	}
