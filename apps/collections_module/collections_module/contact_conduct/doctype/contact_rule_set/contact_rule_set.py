# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time

from collections_module.contact_conduct.conduct import valid_timezone


class ContactRuleSet(Document):
	def validate(self):
		# compared as times: a stored value reads back as a timedelta ("8:00:00" sorts after "21:00:00")
		if self.start_time and self.end_time and get_time(self.start_time) >= get_time(self.end_time):
			frappe.throw(_("'Contact From' must be before 'Contact Until'."))
		if self.default_timezone and not valid_timezone(self.default_timezone):
			frappe.throw(_("{0} is not a time zone name (e.g. Asia/Shanghai).").format(self.default_timezone))
		if bool(self.rolling_calls) != bool(self.rolling_days):
			frappe.throw(_("Give both the number of calls and the days of the rolling window, or neither."))
		for field in (
			"max_effective_per_day",
			"max_calls_per_day",
			"max_visits_per_day",
			"rolling_calls",
			"rolling_days",
			"quiet_days_after_conversation",
		):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if not any(
			self.get(d)
			for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
		):
			frappe.throw(_("Allow at least one weekday."))
