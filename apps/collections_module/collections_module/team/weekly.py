"""Managing the team week by week (R-G1, R-G2): the call-quality sample for the supervisors and the
collectors' weekly report drafts, both made on Monday for the week before, both safe to run again."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, get_datetime, getdate, nowdate
from frappe.utils.password import get_encryption_key

from collections_module.bulk import full_names
from collections_module.people import notify, role_holders
from collections_module.policy import roles, sampling, weekly

REVIEW = "Call Quality Review"
REPORT = "Weekly Report"


def supervisors_of(collectors: list[str]) -> dict[str, list[str]]:
	"""Each collector's supervisor (Collector Profile), else every collection supervisor."""
	named = dict(
		frappe.get_all(
			"Collector Profile",
			filters={"user": ["in", collectors or [""]], "supervisor": ["is", "set"]},
			fields=["user", "supervisor"],
			as_list=True,
		)
	)
	everyone = role_holders().get(roles.SUPERVISOR, [])
	return {c: [named[c]] if named.get(c) else everyone for c in collectors}


# --- call-quality review (R-G2) ---------------------------------------------------------------------


def sample_calls(today=None) -> int:
	"""Monday: N % (settings) of every collector's recorded calls of last week, drawn reproducibly (the
	seed is stored on each review), become Call Quality Reviews for their supervisor. A call already
	under review is not drawn twice."""
	monday, sunday = weekly.previous_week(getdate(today or nowdate()))
	settings = frappe.get_cached_doc("Collection Settings")
	percent = flt(settings.quality_sample_percent)
	if percent <= 0:
		return 0
	calls = frappe.db.sql(
		"""select name, collector, collection_case from `tabContact Log`
		where docstatus < 2 and ifnull(recording, '') != '' and ifnull(collector, '') != ''
			and start_time >= %(start)s and start_time < %(after)s""",
		{"start": monday, "after": add_days(sunday, 1)},
		as_dict=True,
	)
	if not calls:
		return 0
	by_collector: dict[str, list[str]] = {}
	for c in calls:
		by_collector.setdefault(c.collector, []).append(c.name)
	iso = monday.isocalendar()
	seed = sampling.week_seed(iso.year, iso.week, get_encryption_key())
	drawn = sampling.sample(by_collector, percent, seed, cint(settings.quality_sample_minimum or 1))
	case_of = {c.name: c.collection_case for c in calls}
	reviewers = supervisors_of(sorted(drawn))
	already = set(
		frappe.get_all(
			REVIEW,
			filters={"contact_log": ["in", [n for ids in drawn.values() for n in ids] or [""]]},
			pluck="contact_log",
		)
	)
	made, first_of = 0, {}
	for collector, ids in drawn.items():
		for name in ids:
			if name in already:
				continue
			review = frappe.get_doc(
				{
					"doctype": REVIEW,
					"contact_log": name,
					"collection_case": case_of[name],
					"collector": collector,
					"reviewer": (reviewers.get(collector) or [None])[0],
					"week_start": monday,
					"sample_seed": seed,
				}
			).insert(ignore_permissions=True)
			made += 1
			for supervisor in reviewers.get(collector, []):
				first_of.setdefault(supervisor, review.name)
	for supervisor, review in sorted(first_of.items()):
		notify(
			[supervisor],
			REVIEW,
			review,
			_("Calls of the week of {0} to review for quality.").format(monday),
			"",
		)
	return made


def acknowledge(review: str, comment: str | None = None):
	"""The collector has read the review of their call (and may answer it)."""
	doc = frappe.get_doc(REVIEW, review)
	if doc.collector != frappe.session.user:
		frappe.throw(_("Only {0} acknowledges this review.").format(doc.collector), frappe.PermissionError)
	if doc.docstatus != 1:
		frappe.throw(_("The review is not finished yet."))
	doc.db_set(
		{"acknowledged": 1, "acknowledged_on": get_datetime(), "collector_comment": (comment or "").strip()}
	)


# --- weekly report (周报) ----------------------------------------------------------------------------


