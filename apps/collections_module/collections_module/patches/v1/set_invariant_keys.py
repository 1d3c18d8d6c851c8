"""Fill the unique keys that hold one open case and one live lock per customer and company, for the
records made before the keys existed. Where duplicates were already made (two runs at once before this
version), the oldest keeps the key and the others are listed in the Error Log for a person to merge."""

import frappe

from collections_module.guards import invariant_key
from collections_module.policy.stock_lock import LIVE_STATES


def execute():
	for doctype, field, filters in (
		("Collection Case", "open_key", {"status": ["!=", "Closed"]}),
		("Stock Release Lock", "live_key", {"status": ["in", list(LIVE_STATES)]}),
	):
		taken: dict[str, str] = {}
		duplicates = []
		for row in frappe.get_all(
			doctype,
			filters={**filters, field: ["is", "not set"]},
			fields=["name", "customer", "company"],
			order_by="creation asc",
			limit_page_length=0,
		):
			key = invariant_key(row.customer, row.company)
			holder = taken.get(key) or frappe.db.get_value(doctype, {field: key})
			if holder:
				duplicates.append(f"{row.name} (duplicate of {holder})")
				continue
			frappe.db.set_value(doctype, row.name, field, key, update_modified=False)
			taken[key] = row.name
		if duplicates:
			frappe.log_error(
				title=f"{doctype}: duplicates to merge",
				message="\n".join(duplicates),
			)
