"""Contacts the system makes (a statement sent, a letter issued), logged on the customer's open case."""

import frappe


def log_system_contact(customer: str, company: str, channel: str, summary: str):
	"""A contact the system made (statement, letter) on the customer's open case, if there is one.
	It is not a collector's call: the hour and cap rules do not apply to it."""
	case = frappe.db.get_value(
		"Collection Case", {"customer": customer, "company": company, "status": ["!=", "Closed"]}
	)
	if not case:
		return
	log = frappe.get_doc(
		{
			"doctype": "Contact Log",
			"collection_case": case,
			"channel": channel,
			"direction": "Outbound",
			"start_time": frappe.utils.now_datetime(),
			"outcome": "Other",
			"summary": summary,
			"collector": frappe.session.user,
		}
	)
	log.flags.ignore_contact_rules = True
	log.flags.ignore_permissions = True
	log.insert()
