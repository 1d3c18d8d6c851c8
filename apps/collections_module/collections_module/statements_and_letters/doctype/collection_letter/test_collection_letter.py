# Copyright (c) 2026, collections_module developers and Contributors
# See license.txt
"""Formal letters (R-B8, R-D3): only the owner approves; the issued PDF carries the debt, in Chinese for
the Chinese format, with the CJK font embedded."""

import io

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from pypdf import PdfReader

from collections_module.collection_cases.ladder.jobs import run
from collections_module.policy import roles
from collections_module.tests.utils import (
	ROLE_USERS,
	CollectionsTestCase,
	ensure_outgoing_email_account,
	ready_case,
	today,
)

test_ignore = ["Collection Case"]
REFUSED = (WorkflowPermissionError, WorkflowTransitionError)
LETTER = "Collection Letter"


def pdf_of(letter) -> PdfReader:
	file = frappe.get_doc("File", {"file_url": letter.pdf_file})
	return PdfReader(io.BytesIO(file.get_content()))


def embedded_fonts(reader: PdfReader) -> set[str]:
	names = set()
	for page in reader.pages:
		for font in (page["/Resources"].get("/Font") or {}).values():
			font = font.get_object()
			descendants = font.get("/DescendantFonts") or [font]
			for f in descendants:
				desc = f.get_object().get("/FontDescriptor")
				if desc and any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
					names.add(str(f.get_object().get("/BaseFont")))
	return names


class TestCollectionLetter(CollectionsTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()

	def letter(self, case, letter_type="Lawyer's Letter", language="zh", **fields):
		return frappe.get_doc(
			{
				"doctype": LETTER,
				"letter_type": letter_type,
				"language": language,
				"collection_case": case.name,
				"recipient_email": "legal@example.com",
				**fields,
			}
		).insert()

	def test_lawyers_letter_cannot_be_issued_before_the_owner_approves(self):
		case = ready_case("Lawyer Letter", days_overdue=130)
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		letter = self.letter(case)
		self.assertRaises(REFUSED, apply_workflow, letter, "Issue")  # from Draft
		apply_workflow(letter, "Request Approval")
		self.assertRaises(
			REFUSED, apply_workflow, frappe.get_doc(LETTER, letter.name), "Approve"
		)  # manager is not the owner
		# nor by writing the state directly, through any path
		doc = frappe.get_doc(LETTER, letter.name)
		doc.status = "Issued"
		self.assertRaises((frappe.PermissionError, *REFUSED), doc.save)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(LETTER, letter.name, "status"), "Pending Approval")
		self.assertFalse(frappe.db.get_value(LETTER, letter.name, "pdf_file"))

	def test_issued_chinese_lawyers_letter_pdf(self):
		case = ready_case("律师函客户", days_overdue=130)
		letter = self.letter(case)
		self.assertIn("律师函", letter.subject)
		apply_workflow(letter, "Request Approval")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Approve")
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		doc = frappe.get_doc(LETTER, letter.name)
		doc.delivery_method = "Email and Registered Mail"
		doc.save()
		self.assertRaisesRegex(frappe.ValidationError, "registered-mail number", apply_workflow, doc, "Issue")
		doc.reload()
		doc.registered_mail_no = "XA123456789CN"
		doc.save()
		apply_workflow(doc, "Issue")
		frappe.set_user("Administrator")
		doc.reload()
		self.assertEqual((doc.status, doc.approved_by), ("Issued", ROLE_USERS[roles.OWNER]))
		reader = pdf_of(doc)
		text = "".join(page.extract_text() for page in reader.pages)
		self.assertIn("律 师 函", text)
		self.assertIn(case.customer_name, text)
		self.assertIn("1,000.00", text)
		self.assertIn("逾期 130 天", text.replace("\n", ""))
		self.assertTrue(any("CJK" in f for f in embedded_fonts(reader)), embedded_fonts(reader))
		self.assertEqual(
			frappe.db.count("File", {"attached_to_doctype": LETTER, "attached_to_name": doc.name}), 1
		)
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": LETTER, "reference_name": doc.name},
			pluck="attachments",
		)
		self.assertEqual(len(queued), 1)
		self.assertIn(doc.pdf_file, queued[0])
		self.assertTrue(frappe.db.exists("Contact Log", {"collection_case": case.name, "channel": "Letter"}))

	def test_issued_english_collection_letter_pdf(self):
		case = ready_case("English Letter", days_overdue=125)
		letter = self.letter(case, "Collection Letter", "en")
		apply_workflow(letter, "Request Approval")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Approve")
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Issue")
		frappe.set_user("Administrator")
		text = "".join(p.extract_text() for p in pdf_of(frappe.get_doc(LETTER, letter.name)).pages)
		for expected in (
			"Collection Letter",
			case.customer_name,
			"1,000.00",
			"125 days overdue",
			"within 7 days",
		):
			self.assertIn(expected, text.replace("\n", " "))

	def test_daily_run_proposes_a_letter_at_the_letter_stage_once(self):
		case = ready_case("Letter Stage", days_overdue=125)
		run(today(), customers=[case.customer])
		letters = frappe.get_all(
			LETTER,
			filters={"collection_case": case.name},
			fields=["status", "letter_type", "total_outstanding"],
		)
		self.assertEqual(
			[(l.status, l.letter_type, l.total_outstanding) for l in letters],
			[("Draft", "Collection Letter", 1000)],
		)
		run(today(), customers=[case.customer])
		self.assertEqual(frappe.db.count(LETTER, {"collection_case": case.name}), 1)

	def test_what_the_owner_approved_is_what_is_issued(self):
		case = ready_case("Frozen Letter", days_overdue=130)
		letter = self.letter(case)
		apply_workflow(letter, "Request Approval")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Approve")
		frappe.set_user(ROLE_USERS[roles.COLLECTOR])
		doc = frappe.get_doc(LETTER, letter.name)
		doc.consequences = "<p>Pay or else.</p>"
		self.assertRaisesRegex(frappe.PermissionError, "can no longer be changed", doc.save)