def draft_weekly_reports(today=None, collectors: list[str] | None = None) -> int:
	"""Monday: a draft per active collector (or per one of ``collectors``) for last week, its figures
	filled in; made once."""
	from collections_module.team.performance import gather

	monday, sunday = weekly.previous_week(getdate(today or nowdate()))
	if collectors is None:
		collectors = frappe.get_all("Collector Profile", filters={"active": 1}, pluck="user")
	if not collectors:
		return 0
	have = set(frappe.get_all(REPORT, filters={"week_start": monday}, pluck="collector"))
	todo = [c for c in collectors if c not in have]
	if not todo:
		return 0
	figures = gather(monday, sunday).collectors
	worked = dict(
		frappe.db.sql(
			"""select collector, count(distinct collection_case) from `tabContact Log`
			where docstatus < 2 and start_time >= %(start)s and start_time < %(after)s group by collector""",
			{"start": monday, "after": add_days(sunday, 1)},
		)
	)
	reviewers = supervisors_of(todo)
	for collector in todo:
		f = figures.get(collector)
		report = frappe.get_doc(
			{
				"doctype": REPORT,
				"collector": collector,
				"supervisor": (reviewers.get(collector) or [None])[0],
				"week_start": monday,
				"week_end": sunday,
				"cases_worked": worked.get(collector, 0),
				"contacts": f.contacts if f else 0,
				"effective_contacts": f.effective_contacts if f else 0,
				"promises_made": f.promises_made if f else 0,
				"received": f.received if f else 0,
				"refusals": f.refusals if f else 0,
			}
		).insert(ignore_permissions=True)
		notify(
			[collector],
			REPORT,
			report.name,
			_("Your weekly report for the week of {0} is ready for your notes and next week's plan.").format(
				monday
			),
			"",
		)
	return len(todo)


def missing_weekly_reports(today=None) -> dict[str, list[str]]:
	"""Supervisor -> the collectors who have not submitted last week's report."""
	monday, _sunday = weekly.previous_week(getdate(today or nowdate()))
	collectors = frappe.get_all("Collector Profile", filters={"active": 1}, pluck="user")
	submitted = frappe.get_all(REPORT, filters={"week_start": monday, "docstatus": 1}, pluck="collector")
	late = weekly.missing_reports(collectors, submitted)
	out: dict[str, list[str]] = {}
	for collector, supervisors in supervisors_of(late).items():
		for s in supervisors:
			out.setdefault(s, []).append(collector)
	return out


def alert_missing_weekly_reports():
	"""Wednesday: each supervisor hears who has not sent last week's report."""
	monday, _sunday = weekly.previous_week(getdate(nowdate()))
	drafts = dict(
		frappe.get_all(
			REPORT, filters={"week_start": monday, "docstatus": 0}, fields=["collector", "name"], as_list=True
		)
	)
	missing = missing_weekly_reports()
	names = full_names({c for late in missing.values() for c in late})
	for supervisor, late in missing.items():
		notify(
			[supervisor],
			REPORT,
			next((drafts[c] for c in late if c in drafts), None),
			_("Weekly reports not submitted yet: {0}.").format(", ".join(names.get(c, c) for c in late)),
			"",
		)


SUBMITTED, DRAFT, MISSING = "Submitted", "Draft", "Missing"


def report_status(monday) -> list[frappe._dict]:
	"""Who owes the weekly report of the week starting ``monday``: every active collector, and whoever
	has a report for that week. Each with their team, supervisors (the report's, else the profile's,
	else every supervisor: ``named`` says which), status (Submitted, Draft or Missing), report and when
	it was submitted (nothing of a submitted report changes after, so its last change is that)."""
	reports: dict[str, frappe._dict] = {}
	for r in frappe.get_all(
		REPORT,
		filters={"week_start": getdate(monday), "docstatus": ["<", 2]},
		fields=["name", "collector", "supervisor", "docstatus", "modified"],
		order_by="docstatus desc, modified desc",
	):
		reports.setdefault(r.collector, r)  # a submitted report first, else the latest draft
	active = frappe.get_all("Collector Profile", filters={"active": 1}, pluck="user")
	collectors = sorted(set(active) | set(reports))
	profiles = {
		p.user: p
		for p in frappe.get_all(
			"Collector Profile",
			filters={"user": ["in", collectors or [""]]},
			fields=["user", "team", "supervisor"],
		)
	}
	reviewers = supervisors_of(collectors)
	rows = []
	for collector in collectors:
		report, profile = reports.get(collector), profiles.get(collector) or frappe._dict()
		status = MISSING if not report else SUBMITTED if report.docstatus == 1 else DRAFT
		named = (report and report.supervisor) or profile.supervisor
		rows.append(
			frappe._dict(
				collector=collector,
				team=profile.team or "",
				supervisors=[named] if named else reviewers.get(collector, []),
				named=bool(named),
				status=status,
				weekly_report=report.name if report else None,
				submitted_on=report.modified if status == SUBMITTED else None,
			)
		)
	return rows
