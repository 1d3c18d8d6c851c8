"""Who may do what, declared once for every DocType of the app (R-G5, R-B7, R-C1, R-C8, R-F).

Each DocType states its record rule (who reads which records), the facts of a saved record (set when
it is made, corrected only by a supervisor with a reason), what an approval covers (frozen once the
request is pending or approved) and the read-only fields a person may still set. The rest follows
from the DocType meta, for every DocType alike, so a new DocType or field is covered as it is added:

- a read-only field is the server's: what a person sends for it is replaced by the stored value (or
  nothing, on a new record) before the controller computes it — the desk, the REST API, `frappe.client`
  alike (fields fetched from a link, the workflow's state and `amended_from` excepted);
- an Attach field takes only a file of its own record (or one the person has just uploaded);
- a child table is read by its parent's record rule (permissions.CHILD_PARENTS);
- no approval of one's own request (the workflows' Approve transitions refuse self-approval).

The Frappe mechanisms are generated from or checked against this declaration: DocPerm roles are read
from the DocTypes, record rules are the hooks of permissions.py, and tests/test_access.py proves the
whole for every DocType, role and field.
"""

from dataclasses import dataclass

import frappe
from frappe import _


@dataclass(frozen=True)
class Rule:
	read: str  # a key of READ_RULES
	record: tuple[str, ...] = ()  # facts of a saved record (a contact, a visit)
	approval: tuple[str, tuple[str, ...], tuple[str, ...]] | None = (
		None  # state field, states, covered fields
	)
	writable: tuple[str, ...] = ()  # read-only on the form, yet set by a person


READ_RULES = {
	"all": "whoever's role reads the DocType",
	"case": "a Collector: those of the cases assigned to them; the leads: all",
	"own": "a Collector: their own; the leads: all",
	"customer": "a Collector: those of the customers whose cases they hold; the leads and accounts: all",
	"lock": "a Collector: their customers'; the warehouse, sales and accounts: those that block; the leads: all",
	"parent": "as its parent record",
}

CONTACT_FACTS = (
	"collection_case",
	"collector",
	"start_time",
	"channel",
	"direction",
	"effective",
	"contact_point",
	"dial_party",
	"result_code",
	"outcome",
	"promise_amount",
	"promise_date",
	"recording",
)
VISIT_FACTS = ("collection_case", "actual_time", "outcome", "cost", "photo", "audio")
LEGAL_TERMS = ("collection_case", "legal_type", "supplier", "amount_claimed")

ACCESS: dict[str, Rule] = {
	# Collection Cases
	"Collection Case": Rule("case"),
	"Collection Case Invoice": Rule("parent"),
	"Collection Case Reassignment": Rule("parent"),
	"Collection Case Excluded Collector": Rule("parent"),
	"Collection Case Stage Log": Rule("parent"),
	"Collection Contact Point": Rule("parent"),
	"Collection Policy": Rule("all"),
	"Collection Policy Stage": Rule("parent"),
	"Collection Settings": Rule("all"),
	"Collection Grade Policy": Rule("parent"),
	"Filtering Deadline Rule": Rule("parent"),
	"Collections Run Log": Rule("all"),
	"Collection Waiver": Rule("case", approval=("status", ("Approved",), ("collection_case", "amount"))),
	"Repayment Plan": Rule(
		"case", approval=("status", ("Approved",), ("collection_case", "installments", "reason"))
	),
	"Repayment Plan Installment": Rule("parent"),
	# Contact Conduct
	"Contact Log": Rule("case", record=CONTACT_FACTS),
	"Visit Record": Rule("case", record=VISIT_FACTS),
	"Visit Record Collector": Rule("parent"),
	"Contact Refusal": Rule("own"),
	"Contact Rule Exception": Rule("case"),
	"Contact Rule Set": Rule("all"),
	# Statements and Letters
	"Customer Statement": Rule("customer"),
	"Customer Statement Line": Rule("parent"),
	"Collection Letter": Rule("case"),
	"Collection Letter Invoice": Rule("parent"),
	"Letter Template": Rule("all"),
	# Enforcement
	"Stock Release Lock": Rule("lock"),
	"Stock Release Pass": Rule("parent"),
	"Blacklist Entry": Rule("all"),
	"Legal Action": Rule("case", approval=("approval_state", ("Pending Approval", "Approved"), LEGAL_TERMS)),
	"Legal Action Cost": Rule("parent"),
	# Intake
	"Collection Client": Rule("all"),
	"Intake Batch": Rule("all"),
	"Debt": Rule("case"),
	"Debt Repayment": Rule("parent"),
	"Collector Profile": Rule("own"),
	"Collector Profile Client": Rule("parent"),
	# Team
	"Collection Target": Rule("own"),
	"Collection Recovery": Rule("own"),  # written by the server only: every field is read-only
	"Weekly Report": Rule("own"),
	"Call Quality Review": Rule("own", writable=("contact_log",)),  # the reviewer picks the call; then fixed
	"Incentive Plan": Rule("all"),
	"Incentive Plan Tier": Rule("parent"),
	"Incentive Statement": Rule("own"),  # computed by the server: the figures are read-only
	"Incentive Statement Line": Rule("parent"),
}

