"""Endpoints of Intake: thin and typed; the work is in the services they call."""

import frappe

from collections_module.intake import allocation


@frappe.whitelist()
def propose(batch: str) -> dict:
	"""'Allocate' on an Intake Batch: a collector proposed for each case, with the reasons and loads."""
	return allocation.propose(batch)


@frappe.whitelist()
def confirm(batch: str, assignments: str | list) -> int:
	"""The team lead's allocation, checked again against the rules and stored."""
	return allocation.confirm(batch, assignments)
