"""Install, migrate and uninstall: custom fields on ERPNext doctypes, the default ladder, settings."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from collections_module.guards import ensure_key_constraints
from collections_module.party_access import ensure_party_reads
from collections_module.policy import grade_settings
from collections_module.policy.ladder import DEFAULT_LADDER

DEFAULT_POLICY = "Standard Ladder"

CUSTOM_FIELDS = {
	"Customer": [
		{
			"fieldname": "collection_policy",
			"label": "Collection Policy",
			"fieldtype": "Link",
			"options": "Collection Policy",
			"insert_after": "payment_terms",
			"description": "Overdue ladder for this customer; blank = the customer group's, else the default.",
		},
		{
			"fieldname": "collection_timezone",
			"label": "Debtor Time Zone",
			"fieldtype": "Data",
			"insert_after": "collection_policy",
			"description": "IANA name, e.g. Asia/Shanghai: contact hours are judged in it.",
		},
		{
			"fieldname": "collection_monthly_statement",
			"label": "Monthly Statement",
			"fieldtype": "Check",
			"insert_after": "collection_timezone",
			"description": "Generate a statement every month and follow its confirmation.",
		},
		{
			"fieldname": "collection_receipt_settled",
			"label": "Settled on Returned Receipts (回单结算)",
			"fieldtype": "Check",
			"insert_after": "collection_monthly_statement",
			"description": "Followed daily once all delivery receipts are in.",
		},
	],
	"Customer Group": [
		{
			"fieldname": "collection_policy",
			"label": "Collection Policy",
			"fieldtype": "Link",
			"options": "Collection Policy",
			"insert_after": "payment_terms",
		}
	],
	"Sales Invoice": [
		{
			# The latest payment-term due date a pre-due reminder was sent for (R-B1), so each term is
			# reminded once whatever the number of runs.
			"fieldname": "collection_reminded_due_date",
			"label": "Collection Reminder Sent For Due Date",
			"fieldtype": "Date",
			"insert_after": "due_date",
			"read_only": 1,
			"no_copy": 1,
			"allow_on_submit": 1,
			"hidden": 1,
		}
	],
}


APP = "collections_module"


def after_install():
	"""All or nothing: if a set-up step fails, the app is taken off the site's installed apps again, so
	that running `bench --site S install-app collections_module` once more completes the install (the
	tables it already made are kept and synced). `bench --site S migrate` completes it as well."""
	try:
		sync_own_doctypes()
		# Fixtures (roles, e-mail templates, workflows) are normally synced after this hook; the default
		# ladder links to the roles, so bring them in first.
		from frappe.utils.fixtures import sync_fixtures

		sync_fixtures(APP)
		set_up()
	except Exception:
		frappe.db.rollback()
		unregister()
		raise


def sync_own_doctypes():
	"""Make sure this app's doctypes exist before anything uses them. Frappe syncs an app's doctypes
	from the module map it cached in Redis; a map cached before the app was added to the bench (Redis
	kept running) lists none of this app's modules, so nothing is synced and the install fails with
	"Module import failed for Contact Rule Set". Rebuild the map and sync (only what is missing or
	changed is written)."""
	from frappe.model.sync import sync_for

	if APP not in (frappe.local.app_modules or {}) or not frappe.db.exists("DocType", "Contact Rule Set"):
		frappe.cache.delete_value(["app_modules", "installed_app_modules", "module_app"])
		frappe.setup_module_map()
		sync_for(APP, reset_permissions=True)


def unregister():
	from frappe.installer import remove_from_installed_apps

	remove_from_installed_apps(APP)
	# install-app adds the module definition first and would refuse it as a duplicate next time
	frappe.db.delete("Module Def", {"app_name": APP})
	frappe.db.commit()


def after_migrate():
	set_up()


def set_up():
	"""The app's own set-up, in order, each step idempotent: run again after any failure it completes
	what is missing and changes nothing that is there."""
	frappe.clear_cache()  # a module map cached before the install must not hide the new doctypes
	create_custom_fields(CUSTOM_FIELDS, ignore_validate=True)
	ensure_indexes()
	ensure_key_constraints()
	ensure_contact_rule_sets()
	ensure_letter_templates()
	ensure_default_policy()
	ensure_grade_policies()
	ensure_party_reads()


# Shipped contact rule sets (R-C2, R-C3), editable; the source rules are the default.
CONTACT_RULE_SETS = [
	{
		"rule_set_name": "Source Rules",
		"description": "催收细则: 08:00-21:00 debtor's local time; per case per day at most 5 effective conversations, 10 outbound calls, 2 field visits.",
		"start_time": "08:00:00",
		"end_time": "21:00:00",
		"max_effective_per_day": 5,
		"max_calls_per_day": 10,
		"max_visits_per_day": 2,
	},
	{
		"rule_set_name": "US Regulation F",
		"description": "12 CFR 1006.14: 8 a.m.-9 p.m. local; at most 7 calls in 7 consecutive days; no call within 7 days after a telephone conversation.",
		"start_time": "08:00:00",
		"end_time": "21:00:00",
		"max_effective_per_day": 0,
		"max_calls_per_day": 0,
		"max_visits_per_day": 0,
		"rolling_calls": 7,
		"rolling_days": 7,
		"quiet_days_after_conversation": 7,
	},
]


# Letter templates (R-D3): the consequences text of each letter, editable in the desk.
LETTER_TEMPLATES = [
	(
		"Collection Letter",
		"en",
		"Collection letter: overdue account of {{ doc.customer_name }}",
		"<p>Despite our reminders, {{ doc.customer_name }} has not paid the invoices listed above, now up to "
		"{{ doc.oldest_days_overdue }} days overdue. Please pay the overdue amount within 7 days of this letter. "
		"Otherwise we will suspend deliveries and credit, and consider further steps to recover the debt.</p>",
	),
	(
		"Collection Letter",
		"zh",
		"催款函:{{ doc.customer_name }} 逾期欠款",
		"<p>经我司多次提醒,贵司仍未支付上列发票款项,最长已逾期 {{ doc.oldest_days_overdue }} 天。请于本函发出之日起七日内付清逾期款项。"
		"逾期未付,我司将暂停供货及信用额度,并保留采取进一步措施追讨欠款的权利。</p>",
	),
	(
		"Reconciliation Letter",
		"en",
		"Reconciliation of account: {{ doc.customer_name }}",
		"<p>Please check the invoices and balance listed above against your records and confirm them, or tell us "
		"of any difference, within 10 days. Without an answer we will take the balance as agreed.</p>",
	),
	(
		"Reconciliation Letter",
		"zh",
		"对账函:{{ doc.customer_name }}",
		"<p>请贵司核对上列发票及余额,并于十日内签字确认或告知差异。逾期未回复的,视为贵司确认上述余额无误。</p>",
	),
	(
		"Lawyer's Letter",
		"en",
		"Lawyer's letter: final demand to {{ doc.customer_name }}",
		"<p>On behalf of our client {{ doc.company }}, we demand payment of the overdue amount listed above within "
		"7 days. Failing payment, our client will start legal proceedings without further notice and claim the debt, "
		"interest, legal costs and all other losses.</p>",
	),
	(
		"Lawyer's Letter",
		"zh",
		"律师函:致 {{ doc.customer_name }}",
		"<p>受 {{ doc.company }} 委托,现正式函告贵司:请于收到本函之日起七日内付清上列逾期款项。"
		"逾期未付,委托人将不再另行通知,直接提起诉讼,追索欠款、利息、律师费及其他全部损失。</p>",
	),
]


# What the daily run, the permission queries and the contact rules filter on (composite indexes).
INDEXES = {
	"Collection Case": [
		["customer", "company", "status"],
		["collector", "status"],
		["status", "next_action_date"],
	],
	"Collection Case Invoice": [["sales_invoice"]],
	"Contact Log": [
		["collection_case", "start_time"],
		["promise_date"],
		# the team reports count a period's contacts per collector from the index alone
		(
			"cm_contact_period_index",
			["start_time", "collector", "effective", "outcome", "late_entry", "docstatus"],
		),
		# the promises made on a set of cases (risk grade, My Day), read from the index alone
		(
			"cm_case_promise_index",
			["collection_case", "outcome", "promise_date", "start_time", "promise_amount", "docstatus"],
		),
	],
	"Contact Refusal": [["refused_at"]],
	"Visit Record": [["collection_case", "actual_time"]],
	"Stock Release Lock": [["customer", "company", "status"]],
	# My Day's follow-ups due: a collector's open ToDos by date
	"ToDo": [["allocated_to", "status", "date"], ["reference_type", "status", "date"]],
}


def ensure_indexes():
	for doctype, indexes in INDEXES.items():
		for index in indexes:
			name, fields = index if isinstance(index, tuple) else ("cm_" + "_".join(index) + "_index", index)
			frappe.db.add_index(doctype, fields, name)


def ensure_letter_templates():
	for letter_type, language, subject, consequences in LETTER_TEMPLATES:
		name = f"{letter_type} ({language})"
		if not frappe.db.exists("Letter Template", name):
			frappe.get_doc(
				{
					"doctype": "Letter Template",
					"template_name": name,
					"letter_type": letter_type,
					"language": language,
					"subject": subject,
					"consequences": consequences,
				}
			).insert(ignore_permissions=True)


def ensure_contact_rule_sets():
	for preset in CONTACT_RULE_SETS:
		if not frappe.db.exists("Contact Rule Set", preset["rule_set_name"]):
			frappe.get_doc({"doctype": "Contact Rule Set", **preset}).insert(ignore_permissions=True)


def ensure_default_policy():
	"""Ship the source ladder (R-B1..R-B8) as an editable policy and make it the default once."""
	if not frappe.db.exists("Collection Policy", DEFAULT_POLICY):
		policy = frappe.new_doc("Collection Policy")
		policy.policy_name = DEFAULT_POLICY
		policy.description = "The overdue ladder of the source procedure (催收流程操作细则). Edit freely."
		for stage in DEFAULT_LADDER:
			policy.append(
				"stages",
				{
					"stage_name": stage.name,
					"from_day": stage.from_day,
					"to_day": stage.to_day or 0,
					"open_ended": int(stage.to_day is None),
					"action": stage.action,
					"channels": ", ".join(stage.channels),
					"cadence_days": stage.cadence_days,
					"owner_role": stage.owner_role,
					"escalate_to_role": stage.escalate_to_role,
					"needs_approval": int(stage.needs_approval),
				},
			)
		policy.insert(ignore_permissions=True)
	settings = frappe.get_single("Collection Settings")
	stored = set(frappe.db.get_singles_dict("Collection Settings"))
	changed = False
	# fields added by a newer version get their shipped default once, never overwriting a choice
	for df in settings.meta.fields:
		if df.default is not None and df.fieldname not in stored:
			settings.set(df.fieldname, df.default)
			changed = True
	if not settings.statement_email_template and frappe.db.exists("Email Template", "Collections Statement"):
		settings.statement_email_template = "Collections Statement"
		changed = True
	if not settings.default_contact_rule_set:
		settings.default_contact_rule_set = CONTACT_RULE_SETS[0]["rule_set_name"]
		changed = True
	if not settings.default_policy:
		settings.default_policy = DEFAULT_POLICY
		if frappe.db.exists("Email Template", "Collections Pre-due Reminder"):
			settings.reminder_email_template = "Collections Pre-due Reminder"
		changed = True
	if changed:
		settings.flags.keep_stored_values = True  # filling new fields never fails on older values
		settings.save(ignore_permissions=True)


GRADE_MAPPING_INSTALLED = "collections_grade_mapping_installed"  # a site default: once per site


def ensure_grade_policies():
	"""Ship each grade's ladder (R-E3: gentle for A and B, firmer for C, firm then a legal review for D)
	as an editable Collection Policy, and map the grades to them once per site when the settings map no
	grade: a new site and an existing one at its next migrate alike. A mapping an administrator set, or
	emptied after it was installed, is theirs."""
	for name, stages in grade_settings.GRADE_LADDERS.items():
		if frappe.db.exists("Collection Policy", name):
			continue
		policy = frappe.new_doc("Collection Policy")
		policy.policy_name = name
		policy.description = GRADE_POLICY_DESCRIPTIONS.get(name, "")
		for row in grade_settings.stage_rows(stages):
			policy.append("stages", row)
		policy.insert(ignore_permissions=True)
	if frappe.db.get_value("DefaultValue", {"parent": "__default", "defkey": GRADE_MAPPING_INSTALLED}):
		return
	settings = frappe.get_single("Collection Settings")
	if not settings.grade_policies:
		for row in grade_settings.grade_policy_rows():
			if frappe.db.exists("Collection Policy", row["policy"]):
				settings.append("grade_policies", row)
		settings.flags.keep_stored_values = True
		settings.save(ignore_permissions=True)
	frappe.db.set_default(GRADE_MAPPING_INSTALLED, "1")


GRADE_POLICY_DESCRIPTIONS = {
	grade_settings.FIRM_POLICY: "For risk grade C: daily calls from the first day overdue, visits from the second "
	"week, the supervisor from day 15, the stock-release lock after two months. Edit freely.",
	grade_settings.LEGAL_POLICY: "For risk grade D: daily calls and visits, the manager from day 8, the lock from "
	"day 31, then a legal review (lawyer's letter with the owner's approval). Edit freely.",
}


def before_uninstall():
	"""Leave ERPNext as it was: drop the custom fields this app added to its doctypes, and the
	workflows and e-mail templates it shipped (its own doctypes go with the app)."""
	from collections_module.hooks import _WORKFLOWS

	for name in _WORKFLOWS:
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True, ignore_missing=True)
	for name in ("Collections Pre-due Reminder", "Collections Statement"):
		frappe.delete_doc("Email Template", name, ignore_permissions=True, force=True, ignore_missing=True)
	for doctype, fields in CUSTOM_FIELDS.items():
		for df in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": df["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	frappe.clear_cache()
