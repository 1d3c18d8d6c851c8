"""My Day's rows: for the cases ranked, what the page shows of each (why today, the contact status now,
the last contact, the next step, the open follow-ups, the debtor's phone and e-mail, the one-click
actions), and the leads' team summary and collector choices. Gathered for all rows at once."""

from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import (
	cint,
	flt,
	formatdate,
	get_system_timezone,
	getdate,
	now_datetime,
)

from collections_module.bulk import full_names
from collections_module.collection_cases.debtor_reach import debtor_reach
from collections_module.contact_conduct.conduct import (
	HISTORY_DAYS,
	from_utc,
	rule_set,
	to_utc,
	valid_timezone,
)
from collections_module.messages import rule_name, tr, verdict_text
from collections_module.policy import contact_rules as cr
from collections_module.policy import ranking, roles

SHOWN_FIELDS = (
	"name",
	"customer_name",
	"status",
	"next_action_date",
	"verified",
	"disputed",
	"debtor_timezone",
	"promise_status",
	"promise_amount",
	"promise_date",
	"last_contact_summary",
	"last_contact_channel",
	"last_contact_outcome",
	"last_contact_late",
	"last_contact_on",
	"next_step",
	"next_step_date",
)


def _rows(shown: list, collector: str | None, today: date) -> list[dict]:
	if not shown:
		return []
	names = [c.name for c, _r in shown]
	fields = ", ".join(f"`{f}`" for f in SHOWN_FIELDS)
	shown_fields = {
		r.name: r
		for r in frappe.db.sql(
			f"select {fields} from `tabCollection Case` where `name` in %(names)s",
			{"names": names},
			as_dict=True,
		)
	}
	for c, _r in shown:  # permission was applied when the due cases were read
		c.update(shown_fields.get(c.name, {}))
	cases = [c for c, _r in shown]
	contact = contact_status(cases)
	follow_ups = _follow_ups(names, collector)
	reach = debtor_reach(names)
	people = full_names({c.collector for c in cases if c.collector})
	actions = _actions()
	words: dict[str, str] = {}

	def t(text: str) -> str:  # the same few words on every row: translated once per call
		if text not in words:
			words[text] = _(text)
		return words[text]

	dates: dict = {}

	def user_date(value) -> str:  # a few distinct dates: formatted once per call
		if value not in dates:
			dates[value] = formatdate(value)
		return dates[value]

	rows = []
	for c, r in shown:
		currency = frappe.get_cached_value("Company", c.company, "default_currency")
		ups = follow_ups.get(c.name, [])
		rows.append(
			{
				"case": c.name,
				"customer": c.customer,
				"customer_name": c.customer_name or c.customer,
				"company": c.company,
				"currency": currency,
				"status": c.status,
				"status_label": t(c.status),
				"collector": c.collector,
				"collector_name": people.get(c.collector) if c.collector else t("Unassigned"),
				"stage": c.current_stage,
				"stage_label": t(c.current_stage) if c.current_stage else "",
				"amount": flt(c.total_outstanding),
				"days_overdue": cint(c.oldest_days_overdue),
				"expected": flt(r.score, 2),
				"likelihood": round(r.likelihood, 4),
				"band": r.band,
				"band_label": t(r.band),
				"reason": ranking.reason_text(r, t),
				"why_today": _why_today(c, ups, today, user_date),
				"contact": contact[c.name],
				"last_contact": {"summary": last_contact_text(c, t), "on": _date(c.last_contact_on)},
				"next_step": {"text": c.next_step or "", "date": _date(c.next_step_date)},
				"promise": {
					"status": c.promise_status or "",
					"status_label": t(c.promise_status) if c.promise_status else "",
					"amount": flt(c.promise_amount),
					"date": _date(c.promise_date),
				},
				"follow_ups": ups,
				**reach[c.name],
				"actions": [{**a, "values": {**a["values"], "collection_case": c.name}} for a in actions],
			}
		)
	return rows


def _date(value) -> str | None:
	return str(value if isinstance(value, date) else getdate(value)) if value else None


