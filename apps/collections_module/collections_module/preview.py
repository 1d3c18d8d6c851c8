"""What-if preview of a policy change: today's ladder planned twice on the same ledger, once with the
saved policies and once with the edited (unsaved) rows of one policy. Nothing is written."""

from collections import Counter

import frappe
from frappe import _

from collections_module.collections_module.doctype.collection_policy.collection_policy import (
	load_ladders,
	stage_from_row,
)
from collections_module.ladder_run import RunReport, run
from collections_module.policy.ladder import validate_stages

SHOWN = 50  # cases listed by name; the counts cover all


def summarize(report: RunReport, policy: str) -> dict:
	mine = [p for p in report.cases if p.policy == policy and not p.close]
	follow_ups = Counter(
		owner for p in report.cases if p.decision and p.decision.follow_up_due for owner in p.owners
	)
	escalations = Counter(role for p in report.cases for role in p.notify)
	proposals = [lk for lk in report.locks if lk.action == "propose"]
	return {
		"cases": len(mine),
		"stage_changes": sum(1 for p in mine if p.decision and p.decision.stage_changed),
		"escalations": {_(role): n for role, n in sorted(escalations.items())},
		"lock_proposals": len(proposals),
		"lock_customers": sorted({lk.customer for lk in proposals})[:SHOWN],
		"letters": len(report.letters),
		"follow_ups": len([p for p in report.cases if p.decision and p.decision.follow_up_due]),
		"follow_ups_by_collector": dict(sorted(follow_ups.items())),
	}


@frappe.whitelist()
def preview_policy(policy: str, stages: str | list) -> dict:
	"""For the 'Preview Changes' button of a Collection Policy: today's run with the saved policy
	beside today's run with the rows as edited on the form."""
	frappe.has_permission("Collection Policy", "write", policy, throw=True)
	rows = frappe.parse_json(stages) if isinstance(stages, str) else stages
	edited = [stage_from_row(frappe._dict(row, idx=row.get("idx") or i)) for i, row in enumerate(rows, 1)]
	errors = validate_stages(edited)
	if errors:
		frappe.throw("<br>".join(errors), title=_("This ladder is ambiguous"))
	saved_ladders = load_ladders()
	edited_ladders = {**saved_ladders, policy: edited}
	frappe.db.savepoint("collections_preview")
	try:
		before = run(dry_run=True, ladders=saved_ladders)
		after = run(dry_run=True, ladders=edited_ladders)
	finally:
		frappe.db.rollback(save_point="collections_preview")  # a preview writes nothing, whatever happens
	saved_stage = {
		(p.customer, p.company): p.decision.stage.name if p.decision and p.decision.stage else ""
		for p in before.cases
	}
	moved = []
	for p in after.cases:
		if p.policy != policy or p.close:
			continue
		now = p.decision.stage.name if p.decision and p.decision.stage else ""
		was = saved_stage.get((p.customer, p.company), "")
		if now != was:
			moved.append(
				{
					"customer": p.customer,
					"company": p.company,
					"case": p.case.name if p.case else "",
					"saved": _(was) if was else "",
					"edited": _(now) if now else "",
				}
			)
	return {
		"saved": summarize(before, policy),
		"edited": summarize(after, policy),
		"cases_moved": len(moved),
		"moved": moved[:SHOWN],
	}


REPLAY_DAYS = 30  # the contacts replayed under an edited Contact Rule Set


@frappe.whitelist()
def preview_rule_set(rule_set: str, values: str | dict) -> dict:
	"""For the 'Preview Changes' button of a Contact Rule Set: the last month's contacts on the cases
	that follow this rule set, each judged again as it was made, under the saved rules and under the
	values as edited on the form. Nothing is written."""
	from collections_module.contact_conduct import rule_set as saved_rules
	from collections_module.contact_conduct import rules_from_doc, to_utc, valid_timezone
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
