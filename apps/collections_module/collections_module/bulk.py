"""Set-based writes for the daily run: a few statements for a whole chunk of records instead of one
`save()` each, writing what a save would leave behind (modified stamps, child rows, the timeline's
Version, assignments with their comment and `_assign`).

Field names here always come from code, never from user input; values are always parameters."""

import json
from collections import defaultdict
from datetime import date

import frappe
from frappe import _
from frappe.utils import now_datetime


def update_by_name(doctype: str, values: dict[str, dict]):
	"""One UPDATE for many records, each with its own values: ``{name: {field: value}}``. Stamps
	``modified`` and ``modified_by`` so a form opened before the write is refused on save (Frappe's
	'modified after you opened it') instead of silently undoing it."""
	if not values:
		return
	stamp, user = now_datetime(), frappe.session.user
	fields = sorted({f for v in values.values() for f in v})
	sets, params = [], []
	for f in fields:
		whens = []
		for name, v in values.items():
			if f in v:
				whens.append("when %s then %s")
				params += [name, v[f]]
		sets.append(f"`{f}` = case `name` {' '.join(whens)} else `{f}` end")
	sets += ["`modified` = %s", "`modified_by` = %s"]
	params += [stamp, user, *values]
	frappe.db.sql(
		f"update `tab{doctype}` set {', '.join(sets)} where `name` in ({', '.join(['%s'] * len(values))})",
		params,
	)


def _insert(doctype: str, fields: list[str], rows: list[tuple]):
	"""One INSERT of ``rows`` (values of ``fields``), each with a new name and the stamps a save gives."""
	if not rows:
		return
	stamp, user = now_datetime(), frappe.session.user
	frappe.db.bulk_insert(
		doctype,
		["name", "creation", "modified", "owner", "modified_by", "docstatus", *fields],
		[(frappe.generate_hash(length=10), stamp, stamp, user, user, 0, *row) for row in rows],
	)


NUMERIC = ("Int", "Float", "Currency", "Percent", "Check")


def insert_children(doctype: str, parenttype: str, parentfield: str, rows: list[dict]):
	"""Child rows appended to their parents (``parent`` in each row), numbered after the parent's last
	row, in one statement."""
	if not rows:
		return
	parents = sorted({r["parent"] for r in rows})
	last = dict(
		frappe.db.sql(
			f"""select parent, max(idx) from `tab{doctype}`
			where parenttype = %s and parentfield = %s and parent in ({", ".join(["%s"] * len(parents))})
			group by parent""",
			[parenttype, parentfield, *parents],
		)
	)
	fields = sorted({f for r in rows for f in r if f != "parent"})
	# a row without a field another row has gets what a save would give it (numbers are never NULL)
	meta = frappe.get_meta(doctype)
	numeric = {f for f in fields if (meta.get_field(f) or frappe._dict()).fieldtype in NUMERIC}
	values = []
	for r in rows:
		last[r["parent"]] = (last.get(r["parent"]) or 0) + 1
		cells = [r.get(f, 0 if f in numeric else None) for f in fields]
		values.append((last[r["parent"]], r["parent"], parenttype, parentfield, *cells))
	_insert(doctype, ["idx", "parent", "parenttype", "parentfield", *fields], values)


def record_versions(doctype: str, changes: dict[str, dict]):
	"""The timeline's 'changed' entries, as a save with track_changes would write them:
	``{name: {"changed": [[field, old, new]], "added": [[table, row]]}}``."""
	empty = {"removed": [], "row_changed": [], "data_import": None}
	_insert(
		"Version",
		["ref_doctype", "docname", "data"],
		[
			(doctype, name, frappe.as_json({"changed": [], "added": [], **change, **empty}, indent=None))
			for name, change in changes.items()
		],
	)


