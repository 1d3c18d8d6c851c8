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


def debt_query(user=None):
	return case_record_query(user, "Debt")


def legal_action_query(user=None):
	return case_record_query(user, "Legal Action")


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


def _sees_all_statements(user: str) -> bool:
	return _sees_all(user) or "Accounts User" in frappe.get_roles(user)


def statement_query(user: str | None = None) -> str:
	"""A Collector sees the statements of the customers whose cases they hold (with that company)."""
	user = user or frappe.session.user
	if _sees_all_statements(user):
		return ""
	return (
		"(`tabCustomer Statement`.`customer`, `tabCustomer Statement`.`company`) in "
		"(select `customer`, `company` from `tabCollection Case` "
		f"where `collector` = {frappe.db.escape(user)})"
	)


def holds_case_of(user: str, customer: str | None, company: str | None) -> bool:
	"""True when ``user`` is the collector of a case (open or closed) of this customer and company."""
	if not (customer and company):
		return False
	return bool(
		frappe.db.exists("Collection Case", {"customer": customer, "company": company, "collector": user})
	)


def statement_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""Read, create and write alike: a statement pulls the customer's General Ledger, so a Collector
	may touch only those of customers whose case they hold, judged on the stored and the new values."""
	user = user or frappe.session.user
	if _sees_all_statements(user):
		return None
	keys = {(doc.get("customer"), doc.get("company"))}
	if doc.get("name") and not doc.is_new():
		keys.add((_stored(doc, "customer"), _stored(doc, "company")))
	return None if all(holds_case_of(user, *key) for key in keys) else False


def _works_collections(user: str) -> bool:
	return user == "Administrator" or bool(
		set(frappe.get_roles(user)) & (set(roles.ALL) | {"System Manager"})
	)


def stock_release_lock_query(user: str | None = None) -> str:
	"""The warehouse, sales and accounts see the locks that block shipments, not proposals, rejections
	or releases (collection roles see them all)."""
	from collections_module.policy.stock_lock import BLOCKING_STATES

	user = user or frappe.session.user
	if _sees_all(user) or "System Manager" in frappe.get_roles(user):
		return ""
	states = ", ".join(frappe.db.escape(s) for s in BLOCKING_STATES)
	blocking = f"`tabStock Release Lock`.`status` in ({states})"
	if _works_collections(user):  # a Collector: the locks of the customers whose cases they hold
		mine = (
			"(`tabStock Release Lock`.`customer`, `tabStock Release Lock`.`company`) in "
			f"(select `customer`, `company` from `tabCollection Case` where `collector` = {frappe.db.escape(user)})"
		)
		return f"({mine} or {blocking})" if _reads_blocking_locks(user) else mine
	return blocking


def stock_release_lock_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	from collections_module.policy.stock_lock import BLOCKING_STATES

	user = user or frappe.session.user
	if _sees_all(user) or "System Manager" in frappe.get_roles(user):
		return None
	if _works_collections(user):  # a Collector: their customers' locks, judged on stored and new values
		keys = {
			(doc.get("customer"), doc.get("company")),
			(_stored(doc, "customer"), _stored(doc, "company")),
		}
		if all(holds_case_of(user, *key) for key in keys if any(key)):
			return None
		if ptype == "read" and _reads_blocking_locks(user) and doc.get("status") in BLOCKING_STATES:
			return None
		return False
	return None if doc.get("status") in BLOCKING_STATES else False


def _reads_blocking_locks(user: str) -> bool:
	"""Also a warehouse, sales or accounts user: they see what blocks shipments."""
	return bool(set(frappe.get_roles(user)) & {"Stock User", "Stock Manager", "Sales User", "Accounts User"})


def own_record_query(user: str | None = None, doctype: str = "Weekly Report") -> str:
	"""A collector's own weekly reports, call reviews, targets and refused contacts; the leads see all."""
	user = user or frappe.session.user
	if _sees_all(user):
		return ""
	return f"`tab{doctype}`.`collector` = {frappe.db.escape(user)}"


def weekly_report_query(user=None):
	return own_record_query(user, "Weekly Report")


def quality_review_query(user=None):
	return own_record_query(user, "Call Quality Review")


def target_query(user=None):
	return own_record_query(user, "Collection Target")


def recovery_query(user=None):
	return own_record_query(user, "Collection Recovery")


def refusal_query(user=None):
	return own_record_query(user, "Contact Refusal")


def incentive_statement_query(user=None):
	return own_record_query(user, "Incentive Statement")


def own_record_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _sees_all(user) or (_stored(doc, "collector") == user and doc.get("collector") == user):
		return None
	return False


# --- collectors' own profiles, exceptions of their cases (R-G5) ----------------------------------


def collector_profile_query(user: str | None = None) -> str:
	"""A Collector reads their own profile (capacity, clients, level); the leads read all."""
	user = user or frappe.session.user
	if _sees_all(user):
		return ""
	return f"`tabCollector Profile`.`user` = {frappe.db.escape(user)}"


def collector_profile_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _sees_all(user) or (_stored(doc, "user") == user and doc.get("user") == user):
		return None
	return False


def rule_exception_query(user=None):
	return case_record_query(user, "Contact Rule Exception")


# --- child tables (R-G5) -------------------------------------------------------------------------
# Frappe checks only the parent DocType's right when a child table is listed on its own (`get_list`
# of "Collection Contact Point" with parent "Collection Case"): each child row is scoped to the
# parents the user may read, by the parent's own record rule. Every child table of a parent with a
# record rule is listed here (tests/test_access.py checks it from the DocType meta).
CHILD_PARENTS = {
	"Collection Case Invoice": "Collection Case",
	"Collection Case Stage Log": "Collection Case",
	"Collection Contact Point": "Collection Case",
	"Collection Case Reassignment": "Collection Case",
	"Legal Action Cost": "Legal Action",
	"Collection Case Excluded Collector": "Collection Case",
	"Repayment Plan Installment": "Repayment Plan",
	"Visit Record Collector": "Visit Record",
	"Stock Release Pass": "Stock Release Lock",
	"Debt Repayment": "Debt",
	"Collection Letter Invoice": "Collection Letter",
	"Customer Statement Line": "Customer Statement",
	"Collector Profile Client": "Collector Profile",
	"Incentive Plan Tier": "Incentive Plan",
	"Incentive Statement Line": "Incentive Statement",
}


def child_query(user: str | None = None, doctype: str | None = None) -> str:
	"""A child table's rows of the parents the user may read (the parent's record rule)."""
	user = user or frappe.session.user
	parent = CHILD_PARENTS[doctype]
	conditions = [
		frappe.call(frappe.get_attr(method), user, doctype=parent)
		for method in frappe.get_hooks("permission_query_conditions", {}).get(parent, [])
	]
	conditions = [c for c in conditions if c]
	if not conditions:
		return ""
	return (
		f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parent)} and `tab{doctype}`.`parent` in "
		f"(select `name` from `tab{parent}` where {' and '.join(conditions)}))"
	)


# --- names through link titles (R-G5) ------------------------------------------------------------


def get_link_title(doctype: str, docname: str) -> str:
	"""Frappe's link title, but a record of this app shows its title (a debtor's or customer's name)
	only to whom may read the record; to others the link shows its ID."""
	from frappe.desk.search import get_link_title as frappe_link_title

	from collections_module.access import ACCESS

	if doctype in ACCESS and frappe.get_meta(doctype).show_title_field_in_link:
		if not frappe.db.exists(doctype, docname) or not frappe.has_permission(doctype, "read", docname):
			return docname
	return frappe_link_title(doctype, docname)
