"""Walls without paths around them (R-G5, R-B7, R-F): child tables read by their parent's rule, names
through link titles only for those who may read the record, no approval of one's own request. Each
acts as the real role through the endpoint the desk calls."""

import frappe
from frappe.client import get_list, insert
from frappe.model.workflow import apply_workflow

from collections_module.permissions import CHILD_PARENTS
from collections_module.policy import roles
from collections_module.tests.test_legal import as_user
from collections_module.tests.utils import (
	ROLE_USERS,
	SECOND_COLLECTOR,
	WAREHOUSE_USER,
	CollectionsTestCase,
	ensure_user,
	make_customer,
	make_invoice,
	open_case,
	ready_case,
)

COLLECTOR = ROLE_USERS[roles.COLLECTOR]


def app_child_tables() -> dict[str, set[str]]:
	"""Every child table of this app and the parents that hold it, from the DocType meta."""
	modules = frappe.get_module_list("collections_module")
	parents: dict[str, set[str]] = {}
	for dt in frappe.get_all("DocType", filters={"module": ["in", modules], "istable": 0}, pluck="name"):
		for df in frappe.get_meta(dt).get_table_fields():
			parents.setdefault(df.options, set()).add(dt)
	return parents


def has_record_rule(doctype: str) -> bool:
	return bool(frappe.get_hooks("permission_query_conditions", {}).get(doctype))


class TestChildTablesFollowTheirParent(CollectionsTestCase):
	def test_every_child_table_of_a_ruled_parent_inherits_the_rule(self):
		"""From the meta: a child table whose parent has a record rule is scoped by it (a new child table
		without it fails here)."""
		for child, parents in app_child_tables().items():
			ruled = {p for p in parents if has_record_rule(p)}
			with self.subTest(child=child):
				if ruled:
					self.assertIn(child, CHILD_PARENTS)
					self.assertEqual({CHILD_PARENTS[child]}, ruled)
					self.assertIn(
						"collections_module.permissions.child_query",
						frappe.get_hooks("permission_query_conditions", {}).get(child, []),
					)

	def test_a_collector_lists_only_the_child_rows_of_cases_they_hold(self):
		mine = ready_case("Child Rows Mine", collector=COLLECTOR)
		theirs = ready_case("Child Rows Theirs", collector=SECOND_COLLECTOR)
		for case, phone in ((mine, "+86 10 1111 1111"), (theirs, "+86 10 2222 2222")):
			case.append("contact_points", {"contact_name": "Debtor", "relation": "Debtor", "phone": phone})
			case.save(ignore_permissions=True)

		# every child table, listed as the desk lists it, shows no row of a parent the user cannot read
		for child, parent in CHILD_PARENTS.items():
			with self.subTest(child=child):
				readable = {r.name for r in as_user(COLLECTOR, get_list, parent, limit_page_length=0)}
				rows = as_user(
					COLLECTOR, get_list, child, fields=["parent"], parent=parent, limit_page_length=0
				)
				self.assertLessEqual({r.parent for r in rows}, readable)

		rows = as_user(
			COLLECTOR,
			get_list,
			"Collection Contact Point",
			fields=["parent", "phone"],
			parent="Collection Case",
			limit_page_length=0,
		)
		self.assertIn("+86 10 1111 1111", [r.phone for r in rows])
		self.assertNotIn("+86 10 2222 2222", [r.phone for r in rows])  # another collector's debtor
		invoices = as_user(
			COLLECTOR,
			get_list,
			"Collection Case Invoice",
			fields=["parent"],
			parent="Collection Case",
			limit_page_length=0,
		)
		self.assertIn(mine.name, {r.parent for r in invoices})
		self.assertNotIn(theirs.name, {r.parent for r in invoices})


class TestNamesOnlyToThoseWhoMayRead(CollectionsTestCase):
	def test_the_warehouse_gets_no_debtor_or_customer_name_through_a_link_title(self):
		customer = make_customer("Link Title")
		make_invoice(customer, due_in_days=-20, amount=100)
		case = open_case(customer)
		title_field = frappe.get_meta("Collection Case").title_field
		# the desk's own endpoint, as the hooks route it
		route = frappe.get_hooks("override_whitelisted_methods", {}).get("frappe.desk.search.get_link_title")
		self.assertEqual(route, ["collections_module.api.get_link_title"])
		shown = as_user(WAREHOUSE_USER, frappe.call, route[-1], doctype="Collection Case", docname=case.name)
		self.assertEqual(shown, case.name)
		if title_field and frappe.get_meta("Collection Case").show_title_field_in_link:
			self.assertNotEqual(shown, case.get(title_field))
		# whoever may read the case still reads its title
		from collections_module.permissions import get_link_title

		frappe.set_user(ROLE_USERS[roles.SUPERVISOR])
		try:
			expected = (
				case.get(title_field)
				if frappe.get_meta("Collection Case").show_title_field_in_link
				else case.name
			)
			self.assertEqual(get_link_title("Collection Case", case.name), expected)
		finally:
			frappe.set_user("Administrator")


class TestNoApprovalOfOnesOwnRequest(CollectionsTestCase):
	def test_one_person_holding_the_owners_role_cannot_approve_their_own_legal_action(self):
		both = ensure_user("cm.owner.manager@example.com", roles.MANAGER, roles.OWNER)
		customer = make_customer("Self Approval")
		make_invoice(customer, due_in_days=-100, amount=5_000)
		case = open_case(customer)
		action = as_user(
			both,
			insert,
			{"doctype": "Legal Action", "collection_case": case.name, "legal_type": "Agency Referral"},
		)
		as_user(both, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Request Approval")
		with self.assertRaises(frappe.ValidationError):
			as_user(both, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve")
		# another holder of the owner's role approves it
		as_user(
			ROLE_USERS[roles.OWNER], apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve"
		)
		self.assertEqual(frappe.db.get_value("Legal Action", action["name"], "approval_state"), "Approved")

	def test_every_approval_of_the_app_refuses_the_requester(self):
		"""From the workflows: no Approve transition of this app allows self-approval."""
		modules = frappe.get_module_list("collections_module")
		app_doctypes = set(frappe.get_all("DocType", filters={"module": ["in", modules]}, pluck="name"))
		checked = 0
		for wf in frappe.get_all(
			"Workflow", filters={"document_type": ["in", list(app_doctypes)]}, pluck="name"
		):
			for t in frappe.get_doc("Workflow", wf).transitions:
				if t.action in ("Approve", "Approve Removal"):
					with self.subTest(workflow=wf, transition=f"{t.state} -> {t.next_state}"):
						self.assertFalse(t.allow_self_approval)
					checked += 1
		self.assertGreaterEqual(checked, 6)
