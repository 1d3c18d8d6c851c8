"""A site's collections data in figures, to compare before and after a migration (nothing lost):
the number of records of every DocType of the app, a digest of each record's data, and the module each
DocType, Report, Page, Print Format, card, chart and workspace belongs to. Frappe only, no app code.

	cd <bench>/sites && ../env/bin/python <repo>/scripts/site_snapshot.py <site> before.json
	... bench --site <site> migrate ...
	cd <bench>/sites && ../env/bin/python <repo>/scripts/site_snapshot.py <site> after.json --compare before.json
"""

import hashlib
import json
import sys

import frappe

KINDS = ("DocType", "Report", "Page", "Print Format", "Number Card", "Dashboard Chart", "Workspace")
MODULES = (
	"Collections Module",
	"Collection Cases",
	"Contact Conduct",
	"Statements and Letters",
	"Enforcement",
	"Intake",
	"Team",
)
SKIP = {"modified", "modified_by", "module", "_user_tags", "_comments", "_assign", "_liked_by", "_seen"}


def snapshot() -> dict:
	doctypes = frappe.get_all("DocType", filters={"module": ["in", MODULES], "issingle": 0}, pluck="name")
	out = {"records": {}, "digest": {}, "artifacts": {}}
	for dt in sorted(doctypes):
		rows = frappe.db.sql(f"select * from `tab{dt}` order by name", as_dict=True)
		out["records"][dt] = len(rows)
		h = hashlib.sha256()
		for r in rows:
			h.update(
				json.dumps(
					{k: v for k, v in r.items() if k not in SKIP}, default=str, sort_keys=True
				).encode()
			)
		out["digest"][dt] = h.hexdigest()
	for kind in KINDS:
		for r in frappe.get_all(kind, filters={"module": ["in", MODULES]}, fields=["name", "module"]):
			out["artifacts"][f"{kind}: {r.name}"] = r.module
	out["module_defs"] = sorted(
		frappe.get_all("Module Def", filters={"app_name": "collections_module"}, pluck="name")
	)
	return out


def main():
	site, path = sys.argv[1], sys.argv[2]
	frappe.init(site=site)
	frappe.connect()
	try:
		snap = snapshot()
	finally:
		frappe.destroy()
	json.dump(snap, open(path, "w"), indent=1, sort_keys=True)
	print(
		f"{sum(snap['records'].values())} records in {len(snap['records'])} DocTypes; {len(snap['artifacts'])} artifacts"
	)
	if "--compare" in sys.argv:
		before = json.load(open(sys.argv[sys.argv.index("--compare") + 1]))
		lost = {
			dt: (n, snap["records"].get(dt))
			for dt, n in before["records"].items()
			if snap["records"].get(dt) != n
		}
		changed = [dt for dt, d in before["digest"].items() if snap["digest"].get(dt) != d]
		missing = [a for a in before["artifacts"] if a not in snap["artifacts"]]
		print("records changed in number:", lost or "none")
		print("records changed in content:", changed or "none")
		print("artifacts missing:", missing or "none")
		print("modules:", before["module_defs"], "->", snap["module_defs"])
		print(
			"artifacts by module after:",
			{m: sum(1 for v in snap["artifacts"].values() if v == m) for m in MODULES},
		)
		sys.exit(1 if lost or changed or missing else 0)


if __name__ == "__main__":
	main()
