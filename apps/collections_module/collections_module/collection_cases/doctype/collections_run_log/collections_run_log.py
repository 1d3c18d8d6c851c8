# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class CollectionsRunLog(Document):
	"""What one daily run of the ladder did, written by the run itself after every committed chunk."""
