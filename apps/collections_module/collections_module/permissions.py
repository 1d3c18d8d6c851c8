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


def _stored(doc, field: str):
	"""The saved value of ``field``: an edit cannot move a record into the user's own scope."""
	if doc.get("name") and not doc.is_new():
		return frappe.db.get_value(doc.doctype, doc.name, field)
	return doc.get(field)


def collection_case_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _sees_all(user) or (_stored(doc, "collector") == user and doc.get("collector") == user):
		return None  # fall back to the role permissions of the doctype
	return False


def case_record_query(user: str | None = None, doctype: str = "Contact Log") -> str:
	"""Contact logs, visit records, waivers and plans follow their case: a Collector sees those of the
	cases assigned to them."""
	user = user or frappe.session.user
	if _sees_all(user):
		return ""
	return (
		f"`tab{doctype}`.`collection_case` in (select `name` from `tabCollection Case` "
		f"where `collector` = {frappe.db.escape(user)})"
	)


def contact_log_query(user=None):
	return case_record_query(user, "Contact Log")


def visit_record_query(user=None):
	return case_record_query(user, "Visit Record")


def waiver_query(user=None):
	return case_record_query(user, "Collection Waiver")


def repayment_plan_query(user=None):
	return case_record_query(user, "Repayment Plan")


def case_record_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _sees_all(user):
		return None
	cases = {_stored(doc, "collection_case"), doc.get("collection_case")} - {None}
	collectors = {frappe.db.get_value("Collection Case", case, "collector") for case in cases}
	return None if collectors == {user} else False


def letter_query(user=None):
	return case_record_query(user, "Collection Letter")


def statement_query(user: str | None = None) -> str:
	"""A Collector sees the statements of the customers whose cases they hold."""
	user = user or frappe.session.user
	if _sees_all(user) or "Accounts User" in frappe.get_roles(user):
		return ""
	return (
		"`tabCustomer Statement`.`customer` in (select `customer` from `tabCollection Case` "
		f"where `collector` = {frappe.db.escape(user)})"
	)