def _why_today(case, follow_ups: list[dict], today: date, formatdate=formatdate) -> str:
	"""Why the case is on today's list: its next action, its follow-ups, or both. (Dates come from
	the database as dates; the follow-ups' dates are ISO strings, which compare as dates.)"""
	parts = []
	due = case.next_action_date
	if due and due <= today:
		parts.append(
			_("Next action due today.")
			if due == today
			else _("Next action due since {0}.").format(formatdate(due))
		)
	iso = str(today)
	due_ups = [f["date"] for f in follow_ups if f["date"] and f["date"] <= iso]
	if due_ups:
		oldest = min(due_ups)
		if len(due_ups) == 1:
			parts.append(
				_("A follow-up due today.")
				if oldest == iso
				else _("A follow-up due since {0}.").format(formatdate(oldest))
			)
		else:
			parts.append(
				_("{0} follow-ups due today.").format(len(due_ups))
				if oldest == iso
				else _("{0} follow-ups due, the oldest since {1}.").format(len(due_ups), formatdate(oldest))
			)
	return " ".join(parts)


def _follow_ups(names: list[str], collector: str | None) -> dict[str, list[dict]]:
	out = defaultdict(list)
	for t in frappe.db.sql(
		f"""select name, reference_name, allocated_to, description, date from `tabToDo`
		where reference_type = 'Collection Case' and reference_name in %(names)s and status = 'Open'
			{"and allocated_to = %(collector)s" if collector else ""}
		order by date asc, creation asc""",
		{"names": names, "collector": collector},
		as_dict=True,
	):
		out[t.reference_name].append(
			{
				"todo": t.name,
				"allocated_to": t.allocated_to,
				"description": frappe.utils.strip_html(t.description or ""),
				"date": _date(t.date),
			}
		)
	return out


def _actions() -> list[dict]:
	"""The one-click actions the user may take (a button only for those who can use it)."""
	out = []
	if frappe.has_permission("Contact Log", "create"):
		out.append(
			{
				"action": "log_call",
				"label": _("Log Call"),
				"doctype": "Contact Log",
				"values": {"channel": "Phone", "direction": "Outbound"},
			}
		)
	if frappe.has_permission("Visit Record", "create"):
		out.append({"action": "log_visit", "label": _("Log Visit"), "doctype": "Visit Record", "values": {}})
	if frappe.has_permission("Contact Log", "create"):
		out.append(
			{
				"action": "record_promise",
				"label": _("Record Promise"),
				"doctype": "Contact Log",
				"values": {"channel": "Phone", "direction": "Outbound", "outcome": "Promise to Pay"},
			}
		)
	return out


def contact_status(cases: list) -> dict[str, dict]:
	"""For each case: may the debtor be contacted now, and if not why and when next — the case form's
	contact status (collections_module.contact_conduct.conduct.contact_status), gathered for all cases at once:
	the rule set of the case's policy (else the settings'), the debtor's time zone (case, customer,
	rule set, system), and the contacts of the month before."""
	if not cases:
		return {}
	require = frappe.db.get_single_value("Collection Settings", "require_verification")
	default_set = frappe.db.get_single_value("Collection Settings", "default_contact_rule_set")
	policies = sorted({c.policy for c in cases if c.policy})
	policy_sets = dict(
		frappe.db.sql(
			"select name, contact_rule_set from `tabCollection Policy` where name in %(names)s",
			{"names": policies or [""]},
		)
	)
	customer_tz = dict(
		frappe.db.sql(
			"select name, collection_timezone from `tabCustomer` where name in %(names)s",
			{"names": sorted({c.customer for c in cases})},
		)
	)
	now = to_utc(now_datetime())
	past = contact_history([c.name for c in cases], now)
	sets = {}
	out = {}
	for c in cases:
		set_name = policy_sets.get(c.policy) or default_set or None
		if set_name not in sets:
			sets[set_name] = rule_set(set_name)
		rules, default_tz = sets[set_name]
		tz = next(
			(t for t in (c.debtor_timezone, customer_tz.get(c.customer), default_tz) if valid_timezone(t)),
			get_system_timezone(),
		)
		gate = cr.case_gate(bool(c.disputed), bool(c.verified) or not require)
		verdict = cr.check_contact(rules, tz, cr.Contact(now), past.get(c.name, [])) if gate.allowed else None
		allowed = bool(gate.allowed and verdict.allowed)
		nxt = verdict.next_allowed if verdict and not verdict.allowed else None
		message = tr(gate.message) if not gate.allowed else ("" if allowed else verdict_text(verdict))
		out[c.name] = {
			"allowed": allowed,
			"rule": rule_name(gate.rule or (verdict.rule if verdict else "")),
			"message": message,
			"next_allowed": f"{nxt:%Y-%m-%d %H:%M}" if nxt else None,
			"next_allowed_here": f"{from_utc(nxt):%Y-%m-%d %H:%M}" if nxt else None,
			"timezone": tz,
			"rule_set": rules.name,
			"text": _contact_text(allowed, message, nxt, tz),
		}
	return out


