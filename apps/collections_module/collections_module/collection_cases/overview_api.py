"""Endpoints of the case overview and the case list's bulk actions: thin and typed. The overview is
read by collection_cases.overview once the reader is known to read the case; an invoice's PDF is
printed for whoever reads the case (a collector does not read Sales Invoices); the bulk actions reuse
the case's reassignment and the way the daily run drafts a collection letter, case by case."""

import frappe
from frappe import _
from frappe.utils import flt, strip_html

from collections_module.collection_cases import overview
from collections_module.policy import letters, roles

CASE = "Collection Case"
LETTER = "Collection Letter"
CASE_LEADS = {roles.SUPERVISOR, roles.MANAGER, roles.GENERAL_MANAGER, roles.OWNER, "System Manager"}
MAX_BULK = 500  # cases per bulk action (one request)


def check_case_readable(case: str):
	if not case or not frappe.db.exists(CASE, case):
		frappe.throw(_("Collection Case {0} not found.").format(case or ""), frappe.DoesNotExistError)
	if not frappe.has_permission(CASE, "read", case):
		frappe.throw(_("You cannot read collection case {0}.").format(case), frappe.PermissionError)


@frappe.whitelist()
def get_case_overview(case: str) -> dict:
	"""The 'Customer overview' of the case form: ageing, contacts and visits, promises, invoices, passes."""
	check_case_readable(case)
	return overview.case_overview(case)


@frappe.whitelist(methods=["GET"])
def invoice_pdf(case: str, invoice: str) -> None:
	"""The PDF of one of the case's Sales Invoices, for whoever reads the case: the case is the right to
	see its invoices (the print's own permission check is skipped for this one document only)."""
	check_case_readable(case)
	if not overview.is_case_invoice(case, invoice):
		frappe.throw(
			_("Sales Invoice {0} is not one of the invoices of case {1}.").format(invoice, case),
			frappe.PermissionError,
		)
	doc = frappe.get_doc("Sales Invoice", invoice)
	before = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True  # read by www/printview.get_rendered_template
	try:
		pdf = frappe.get_print("Sales Invoice", invoice, doc=doc, as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = before
	# as frappe.utils.print_format.download_pdf answers
	frappe.local.response.filename = invoice.replace(" ", "-").replace("/", "-") + ".pdf"
	frappe.local.response.filecontent = pdf
	frappe.local.response.type = "pdf"


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def collector_query(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None
) -> list:
	"""The Link search of 'Assign to Collector': enabled users with the Collector role, by full name."""
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	like = f"%{txt or ''}%"
	return (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.name, user.full_name)
		.where(
			(has_role.role == roles.COLLECTOR)
			& (user.enabled == 1)
			& user.name.notin(["Administrator", "Guest"])
			& (user.name.like(like) | user.full_name.like(like))
		)
		.distinct()
		.orderby(user.full_name)
		.limit(page_len)
		.offset(start)
		.run()
	)


def _require_lead():
	if not set(frappe.get_roles()) & CASE_LEADS:
		frappe.throw(_("Only a collection supervisor (or above) can do this."), frappe.PermissionError)


def _case_list(cases) -> list[str]:
	names = frappe.parse_json(cases) if isinstance(cases, str) else cases
	if isinstance(names, str):
		names = [names]
	names = list(dict.fromkeys(n for n in (names or []) if n))
	if not names:
		frappe.throw(_("Select at least one case."))
	if len(names) > MAX_BULK:
		frappe.throw(_("Select at most {0} cases at a time.").format(MAX_BULK))
	return names


def _each(names: list[str], act) -> list[dict]:
	"""``act(case) -> message`` for every case, each in its own savepoint: a refusal (any validation
	or permission error) undoes that case only and is reported with its reason."""
	results = []
	for name in names:
		frappe.db.savepoint("case_bulk")
		logged = len(frappe.local.message_log)
		try:
			results.append({"case": name, "done": True, "message": act(name)})
		except (frappe.ValidationError, frappe.PermissionError) as e:
			frappe.db.rollback(save_point="case_bulk")
			frappe.local.message_log = frappe.local.message_log[:logged]  # in the result, not a pop-up
			reason = strip_html(str(e)) or _("Not allowed.")
			results.append({"case": name, "done": False, "message": reason})
		else:
			frappe.db.release_savepoint("case_bulk")
	return results


@frappe.whitelist(methods=["POST"])
def assign_cases(cases: str | list, collector: str, reason: str) -> list[dict]:
	"""'Assign to Collector' on the case list: each case handed over as the form's 'Reassign' does
	(collection_case.reassign: the hand-over row with its reason, the follow-ups move with the case)."""
	from collections_module.bulk import full_names
	from collections_module.collection_cases.reassignment import reassign

	_require_lead()
	names = _case_list(cases)
	if not (reason or "").strip():
		frappe.throw(_("Give the reason for the reassignment."))
	who = full_names([collector]).get(collector) if collector else None
	if not who or roles.COLLECTOR not in frappe.get_roles(collector):
		frappe.throw(_("{0} is not a Collector.").format(who or collector or ""))
	held = {
		r.name: r
		for r in frappe.get_all(CASE, filters={"name": ["in", names]}, fields=["name", "status", "collector"])
	}

	def act(case: str) -> str:
		check_case_readable(case)
		if held[case].status == "Closed":
			frappe.throw(_("Case {0} is closed.").format(case))
		if held[case].collector == collector:  # said here by name (reassign would say it by e-mail)
			frappe.throw(_("The case is already assigned to {0}.").format(who))
		reassign(case, collector, reason)
		return _("Assigned to {0}.").format(who)

	return _each(names, act)


@frappe.whitelist(methods=["POST"])
def request_letters(cases: str | list) -> list[dict]:
	"""'Request Letters' on the case list: a draft collection letter for each case, made as the daily
	run makes one at a case's letter stage (letter_run.apply_letters); the Business Owner approves it.
	A case that is closed, owes nothing overdue or already has a letter in progress is refused."""
	_require_lead()
	names = _case_list(cases)
	language = frappe.db.get_single_value("Collection Settings", "default_letter_language") or "en"
	cases_by_name = {
		r.name: r
		for r in frappe.get_all(
			CASE, filters={"name": ["in", names]}, fields=["name", "status", "total_outstanding"]
		)
	}
	in_flight = {}
	for r in frappe.get_all(
		LETTER,
		filters={"collection_case": ["in", names], "status": ["in", list(letters.IN_FLIGHT)]},
		fields=["name", "collection_case", "status"],
		order_by="creation asc",
	):
		in_flight.setdefault(r.collection_case, r)

	def act(case: str) -> str:
		check_case_readable(case)
		row = cases_by_name[case]
		if row.status == "Closed":
			frappe.throw(_("Case {0} is closed.").format(case))
		if flt(row.total_outstanding) <= 0:
			frappe.throw(_("Case {0} has nothing overdue.").format(case))
		if case in in_flight:
			letter = in_flight[case]
			frappe.throw(_("Letter {0} is already in progress ({1}).").format(letter.name, _(letter.status)))
		doc = frappe.get_doc(
			{
				"doctype": LETTER,
				"letter_type": "Collection Letter",
				"language": language,
				"collection_case": case,
			}
		).insert()  # with the lead's own rights to create letters
		return _("Draft letter {0} created.").format(doc.name)

	return _each(names, act)
