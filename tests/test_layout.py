"""The app's tree says where a change goes: a Frappe module per trade, each artifact's JSON naming the
module of its folder, and imports running one way: policy <- services <- controllers / api / jobs.
(Plain files, no Frappe: the paths hooks.py names are resolved in the layer-2 test test_layout_site.)"""

import ast
import json
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "apps" / "collections_module" / "collections_module"
ARTIFACTS = (
	"doctype",
	"report",
	"page",
	"print_format",
	"number_card",
	"dashboard_chart",
	"dashboard_chart_source",
	"workspace",
)
CONTROLLER_FOLDERS = {"doctype", "report", "page", "dashboard_chart_source"}
ENTRY_POINTS = {"tests", "benchmarks", "patches", "setup", "hooks.py", "commands.py", "ladder_run.py"}
MAX_LINES = 400
# files over MAX_LINES, each with the reason it is allowed to be (shrink this list, never grow it)
LONG_FILES: dict[str, str] = {}


def modules() -> dict[str, str]:
	"""Folder -> Frappe module name, from modules.txt."""
	names = [m.strip() for m in (APP / "modules.txt").read_text().splitlines() if m.strip()]
	return {n.lower().replace(" ", "_").replace("-", "_"): n for n in names}


def kind(path: Path) -> str:
	"""policy, service, controller, api, jobs or entry (tests, benchmarks, patches, set-up, hooks)."""
	rel = path.relative_to(APP).parts
	if rel[0] in ENTRY_POINTS:
		return "entry"
	if rel[0] == "policy":
		return "policy"
	if path.name == "api.py":
		return "api"
	if path.name == "jobs.py" and len(rel) == 2 and rel[0] in modules():
		return "jobs"  # a module's scheduled jobs (the daily run's job control is part of its package)
	if len(rel) > 2 and rel[0] in modules() and rel[1] in CONTROLLER_FOLDERS:
		return "entry" if path.name.startswith("test_") else "controller"
	return "service"


def kind_of_module(dotted: str) -> str | None:
	parts = dotted.split(".")
	if parts[0] != "collections_module":
		return None
	base = APP.joinpath(*parts[1:])
	for candidate in (base.with_suffix(".py"), base / "__init__.py"):
		if candidate.exists():
			return kind(candidate)
	return None


def imports(path: Path) -> list[str]:
	"""Every module a file imports, at the top or inside a function."""
	found = []
	for node in ast.walk(ast.parse(path.read_text())):
		if isinstance(node, ast.Import):
			found += [a.name for a in node.names]
		elif isinstance(node, ast.ImportFrom) and node.module:
			found.append(node.module)
			found += [f"{node.module}.{a.name}" for a in node.names]
	return found


ALLOWED = {
	"policy": {"policy"},
	"service": {"policy", "service"},
	"controller": {"policy", "service", "controller"},
	"api": {"policy", "service"},
	"jobs": {"policy", "service"},
}


def test_imports_run_one_way():
	offenders = []
	for path in APP.rglob("*.py"):
		mine = kind(path)
		if mine == "entry":
			continue
		for name in imports(path):
			theirs = kind_of_module(name)
			if mine == "policy" and name.split(".")[0] == "frappe":
				offenders.append(f"{path.relative_to(APP)} (policy) imports frappe")
			if theirs and theirs not in ALLOWED[mine] and theirs != "entry":
				offenders.append(f"{path.relative_to(APP)} ({mine}) imports {name} ({theirs})")
			if theirs == "entry" and mine != "entry":
				offenders.append(f"{path.relative_to(APP)} ({mine}) imports {name} (tests, set-up or hooks)")
	assert offenders == [], "\n".join(sorted(set(offenders)))


def test_controllers_import_no_other_controller():
	"""Shared code lives in services: a controller never reaches into another DocType's controller."""
	offenders = []
	for path in APP.rglob("*.py"):
		if kind(path) != "controller":
			continue
		for name in imports(path):
			if kind_of_module(name) == "controller" and path.parent.name not in name:
				offenders.append(f"{path.relative_to(APP)} imports {name}")
	assert offenders == [], "\n".join(sorted(set(offenders)))


def test_each_artifact_lives_in_the_folder_of_its_module():
	folders = modules()
	assert len(folders) >= 6
	seen = 0
	for folder, module in folders.items():
		assert (APP / folder / "__init__.py").exists(), folder
		for art in ARTIFACTS:
			for path in (APP / folder / art).glob("*/*.json"):
				if path.stem != path.parent.name:
					continue
				doc = json.loads(path.read_text())
				assert doc.get("module") == module, f"{path.relative_to(APP)}: module {doc.get('module')!r}"
				seen += 1
	assert seen >= 50
	# nothing left in a folder that is not a module of modules.txt
	for art in ARTIFACTS:
		for path in APP.glob(f"*/{art}/*/*.json"):
			assert path.parts[-4] in folders, path


def test_files_stay_readable():
	long = {}
	for path in APP.rglob("*.py"):
		rel = path.relative_to(APP)
		if (kind(path) == "entry" and rel.parts[0] in ("tests", "benchmarks")) or path.name.startswith(
			"test_"
		):
			continue
		n = len(path.read_text().splitlines())
		if n > MAX_LINES * 1.05:
			long[str(rel)] = n
	assert set(long) <= set(LONG_FILES), {k: v for k, v in long.items() if k not in LONG_FILES}


def test_scheduler_entries_point_at_jobs():
	hooks = (APP / "hooks.py").read_text()
	tree = ast.parse(hooks)
	for node in tree.body:
		if isinstance(node, ast.Assign) and node.targets[0].id == "scheduler_events":
			paths = [
				c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and "." in str(c.value)
			]
	assert paths
	for dotted in paths:
		module = dotted.rsplit(".", 1)[0]
		assert module.endswith(".jobs"), dotted
		assert kind_of_module(module) in ("jobs", "service"), dotted


def test_the_readmes_show_the_same_who_may_do_what():
	"""The app's README holds the table generated from access.py (checked on the site, layer 2); the
	repository's README shows the same table."""

	def table(path: Path) -> str:
		text = path.read_text(encoding="utf-8")
		start = text.index("| DocType | Records |")
		end = text.find("\n\n", start)
		return text[start : end if end > 0 else None].strip()

	assert table(APP.parent / "README.md") == table(APP.parents[2] / "README.md")
