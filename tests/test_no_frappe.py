"""The policy core must import and run on a machine without Frappe."""

import ast
from pathlib import Path

POLICY = Path(__file__).resolve().parents[1] / "apps" / "collections_module" / "collections_module" / "policy"


def test_policy_core_never_imports_frappe():
	offenders = []
	for path in POLICY.glob("*.py"):
		for node in ast.walk(ast.parse(path.read_text())):
			names = []
			if isinstance(node, ast.Import):
				names = [a.name for a in node.names]
			elif isinstance(node, ast.ImportFrom):
				names = [node.module or ""]
			offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "frappe"]
	assert offenders == []
	assert len(list(POLICY.glob("*.py"))) >= 4
