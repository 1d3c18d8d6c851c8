"""The collection fields this app adds to Customer and Customer Group (policy, debtor time zone) drive
the ladder and the contact rules (R-B*, R-C2): only collection managers (and the owner) change them,
through the desk, the API and imports alike."""

import frappe
from frappe import _

from collections_module.policy import roles

FIELDS = {
	"Customer": ("collection_policy", "collection_timezone"),
	"Customer Group": ("collection_policy",),
}
OWNERS = {roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}


def guard_collection_fields(doc, method=None):
	from collections_module.contact_conduct.conduct import valid_timezone

	fields = FIELDS.get(doc.doctype, ())
	if doc.is_new():
		touched = [f for f in fields if doc.get(f)]
	else:
		touched = [f for f in fields if doc.has_value_changed(f)]
	if not touched:
		return
	if not set(frappe.get_roles()) & OWNERS:
		labels = ", ".join(_(doc.meta.get_label(f)) for f in touched)
		frappe.throw(
			_("Only a collection manager can change {0}.").format(labels),
			frappe.PermissionError,
			title=_("Not allowed"),
		)
	tz = doc.get("collection_timezone")
	if "collection_timezone" in touched and tz and not valid_timezone(tz):
		frappe.throw(_("{0} is not a time zone name (e.g. Asia/Shanghai).").format(tz))


def set_collection_fields(
	doctype: str, name: str, collection_policy: str | None = None, collection_timezone: str | None = None
) -> None:
	"""For the 'Collection Settings' action on Customer and Customer Group: a collection manager sets
	the policy (and a customer's time zone) without needing the right to edit the customer itself."""
	if doctype not in FIELDS:
		frappe.throw(_("Collection settings exist only for customers and customer groups."))
	if not set(frappe.get_roles()) & OWNERS:
		frappe.throw(
			_("Only a collection manager can change the collection settings."), frappe.PermissionError
		)
	doc = frappe.get_doc(doctype, name)
	values = {"collection_policy": collection_policy, "collection_timezone": collection_timezone}
	for field in FIELDS[doctype]:
		if values[field] is not None:
			doc.set(field, values[field] or None)
	doc.flags.ignore_permissions = True
	doc.save()
