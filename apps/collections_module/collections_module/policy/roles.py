"""Role names shipped as fixtures. The source reserves some decisions to the owner (老板)."""

COLLECTOR = "Collector"
SUPERVISOR = "Collection Supervisor"
MANAGER = "Collection Manager"
GENERAL_MANAGER = "Collection General Manager"
OWNER = "Business Owner"

ALL = (COLLECTOR, SUPERVISOR, MANAGER, GENERAL_MANAGER, OWNER)
# Roles that see every case; a Collector without one of these sees only cases assigned to them (R-G5).
SEE_ALL_CASES = (SUPERVISOR, MANAGER, GENERAL_MANAGER, OWNER, "System Manager", "Accounts Manager")
