"""Legal action on a real site: a lawsuit needs the owner's approval (Workflow, through the desk's own
endpoint), stops the ladder's follow-ups while it runs and shows on the case; filing needs the evidence
pack, whose PDF holds the case's documents; the daily run proposes a legal review for a lost debtor."""

import io

import frappe
from frappe.client import get_list, insert, save
from frappe.model.workflow import apply_workflow

from collections_module.collection_cases.ladder.jobs import run
from collections_module.policy import roles
from collections_module.tests.test_performance import call
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	make_customer,
	make_delivery_note,
	make_invoice,
	open_case,
	today,
	todos,
)

MANAGER, OWNER = ROLE_USERS[roles.MANAGER], ROLE_USERS[roles.OWNER]


def as_user(user, fn, *args, **kwargs):
	frappe.set_user(user)
	try:
		return fn(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def pdf_text(url: str) -> str:
	from pypdf import PdfReader

	content = frappe.get_doc("File", {"file_url": url}).get_content()
	text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
	return " ".join(text.split())  # a table cell's words wrap over lines


class TestLegalAction(CollectionsTestCase):
	def test_a_lawsuit_needs_the_owner_stops_the_ladder_and_files_with_its_evidence(self):
		from collections_module.enforcement.doctype.legal_action.legal_action import prepare_evidence

		customer = make_customer("Lawsuit")
		dn = make_delivery_note(customer, submit=True)
		si = make_invoice(customer, due_in_days=-100, amount=8_000)
		case = open_case(customer)
		run(today(), customers=[customer])  # the ladder's follow-ups of the case
		self.assertTrue([t for t in todos(case.name) if t.status == "Open"])
		call(case.name, ROLE_USERS[roles.COLLECTOR], today(), 1, summary="Debtor refused to pay the tiles")

		action = as_user(
			MANAGER,
			insert,
			{"doctype": "Legal Action", "collection_case": case.name, "legal_type": "Lawsuit", "fees": 1_200},
		)
		self.assertEqual((action["approval_state"], action["customer"]), ("Draft", customer))
		# a collector who does not hold the case does not see the action
		seen = as_user(ROLE_USERS[roles.COLLECTOR], get_list, "Legal Action", limit_page_length=0)
		self.assertNotIn(action["name"], [r.name for r in seen])
		# not started before the owner approves: no stage, and the manager cannot approve
		with self.assertRaises(frappe.ValidationError):
			as_user(MANAGER, save, {**action, "stage": "Filed"})
		doc = frappe.get_doc("Legal Action", action["name"])
		with self.assertRaises(frappe.ValidationError):  # a dishonest save straight to Approved
			as_user(MANAGER, save, {**doc.as_dict(), "approval_state": "Approved"})
		as_user(MANAGER, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Request Approval")
		with self.assertRaises(frappe.ValidationError):
			as_user(MANAGER, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve")
		as_user(OWNER, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve")

		# while it runs: the case is in Legal status, shows the action, and the ladder gives no follow-up
		case.reload()
		self.assertEqual(
			(case.status, case.legal_action, case.legal_stage), ("Legal", action["name"], "Approved")
		)
		self.assertFalse([t for t in todos(case.name) if t.status == "Open"])
		run(frappe.utils.add_days(today(), 1), customers=[customer])
		self.assertFalse([t for t in todos(case.name) if t.status == "Open"])

		# filing needs the evidence; the pack holds the case's documents
		doc = frappe.get_doc("Legal Action", action["name"])
		with self.assertRaises(frappe.ValidationError):
			as_user(MANAGER, save, {**doc.as_dict(), "stage": "Filed"})
		url = as_user(MANAGER, prepare_evidence, action["name"])
		text = pdf_text(url)
		for expected in (si.name, dn.name, case.name, "Debtor refused to pay the tiles"):
			self.assertIn(expected, text)
		doc = frappe.get_doc("Legal Action", action["name"])
		saved = as_user(MANAGER, save, {**doc.as_dict(), "stage": "Filed", "amount_claimed": 8_000})
		self.assertEqual(
			(saved["stage"], str(saved["filed_on"]), saved["total_cost"]), ("Filed", str(today()), 1_200)
		)
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "legal_stage"), "Filed")
		with self.assertRaises(frappe.ValidationError):  # one step at a time
			as_user(MANAGER, save, {**saved, "stage": "Judgment"})

		# closed: the case goes back to the ladder
		doc = frappe.get_doc("Legal Action", action["name"])
		as_user(MANAGER, save, {**doc.as_dict(), "stage": "Closed", "amount_recovered": 3_000})
		case.reload()
		self.assertEqual((case.status, case.legal_action), ("Open", None))

	def test_only_the_owner_approves_a_lawyers_letter_stage(self):
		customer = make_customer("Letter Stage")
		make_invoice(customer, due_in_days=-95, amount=1_000)
		case = open_case(customer)
		action = as_user(
			MANAGER,
			insert,
			{"doctype": "Legal Action", "collection_case": case.name, "legal_type": "Lawyer's Letter"},
		)
		as_user(MANAGER, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Request Approval")
		as_user(OWNER, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve")
		doc = frappe.get_doc("Legal Action", action["name"])
		saved = as_user(MANAGER, save, {**doc.as_dict(), "stage": "Requested"})
		with self.assertRaises(frappe.PermissionError):
			as_user(MANAGER, save, {**saved, "stage": "Approved"})
		saved = as_user(
			OWNER, save, {**frappe.get_doc("Legal Action", action["name"]).as_dict(), "stage": "Approved"}
		)
		self.assertEqual(saved["stage"], "Approved")

	def test_the_daily_run_proposes_a_legal_review_for_a_lost_debtor_once(self):
		customer = make_customer("Lost Debtor")
		make_invoice(customer, due_in_days=-60, amount=2_000)
		case = open_case(customer)
		run(today(), customers=[customer])
		self.assertFalse(frappe.db.exists("Legal Action", {"collection_case": case.name}))
		frappe.db.set_value("Collection Case", case.name, "filtering_class", "Lost Contact")
		run(today(), customers=[customer])
		actions = frappe.get_all(
			"Legal Action",
			filters={"collection_case": case.name},
			fields=["approval_state", "proposed_by_run", "legal_type", "reason"],
		)
		self.assertEqual(len(actions), 1)
		self.assertEqual((actions[0].approval_state, actions[0].proposed_by_run), ("Draft", 1))
		self.assertIn("cannot be reached", actions[0].reason)
		run(today(), customers=[customer])  # proposed once
		self.assertEqual(frappe.db.count("Legal Action", {"collection_case": case.name}), 1)
