# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_first_day

from collections_module.policy import roles


class CollectionTarget(Document):
	"""A month's amount to recover (and optionally cases to close) for a collector or a team (R-G1). One
	target per collector (or team) and month, held by a unique key in the database."""

	def validate(self):
		self.month = get_first_day(self.month)
		self.team = (self.team or "").strip()
		if self.collector:
			if roles.COLLECTOR not in frappe.get_roles(self.collector):
				frappe.throw(_("{0} is not a Collector.").format(self.collector))
			self.team = self.team or frappe.db.get_value("Collector Profile", self.collector, "team") or ""
			self.target_key = f"collector:{self.collector}:{self.month}"
		elif self.team:
			self.target_key = f"team:{self.team}:{self.month}"
		else:
			frappe.throw(_("A target is for a collector or for a team: name one."))
		other = frappe.db.get_value(
			"Collection Target", {"target_key": self.target_key, "name": ["!=", self.name]}
		)
		if other:
			frappe.throw(
				_("{0} already has a target for this month: {1}.").format(self.collector or self.team, other),
				frappe.DuplicateEntryError,
			)
