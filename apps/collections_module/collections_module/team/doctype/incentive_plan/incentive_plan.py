# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from collections_module.team import incentives


class IncentivePlan(Document):
	"""The procedure's rewards and penalties (issue 19): commission tiers by target achievement, a
	call-quality gate, penalties per refused contact and late entry, an optional cap. One plan is the
	default the monthly statements use."""

	def validate(self):
		problems = incentives.plan_messages(self)
		if problems:
			frappe.throw("<br>".join(problems), title=_("Incentive Plan"))
		if self.is_default and not self.active:
			frappe.throw(_("The default plan must be active."))

	def on_update(self):
		if self.is_default:  # one default plan
			for other in frappe.get_all(
				"Incentive Plan", filters={"is_default": 1, "name": ["!=", self.name]}, pluck="name"
			):
				frappe.db.set_value("Incentive Plan", other, "is_default", 0)
