"""Record-level security for collection data (R-G5): a Collector sees only the cases assigned to them;
supervisors, managers, the owner and accounts managers see every case."""

import frappe

from collections_module.policy import roles


def _sees_all(user: str) -> bool:
	if user == "Administrator":
		return True
	return bool(set(frappe.get_roles(user)) & set(roles.SEE_ALL_CASES))


def collection_case_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if _sees_all(user):
		return ""
	return f"`tabCollection Case`.`collector` = {frappe.db.escape(user)}"


def collection_case_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _sees_all(user) or doc.get("collector") == user:
		return None  # fall back to the role permissions of the doctype
	return False
