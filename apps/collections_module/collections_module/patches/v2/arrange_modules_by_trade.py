"""Before the schema sync: the app's records move from the one module "Collections Module" to the
modules by trade (Collection Cases, Contact Conduct, Statements and Letters, Enforcement, Intake,
Team). Every DocType, Report, Page, Print Format, Number Card, Dashboard Chart (Source) and Workspace
takes the module of the folder its JSON now lives in; the new Module Defs are made; users and module
profiles that blocked the old module block each new one; the cached module map is cleared."""

import json
import os

import frappe
from frappe.installer import add_module_defs

OLD_MODULE = "Collections Module"
ARTIFACTS = {
	"doctype": "DocType",
	"report": "Report",
	"page": "Page",
	"print_format": "Print Format",
	"number_card": "Number Card",
	"dashboard_chart": "Dashboard Chart",
	"dashboard_chart_source": "Dashboard Chart Source",
	"workspace": "Workspace",
}


def new_homes() -> dict[tuple[str, str], str]:
	"""(doctype, name) -> module, from the JSON files of each module's folder."""
	homes = {}
	for module in frappe.get_module_list("collections_module"):
		folder = frappe.get_module_path(module)
		for kind, doctype in ARTIFACTS.items():
			base = os.path.join(folder, kind)
			if not os.path.isdir(base):
				continue
			for entry in os.listdir(base):
				path = os.path.join(base, entry, f"{entry}.json")
				if os.path.exists(path):
					with open(path, encoding="utf-8") as f:
						homes[(doctype, json.load(f)["name"])] = module
	return homes


def execute():
	add_module_defs("collections_module", ignore_if_duplicate=True)
	moved = 0
	for (doctype, name), module in new_homes().items():
		if frappe.db.exists(doctype, name):
			frappe.db.set_value(doctype, name, "module", module, update_modified=False)
			moved += 1
	blocked = frappe.get_all(
		"Block Module", filters={"module": OLD_MODULE}, fields=["parent", "parenttype", "parentfield"]
	)
	for row in blocked:
		for module in frappe.get_module_list("collections_module"):
			if not frappe.db.exists("Block Module", {"parent": row.parent, "module": module}):
				frappe.get_doc({"doctype": "Block Module", **row, "module": module}).db_insert()
	frappe.db.delete("Block Module", {"module": OLD_MODULE})
	frappe.clear_cache()
	print(
		f"Collections: {moved} records moved to the modules by trade; {len(blocked)} module blocks remapped"
	)
