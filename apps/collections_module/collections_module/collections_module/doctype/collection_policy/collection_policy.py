# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from collections_module.policy.ladder import Stage, validate_stages


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


class CollectionPolicy(Document):
	def validate(self):
		errors = validate_stages([stage_from_row(row) for row in self.stages])
		if errors:
			frappe.throw("<br>".join(errors), title=_("This ladder is ambiguous"))
		for row in self.stages:
			if row.open_ended:
				row.to_day = 0

	def on_trash(self):
		if frappe.db.get_single_value("Collection Settings", "default_policy") == self.name:
			frappe.throw(
				_("{0} is the default collection policy; choose another default first.").format(self.name)
			)
