# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class IncentiveStatementLine(Document):
	"""A step of an Incentive Statement (commission, gate, cap, a penalty); the lines add up to the total."""
