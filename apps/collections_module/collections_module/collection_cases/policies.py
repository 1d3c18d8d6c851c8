"""The collection policies as the policy core reads them: a policy row as a Stage, every ladder."""

import frappe

from collections_module.policy.ladder import Stage


def stage_from_row(row) -> Stage:
	"""A policy table row (document or dict) as the policy core's Stage."""
	return Stage(
		name=row.get("stage_name"),
		from_day=int(row.get("from_day") or 0),
		to_day=None if row.get("open_ended") else int(row.get("to_day") or 0),
		action=row.get("action") or "Follow Up",
		channels=tuple(c.strip() for c in (row.get("channels") or "").split(",") if c.strip()),
		cadence_days=int(row.get("cadence_days") or 0),
		owner_role=row.get("owner_role"),
		escalate_to_role=row.get("escalate_to_role") or None,
		needs_approval=bool(row.get("needs_approval")),
		row=int(row.get("idx") or 0),
	)


def load_ladders() -> dict[str, list[Stage]]:
	"""Every enabled policy's stages in one query: policy name -> stages in table order."""
	policy = frappe.qb.DocType("Collection Policy")
	stage = frappe.qb.DocType("Collection Policy Stage")
	rows = (
		frappe.qb.from_(stage)
		.join(policy)
		.on(policy.name == stage.parent)
		.select(stage.star)
		.where((stage.parenttype == "Collection Policy") & (policy.enabled == 1))
		.orderby(stage.parent)
		.orderby(stage.idx)
		.run(as_dict=True)
	)
	ladders: dict[str, list[Stage]] = {}
	for row in rows:
		ladders.setdefault(row.parent, []).append(stage_from_row(row))
	return ladders
