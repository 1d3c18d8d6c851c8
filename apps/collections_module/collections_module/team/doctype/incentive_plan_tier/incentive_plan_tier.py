# Copyright (c) 2026, collections_module developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class IncentivePlanTier(Document):
	"""A tier of an Incentive Plan: from an achievement of the target, a commission rate."""
