"""The people of collections and what they are given: who holds each collection role, follow-up tasks
(Frappe's own ToDo assignments) and desk notifications (with e-mail per the user's settings). Shared by
the daily run, the statement cycle, intake, the team's jobs and case events."""

from collections import defaultdict
from datetime import date

import frappe

from collections_module.messages import for_readers
from collections_module.policy import roles


def role_holders() -> dict[str, list[str]]:
	"""The enabled system users holding each collection role: role -> users."""
	out: dict[str, list[str]] = defaultdict(list)
	for role, user, _full_name in _holders(roles.ALL):
		out[role].append(user)
	return out


def _holders(role_names, enabled_only: bool = True) -> list[tuple[str, str, str]]:
	"""(role, user, full name) of the system users (enabled only, unless told) holding any of
	``role_names``."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(has_role.role, user.name, user.full_name)
		.where(
			(has_role.parenttype == "User")
			& has_role.role.isin(list(role_names))
			& ((user.enabled == 1) if enabled_only else (user.enabled >= 0))
			& (user.user_type == "System User")
			& user.name.notin(["Administrator", "Guest"])
		)
		.run()
	)


def assign_follow_up(doctype: str, name: str, users: list[str], description, on_date: date):
	"""One open follow-up per user and document: a new ToDo, or the open one moved to today. The
	description (a callable building it with _()) is written in each user's language."""
	from frappe.desk.form.assign_to import add as assign

	texts = for_readers(description, users)
	for user in users:
		description = texts.get(user, "")
		open_todo = frappe.db.get_value(
			"ToDo",
			{"reference_type": doctype, "reference_name": name, "allocated_to": user, "status": "Open"},
		)
		if open_todo:  # the last follow-up is still open: it is due again, now
			frappe.db.set_value("ToDo", open_todo, {"date": on_date, "description": description})
		else:
			assign(
				{
					"assign_to": [user],
					"doctype": doctype,
					"name": name,
					"description": description,
					"date": on_date,
				},
				ignore_permissions=True,
			)


def notify(users: list[str], doctype: str, name: str, subject, body=""):
	"""A desk alert (and e-mail per the user's settings); subject and body (callables building them
	with _()) in each user's language."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	users = sorted({u for u in users if u})
	if not users:
		return
	subjects, bodies = for_readers(subject, users), for_readers(body, users)
	by_text = defaultdict(list)
	for user in users:
		by_text[(subjects[user], bodies[user])].append(user)
	for (text, content), readers in by_text.items():
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": text,
				"email_content": content,
			},
			readers,
		)


def boot_session(bootinfo):
	"""The names of the people of collections, so that every desk view shows a person by name (the
	link to the user stays): the collection roles' holders, the system and accounts managers."""
	if frappe.session.user == "Guest":
		return
	# disabled users too: their names still stand on the records they worked
	people = _holders([*roles.ALL, "System Manager", "Accounts Manager", "Accounts User"], enabled_only=False)
	bootinfo.collection_people = {name: full or name for _role, name, full in people}
