# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CollectionCaseExcludedCollector(Document):
	"""A collector who may not be allocated the case (a conflict of interest, a client's request)."""
