"""What the run says: follow-up texts, escalation alerts, pre-due reminder mail, legal-review proposals."""

import frappe
from frappe import _
from frappe.utils import fmt_money

from collections_module.collection_cases.ladder.model import CASE, CasePlan, ReminderPlan
from collections_module.messages import tr
from collections_module.people import notify
from collections_module.policy import contact_rules as cr


def _propose_legal(case: str, template: str, args: tuple, managers: list[str]):
	from collections_module.policy import legal

	action = frappe.get_doc(
		{
			"doctype": "Legal Action",
			"collection_case": case,
			"legal_type": legal.LAWYERS_LETTER,
			"proposed_by_run": 1,
			"reason": tr("Legal review proposed: {0}.", [tr(template, args)]),
		}
	)
	action.flags.ignore_permissions = True
	action.insert()
	notify(
		managers,
		"Legal Action",
		action.name,
		lambda: tr("Case {0} is proposed for a legal review: {1}.", [case, tr(template, args)]),
	)


def _money(amount: float, company: str) -> str:
	return fmt_money(amount, currency=frappe.get_cached_value("Company", company, "default_currency"))


def _follow_up_text(plan: CasePlan) -> str:
	d, case = plan.decision, plan.case
	description = _("Follow up {0}: stage {1}, {2} days overdue, {3} overdue. Channels: {4}.").format(
		case.customer_name or plan.customer,
		_(d.stage.name),
		plan.oldest_days,
		_money(plan.total, plan.company),
		", ".join(_(c) for c in d.stage.channels) or "-",
	)
	if plan.promise == cr.BROKEN:
		description = (
			_("Promise to pay broken ({0} by {1}).").format(
				_money(case.promise_amount, plan.company), case.promise_date
			)
			+ " "
			+ description
		)
	from collections_module.collection_cases.ladder.repayment import broken_plan_text

	if broken_plan_text(plan):
		description = broken_plan_text(plan) + " " + description
	if not case.verified and frappe.db.get_single_value("Collection Settings", "require_verification"):
		description = _("Verify identity and debt first.") + " " + description
	return description


def _notify(plan: CasePlan):
	"""Desk notification (and e-mail, per the user's notification settings) to each level entered."""
	d, case = plan.decision, plan.case

	def subject():
		return _("Collection case {0} ({1}) reached the {2} stage: {3} days overdue, {4} overdue.").format(
			case.name,
			case.customer_name or plan.customer,
			_(d.stage.name),
			plan.oldest_days,
			_money(plan.total, plan.company),
		)

	notify(
		[u for role_users in plan.notify.values() for u in role_users],
		CASE,
		case.name,
		subject,
		lambda: tr(d.reason, d.reason_args),
	)


def _send_reminder(r: ReminderPlan):
	"""The pre-due reminder through the Email Template (R-B1); logged as a Communication on the invoice."""
	if not r.recipient:
		return
	from frappe.core.doctype.communication.email import _make

	template = frappe.db.get_single_value("Collection Settings", "reminder_email_template")
	if not template:
		return
	invoice = frappe.get_doc("Sales Invoice", r.invoice)
	context = invoice.as_dict()
	context.update({"term_due_date": r.due_date, "term_outstanding": r.outstanding})
	formatted = frappe.get_doc("Email Template", template).get_formatted_email(context)
	try:
		_make(
			doctype="Sales Invoice",
			name=r.invoice,
			subject=formatted["subject"],
			content=formatted["message"],
			recipients=r.recipient,
			communication_medium="Email",
			send_email=True,
		)
	except Exception:
		if frappe.flags.in_test:
			raise
		frappe.log_error(title=f"Collections reminder for {r.invoice}")
		return
	frappe.db.set_value(
		"Sales Invoice", r.invoice, "collection_reminded_due_date", r.due_date, update_modified=False
	)
