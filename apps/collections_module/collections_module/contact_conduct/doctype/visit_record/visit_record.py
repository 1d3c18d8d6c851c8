# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from collections_module.access import VISIT_FACTS
from collections_module.contact_conduct.conduct import enforce, keep_system_fields, late_entries, record_facts
from collections_module.policy import contact_rules as cr

FACTS = VISIT_FACTS  # a made visit, as recorded (declared in access.py)


class VisitRecord(Document):
	"""外访记录表 (R-D2): who, where, when, identity disclosed, persons met, outcome, photos and audio.
	A made visit counts against the day's visit cap and the contact hours."""

	def validate(self):
		judge = record_facts(self, "actual_time", FACTS)
		if not self.actual_time:
			return
		if not self.identity_disclosed:
			frappe.throw(_("A visit made must record that the collectors disclosed their identity."))
		if judge:
			enforce(self, self.actual_time, cr.VISIT, effective=False)
		else:
			keep_system_fields(self)

	def on_update(self):
		if self.late_entry:
			frappe.db.set_value(
				"Collection Case", self.collection_case, "late_entries", late_entries(self.collection_case)
			)
		if self.actual_time and self.summary:
			frappe.db.set_value(
				"Collection Case",
				self.collection_case,
				{
					"last_contact_channel": "Visit",
					"last_contact_outcome": self.outcome,
					"last_contact_late": 1 if self.late_entry else 0,
					"last_contact_summary": (self.summary or "")[:500],
					"next_step": self.next_step,
					"next_step_date": self.next_step_date,
				},
			)
