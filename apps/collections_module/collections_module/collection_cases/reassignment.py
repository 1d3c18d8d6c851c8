"""Handing a case to another collector with a reason (the form's Reassign, the list's bulk assign)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from collections_module.bulk import full_names
from collections_module.policy import roles

CASE_LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


def full_name(user: str) -> str:
	return full_names([user]).get(user, user)


def reassign(case: str, collector: str, reason: str) -> str:
	"""Hand a case to another collector with a reason (R-C9, e.g. an abusive debtor); the old
	collector's open follow-ups move with it."""
	if not set(frappe.get_roles()) & CASE_LEADS:
		frappe.throw(
			_("Only a collection supervisor (or above) can reassign a case."), frappe.PermissionError
		)
	if not (reason or "").strip():
		frappe.throw(_("Give the reason for the reassignment."))
	if roles.COLLECTOR not in frappe.get_roles(collector):
		frappe.throw(_("{0} is not a Collector.").format(full_name(collector)))
	doc = frappe.get_doc("Collection Case", case)
	previous = doc.collector
	if previous == collector:
		frappe.throw(_("The case is already assigned to {0}.").format(full_name(collector)))
	doc.append(
		"reassignments",
		{
			"reassigned_on": now_datetime(),
			"from_collector": previous,
			"to_collector": collector,
			"reason": reason.strip(),
			"reassigned_by": frappe.session.user,
		},
	)
	doc.collector = collector
	doc.flags.reassignment_logged = True
	doc.save(ignore_permissions=True)  # the follow-ups move in on_update, as for any change of collector
	return doc.name
