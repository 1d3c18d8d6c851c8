"""Follow-up tasks and alerts shared by the overdue ladder, the statement cycle and case events:
ToDo assignments (Frappe's own) and desk notifications (with e-mail per the user's settings)."""

from datetime import date

import frappe


def assign_follow_up(doctype: str, name: str, users: list[str], description: str, on_date: date):
	"""One open follow-up per user and document: a new ToDo, or the open one moved to today."""
	from frappe.desk.form.assign_to import add as assign

	for user in users:
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


def notify(users: list[str], doctype: str, name: str, subject: str, body: str = ""):
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	users = sorted(set(users))
	if users:
		make_notification_logs(
			{
				"type": "Alert",
				"document_type": doctype,
				"document_name": name,
				"subject": subject,
				"email_content": body,
			},
			users,
		)
