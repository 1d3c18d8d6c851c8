"""Installing is all or nothing and repeatable."""

from unittest import mock

import frappe
from frappe.tests.utils import FrappeTestCase

from collections_module.setup import install


class TestInstall(FrappeTestCase):
	def test_set_up_completes_what_is_missing_and_doubles_nothing(self):
		frappe.delete_doc("Letter Template", "Lawyer's Letter (zh)", force=True, ignore_permissions=True)
		frappe.delete_doc("Contact Rule Set", "US Regulation F", force=True, ignore_permissions=True)
		frappe.db.delete("Custom Field", {"dt": "Customer", "fieldname": "collection_receipt_settled"})
		install.after_migrate()  # what `bench migrate` runs
		install.after_migrate()
		self.assertTrue(frappe.db.exists("Letter Template", "Lawyer's Letter (zh)"))
		self.assertTrue(frappe.db.exists("Contact Rule Set", "US Regulation F"))
		self.assertTrue(
			frappe.db.exists("Custom Field", {"dt": "Customer", "fieldname": "collection_receipt_settled"})
		)
		self.assertEqual(frappe.db.count("Collection Policy", {"name": install.DEFAULT_POLICY}), 1)
		self.assertEqual(frappe.db.count("Letter Template", {"letter_type": "Lawyer's Letter"}), 2)
		self.assertEqual(
			frappe.db.get_single_value("Collection Settings", "default_policy"), install.DEFAULT_POLICY
		)

	def test_a_failed_install_leaves_the_app_uninstalled_so_it_can_be_run_again(self):
		with (
			mock.patch.object(install, "ensure_letter_templates", side_effect=ImportError("boom")),
			mock.patch.object(install, "unregister") as unregister,
			mock.patch("frappe.utils.fixtures.sync_fixtures"),
		):
			self.assertRaises(ImportError, install.after_install)
		unregister.assert_called_once_with()
		# and run again, it completes
		install.after_install()
		self.assertIn("collections_module", frappe.get_installed_apps())
