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


def private_file_of_another_case(label: str, file_name: str):
	"""A private file attached to a case the test collector does not hold."""
	other = ready_case(label, collector=SECOND_COLLECTOR)
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": file_name,
			"content": b"another collector's file",
			"is_private": 1,
			"attached_to_doctype": "Collection Case",
			"attached_to_name": other.name,
		}
	).insert(ignore_permissions=True)


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

	def test_the_warehouse_lists_no_pass_of_a_lock_that_does_not_block(self):
		case = ready_case("Released Pass", collector=COLLECTOR)
		lock = frappe.get_doc(
			{
				"doctype": "Stock Release Lock",
				"customer": case.customer,
				"company": case.company,
				"reason": "x",
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Stock Release Lock", lock.name, {"status": "Released", "live_key": None})
		frappe.get_doc(
			{
				"doctype": "Stock Release Pass",
				"parent": lock.name,
				"parenttype": "Stock Release Lock",
				"parentfield": "passes",
				"reason": "one urgent delivery",
			}
		).db_insert()
		passes = as_user(
			WAREHOUSE_USER,
			get_list,
			"Stock Release Pass",
			fields=["parent"],
			parent="Stock Release Lock",
			limit_page_length=0,
		)
		self.assertNotIn(lock.name, {p.parent for p in passes})


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


# --- the declaration, for every DocType and field ---------------------------------------------------


def app_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": ["in", frappe.get_module_list("collections_module")]}, pluck="name"
	)


class TestOneDeclaration(CollectionsTestCase):
	def test_every_doctype_is_declared_and_every_declared_field_exists(self):
		from collections_module.access import ACCESS, READ_RULES

		self.assertEqual(sorted(ACCESS), sorted(app_doctypes()))  # a new DocType needs its declaration
		for doctype, r in ACCESS.items():
			meta = frappe.get_meta(doctype)
			with self.subTest(doctype=doctype):
				self.assertIn(r.read, READ_RULES)
				self.assertEqual(r.read == "parent", bool(meta.istable))
				covered = (r.approval[2] if r.approval else ()) + r.record + r.writable
				for field in covered:
					self.assertTrue(meta.has_field(field), f"{doctype}.{field}")
				if r.read in ("case", "own", "customer", "lock"):
					self.assertTrue(frappe.get_hooks("permission_query_conditions", {}).get(doctype), doctype)
					self.assertTrue(frappe.get_hooks("has_permission", {}).get(doctype), doctype)

	def test_no_person_writes_a_read_only_field_of_any_doctype(self):
		"""For every DocType and every field only the server writes: a person's value is replaced by the
		stored one (and dropped on a new record), whatever endpoint sent it."""
		from collections_module.access import ACCESS, guard, server_fields

		checked = 0
		frappe.set_user(COLLECTOR)
		try:
			for doctype in ACCESS:
				if frappe.get_meta(doctype).istable or frappe.get_meta(doctype).issingle:
					continue
				for field in server_fields(doctype):
					is_table = (
						frappe.get_meta(doctype).get_field(field).fieldtype in frappe.model.table_fields
					)
					stored, sent = ([], [{}]) if is_table else ("stored value", "sent value")
					doc = frappe.new_doc(doctype)
					doc.name = f"_CM access {doctype}"
					before = frappe.new_doc(doctype)
					before.set(field, stored)
					doc._doc_before_save = before
					doc.set(field, sent)
					guard(doc)
					with self.subTest(doctype=doctype, field=field):
						self.assertEqual(
							len(doc.get(field)) if is_table else doc.get(field), 0 if is_table else stored
						)
					new = frappe.new_doc(doctype)
					new.set(field, sent)
					guard(new)
					with self.subTest(doctype=doctype, field=field, new=True):
						self.assertFalse(new.get(field))
					checked += 1
		finally:
			frappe.set_user("Administrator")
		self.assertGreater(checked, 100)

	def test_no_attach_field_takes_another_records_private_file(self):
		"""For every Attach field of every DocType: a private file of another record is refused; the
		person's own fresh upload is taken."""
		from collections_module.access import ACCESS, check_attachments

		foreign = private_file_of_another_case("Foreign File", "foreign-recording.txt")
		frappe.set_user(COLLECTOR)
		try:
			mine = frappe.get_doc(
				{"doctype": "File", "file_name": "my-recording.txt", "content": b"my call", "is_private": 1}
			).insert(ignore_permissions=True)
			fields = 0
			for doctype in ACCESS:
				for df in frappe.get_meta(doctype).fields:
					if df.fieldtype not in ("Attach", "Attach Image"):
						continue
					doc = frappe.new_doc(doctype)
					doc.name = f"_CM attach {doctype}"
					doc.set(df.fieldname, foreign.file_url)
					with self.subTest(doctype=doctype, field=df.fieldname):
						self.assertRaises(frappe.PermissionError, check_attachments, doc, None)
						doc.set(df.fieldname, mine.file_url)
						check_attachments(doc, None)
					fields += 1
		finally:
			frappe.set_user("Administrator")
		self.assertGreaterEqual(fields, 8)

	def test_the_readme_shows_who_may_do_what_from_the_declaration(self):
		from pathlib import Path

		from collections_module.access import who_may_do_what

		# the app's README travels with the app; the repository's README carries the same table
		readme = (Path(frappe.get_app_path("collections_module")).parent / "README.md").read_text()
		self.assertIn(who_may_do_what(), readme)


# --- the reproductions, as the real roles through the desk's endpoints -----------------------------


class TestReproductions(CollectionsTestCase):
	def test_an_approved_legal_action_keeps_what_was_approved(self):
		from frappe.client import save

		customer = make_customer("Approved Terms")
		make_invoice(customer, due_in_days=-100, amount=1_000)
		case = open_case(customer)
		manager = ROLE_USERS[roles.MANAGER]
		action = as_user(
			manager,
			insert,
			{
				"doctype": "Legal Action",
				"collection_case": case.name,
				"legal_type": "Agency Referral",
				"amount_claimed": 1_000,
			},
		)
		as_user(manager, apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Request Approval")
		as_user(
			ROLE_USERS[roles.OWNER], apply_workflow, frappe.get_doc("Legal Action", action["name"]), "Approve"
		)
		doc = frappe.get_doc("Legal Action", action["name"]).as_dict()
		for change in ({"legal_type": "Non-Performing Disposal"}, {"amount_claimed": 987_654}):
			with self.subTest(change=change), self.assertRaises(frappe.PermissionError):
				as_user(manager, save, {**doc, **change})
		self.assertEqual(frappe.db.get_value("Legal Action", action["name"], "amount_claimed"), 1_000)

	def test_a_collectors_saved_call_keeps_its_facts_and_is_in_their_own_name(self):
		from frappe.client import save, set_value

		from collections_module.tests.utils import contact_log, local_time

		case = ready_case("Call Facts", collector=COLLECTOR)
		frappe.set_user(COLLECTOR)
		upload = frappe.get_doc(
			{"doctype": "File", "file_name": "call.txt", "content": b"the call", "is_private": 1}
		).insert(ignore_permissions=True)
		frappe.set_user("Administrator")
		log = contact_log(
			case, local_time("Asia/Shanghai", 0, 10), collector=SECOND_COLLECTOR, recording=upload.file_url
		)
		saved = as_user(COLLECTOR, insert, log.as_dict())
		self.assertEqual(saved["collector"], COLLECTOR)  # not in another collector's name
		for field, value in (
			("outcome", "Promise to Pay"),
			("promise_date", "2036-01-01"),
			("collector", SECOND_COLLECTOR),
			("recording", ""),
		):
			with self.subTest(field=field), self.assertRaises(frappe.PermissionError):
				as_user(COLLECTOR, set_value, "Contact Log", saved["name"], field, value)
		doc = frappe.get_doc("Contact Log", saved["name"]).as_dict()
		with self.assertRaises(frappe.PermissionError):
			as_user(COLLECTOR, save, {**doc, "outcome": "Refused to Pay"})

	def test_a_collectors_saved_visit_keeps_its_outcome_and_cost(self):
		from frappe.client import set_value

		from collections_module.contact_conduct.doctype.visit_record.test_visit_record import visit

		case = ready_case("Visit Facts", collector=COLLECTOR)
		made = as_user(COLLECTOR, insert, visit(case, 10, cost=1).as_dict())
		for field, value in (("cost", 5_000), ("outcome", "Refused to Pay")):
			with self.subTest(field=field), self.assertRaises(frappe.PermissionError):
				as_user(COLLECTOR, set_value, "Visit Record", made["name"], field, value)
		self.assertEqual(frappe.db.get_value("Visit Record", made["name"], "cost"), 1)

	def test_a_collector_cannot_point_a_call_at_another_cases_private_file(self):
		from collections_module.tests.utils import contact_log, local_time

		private = private_file_of_another_case("Other Letter File", "their-letter.txt")
		case = ready_case("Own Call File", collector=COLLECTOR)
		log = contact_log(case, local_time("Asia/Shanghai", 0, 11), recording=private.file_url)
		with self.assertRaises(frappe.PermissionError):
			as_user(COLLECTOR, insert, log.as_dict())
		self.assertFalse(
			frappe.db.exists("File", {"file_url": private.file_url, "attached_to_doctype": "Contact Log"})
		)

	def test_the_server_fields_of_a_case_and_a_letter_are_not_a_collectors(self):
		from frappe.client import set_value

		case = ready_case("Filtering Facts", collector=COLLECTOR)
		frappe.db.set_value("Collection Case", case.name, "filtering_deadline", "2026-01-10")
		for field, value in (
			("filtering_deadline", "2099-01-01"),
			("filtering_done_on", "2026-01-01"),
			("next_dial", "X"),
		):
			as_user(COLLECTOR, set_value, "Collection Case", case.name, field, value)
			with self.subTest(field=field):
				self.assertNotEqual(
					str(frappe.db.get_value("Collection Case", case.name, field) or ""), value
				)
		letter = as_user(
			COLLECTOR,
			insert,
			{
				"doctype": "Collection Letter",
				"collection_case": case.name,
				"letter_type": "Collection Letter",
			},
		)
		as_user(COLLECTOR, set_value, "Collection Letter", letter["name"], "approved_by", COLLECTOR)
		self.assertIsNone(frappe.db.get_value("Collection Letter", letter["name"], "approved_by"))

	def test_a_collector_sees_and_proposes_locks_only_for_their_own_customers(self):
		mine = ready_case("Lock Mine", collector=COLLECTOR)
		theirs = ready_case("Lock Theirs", collector=SECOND_COLLECTOR)
		for case in (mine, theirs):
			frappe.get_doc(
				{
					"doctype": "Stock Release Lock",
					"customer": case.customer,
					"company": case.company,
					"reason": "x",
				}
			).insert(ignore_permissions=True)
		seen = {
			r.customer
			for r in as_user(
				COLLECTOR, get_list, "Stock Release Lock", fields=["customer"], limit_page_length=0
			)
		}
		self.assertIn(mine.customer, seen)
		self.assertNotIn(theirs.customer, seen)
		other = make_customer("Lock Not Held")
		with self.assertRaises(frappe.PermissionError):
			as_user(
				COLLECTOR,
				insert,
				{"doctype": "Stock Release Lock", "customer": other, "company": mine.company, "reason": "x"},
			)

	def test_a_review_is_charged_to_the_collector_who_made_the_call(self):
		from collections_module.tests.test_performance import call
		from collections_module.tests.utils import today

		case = ready_case("Review Charge", collector=SECOND_COLLECTOR)
		log = call(case.name, SECOND_COLLECTOR, today(), 1)
		review = as_user(
			ROLE_USERS[roles.SUPERVISOR],
			insert,
			{"doctype": "Call Quality Review", "contact_log": log, "collector": COLLECTOR},
		)
		self.assertEqual(review["collector"], SECOND_COLLECTOR)

	def test_a_collector_reads_only_their_own_profile_and_their_cases_exceptions(self):
		from collections_module.tests.utils import collector_profile

		collector_profile(COLLECTOR, capacity_cases=10)
		collector_profile(SECOND_COLLECTOR, capacity_cases=20)
		profiles = {r.name for r in as_user(COLLECTOR, get_list, "Collector Profile", limit_page_length=0)}
		self.assertIn(COLLECTOR, profiles)
		self.assertNotIn(SECOND_COLLECTOR, profiles)
		theirs = ready_case("Exception Theirs", collector=SECOND_COLLECTOR)
		exception = frappe.get_doc(
			{
				"doctype": "Contact Rule Exception",
				"collection_case": theirs.name,
				"valid_on": frappe.utils.nowdate(),
				"reason": "Debtor asked for a late call",
			}
		).insert(ignore_permissions=True)
		seen = {r.name for r in as_user(COLLECTOR, get_list, "Contact Rule Exception", limit_page_length=0)}
		self.assertNotIn(exception.name, seen)


class TestReadMatrix(CollectionsTestCase):
	"""Every role × every DocType of the app, listed through `frappe.client.get_list` as the desk lists
	it: a role without the right is refused, and every row a role gets satisfies the declared record
	rule (generated from access.ACCESS and the DocTypes' permissions)."""

	ROLES = (
		roles.COLLECTOR,
		roles.SUPERVISOR,
		roles.MANAGER,
		roles.GENERAL_MANAGER,
		roles.OWNER,
		"Stock User",
		"Accounts User",
		"Sales User",
	)

	def user_of(self, role: str) -> str:
		return ROLE_USERS.get(role) or ensure_user(f"cm.matrix.{frappe.scrub(role)}@example.com", role)

	def allowed(self, doctype: str, user: str, row) -> bool:
		from collections_module.access import ACCESS
		from collections_module.permissions import _sees_all, holds_case_of
		from collections_module.policy.stock_lock import BLOCKING_STATES

		rule = ACCESS[doctype].read
		if rule == "all" or _sees_all(user):
			return True
		if rule == "case":
			case = row.name if doctype == "Collection Case" else row.collection_case
			return frappe.db.get_value("Collection Case", case, "collector") == user
		if rule == "own":
			return row.get("user" if doctype == "Collector Profile" else "collector") == user
		if rule == "customer":
			return "Accounts User" in frappe.get_roles(user) or holds_case_of(user, row.customer, row.company)
		if rule == "lock":
			return row.status in BLOCKING_STATES or holds_case_of(user, row.customer, row.company)
		return False

	def test_every_role_lists_only_what_its_rule_gives_it(self):
		from collections_module.access import ACCESS

		# records outside the collector's scope, of each kind the rules separate
		theirs = ready_case("Matrix Theirs", collector=SECOND_COLLECTOR)
		frappe.get_doc(
			{
				"doctype": "Stock Release Lock",
				"customer": theirs.customer,
				"company": theirs.company,
				"reason": "x",
			}
		).insert(ignore_permissions=True)
		ready_case("Matrix Mine", collector=COLLECTOR)
		combinations = 0
		for role in self.ROLES:
			user = self.user_of(role)
			for doctype in ACCESS:
				meta = frappe.get_meta(doctype)
				if meta.istable or meta.issingle:
					continue
				fields = ["name"] + [
					f
					for f in ("collection_case", "collector", "user", "customer", "company", "status")
					if meta.has_field(f)
				]
				may_read = any(
					p.read and not p.permlevel for p in meta.permissions if p.role in frappe.get_roles(user)
				)
				with self.subTest(role=role, doctype=doctype):
					if not may_read:
						self.assertRaises(
							frappe.PermissionError, as_user, user, get_list, doctype, fields=fields
						)
					else:
						rows = as_user(user, get_list, doctype, fields=fields, limit_page_length=0)
						wrong = [row.name for row in rows if not self.allowed(doctype, user, row)]
						self.assertEqual(wrong, [])
				combinations += 1
		self.assertGreater(combinations, 150)
		seen = {r.name for r in as_user(COLLECTOR, get_list, "Collection Case", limit_page_length=0)}
		self.assertNotIn(theirs.name, seen)
