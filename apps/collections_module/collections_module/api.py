"""Endpoints of the app as a whole (the trades have their own api.py): thin and typed."""

import frappe

from collections_module import permissions


@frappe.whitelist()
def get_link_title(doctype: str, docname: str) -> str:
	"""Frappe's `frappe.desk.search.get_link_title`, with the record rule of this app's records."""
	return permissions.get_link_title(doctype, docname)
