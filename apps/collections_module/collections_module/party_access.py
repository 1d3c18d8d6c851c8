"""The read collection roles need of ERPNext's parties: Customer, Contact, Address and Supplier.

A letter, a statement or a case names its customer (and fetches its name); a contact point names a
Contact or an Address; a legal action names the law firm (a Supplier). Without a read of these, the
desk stops a collector mid-work ("You do not have Read or Select Permissions for Customer"). So the
roles get a read (as a Role Permission, Custom DocPerm, an administrator can see and change), and a
Collector who has no other role reading parties reads only those of the customers whose cases they
hold. User Permissions still apply on top, as for any role.
"""

import frappe
from frappe.utils.caching import request_cache

from collections_module.policy import roles

LEADS = (roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER)

# DocType -> roles given read and select (permlevel 0)
PARTY_READS = {
	"Customer": (roles.COLLECTOR, *LEADS),
	"Contact": (roles.COLLECTOR, *LEADS),
	"Address": (roles.COLLECTOR, *LEADS),
	"Supplier": LEADS,  # law firms, chosen on a legal action
}


def ensure_party_reads():
	"""Idempotent: add the missing Role Permissions; an existing rule of the role is left as the
	administrator set it."""
	from frappe.permissions import add_permission, update_permission_property

	for doctype, readers in PARTY_READS.items():
		for role in readers:
			if not frappe.db.exists("Role", role):
				continue
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role, "permlevel": 0}):
				continue
			add_permission(doctype, role, 0, "read")
			update_permission_property(doctype, role, 0, "select", 1, validate=False)


def _reads_parties_otherwise(user: str, doctype: str) -> bool:
	"""The user sees every case, or holds a role that reads this DocType besides a Collector's."""
	if user == "Administrator":
		return True
	mine = set(frappe.get_roles(user))
	if mine & set(roles.SEE_ALL_CASES):
		return True
	return bool(mine & (_readers(doctype) - {roles.COLLECTOR}))


@request_cache
def _readers(doctype: str) -> set[str]:
	"""The roles reading the DocType (its Role Permissions when customised, else the standard ones)."""
	filters = {"parent": doctype, "permlevel": 0, "read": 1}
	rows = frappe.get_all("Custom DocPerm", filters=filters, pluck="role") or frappe.get_all(
		"DocPerm", filters=filters, pluck="role"
	)
	return set(rows)


def _customers_of(user: str) -> str:
	return f"select `customer` from `tabCollection Case` where `collector` = {frappe.db.escape(user)}"


def _linked_to_customers(doctype: str, user: str) -> str:
	return (
		f"`tab{doctype}`.`name` in (select `parent` from `tabDynamic Link` where `parenttype` = "
		f"{frappe.db.escape(doctype)} and `link_doctype` = 'Customer' and `link_name` in ({_customers_of(user)}))"
	)


def customer_query(user: str | None = None, doctype: str = "Customer") -> str:
	user = user or frappe.session.user
	if _reads_parties_otherwise(user, "Customer"):
		return ""
	return f"`tabCustomer`.`name` in ({_customers_of(user)})"


def contact_query(user: str | None = None, doctype: str = "Contact") -> str:
	user = user or frappe.session.user
	return "" if _reads_parties_otherwise(user, "Contact") else _linked_to_customers("Contact", user)


def address_query(user: str | None = None, doctype: str = "Address") -> str:
	user = user or frappe.session.user
	return "" if _reads_parties_otherwise(user, "Address") else _linked_to_customers("Address", user)


def customer_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	user = user or frappe.session.user
	if _reads_parties_otherwise(user, "Customer") or doc.is_new():
		return None
	return None if frappe.db.exists("Collection Case", {"customer": doc.name, "collector": user}) else False


def linked_party_has_permission(doc, ptype: str = "read", user: str | None = None) -> bool | None:
	"""A Contact or an Address: read by a Collector when it is linked to one of their customers."""
	user = user or frappe.session.user
	if _reads_parties_otherwise(user, doc.doctype) or doc.is_new():
		return None
	customers = [link.link_name for link in doc.get("links") or [] if link.link_doctype == "Customer"]
	if customers and frappe.db.exists("Collection Case", {"customer": ["in", customers], "collector": user}):
		return None
	return False
