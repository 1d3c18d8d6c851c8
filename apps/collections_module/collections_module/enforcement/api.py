"""Endpoints of Enforcement: thin and typed; the work is in the services they call. (Granting a pass
and preparing the evidence pack are methods of their documents.)"""

import frappe

from collections_module.integrations.erpnext import shipment_guard


@frappe.whitelist()
def lock_banner(customer: str, company: str | None = None) -> list[dict]:
	"""The red banner on Delivery Note, Pick List, Sales Order and Customer forms."""
	return shipment_guard.lock_banner(customer, company)
