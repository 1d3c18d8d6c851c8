app_name = "collections_module"
app_title = "Collections"
app_publisher = "collections_module developers"
app_description = "Receivables collection (催收) for ERPNext: collection cases and the overdue ladder"
app_email = "dev@collections-module.invalid"
app_license = "mit"

required_apps = ["erpnext"]

# Install / uninstall: roles come as fixtures; custom fields on ERPNext doctypes, the default
# ladder and settings are made in install.py and removed again on uninstall.
after_install = "collections_module.setup.install.after_install"
after_migrate = "collections_module.setup.install.after_migrate"
before_uninstall = "collections_module.setup.install.before_uninstall"
before_tests = "collections_module.tests.setup.before_tests"

_ROLES = [
	"Collector",
	"Collection Supervisor",
	"Collection Manager",
	"Collection General Manager",
	"Business Owner",
]
_WORKFLOW_STATES = ["Requested", "Proposed", "Approved", "Active", "Release Proposed", "Released", "Rejected"]
_WORKFLOW_STATES += [
	"Removal Proposed",
	"Removed",
	"Draft",
	"Under Review",
	"Sent",
	"Confirmed",
	"With Finance",
]
_WORKFLOW_STATES += ["Invoiced", "Disputed", "Pending Approval", "Issued"]
_WORKFLOW_ACTIONS = ["Approve", "Reject", "Activate", "Propose Release", "Release", "Keep Locked"]
_WORKFLOW_ACTIONS += [
	"Propose Removal",
	"Approve Removal",
	"Keep Listed",
	"Submit for Review",
	"Approve and Send",
]
_WORKFLOW_ACTIONS += ["Return", "Confirm", "Dispute", "Pass to Finance", "Record Invoice Sent", "Revise"]
_WORKFLOW_ACTIONS += ["Request Approval", "Issue"]
# Approvals: stock-release locks (R-B7) and the blacklist (R-G4) by the owner (老板); repayment plans
# and waivers (R-C8) by the manager levels. Each is a Workflow an administrator can edit in the desk.
_WORKFLOWS = ["Stock Release Lock", "Blacklist Entry", "Repayment Plan", "Collection Waiver"]
_WORKFLOWS += ["Customer Statement", "Collection Letter"]  # R-A2/R-A3 cycle; R-B8 letters (owner approves)
_WORKFLOWS += ["Legal Action"]  # R-F1..R-F3: agency, lawyer, courts only with the owner's approval

fixtures = [
	{"dt": "Role", "filters": [["name", "in", _ROLES]]},
	{
		"dt": "Email Template",
		"filters": [["name", "in", ["Collections Pre-due Reminder", "Collections Statement"]]],
	},
	{"dt": "Workflow State", "filters": [["name", "in", _WORKFLOW_STATES]]},
	{"dt": "Workflow Action Master", "filters": [["name", "in", _WORKFLOW_ACTIONS]]},
	{"dt": "Workflow", "filters": [["name", "in", _WORKFLOWS]]},
]

# Every desk view shows a person of collections by name, not e-mail (people.boot_session)
app_include_js = [
	"/assets/collections_module/js/people_names.js",
	"/assets/collections_module/js/desk_words.js",
]
boot_session = "collections_module.people.boot_session"

# Banners on the forms of a locked customer (the refusal itself is server-side, below).
doctype_js = {
	"Delivery Note": "public/js/lock_banner.js",
	"Pick List": "public/js/lock_banner.js",
	"Sales Order": "public/js/lock_banner.js",
	"Customer": ["public/js/lock_banner.js", "public/js/customer_collection.js"],
	"Customer Group": "public/js/customer_collection.js",
	# what a person reads on the case (status, stages, reasons) in their own language
	"Collection Case": "public/js/case_in_your_words.js",
}