EXEMPT = {"amended_from"}  # Frappe's own: an amendment names what it amends


def rule(doctype: str) -> Rule | None:
	return ACCESS.get(doctype)


def workflow_state_field(doctype: str) -> str | None:
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doctype)
	return frappe.get_cached_value("Workflow", name, "workflow_state_field") if name else None


def server_fields(doctype: str) -> list[str]:
	"""The read-only fields of a DocType that only the server writes."""
	meta = frappe.get_meta(doctype)
	keep = EXEMPT | set(ACCESS[doctype].writable) | {workflow_state_field(doctype)}
	return [
		df.fieldname
		for df in meta.fields
		if df.read_only
		and df.fieldtype not in frappe.model.no_value_fields
		and not df.fetch_from
		and df.fieldname not in keep
	] + [df.fieldname for df in meta.get_table_fields() if df.read_only and df.fieldname not in keep]


def _by_a_person(doc) -> bool:
	"""A write a person makes through the desk or the API (the server's own writes say so)."""
	return not (
		doc.flags.ignore_permissions
		or frappe.flags.in_install
		or frappe.flags.in_migrate
		or frappe.flags.in_patch
		or frappe.session.user == "Administrator"
	)


def guard(doc, method=None):
	"""Before every validation of a record of this app (doc_events "*"): the server's fields stay the
	server's, what an approval covers stays as approved, and attachments are the record's own."""
	if doc.doctype not in ACCESS or not _by_a_person(doc):
		return
	before = doc.get_doc_before_save()
	keep_server_fields(doc, before)
	keep_what_was_approved(doc, before)
	check_attachments(doc, before)


def keep_server_fields(doc, before):
	for field in server_fields(doc.doctype):
		doc.set(field, before.get(field) if before is not None else None)


def keep_what_was_approved(doc, before):
	approval = ACCESS[doc.doctype].approval
	if before is None or not approval:
		return
	state_field, states, covered = approval
	if before.get(state_field) not in states:
		return
	# what the approval covered is what was stated then: a stated term stays; an empty one may be filled
	# (a lawsuit's amount claimed, set when it is filed)
	from collections_module.guards import changed

	touched = [f for f in changed(doc, covered) if before.get(f)]
	if touched:
		labels = ", ".join(_(doc.meta.get_label(f)) for f in touched)
		frappe.throw(
			_("{0} is {1}: {2} can no longer be changed.").format(
				doc.name, _(before.get(state_field)), labels
			),
			frappe.PermissionError,
		)


def check_attachments(doc, before):
	"""A private file named in an Attach field belongs to this record, or was just uploaded by this
	person and is not yet attached anywhere: never another record's file."""
	for df in doc.meta.fields:
		if df.fieldtype not in ("Attach", "Attach Image"):
			continue
		url = doc.get(df.fieldname)
		if not url or (before is not None and before.get(df.fieldname) == url):
			continue
		if not str(url).startswith("/private/"):
			continue
		files = frappe.get_all(
			"File",
			filters={"file_url": url},
			fields=["attached_to_doctype", "attached_to_name", "owner"],
		)
		own = any(
			(f.attached_to_doctype == doc.doctype and f.attached_to_name == doc.name)
			or (not f.attached_to_name and f.owner == frappe.session.user)
			for f in files
		)
		if not own:
			frappe.throw(
				_("{0}: this file belongs to another record; attach a file of this {1}.").format(
					_(df.label), _(doc.doctype)
				),
				frappe.PermissionError,
			)


def record_facts(doctype: str) -> tuple[str, ...]:
	return ACCESS[doctype].record


def who_may_do_what() -> str:
	"""The README's table: roles × DocTypes, read / create / write / approve, from the DocTypes' own
	permissions, the record rules above and the workflows."""
	from collections_module.policy import roles

	people = [*roles.ALL, "Accounts User", "Stock User", "Sales User"]
	lines = [
		"| DocType | Records | " + " | ".join(people) + " |",
		"| --- | --- | " + " | ".join("---" for _p in people) + " |",
	]
	for doctype, r in sorted(ACCESS.items()):
		meta = frappe.get_meta(doctype)
		if meta.istable:
			continue
		approvers = set()
		name = frappe.db.get_value("Workflow", {"document_type": doctype, "is_active": 1})
		if name:
			for t in frappe.get_doc("Workflow", name).transitions:
				if t.action.startswith("Approve"):
					approvers.add(t.allowed)
		cells = []
		for role in people:
			perms = [p for p in meta.permissions if p.role == role and not p.permlevel]
			marks = "".join(
				letter
				for letter, ptype in (("R", "read"), ("C", "create"), ("W", "write"))
				if any(p.get(ptype) for p in perms)
			)
			if role in approvers:
				marks += "A"
			cells.append(marks or "-")
		lines.append(f"| {doctype} | {r.read} | " + " | ".join(cells) + " |")
	return "\n".join(lines)