class TestLetterAgainstTheLedger(CollectionsTestCase):
	"""Issue 25 items 6 and 7: a letter states what is owed on the day it is approved and issued."""

	letter = TestCollectionLetter.letter

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()

	def request(self, case):
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		letter = self.letter(case, letter_type="Collection Letter", delivery_method="Registered Mail")
		apply_workflow(letter, "Request Approval")
		frappe.set_user("Administrator")
		return letter

	def test_part_payment_before_approval_restates_the_letter(self):
		from collections_module.tests.utils import pay

		case = ready_case("Letter Part Paid", days_overdue=130)
		letter = self.request(case)
		self.assertEqual(frappe.db.get_value(LETTER, letter.name, "total_outstanding"), 1000)
		invoice = case.invoices[0].sales_invoice
		pay(invoice, 600)
		doc = frappe.get_doc(LETTER, letter.name)
		self.assertEqual((doc.status, doc.total_outstanding), ("Pending Approval", 400))
		self.assertEqual([r.outstanding for r in doc.invoices], [400])
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(doc, "Approve")
		frappe.set_user(ROLE_USERS[roles.MANAGER])
		doc = frappe.get_doc(LETTER, letter.name)
		doc.registered_mail_no = "RR123456789CN"
		doc.save()
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Issue")
		frappe.set_user("Administrator")
		issued = frappe.get_doc(LETTER, letter.name)
		self.assertEqual((issued.status, issued.total_outstanding), ("Issued", 400))

	def test_payment_after_approval_sends_the_letter_back_to_the_owner(self):
		from collections_module.tests.utils import pay

		case = ready_case("Letter Approved Then Paid", days_overdue=130)
		letter = self.request(case)
		frappe.set_user(ROLE_USERS[roles.OWNER])
		apply_workflow(frappe.get_doc(LETTER, letter.name), "Approve")
		frappe.set_user("Administrator")
		pay(case.invoices[0].sales_invoice, 300)
		doc = frappe.get_doc(LETTER, letter.name)
		self.assertEqual(
			(doc.status, doc.total_outstanding, doc.approved_by), ("Pending Approval", 700, None)
		)

	def test_letter_to_a_customer_who_paid_is_withdrawn_and_cannot_go_out(self):
		from collections_module.tests.utils import pay

		case = ready_case("Letter Paid In Full", days_overdue=130)
		letter = self.request(case)
		pay(case.invoices[0].sales_invoice)
		self.assertEqual(frappe.db.get_value("Collection Case", case.name, "status"), "Closed")
		self.assertEqual(frappe.db.get_value(LETTER, letter.name, "status"), "Withdrawn")
		# nor can a letter be approved by any path while nothing is owed
		frappe.db.set_value(LETTER, letter.name, "status", "Pending Approval")
		frappe.set_user(ROLE_USERS[roles.OWNER])
		self.assertRaisesRegex(
			frappe.ValidationError,
			"owes nothing",
			apply_workflow,
			frappe.get_doc(LETTER, letter.name),
			"Approve",
		)
