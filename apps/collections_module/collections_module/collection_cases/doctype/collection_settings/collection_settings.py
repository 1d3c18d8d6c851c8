# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import itertools

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from collections_module.policy import filtering, grade_settings, grading

STEP_FIELDS = ("amount_steps", "age_steps")


class CollectionSettings(Document):
	def validate(self):
		self.validate_grades()
		if self.flags.keep_stored_values:  # the installer filling new fields: a migrate never fails
			return  # on values stored before these checks (the run and the import use the defaults)
		self.validate_grade_weights()
		self.validate_filtering_deadlines()

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

	def validate_grade_weights(self):
		"""The weights are read as the daily run reads them (a value in error would keep its default
		there): refused here, each named by its label."""
		problems = grade_settings.validate_settings(self.as_dict())
		fields = {p.split(":", 1)[0] for p in problems}
		messages = []
		for field in sorted(
			fields, key=lambda f: self.meta.get_field(f).idx if self.meta.get_field(f) else 0
		):
			df = self.meta.get_field(field)
			if df is None:
				continue  # the bands: checked above
			label = _(df.label)
			if field in STEP_FIELDS:
				messages.append(
					_(
						"{0}: give 'from:points' pairs separated by commas, e.g. {1}: no negative numbers, each starting value once, and the points never falling as the value rises."
					).format(label, df.default)
				)
			elif field == "days_late_full":
				messages.append(_("{0} must be more than 0.").format(label))
			else:
				messages.append(_("{0}: {1} cannot be used.").format(label, self.get(field)))
		if messages:
			frappe.throw("<br>".join(messages), title=_("These risk-grade weights cannot be used"))

	def validate_filtering_deadlines(self):
		"""The days to filter a batch (R-E4): whole positive numbers, each batch size once, the days never
		falling as the batch grows; the most days at least 1 (unset: the default)."""
		if not cint(self.filtering_max_days):
			self.filtering_max_days = filtering.MAX_FILTERING_DAYS
		messages = []
		if cint(self.filtering_max_days) < 1:
			messages.append(
				_("{0} must be at least 1, not {1}.").format(
					_(self.meta.get_label("filtering_max_days")), self.filtering_max_days
				)
			)
		rows = []
		for row in self.filtering_deadlines:
			if cint(row.max_accounts) < 1:
				messages.append(
					_("Row {0}: a batch has at least 1 account, not {1}.").format(row.idx, row.max_accounts)
				)
			elif cint(row.days) < 1:
				messages.append(
					_("Row {0}: filtering takes at least 1 day, not {1}.").format(row.idx, row.days)
				)
			else:
				rows.append(row)
		seen = {}
		for row in rows:
			if cint(row.max_accounts) in seen:
				messages.append(
					_("Row {0}: batches of up to {1} accounts are already in row {2}.").format(
						row.idx, row.max_accounts, seen[cint(row.max_accounts)]
					)
				)
			seen.setdefault(cint(row.max_accounts), row.idx)
		ordered = sorted(rows, key=lambda r: (cint(r.max_accounts), r.idx))
		for smaller, bigger in itertools.pairwise(ordered):
			if cint(bigger.days) < cint(smaller.days):
				messages.append(
					_(
						"Row {0}: a batch of up to {1} accounts gets fewer days ({2}) than one of up to {3} ({4})."
					).format(bigger.idx, bigger.max_accounts, bigger.days, smaller.max_accounts, smaller.days)
				)
		if not messages and filtering.validate_table(
			[(r.max_accounts, r.days) for r in self.filtering_deadlines], self.filtering_max_days
		):
			messages.append(_("The days to filter a batch cannot be used."))  # the policy core's check
		if messages:
			frappe.throw("<br>".join(messages), title=_("The days to filter a batch cannot be used"))
