"""Endpoints of Contact Conduct: thin and typed; the work is in the services they call."""

import frappe

from collections_module.contact_conduct import conduct, preview


@frappe.whitelist()
def contact_status(case: str) -> dict:
	"""For the case form: may the debtor be contacted now, if not when, and the timing advice."""
	return conduct.contact_status(case)


@frappe.whitelist()
def preview_rule_set(rule_set: str, values: str | dict) -> dict:
	"""'Preview Changes' on a Contact Rule Set: the last month's contacts under saved and edited rules."""
	return preview.preview_rule_set(rule_set, values)
