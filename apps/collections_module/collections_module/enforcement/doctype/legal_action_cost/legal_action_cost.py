# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class LegalActionCost(Document):
	"""A cost of a legal action on its date (a fee, an agency's commission): counted in the period it
	was incurred."""
