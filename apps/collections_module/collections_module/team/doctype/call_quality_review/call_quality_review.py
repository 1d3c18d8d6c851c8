# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from collections_module.policy import sampling

# the checklist's fields, each one item of the policy core's checklist (R-G2)
CHECKLIST = {
	"identity_and_debt_confirmed": sampling.IDENTITY_AND_DEBT_CONFIRMED,
	"identity_disclosed": sampling.IDENTITY_DISCLOSED,
	"polite_language": sampling.POLITE_LANGUAGE,
	"no_threats": sampling.NO_THREATS,
	"no_third_party_disclosure": sampling.NO_THIRD_PARTY_DISCLOSURE,
	"amounts_correct": sampling.AMOUNTS_CORRECT,
	"contact_rules_respected": sampling.CONTACT_RULES_RESPECTED,
}


class CallQualityReview(Document):
	"""A supervisor's review of one sampled call (R-G2): the checklist, the score, comments; the
	collector acknowledges it once submitted."""

	def validate(self):
		self.score = sampling.score({item: bool(self.get(field)) for field, item in CHECKLIST.items()})
		if self.contact_log:  # whose call it is, the call says (never the reviewer)
			self.collector, self.collection_case = frappe.db.get_value(
				"Contact Log", self.contact_log, ["collector", "collection_case"]
			)
		if not self.is_new():  # which call, whose and when are the sample's, not the reviewer's
			before = self.get_doc_before_save()
			for field in ("contact_log", "collection_case", "collector", "week_start", "sample_seed"):
				self.set(field, before.get(field))

	def on_submit(self):
		self.db_set("reviewer", self.reviewer or frappe.session.user)
