# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from collections_module.collection_cases.policies import stage_from_row
from collections_module.policy.ladder import validate_stages


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
