# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from collections_module.policy import roles


class ContactRuleException(Document):
	"""A supervisor lets one contact of a case through the hour and cap rules, with a reason (R-C2, R-C3).
	It is used up by the first Contact Log or Visit Record that needs it on its day."""

	def validate(self):
		if self.is_new():
			if not set(frappe.get_roles()) & {
				roles.SUPERVISOR,
				roles.MANAGER,
				roles.GENERAL_MANAGER,
				roles.OWNER,
				"System Manager",
			}:
				frappe.throw(
					_("Only a collection supervisor (or above) can authorize a contact rule exception."),
					frappe.PermissionError,
				)
			self.authorized_by = frappe.session.user
		elif self.has_value_changed("reason") and (self.contact_log or self.visit_record):
			frappe.throw(_("This exception has been used; it cannot be changed."))
