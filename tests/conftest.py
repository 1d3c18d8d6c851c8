import sys
from pathlib import Path

# The policy core lives inside the Frappe app package; make it importable without installing Frappe.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps" / "collections_module"))
