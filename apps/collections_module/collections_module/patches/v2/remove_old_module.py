"""After the schema sync: the old module "Collections Module" goes, once nothing names it any more."""

import frappe

from collections_module.patches.v2.arrange_modules_by_trade import ARTIFACTS, OLD_MODULE


def execute():
	if not frappe.db.exists("Module Def", OLD_MODULE):
		return
	left = {dt: frappe.db.count(dt, {"module": OLD_MODULE}) for dt in ARTIFACTS.values()}
	if any(left.values()):
		print(f"Collections: the module {OLD_MODULE} still has {left}; it is kept")
		return
	frappe.db.delete(
		"Module Def", OLD_MODULE
	)  # no on_trash: its folder and modules.txt line are gone already
	frappe.clear_cache()