def assign_follow_ups(doctype: str, items: list[tuple[str, list[str], str]], on_date: date):
	"""One open follow-up per person and record, for many records at once: ``items`` are
	(record, users, description). An open ToDo is moved to ``on_date`` with the new description; a new
	one is written with what Frappe's assignment leaves (the 'Assigned' comment on the timeline and the
	record's ``_assign``). People are told once per run, not here (ladder.run_log._tell_follow_ups)."""
	from collections_module.messages import in_language, languages_of

	# a description given as a callable is written in each person's language
	langs = languages_of({user for _name, users, _d in items for user in users})
	wanted = {
		(name, user): in_language(description, langs[user])
		for name, users, description in items
		for user in users
	}
	if not wanted:
		return
	names = sorted({name for name, _user in wanted})
	todo = frappe.qb.DocType("ToDo")
	open_rows = (
		frappe.qb.from_(todo)
		.select(todo.name, todo.reference_name, todo.allocated_to)
		.where(
			(todo.reference_type == doctype)
			& todo.reference_name.isin(names)
			& (todo.status == "Open")
			& todo.allocated_to.isnotnull()
		)
		.run(as_dict=True)
	)
	holding: dict[str, set] = defaultdict(set)
	moved = {}
	for r in open_rows:
		holding[r.reference_name].add(r.allocated_to)
		key = (r.reference_name, r.allocated_to)
		if key in wanted and r.name not in moved:
			moved[r.name] = {"date": on_date, "description": wanted.pop(key)}
	update_by_name("ToDo", moved)

	by = frappe.session.user
	names_of = full_names({user for _name, user in wanted} | {by})
	todos, comments = [], []
	for (name, user), description in sorted(wanted.items()):
		todos.append(("Open", "Medium", on_date, user, description, doctype, name, by))
		text = _("{0} assigned {1}: {2}").format(names_of.get(by, by), names_of.get(user, user), description)
		comments.append(("Assigned", doctype, name, text, by))
		holding[name].add(user)
	_insert(
		"ToDo",
		[
			"status",
			"priority",
			"date",
			"allocated_to",
			"description",
			"reference_type",
			"reference_name",
			"assigned_by",
		],
		todos,
	)
	_insert(
		"Comment",
		["comment_type", "reference_doctype", "reference_name", "content", "comment_email"],
		comments,
	)
	touched = {name for name, _user in wanted}
	if touched:  # the record's "Assigned To" (its `_assign`), as ToDo.update_in_reference keeps it
		table = frappe.qb.DocType(doctype)
		by_value: dict[str, list[str]] = defaultdict(list)
		for name in touched:
			by_value[json.dumps(sorted(holding[name]))].append(name)
		for value, group in by_value.items():
			frappe.qb.update(table).set(table._assign, value).where(table.name.isin(group)).run()


def full_names(users) -> dict[str, str]:
	"""{user: full name (or the user id when it has none)} for the users given, in one query."""
	users = sorted(u for u in users if u)
	if not users:
		return {}
	return {
		name: full_name or name
		for name, full_name in frappe.db.sql(
			"select name, full_name from `tabUser` where name in %(users)s", {"users": users}
		)
	}


def close_follow_ups(doctype: str, names: list[str]):
	"""The open follow-ups of records whose work is done (a case closed), closed in one statement."""
	todo = frappe.qb.DocType("ToDo")
	frappe.qb.update(todo).set(todo.status, "Closed").set(todo.modified, now_datetime()).where(
		(todo.reference_type == doctype) & todo.reference_name.isin(names) & (todo.status == "Open")
	).run()
	table = frappe.qb.DocType(doctype)
	frappe.qb.update(table).set(table._assign, "[]").where(table.name.isin(names)).run()


def hand_over_follow_ups(doctype: str, owners: dict[str, list[str]]):
	"""Records whose work passed to others (a case climbing to the next stage's owners): the open
	follow-ups of anyone not among the new ``owners`` are closed, and each record's "Assigned To" keeps
	only those still holding one."""
	if not owners:
		return
	todo = frappe.qb.DocType("ToDo")
	rows = (
		frappe.qb.from_(todo)
		.select(todo.name, todo.reference_name, todo.allocated_to)
		.where(
			(todo.reference_type == doctype)
			& todo.reference_name.isin(sorted(owners))
			& (todo.status == "Open")
		)
		.run(as_dict=True)
	)
	passed = [r.name for r in rows if r.allocated_to not in owners[r.reference_name]]
	if not passed:
		return
	frappe.qb.update(todo).set(todo.status, "Closed").set(todo.modified, now_datetime()).where(
		todo.name.isin(passed)
	).run()
	holding: dict[str, set] = defaultdict(set)
	for r in rows:
		if r.name not in passed:
			holding[r.reference_name].add(r.allocated_to)
	table = frappe.qb.DocType(doctype)
	for name in {r.reference_name for r in rows if r.name in passed}:
		frappe.qb.update(table).set(table._assign, json.dumps(sorted(holding[name]))).where(
			table.name == name
		).run()
