"""The demo's intake batch (a client's debts, allocated and filtered) and its team records (targets, a
reviewed call, last week's weekly reports, a lawsuit with its evidence), and how remove() forgets a
record."""

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, get_first_day, now_datetime

from collections_module.setup.demo_builders import (
	CLIENT,
	COLLECTOR,
	COLLECTOR_2,
	COLLECTOR_ZH,
	DEBTORS,
	DEMO_TEAM,
	LAW_FIRM,
	OWNER,
	SUED,
	SUPERVISOR,
	TZ,
	USERS,
	_as,
	_case,
	_company,
	_contact,
	_today,
)


def _intake():
	"""A client's batch of debts: four allocated by the team lead and filtered (one reached, one lost
	after the whole dial order), six waiting for allocation."""
	from collections_module.intake.allocation import confirm, propose
	from collections_module.policy import filtering

	if not frappe.db.exists("Collection Client", CLIENT):
		frappe.get_doc({"doctype": "Collection Client", "client_name": CLIENT}).insert()
	for user in (COLLECTOR, COLLECTOR_2, COLLECTOR_ZH):
		frappe.get_doc(
			{
				"doctype": "Collector Profile",
				"user": user,
				"team": DEMO_TEAM,
				"supervisor": SUPERVISOR,
				"active": 1,
				"capacity_cases": 12,
			}
		).insert(ignore_permissions=True)
	batch = frappe.get_doc(
		{
			"doctype": "Intake Batch",
			"client": CLIENT,
			"company": _company(),
			"received_at": add_to_date(now_datetime(), minutes=-40),
			"team_lead": SUPERVISOR,
		}
	).insert()
	currency = frappe.get_cached_value("Company", _company(), "default_currency")
	for i, (debtor, region, principal, days) in enumerate(DEBTORS):
		frappe.get_doc(
			{
				"doctype": "Debt",
				"client": CLIENT,
				"account_no": f"HB-{i + 1:05d}",
				"intake_batch": batch.name,
				"company": _company(),
				"product": "Credit Card",
				"due_date": add_days(_today(), -days),
				"debtor_name": debtor,
				"debtor_type": "Person",
				"id_number": f"DEMO{i + 1:014d}",
				"phones": f"1380000{i + 1:04d}",
				"employer": "Harbour Trading Co.",
				"region": region,
				"principal": principal,
				"interest": round(principal * 0.05),
				"fees": 50,
				"currency": currency,
			}
		).insert()
	proposal = propose(batch.name)
	confirm(batch.name, proposal["assignments"][:4])
	cases = [a["case"] for a in proposal["assignments"][:2]]
	for case in cases:
		frappe.db.set_value("Collection Case", case, {"verified": 1, "debtor_timezone": TZ})
	reached, lost = (frappe.db.get_value("Collection Case", c, "customer") for c in cases)
	_contact(
		reached,
		-1,
		"Callback Requested",
		# the collector's own words, in their language
		"雇主人事部确认他仍在职;他会回电"
		if frappe.db.get_value("Collection Case", cases[0], "collector") == COLLECTOR_ZH
		else "Employer's HR confirmed he still works there; he will call back",
		hour=9,
		dial_party=filtering.EMPLOYER,
		result_code="Reached Third Party",
	)
	for hour, party in enumerate(filtering.DEFAULT_DIAL_ORDER, start=9):
		_contact(
			lost,
			-1,
			"Wrong Number",
			f"{party}: number not in service",
			hour=hour,
			effective=0,
			dial_party=party,
			result_code="Number Not In Service",
		)


def _team():
	"""This month's targets, a reviewed call of the collector, last week's weekly reports, and a lawsuit
	the owner approved with its evidence pack, filed."""
	from collections_module.enforcement.doctype.legal_action.legal_action import prepare_evidence

	month = get_first_day(_today())
	for user, amount in ((COLLECTOR, 30_000), (COLLECTOR_2, 40_000), (COLLECTOR_ZH, 25_000)):
		frappe.get_doc(
			{"doctype": "Collection Target", "collector": user, "month": month, "target_amount": amount}
		).insert()
	_contact(
		"Demo Bright Tiles",
		-1,
		"Promise to Pay",
		"AP clerk promised 2,000 by Friday; recording kept",
		hour=15,
		recording="/files/demo-call-bright-tiles.mp3",
		promise_amount=2_000,
		promise_date=add_days(_today(), 3),
	)
	call = frappe.get_all(
		"Contact Log",
		filters={"collection_case": _case("Demo Bright Tiles").name, "recording": ["is", "set"]},
		pluck="name",
	)[0]
	review = frappe.get_doc(
		{
			"doctype": "Call Quality Review",
			"contact_log": call,
			"collection_case": _case("Demo Bright Tiles").name,
			"collector": COLLECTOR,
			"reviewer": SUPERVISOR,
			"week_start": add_days(_today(), -_today().weekday()),
			"identity_and_debt_confirmed": 1,
			"identity_disclosed": 1,
			"polite_language": 1,
			"no_threats": 1,
			"no_third_party_disclosure": 1,
			"amounts_correct": 1,
			"comments": "Good call. Check the contact rules before calling back the same day.",
		}
	).insert()
	review.submit()
	# a second recorded call waits for the supervisor's review
	_contact(
		"Demo Summit Hardware",
		-1,
		"Callback Requested",
		"Owner asked for a call back next week; recording kept",
		hour=16,
		recording="/files/demo-call-summit-hardware.mp3",
	)
	_weekly_reports()
	if not frappe.db.exists("Supplier", LAW_FIRM):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": LAW_FIRM,
				"supplier_group": frappe.get_all(
					"Supplier Group", filters={"is_group": 0}, pluck="name", limit=1
				)[0],
			}
		).insert(ignore_permissions=True)
	action = frappe.get_doc(
		{
			"doctype": "Legal Action",
			"collection_case": _case(SUED).name,
			"legal_type": "Lawsuit",
			"supplier": LAW_FIRM,
			"reason": "130 days overdue; the formal letter went unanswered",
			"amount_claimed": 31_000,
			"fees": 2_500,
		}
	).insert()
	_as("demo.manager@example.com", action, "Request Approval")
	_as(OWNER, frappe.get_doc("Legal Action", action.name), "Approve")
	prepare_evidence(action.name)
	action = frappe.get_doc("Legal Action", action.name)
	action.stage = "Filed"
	action.save()


