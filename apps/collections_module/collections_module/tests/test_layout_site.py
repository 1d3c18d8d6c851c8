"""The app's wiring on a real site: every dotted path in hooks.py, the JSON and the desk's JavaScript
resolves; every endpoint is typed; every module has its Module Def and the site's records agree with
the folders; the move to the modules by trade migrates a site of the old layout."""

import importlib
import inspect
import json
import pkgutil
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

import collections_module
from collections_module.patches.v2 import arrange_modules_by_trade as move

APP = Path(collections_module.__file__).parent
SKIP = ("collections_module.tests", "collections_module.benchmarks", "collections_module.patches")


def import_everything():
	for info in pkgutil.walk_packages([str(APP)], "collections_module."):
		if not info.name.startswith(SKIP) and ".test_" not in info.name:
			importlib.import_module(info.name)


def dotted_paths(value):
	if isinstance(value, str):
		if value.startswith("collections_module.") and not value.endswith((".js", ".css", ".html")):
			yield value
	elif isinstance(value, dict):
		for k, v in value.items():
			yield from dotted_paths(k)
			yield from dotted_paths(v)
	elif isinstance(value, list | tuple):
		for v in value:
			yield from dotted_paths(v)


class TestLayoutOnTheSite(FrappeTestCase):
	def test_every_path_in_hooks_resolves(self):
		from collections_module import hooks

		names = [n for n in dir(hooks) if not n.startswith("_")]
		paths = set()
		for name in names:
			if name == "override_whitelisted_methods":
				paths |= set(getattr(hooks, name).values())  # the old paths are meant not to resolve
			else:
				paths |= set(dotted_paths(getattr(hooks, name)))
		self.assertGreater(len(paths), 30)
		for path in sorted(paths):
			with self.subTest(path=path):
				self.assertTrue(callable(frappe.get_attr(path)), path)
		for new in hooks.override_whitelisted_methods.values():
			self.assertIn(frappe.get_attr(new), frappe.whitelisted, new)

	def test_every_method_the_desk_calls_is_whitelisted(self):
		called = set()
		for path in list(APP.rglob("*.js")) + list(APP.rglob("*.json")):
			text = path.read_text(encoding="utf-8")
			called |= set(re.findall(r"""["'](collections_module\.[\w.]+)["']""", text))
		browser = APP.parents[2] / "browser_tests"
		for path in browser.rglob("*.py") if browser.exists() else []:
			called |= set(re.findall(r"""["'](collections_module\.[\w.]+\.[\w]+)["']""", path.read_text()))
		self.assertGreater(len(called), 10)
		for path in sorted(called):
			with self.subTest(path=path):
				self.assertIn(frappe.get_attr(path), frappe.whitelisted, path)

	def test_every_endpoint_is_typed(self):
		import_everything()
		mine = [
			f for f in frappe.whitelisted if getattr(f, "__module__", "").startswith("collections_module")
		]
		self.assertGreater(len(mine), 15)
		untyped = []
		for fn in mine:
			signature = inspect.signature(fn)
			for name, param in signature.parameters.items():
				if param.annotation is inspect.Parameter.empty and param.kind not in (
					param.VAR_POSITIONAL,
					param.VAR_KEYWORD,
				):
					untyped.append(f"{fn.__module__}.{fn.__qualname__}({name})")
			if signature.return_annotation is inspect.Signature.empty:
				untyped.append(f"{fn.__module__}.{fn.__qualname__} -> ?")
		self.assertEqual(untyped, [])

	def test_each_module_has_its_module_def_and_the_site_agrees_with_the_folders(self):
		modules = frappe.get_module_list("collections_module")
		self.assertEqual(len(modules), 6)
		for module in modules:
			self.assertEqual(frappe.db.get_value("Module Def", module, "app_name"), "collections_module")
		homes = move.new_homes()
		self.assertGreater(len(homes), 50)
		for (doctype, name), module in homes.items():
			with self.subTest(record=f"{doctype} {name}"):
				self.assertEqual(frappe.db.get_value(doctype, name, "module"), module)
		self.assertFalse(frappe.db.exists("Module Def", move.OLD_MODULE))

	def test_a_site_of_the_old_layout_moves_to_the_modules_by_trade(self):
		"""What `bench migrate` runs before the sync, on records and blocks of the one old module."""
		if not frappe.db.exists("Module Def", move.OLD_MODULE):
			frappe.get_doc(
				{"doctype": "Module Def", "module_name": move.OLD_MODULE, "app_name": "collections_module"}
			).db_insert()
		for doctype, name in (
			("DocType", "Collection Case"),
			("Report", "Blocked Shipments"),
			("Page", "my-day"),
		):
			frappe.db.set_value(doctype, name, "module", move.OLD_MODULE, update_modified=False)
		frappe.db.delete("Module Def", {"name": "Team"})
		user = frappe.get_doc("User", "Administrator")
		frappe.get_doc(
			{
				"doctype": "Block Module",
				"parent": user.name,
				"parenttype": "User",
				"parentfield": "block_modules",
				"module": move.OLD_MODULE,
			}
		).db_insert()

		move.execute()
		move.execute()  # run twice, it changes nothing more

		self.assertEqual(frappe.db.get_value("DocType", "Collection Case", "module"), "Collection Cases")
		self.assertEqual(frappe.db.get_value("Report", "Blocked Shipments", "module"), "Enforcement")
		self.assertEqual(frappe.db.get_value("Page", "my-day", "module"), "Collection Cases")
		self.assertTrue(frappe.db.exists("Module Def", "Team"))
		blocked = frappe.get_all("Block Module", filters={"parent": user.name}, pluck="module")
		self.assertEqual(sorted(blocked), sorted(frappe.get_module_list("collections_module")))
		from collections_module.patches.v2 import remove_old_module

		remove_old_module.execute()
		self.assertFalse(frappe.db.exists("Module Def", move.OLD_MODULE))
		frappe.db.delete("Block Module", {"parent": user.name})
		# and the controllers load from the new folders
		self.assertEqual(frappe.get_meta("Collection Case").module, "Collection Cases")
		self.assertTrue(json.dumps(frappe.get_doc("Collection Settings").as_dict(), default=str))