# ERPNext touchpoints (all handlers live in integrations/erpnext/): any posting that changes a
# customer's outstanding keeps that customer's collection case in step with the ledger.
doc_events = {
	# who may do what (access.py): the server's fields, what an approval covers, a record's own files
	"*": {"before_validate": "collections_module.access.guard"},
	"Sales Invoice": {
		# only an invoice that updates stock ships goods; plain invoicing is never held by a lock, but a
		# blacklisted customer gets no new credit
		"before_submit": [
			"collections_module.integrations.erpnext.shipment_guard.guard_shipment",
			"collections_module.integrations.erpnext.blacklist_guard.guard_credit_sale",
		],
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
	"Unreconcile Payment": {
		"on_submit": "collections_module.integrations.erpnext.ledger_events.on_ledger_change"
	},
	# the desk's Reconcile button (a document method): allocations move outstanding between invoices
	"Payment Reconciliation": {
		"reconcile": "collections_module.integrations.erpnext.ledger_events.on_ledger_change"
	},
	# Stock-release lock (R-B7): documents that ship goods are refused for a locked customer.
	"Delivery Note": {
		"before_submit": "collections_module.integrations.erpnext.shipment_guard.guard_shipment"
	},
	"Pick List": {"before_submit": "collections_module.integrations.erpnext.shipment_guard.guard_shipment"},
	"POS Invoice": {"before_submit": "collections_module.integrations.erpnext.shipment_guard.guard_shipment"},
	"Sales Order": {
		"before_submit": "collections_module.integrations.erpnext.shipment_guard.guard_shipment",
		"validate": "collections_module.integrations.erpnext.blacklist_guard.guard_sale",
	},
	# Blacklist (R-G4): new Quotations and Sales Orders of a listed customer are refused.
	"Quotation": {"validate": "collections_module.integrations.erpnext.blacklist_guard.guard_sale"},
	# The collection policy and debtor time zone on customers are collection managers' settings.
	"Customer": {
		"validate": "collections_module.integrations.erpnext.customer_fields.guard_collection_fields"
	},
	"Customer Group": {
		"validate": "collections_module.integrations.erpnext.customer_fields.guard_collection_fields"
	},
}

# The daily run of the overdue ladder (R-B1..R-B8); `bench --site S collections run` runs it by hand.
# It runs on the long queue (daily_long), committing chunk by chunk; see Collections Run Log.
scheduler_events = {
	"daily_long": ["collections_module.collection_cases.ladder.jobs.run_daily"],
	"daily": [
		"collections_module.statements_and_letters.jobs.run_statements",
		"collections_module.intake.jobs.alert_filtering_at_risk",
		"collections_module.enforcement.jobs.expire_blacklist_entries",
	],
	# debts handed in are allocated the same day (R-E2): at 18:00 the team lead hears of what is left
	"cron": {
		"0 18 * * *": ["collections_module.intake.jobs.alert_unallocated"],
		# Monday: last week's call-quality sample and the weekly report drafts (R-G1, R-G2);
		# Wednesday: the supervisors hear whose report is missing
		"0 7 * * 1": [
			"collections_module.team.jobs.sample_calls",
			"collections_module.team.jobs.draft_weekly_reports",
		],
		"0 9 * * 3": ["collections_module.team.jobs.alert_missing_weekly_reports"],
		# the 1st: last month's incentive statements drafted for the managers to review
		"0 6 1 * *": ["collections_module.team.jobs.draft_incentive_statements"],
	},
}

# Record-level security (R-G5): a Collector sees only the cases assigned to them (and the contacts,
# letters, plans, waivers and statements that go with them); the warehouse sees only blocking locks.
permission_query_conditions = {
	"Collection Case": "collections_module.permissions.collection_case_query",
	"Contact Log": "collections_module.permissions.contact_log_query",
	"Visit Record": "collections_module.permissions.visit_record_query",
	"Collection Waiver": "collections_module.permissions.waiver_query",
	"Repayment Plan": "collections_module.permissions.repayment_plan_query",
	"Collection Letter": "collections_module.permissions.letter_query",
	"Customer Statement": "collections_module.permissions.statement_query",
	"Stock Release Lock": "collections_module.permissions.stock_release_lock_query",
	"Debt": "collections_module.permissions.debt_query",
	"Weekly Report": "collections_module.permissions.weekly_report_query",
	"Call Quality Review": "collections_module.permissions.quality_review_query",
	"Collection Target": "collections_module.permissions.target_query",
	"Collection Recovery": "collections_module.permissions.recovery_query",
	"Contact Refusal": "collections_module.permissions.refusal_query",
	"Legal Action": "collections_module.permissions.legal_action_query",
	"Collector Profile": "collections_module.permissions.collector_profile_query",
	"Contact Rule Exception": "collections_module.permissions.rule_exception_query",
	"Incentive Statement": "collections_module.permissions.incentive_statement_query",
	# ERPNext's parties: a Collector without another role reading them sees their customers' only
	"Customer": "collections_module.party_access.customer_query",
	"Contact": "collections_module.party_access.contact_query",
	"Address": "collections_module.party_access.address_query",
	# child tables follow their parent's rule, whatever path reads them
	**dict.fromkeys(
		[
			"Collection Case Invoice",
			"Collection Case Stage Log",
			"Collection Contact Point",
			"Collection Case Reassignment",
			"Collection Case Excluded Collector",
			"Repayment Plan Installment",
			"Visit Record Collector",
			"Stock Release Pass",
			"Debt Repayment",
			"Collection Letter Invoice",
			"Customer Statement Line",
			"Collector Profile Client",
			"Legal Action Cost",
			"Incentive Plan Tier",
			"Incentive Statement Line",
		],
		"collections_module.permissions.child_query",
	),
}
has_permission = {
	"Customer": "collections_module.party_access.customer_has_permission",
	"Contact": "collections_module.party_access.linked_party_has_permission",
	"Address": "collections_module.party_access.linked_party_has_permission",
	"Collection Case": "collections_module.permissions.collection_case_has_permission",
	"Contact Log": "collections_module.permissions.case_record_has_permission",
	"Visit Record": "collections_module.permissions.case_record_has_permission",
	"Collection Waiver": "collections_module.permissions.case_record_has_permission",
	"Repayment Plan": "collections_module.permissions.case_record_has_permission",
	"Collection Letter": "collections_module.permissions.case_record_has_permission",
	"Customer Statement": "collections_module.permissions.statement_has_permission",
	"Stock Release Lock": "collections_module.permissions.stock_release_lock_has_permission",
	"Debt": "collections_module.permissions.case_record_has_permission",
	"Weekly Report": "collections_module.permissions.own_record_has_permission",
	"Call Quality Review": "collections_module.permissions.own_record_has_permission",
	"Collection Target": "collections_module.permissions.own_record_has_permission",
	"Collection Recovery": "collections_module.permissions.own_record_has_permission",
	"Contact Refusal": "collections_module.permissions.own_record_has_permission",
	"Legal Action": "collections_module.permissions.case_record_has_permission",
	"Collector Profile": "collections_module.permissions.collector_profile_has_permission",
	"Contact Rule Exception": "collections_module.permissions.case_record_has_permission",
	"Incentive Statement": "collections_module.permissions.own_record_has_permission",
}

# Endpoints are thin and typed, one api.py per module (a test checks every whitelisted method's
# annotations; Frappe v16 enforces this flag itself).
require_type_annotated_api_methods = True

# The endpoints' paths before the app was arranged by trade (one release): desks and scripts that call
# the old paths keep working. Chunk jobs queued under the old path run through collections_module/ladder_run.py.
override_whitelisted_methods = {
	# a link shows a debtor's or customer's name only to whom may read the record
	"frappe.desk.search.get_link_title": "collections_module.api.get_link_title",
	"collections_module.collections_module.page.my_day.my_day.get_my_day": "collections_module.collection_cases.api.get_my_day",
	"collections_module.collections_module.page.my_day.my_day.my_due_today": "collections_module.collection_cases.api.my_due_today",
	"collections_module.preview.preview_policy": "collections_module.collection_cases.api.preview_policy",
	"collections_module.preview.preview_rule_set": "collections_module.contact_conduct.api.preview_rule_set",
	"collections_module.collections_module.doctype.collections_run_log.collections_run_log.start_run": "collections_module.collection_cases.api.start_run",
	"collections_module.integrations.erpnext.customer_fields.set_collection_fields": "collections_module.collection_cases.api.set_collection_fields",
	"collections_module.contact_conduct.contact_status": "collections_module.contact_conduct.api.contact_status",
	"collections_module.intake.propose": "collections_module.intake.api.propose",
	"collections_module.intake.confirm": "collections_module.intake.api.confirm",
	"collections_module.team.acknowledge": "collections_module.team.api.acknowledge",
	"collections_module.dashboards.recovered_this_month": "collections_module.team.api.recovered_this_month",
	"collections_module.dashboards.recovered_vs_target": "collections_module.team.api.recovered_vs_target",
	"collections_module.integrations.erpnext.shipment_guard.lock_banner": "collections_module.enforcement.api.lock_banner",
	"collections_module.collections_module.doctype.collection_case.collection_case.reassign": "collections_module.collection_cases.doctype.collection_case.collection_case.reassign",
	"collections_module.collections_module.doctype.stock_release_lock.stock_release_lock.grant_pass": "collections_module.enforcement.doctype.stock_release_lock.stock_release_lock.grant_pass",
	"collections_module.collections_module.doctype.legal_action.legal_action.prepare_evidence": "collections_module.enforcement.doctype.legal_action.legal_action.prepare_evidence",
}
