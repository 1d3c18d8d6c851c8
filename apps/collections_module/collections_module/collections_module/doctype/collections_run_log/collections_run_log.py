# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CollectionsRunLog(Document):
	"""What one daily run of the ladder did, written by the run itself after every committed chunk."""


@frappe.whitelist()
def start_run() -> str:
	"""The 'Run Today's Ladder' button: today's run on the long queue (one at a time per site)."""
	from collections_module.ladder_run import enqueue_run

	if not set(frappe.get_roles()) & {"Collection Manager", "System Manager"}:
		frappe.throw(_("Only a collection manager can start a run."), frappe.PermissionError)
	enqueue_run(triggered_by=frappe.session.user)
	return _("Today's run is queued. Its progress shows here.")
