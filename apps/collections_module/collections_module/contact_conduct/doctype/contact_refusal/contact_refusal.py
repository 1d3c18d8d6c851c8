# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

# import frappe
from frappe.model.document import Document


class ContactRefusal(Document):
	pass
