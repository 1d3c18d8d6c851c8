# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from collections_module.access import CONTACT_FACTS
from collections_module.contact_conduct.conduct import (
	enforce,
	keep_system_fields,
	late_entries,
	record_facts,
	to_utc,
)

# what happened, as recorded: judged by the contact rules (and, for a filtering call, classing the case)
# and not editable by a Collector once saved (declared in access.py)
FACTS = CONTACT_FACTS


class ContactLog(Document):
	"""Every contact is recorded (R-C1); saving one that breaks the contact rules is refused (R-C2..R-C7)."""

	def validate(self):
		if self.is_new() and not self.flags.ignore_permissions and not is_lead():
			self.collector = frappe.session.user  # a collector records their own contacts, in their own name
		self.start_utc = to_utc(self.start_time).replace(tzinfo=None)
		judge = record_facts(self, "start_time", FACTS)
		if self.flags.ignore_contact_rules:  # set only by server code for system-made contacts
			return
		if judge:
			enforce(
				self, self.start_time, self.channel, self.direction, bool(self.effective), self.contact_point
			)
		else:
			keep_system_fields(self)
		self.validate_promise()
		self.validate_filtering()

	def validate_filtering(self):
		if bool(self.dial_party) != bool(self.result_code):
			frappe.throw(_("A filtering call needs both the party dialled and the result."))

	def validate_promise(self):
		if self.outcome == "Promise to Pay" and not (flt(self.promise_amount) > 0 and self.promise_date):
			frappe.throw(_("A promise to pay needs the promised amount and date."))

	def on_update(self):
		self.update_case()
		if self.dial_party or self.result_code:
			from collections_module.intake.allocation import update_filtering

			update_filtering(self.collection_case)

	def update_case(self):
		"""The case shows the last contact and the next step before the next one starts (步步为营)."""
		case = frappe.get_doc("Collection Case", self.collection_case)
		latest = frappe.db.get_value(
			"Contact Log",
			{"collection_case": case.name},
			["name", "start_time"],
			order_by="start_time desc",
			as_dict=True,
		)
		if latest and latest.name != self.name:
			if self.late_entry:
				frappe.db.set_value("Collection Case", case.name, "late_entries", late_entries(case.name))
			return  # an older contact edited: the case keeps the latest
		case.late_entries = late_entries(case.name)
		case.last_contact_on = getdate(self.start_time)
		# stored as facts (channel, outcome, late) and the person's own words: each reader sees them
		# in their language
		case.last_contact_channel, case.last_contact_outcome = self.channel, self.outcome
		case.last_contact_late = 1 if self.late_entry else 0
		case.last_contact_summary = (self.summary or "")[:500]
		case.next_step, case.next_step_date = self.next_step, self.next_step_date
		if self.outcome == "Promise to Pay":
			case.update(
				{
					"promise_amount": self.promise_amount,
					"promise_date": self.promise_date,
					"promise_status": "Pending",
					"promise_made_on": getdate(self.start_time),
				}
			)
			if case.status not in ("Paused", "Legal"):  # a promise does not lift a dispute or legal hold
				case.status = "Promise to Pay"
		elif self.outcome == "Dispute Raised":
			case.disputed = 1
			case.dispute_reason = case.dispute_reason or self.summary
		case.flags.ignore_permissions = True
		case.save()


def is_lead() -> bool:
	from collections_module.policy.roles import SEE_ALL_CASES

	return frappe.session.user == "Administrator" or bool(set(frappe.get_roles()) & set(SEE_ALL_CASES))
