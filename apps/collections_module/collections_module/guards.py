"""Server-side protection of approved content. Frappe checks a Workflow's state changes on save, but
not the other fields of a document already approved: these helpers refuse such edits, the same for
the desk, the API and the console."""

import hashlib

import frappe
from frappe import _

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
