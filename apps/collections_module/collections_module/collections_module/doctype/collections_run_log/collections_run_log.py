# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate


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


@frappe.whitelist()
def failures_today() -> dict:
	"""For those who read the run logs (supervisors and up): the customers today's run could not
	process, so that nobody is left uncollected in silence. Empty when there were none."""
	if not frappe.has_permission("Collections Run Log", "read"):
		return {}
	logs = frappe.get_all(
		"Collections Run Log",
		filters={"run_date": nowdate(), "status": ["!=", "Running"]},
		fields=["name", "customers_failed"],
		order_by="creation desc",
		limit=1,
	)
	if not logs or not logs[0].customers_failed:
		return {}
	count = logs[0].customers_failed
	return {
		"count": count,
		"log": logs[0].name,
		"message": _("{0} customers could not be processed today.").format(count)
		if count != 1
		else _("1 customer could not be processed today."),
	}
