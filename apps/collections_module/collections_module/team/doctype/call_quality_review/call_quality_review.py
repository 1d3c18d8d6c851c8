# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.desk.reportview import get_match_cond
from frappe.model.document import Document
from frappe.utils import getdate

from collections_module.policy import sampling, weekly

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

# what a new review takes from its call, whatever was sent for it (the recording, on every save)
FROM_THE_CALL = ("collector", "collection_case", "recording")


class CallQualityReview(Document):
	"""A supervisor's review of one call (R-G2), sampled on Monday or picked by the supervisor: the
	checklist, the score, comments; the collector acknowledges it once submitted."""

	def validate(self):
		self.score = sampling.score({item: bool(self.get(field)) for field, item in CHECKLIST.items()})
		if not self.is_new():  # which call, whose and when are the sample's, not the reviewer's
			before = self.get_doc_before_save()
			for field in ("contact_log", "collection_case", "collector", "week_start", "sample_seed"):
				self.set(field, before.get(field))
		call = self.contact_log and frappe.db.get_value(
			"Contact Log", self.contact_log, [*FROM_THE_CALL, "start_time"], as_dict=True
		)
		if call:  # whose call it is, the call says (never the reviewer); and its recording
			taken = FROM_THE_CALL if self.is_new() else ("recording",)
			self.update({field: call.get(field) for field in taken})
			if not self.week_start and call.start_time:  # a picked call counts in its own week
				self.week_start = weekly.week_of(getdate(call.start_time))[0]
		if self.is_new() and not self.reviewer and not self.flags.ignore_permissions:
			self.reviewer = frappe.session.user  # a supervisor picking a call reviews it

	def on_submit(self):
		self.db_set("reviewer", self.reviewer or frappe.session.user)


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def recorded_calls(
	doctype: str,
	txt: str | None,
	searchfield: str | None,
	start: int,
	page_len: int,
	filters: dict | list | str | None = None,
) -> list | tuple:
	"""The Link search of a review's call: recorded phone calls of cases not reviewed yet, newest first,
	each with its customer, collector and time (the person's own Contact Log permissions apply)."""
	if not frappe.has_permission("Call Quality Review", "create"):
		frappe.throw(_("Only a collection supervisor (or above) reviews calls."), frappe.PermissionError)
	return frappe.db.sql(
		f"""select `tabContact Log`.name, `tabContact Log`.customer_name,
			ifnull(`tabUser`.full_name, `tabContact Log`.collector), `tabContact Log`.start_time
		from `tabContact Log` left join `tabUser` on `tabUser`.name = `tabContact Log`.collector
		where `tabContact Log`.docstatus < 2 and `tabContact Log`.channel = 'Phone'
			and ifnull(`tabContact Log`.recording, '') != ''
			and ifnull(`tabContact Log`.collection_case, '') != ''
			and not exists (select 1 from `tabCall Quality Review` review
				where review.contact_log = `tabContact Log`.name)
			and (`tabContact Log`.name like %(txt)s or `tabContact Log`.customer_name like %(txt)s
				or `tabContact Log`.collection_case like %(txt)s or `tabUser`.full_name like %(txt)s)
			{get_match_cond("Contact Log")}
		order by `tabContact Log`.start_time desc, `tabContact Log`.name desc
		limit %(page_len)s offset %(start)s""",
		{"txt": f"%{txt or ''}%", "start": start, "page_len": page_len},
	)
