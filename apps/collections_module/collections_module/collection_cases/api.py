"""Endpoints of Collection Cases: thin and typed; the work is in the services they call."""

import frappe
from frappe import _

from collections_module.collection_cases import my_day, preview
from collections_module.collection_cases.ladder import run_log
from collections_module.integrations.erpnext import customer_fields
from collections_module.policy import roles


@frappe.whitelist()
def get_my_day(collector: str | None = None, limit: int | str | None = None) -> dict:
	"""My Day: the due cases ranked by expected recovery (a collector's own; a lead's choice)."""
	return my_day.get_my_day(collector, limit)


@frappe.whitelist()
def my_due_today(filters: str | dict | None = None) -> dict:
	"""Number Card "My Due Today"."""
	return my_day.my_due_today(filters)


@frappe.whitelist()
def preview_policy(policy: str, stages: str | list) -> dict:
	"""'Preview Changes' on a Collection Policy: today's run with the saved and the edited rows."""
	return preview.preview_policy(policy, stages)


@frappe.whitelist()
def start_run() -> dict:
	"""The 'Run Today's Ladder' button: today's run on the long queue (one at a time per site)."""
	from collections_module.collection_cases.ladder.jobs import enqueue_run, workers_listening

	if not set(frappe.get_roles()) & {roles.MANAGER, "System Manager"}:
		frappe.throw(_("Only a collection manager can start a run."), frappe.PermissionError)
	log = enqueue_run(triggered_by=frappe.session.user)
	if not workers_listening():
		return {
			"log": log,
			"indicator": "orange",
			"message": _(
				"Today's run is queued, but no background worker is running on this site: it starts when one does. Ask your administrator to start the workers."
			),
		}
	return {"log": log, "indicator": "green", "message": _("Today's run is queued. Its progress shows here.")}


@frappe.whitelist()
def failures_today() -> dict:
	"""The customers today's run could not process, for those who read the run logs (empty if none)."""
	if not frappe.has_permission("Collections Run Log", "read"):
		return {}
	return run_log.failures_today()


@frappe.whitelist()
def set_collection_fields(
	doctype: str, name: str, collection_policy: str | None = None, collection_timezone: str | None = None
) -> None:
	"""'Collection Settings' on Customer and Customer Group (collection managers)."""
	customer_fields.set_collection_fields(doctype, name, collection_policy, collection_timezone)
