# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt

# import frappe
from frappe.tests.utils import FrappeTestCase


class TestDebt(FrappeTestCase):
	pass
