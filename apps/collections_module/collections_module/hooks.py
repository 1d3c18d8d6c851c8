app_name = "collections_module"
app_title = "Collections"
app_publisher = "collections_module developers"
app_description = "Receivables collection (催收) for ERPNext: collection cases and the overdue ladder"
app_email = "dev@collections-module.invalid"
app_license = "mit"

required_apps = ["erpnext"]

# Install / uninstall: roles come as fixtures; custom fields on ERPNext doctypes, the default
# ladder and settings are made in install.py and removed again on uninstall.
after_install = "collections_module.install.after_install"
after_migrate = "collections_module.install.after_migrate"
before_uninstall = "collections_module.install.before_uninstall"
before_tests = "collections_module.tests.setup.before_tests"

fixtures = [
	{"dt": "Role", "filters": [["name", "in", [
		"Collector",
		"Collection Supervisor",
		"Collection Manager",
		"Collection General Manager",
		"Business Owner",
	]]]},
	{"dt": "Email Template", "filters": [["name", "in", ["Collections Pre-due Reminder"]]]},
]

# ERPNext touchpoints (all handlers live in integrations/erpnext/): any posting that changes a
# customer's outstanding keeps that customer's collection case in step with the ledger.
doc_events = {
	"Sales Invoice": {
		"on_submit": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
		"on_cancel": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
	},
	"Payment Entry": {
		"on_submit": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
		"on_cancel": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
	},
	"Journal Entry": {
		"on_submit": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
		"on_cancel": "collections_module.integrations.erpnext.ledger_events.on_ledger_change",
	},
}

# The daily run of the overdue ladder (R-B1..R-B8); `bench --site S collections run` runs it by hand.
scheduler_events = {
	"daily": ["collections_module.ladder_run.run_daily"],
}

# Record-level security (R-G5): a Collector sees only the cases assigned to them.
permission_query_conditions = {
	"Collection Case": "collections_module.permissions.collection_case_query",
}
has_permission = {
	"Collection Case": "collections_module.permissions.collection_case_has_permission",
}
