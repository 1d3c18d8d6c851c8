# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CollectionRecovery(Document):
	"""A row of the recovery ledger (issue 19): written only by the server
	(integrations/erpnext/recoveries.py), never by a person."""
