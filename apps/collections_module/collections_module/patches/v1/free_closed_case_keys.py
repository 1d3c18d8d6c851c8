"""Free the open-case key of every closed case (and the key of every lock, debt and legal action that
is no longer live). Before this version the daily run closed a case without clearing its key, so the
customer's next overdue invoice could not open a case: the run failed for that customer every day.
The database then holds the rule (guards.KEY_HOLDERS)."""

import frappe

from collections_module.guards import ensure_key_constraints, free_stale_keys


def execute():
	fixed = free_stale_keys()
	ensure_key_constraints()
	for doctype, count in fixed.items():
		if count:
			print(f"{doctype}: freed the key of {count} closed or ended records")
	if not any(fixed.values()):
		print("No closed record held a key")
	frappe.db.commit()
