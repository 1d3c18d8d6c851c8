"""`before_tests` hook: an ERPNext site ready for this app's integration tests."""

import frappe


def before_tests():
	frappe.clear_cache()
	if not frappe.db.a_row_exists("Company"):
		from erpnext.setup.utils import before_tests as erpnext_before_tests

		erpnext_before_tests()
	from collections_module.setup.install import after_migrate

	after_migrate()
	frappe.db.commit()
