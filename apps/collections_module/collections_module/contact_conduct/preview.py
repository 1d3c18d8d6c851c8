"""What-if preview of a Contact Rule Set change: the last month's contacts judged again under the
saved and the edited rules. Nothing is written."""

from collections import Counter

import frappe
from frappe import _

REPLAY_DAYS = 30  # the contacts replayed under an edited Contact Rule Set


def preview_rule_set(rule_set: str, values: str | dict) -> dict:
	"""For the 'Preview Changes' button of a Contact Rule Set: the last month's contacts on the cases
	that follow this rule set, each judged again as it was made, under the saved rules and under the
	values as edited on the form. Nothing is written."""
	from collections_module.contact_conduct.conduct import rule_set as saved_rules
	from collections_module.contact_conduct.conduct import rules_from_doc, to_utc, valid_timezone
	from collections_module.policy import contact_rules as cr

	frappe.has_permission("Contact Rule Set", "write", rule_set, throw=True)
	values = frappe._dict(frappe.parse_json(values), name=rule_set)
	# the edited values are checked as a save would check them
	frappe.get_doc({**values, "doctype": "Contact Rule Set", "name": rule_set}).run_method("validate")
	saved, saved_tz = saved_rules(rule_set)
	edited, edited_tz = rules_from_doc(values)
	cases = _cases_following(rule_set)
	since = frappe.utils.add_days(frappe.utils.now_datetime(), -REPLAY_DAYS)
	lookback = frappe.utils.add_days(since, -REPLAY_DAYS)  # the rolling caps look back, too
	contacts: dict[str, list] = {name: [] for name in cases}
	for r in frappe.get_all(
		"Contact Log",
		filters={"collection_case": ["in", list(cases) or [""]], "start_time": [">=", lookback]},
		fields=["collection_case", "start_time", "channel", "direction", "effective", "collector"],
		limit_page_length=0,
	):
		contacts[r.collection_case].append(
			(r, cr.Contact(to_utc(r.start_time), r.channel, r.direction, bool(r.effective)))
		)
	for v in frappe.get_all(
		"Visit Record",
		filters={"collection_case": ["in", list(cases) or [""]], "actual_time": [">=", lookback]},
		fields=["collection_case", "actual_time as start_time", "owner as collector"],
		limit_page_length=0,
	):
		contacts[v.collection_case].append((v, cr.Contact(to_utc(v.start_time), cr.VISIT)))

	system_tz = frappe.utils.get_system_timezone()
	result = {"cases": len(cases), "contacts": 0, "saved_refused": 0, "edited_refused": 0}
	newly_refused, newly_allowed = Counter(), Counter()
	by_collector: dict[str, list[int]] = {}
	for name, made in contacts.items():
		if not made:
			continue
		own_tz = cases[name]
		tz_saved = next((t for t in (own_tz, saved_tz) if valid_timezone(t)), system_tz)
		tz_edited = next((t for t in (own_tz, edited_tz) if valid_timezone(t)), system_tz)
		before = cr.replay(saved, tz_saved, [c for _row, c in made])
		after = cr.replay(edited, tz_edited, [c for _row, c in made])
		for (row, _c), was, now in zip(made, before, after, strict=True):
			if row.start_time < since:
				continue  # history only
			result["contacts"] += 1
			result["saved_refused"] += not was.allowed
			result["edited_refused"] += not now.allowed
			person = by_collector.setdefault(row.collector or _("(nobody)"), [0, 0, 0])
			person[0] += 1
			if was.allowed and not now.allowed:
				newly_refused[_(cr.rule_label(now.rule))] += 1
				person[1] += 1
			elif now.allowed and not was.allowed:
				newly_allowed[_(cr.rule_label(was.rule))] += 1
				person[2] += 1
	result.update(
		{
			"days": REPLAY_DAYS,
			"newly_refused": dict(newly_refused.most_common()),
			"newly_allowed": dict(newly_allowed.most_common()),
			"by_collector": {
				user: {"contacts": n, "newly_refused": r, "newly_allowed": a}
				for user, (n, r, a) in sorted(by_collector.items())
			},
		}
	)
	return result


def _cases_following(rule_set: str) -> dict[str, str | None]:
	"""The cases whose contacts this rule set judges (their policy's, or the default when the policy
	names none), with the debtor's own time zone if one is set."""
	default = frappe.db.get_single_value("Collection Settings", "default_contact_rule_set")
	policies = frappe.get_all("Collection Policy", fields=["name", "contact_rule_set"])
	mine = [p.name for p in policies if (p.contact_rule_set or default) == rule_set]
	case = frappe.qb.DocType("Collection Case")
	customer = frappe.qb.DocType("Customer")
	query = (
		frappe.qb.from_(case)
		.left_join(customer)
		.on(customer.name == case.customer)
		.select(case.name, case.debtor_timezone, customer.collection_timezone)
	)
	condition = case.policy.isin(mine or [""])
	if default == rule_set:
		condition = condition | case.policy.isnull() | (case.policy == "")
	rows = query.where(condition).run(as_dict=True)
	return {r.name: r.debtor_timezone or r.collection_timezone or None for r in rows}