def _weekly_reports():
	"""Last week's reports (Weekly Report Status shows all three): Lin's submitted, Ana's still a draft,
	王's missing."""
	from collections_module.policy.weekly import previous_week
	from collections_module.team.weekly import draft_weekly_reports

	draft_weekly_reports(_today(), collectors=[COLLECTOR, COLLECTOR_2])
	report = frappe.db.get_value(
		"Weekly Report", {"collector": COLLECTOR, "week_start": previous_week(_today())[0]}
	)
	frappe.set_user(COLLECTOR)
	try:
		doc = frappe.get_doc("Weekly Report", report)
		doc.notes = "Bright Tiles promised 2,000; Orchid Pharmacy broke its promise and no longer answers."
		doc.next_week_plan = "Call Orchid Pharmacy's owner directly; send Pearl Textiles its statement again."
		doc.submit()
	finally:
		frappe.set_user("Administrator")


def _remove_team():
	for doctype in ("Collection Target", "Weekly Report"):
		frappe.db.delete(doctype, {"collector": ["in", list(USERS)]})
	if frappe.db.exists("Supplier", LAW_FIRM):
		frappe.delete_doc("Supplier", LAW_FIRM, force=True, ignore_permissions=True, delete_permanently=True)


def _remove_intake():
	"""The demo client's debts, batches and the demo team's profiles (a debt is never deleted through
	the desk: straight from the database, with its repayments)."""
	debts = frappe.get_all("Debt", filters={"client": CLIENT}, pluck="name")
	if debts:
		frappe.db.delete("Debt Repayment", {"parent": ["in", debts]})
		frappe.db.delete("Debt", {"name": ["in", debts]})
	for batch in frappe.get_all("Intake Batch", filters={"client": CLIENT}, pluck="name"):
		frappe.delete_doc("Intake Batch", batch, force=True, ignore_permissions=True, delete_permanently=True)
		_forget("Intake Batch", batch)
	if frappe.db.exists("Collection Client", CLIENT):
		frappe.delete_doc(
			"Collection Client", CLIENT, force=True, ignore_permissions=True, delete_permanently=True
		)
	for profile in frappe.get_all("Collector Profile", filters={"team": DEMO_TEAM}, pluck="name"):
		frappe.delete_doc(
			"Collector Profile", profile, force=True, ignore_permissions=True, delete_permanently=True
		)


def _forget(doctype, name):
	"""What Frappe and ERPNext keep of a deleted document: versions, comments, follow-ups, notifications,
	shares, workflow actions, queued mail, ledger entries (as ERPNext's "delete linked ledger entries")."""
	from frappe.model.delete_doc import delete_dynamic_links

	delete_dynamic_links(doctype, name)  # Frappe queues this for a worker; done now
	frappe.db.delete(
		"Comment",
		{"comment_type": "Deleted", "reference_doctype": doctype, "subject": f"{_(doctype)} {name}"},
	)
	_forget_workflow_actions(doctype, name)
	for mail in frappe.get_all(
		"Email Queue", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Email Queue Recipient", {"parent": mail})
		frappe.db.delete("Email Queue", {"name": mail})
	for comm in frappe.get_all(
		"Communication", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Communication Link", {"parent": comm})
		frappe.db.delete("Communication", {"name": comm})
	frappe.db.delete("File", {"attached_to_doctype": doctype, "attached_to_name": name})
	frappe.db.delete("Deleted Document", {"deleted_doctype": doctype, "deleted_name": name})
	if doctype in ("Sales Invoice", "Payment Entry", "Journal Entry", "Stock Entry", "Delivery Note"):
		frappe.db.delete("GL Entry", {"voucher_type": doctype, "voucher_no": name})
		frappe.db.delete("Payment Ledger Entry", {"voucher_type": doctype, "voucher_no": name})
		frappe.db.delete(
			"Payment Ledger Entry", {"against_voucher_type": doctype, "against_voucher_no": name}
		)
		frappe.db.delete("Stock Ledger Entry", {"voucher_type": doctype, "voucher_no": name})


def _forget_workflow_actions(doctype, name):
	for action in frappe.get_all(
		"Workflow Action", {"reference_doctype": doctype, "reference_name": name}, pluck="name"
	):
		frappe.db.delete("Workflow Action Permitted Role", {"parent": action})
		frappe.db.delete("Workflow Action", {"name": action})
