# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class LetterTemplate(Document):
	def validate(self):
		try:
			frappe.render_template(
				self.consequences or "",
				{
					"doc": frappe._dict(
						customer_name="X", total_outstanding=1, oldest_days_overdue=1, company="C"
					)
				},
			)
		except Exception as e:
			frappe.throw(_("The consequences text is not a valid template: {0}").format(e))