def _contact_text(allowed: bool, message: str, nxt: datetime | None, tz: str) -> str:
	if allowed:
		return _("Contact allowed now")
	text = _("No contact now") + ": " + message
	if nxt:
		text += " " + _("Next allowed: {0} ({1})").format(f"{nxt:%Y-%m-%d %H:%M}", tz)
	return text


def contact_history(names: list[str], around: datetime) -> dict[str, list[cr.Contact]]:
	"""The contacts and made visits of these cases in the month before and after ``around`` (UTC), as
	contact_conduct.history reads them for one case."""
	low = from_utc(around - timedelta(days=HISTORY_DAYS))
	high = from_utc(around + timedelta(days=HISTORY_DAYS))
	out = defaultdict(list)
	values = {"names": names, "low": low, "high": high}
	for r in frappe.db.sql(
		"""select collection_case, start_time, channel, direction, effective from `tabContact Log`
		where collection_case in %(names)s and start_time between %(low)s and %(high)s""",
		values,
		as_dict=True,
	):
		out[r.collection_case].append(
			cr.Contact(to_utc(r.start_time), r.channel, r.direction, bool(r.effective))
		)
	for v in frappe.db.sql(
		"""select collection_case, actual_time from `tabVisit Record`
		where collection_case in %(names)s and actual_time between %(low)s and %(high)s""",
		values,
		as_dict=True,
	):
		out[v.collection_case].append(cr.Contact(to_utc(v.actual_time), cr.VISIT))
	return out


def collector_choices() -> list[dict]:
	"""Enabled users holding the Collector role, for the collector filter, by name."""
	from collections_module.people import role_holders

	collectors = role_holders().get(roles.COLLECTOR, [])
	names = full_names(collectors)
	return sorted(
		({"value": u, "label": names.get(u) or u} for u in collectors), key=lambda c: (c["label"], c["value"])
	)


def _team_summary(scored: list) -> list[dict]:
	"""Per collector (and the unassigned cases): due cases, overdue amount and expected recovery."""
	groups = defaultdict(lambda: {"cases": 0, "amount": 0.0, "expected": 0.0})
	for c, r in scored:
		g = groups[c.collector or ""]
		g["cases"] += 1
		g["amount"] += flt(c.total_outstanding)
		g["expected"] += r.score
	names = full_names(groups)
	return sorted(
		(
			{
				"collector": user or None,
				"collector_name": names.get(user, user) if user else _("Unassigned"),
				"cases": g["cases"],
				"amount": flt(g["amount"], 2),
				"expected": flt(g["expected"], 2),
			}
			for user, g in groups.items()
		),
		key=lambda g: -g["expected"],
	)


def last_contact_text(case, t) -> str:
	"""The case's last contact as the reader reads it: channel (outcome) [late entry]: the words."""
	if not (case.last_contact_channel or case.last_contact_summary):
		return ""
	head = t(case.last_contact_channel) if case.last_contact_channel else ""
	if case.last_contact_outcome:
		head += f" ({t(case.last_contact_outcome)})"
	if case.last_contact_late:
		head += " [" + t("late entry") + "]"
	words = case.last_contact_summary or ""
	return f"{head}: {words}" if head and words else head or words
