# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_fullname

from collections_module.people import notify

# filled in from the week's records when the draft is made: the collector writes the notes and plan
FIGURES = (
	"collector",
	"supervisor",
	"week_start",
	"week_end",
	"cases_worked",
	"contacts",
	"effective_contacts",
	"promises_made",
	"received",
	"refusals",
)


class WeeklyReport(Document):
	"""A collector's report of a week (周报): the week's figures, their notes and next week's plan,
	submitted to their supervisor. One per collector and week, held by a unique key."""

	def validate(self):
		if not self.is_new():
			before = self.get_doc_before_save()
			for field in FIGURES:
				self.set(field, before.get(field))
		self.report_key = f"{self.collector}:{self.week_start}"

	def before_submit(self):
		if not (self.notes or "").strip() or not (self.next_week_plan or "").strip():
			frappe.throw(_("Write how the week went and next week's plan before submitting."))

	def on_submit(self):
		if self.supervisor:
			notify(
				[self.supervisor],
				self.doctype,
				self.name,
				_("{0} submitted the weekly report for the week of {1}.").format(
					get_fullname(self.collector), self.week_start
				),
				"",
			)
