# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from collections_module.policy import grading


class CollectionSettings(Document):
	def validate(self):
		self.validate_grades()

	def validate_grades(self):
		"""The grade bands rise from A to D, and each grade has at most one policy (R-E3)."""
		starts = []
		for grade, field in (
			(grading.B, "grade_b_from"),
			(grading.C, "grade_c_from"),
			(grading.D, "grade_d_from"),
		):
			if not cint(self.get(field)):  # unset: the default band
				self.set(field, grading.DEFAULT_BANDS[grade])
			starts.append((grade, cint(self.get(field))))
		previous_grade, previous = grading.A, 0
		for grade, start in starts:
			if start <= previous:
				frappe.throw(
					_("Grade {0} must start at a higher score than grade {1} ({2}).").format(
						grade, previous_grade, previous
					)
				)
			previous_grade, previous = grade, start
		seen = set()
		for row in self.grade_policies:
			if row.grade in seen:
				frappe.throw(_("Risk grade {0} has more than one policy.").format(row.grade))
			seen.add(row.grade)
