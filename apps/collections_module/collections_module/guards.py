"""Server-side protection of approved content. Frappe checks a Workflow's state changes on save, but
not the other fields of a document already approved: these helpers refuse such edits, the same for
the desk, the API and the console."""

import hashlib

import frappe
from frappe import _

from collections_module.policy.stock_lock import LIVE_STATES

_META = {
	"name",
	"idx",
	"parent",
	"parentfield",
	"parenttype",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"docstatus",
	"doctype",
}


def _value(doc, field):
	value = doc.get(field)
	if isinstance(value, list):  # a child table: its rows' own data, in order
		return [{k: v for k, v in row.as_dict().items() if k not in _META} for row in value]
	return value


def changed(doc, fields) -> list[str]:
	"""The fields of ``fields`` that this save changes (none for a new document)."""
	before = doc.get_doc_before_save()
	if before is None:
		return []
	return [f for f in fields if _value(before, f) != _value(doc, f)]


def freeze_after(doc, fields, editable_states, what: str):
	"""Refuse changes to ``fields`` once the stored document has left ``editable_states``."""
	before = doc.get_doc_before_save()
	if before is None or before.get("status") in editable_states or doc.flags.system_update:
		return
	touched = changed(doc, fields)
	if touched:
		labels = ", ".join(_(doc.meta.get_label(f)) for f in touched)
		frappe.throw(
			_("{0} is {1}: {2} can no longer be changed ({3}).").format(
				doc.name, _(before.status), labels, _(what)
			),
			frappe.PermissionError,
		)


def track_terms_author(doc, fields, author_field: str = "terms_changed_by"):
	"""Record who last changed the terms (``fields``) of a request; the stored value otherwise stands,
	whatever the request sends for it."""
	before = doc.get_doc_before_save()
	if before is None or changed(doc, fields):
		doc.set(author_field, frappe.session.user)
	else:
		doc.set(author_field, before.get(author_field))


def not_own_approval(doc, requester_field: str = "owner", author_field: str = "terms_changed_by"):
	"""Whoever asked for a reduction or plan, or last rewrote its terms, cannot approve it (R-C8:
	authorization by someone else)."""
	user = frappe.session.user
	if user == "Administrator":
		return
	if user == doc.get(requester_field):
		frappe.throw(
			_("You requested {0}; someone else must approve it.").format(doc.name), frappe.PermissionError
		)
	if user == doc.get(author_field):
		frappe.throw(
			_("You changed the terms of {0}; someone else must approve it.").format(doc.name),
			frappe.PermissionError,
		)


def invariant_key(customer: str, company: str) -> str:
	"""The value of a unique key that holds "one per customer and company" in the database (one open
	case, one live lock): set while the record is open or live, empty otherwise."""
	return hashlib.sha1(f"{customer}\x1f{company}".encode()).hexdigest()


# The records that hold such a key, and the SQL condition under which they hold it (R-B7, R-E1, R-F1).
# A record that is no longer open or live frees its key, whatever closed it (a document save, the
# run's set-based write, a console `set_value`): a CHECK constraint makes the database refuse a write
# that would leave it behind, so the next open record of the same customer is never refused for it.
KEY_HOLDERS = (
	("Collection Case", "open_key", "`status` <> 'Closed'"),
	("Stock Release Lock", "live_key", f"`status` in ({', '.join(repr(s) for s in LIVE_STATES)})"),
	("Debt", "open_key", "`status` = 'Open'"),
	("Legal Action", "open_key", "`approval_state` <> 'Rejected' and ifnull(`stage`, '') <> 'Closed'"),
)


def _constraint_name(doctype: str, field: str) -> str:
	return f"cm_{frappe.scrub(doctype)}_frees_{field}"


def free_stale_keys() -> dict[str, int]:
	"""Clear the key of every record that holds one without being open or live; how many, per DocType."""
	fixed = {}
	for doctype, field, holds in KEY_HOLDERS:
		where = f"`{field}` is not null and not ({holds})"
		fixed[doctype] = frappe.db.sql(f"select count(*) from `tab{doctype}` where {where}")[0][0]
		if fixed[doctype]:
			frappe.db.sql(f"update `tab{doctype}` set `{field}` = null where {where}")
	return fixed


def ensure_key_constraints():
	"""The CHECK constraints of KEY_HOLDERS (stale keys are freed first, so adding them cannot fail)."""
	free_stale_keys()
	for doctype, field, holds in KEY_HOLDERS:
		name = _constraint_name(doctype, field)
		if frappe.db.sql(
			"""select 1 from information_schema.check_constraints
			where constraint_schema = database() and table_name = %s and constraint_name = %s""",
			(f"tab{doctype}", name),
		):
			continue
		frappe.db.sql_ddl(
			f"alter table `tab{doctype}` add constraint `{name}` check (({holds}) or `{field}` is null)"
		)
