"""The Collections Run Log: started, counted after every committed chunk, finished; one alert per person
for the follow-ups the run gave them; the customers it could not process."""

from datetime import date

import frappe
from frappe import _
from frappe.query_builder.functions import Count

from collections_module.collection_cases.ladder.apply import _RunUnit
from collections_module.collection_cases.ladder.model import CASE, RUN_LOG, RunReport


def _start_log(on_date: date, triggered_by: str | None, commit: bool, chunks: int) -> str:
	from frappe.utils import now_datetime

	# this run holds the run lock and no chunk job is pending: a log still "Running" is of a run that
	# was killed or crashed
	for stale in frappe.get_all(RUN_LOG, filters={"status": "Running"}, pluck="name"):
		frappe.db.set_value(
			RUN_LOG,
			stale,
			{
				"status": "Failed",
				"error_details": _("Stopped before it finished; a later run completed the work."),
			},
			update_modified=False,
		)

	# the run the button queued (shown as Queued since) is this one
	queued = frappe.get_all(RUN_LOG, filters={"status": "Queued", "run_date": on_date}, pluck="name", limit=1)
	if queued:
		frappe.db.set_value(
			RUN_LOG, queued[0], {"status": "Running", "started": now_datetime(), "chunks_planned": chunks}
		)
		name = queued[0]
	else:
		name = (
			frappe.get_doc(
				{
					"doctype": RUN_LOG,
					"run_date": on_date,
					"status": "Running",
					"started": now_datetime(),
					"triggered_by": triggered_by or frappe.session.user,
					"chunks_planned": chunks,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
	if commit:
		frappe.db.commit()
	return name


def _count_chunk(log: str, report: RunReport | None, failed: bool = False):
	"""Add one chunk's figures to the run's log, atomically (chunk jobs finish in any order). Chunks
	share no customer, so the customers not processed add up."""
	figures = dict.fromkeys(
		("cases", "follow_ups", "escalations", "locks", "letters", "reminders", "errors", "customers_failed"),
		0,
	)
	details = ""
	if report is not None:
		figures.update(
			cases=len(report.cases),
			follow_ups=sum(1 for p in report.cases if p.decision and p.decision.follow_up_due),
			escalations=sum(len(p.notify) for p in report.cases),
			locks=len(report.locks),
			letters=len(report.letters),
			reminders=len(report.reminders),
			errors=len(report.failures),
			customers_failed=len({u.customer for u in report.failed_units}),
		)
		details = "\n".join(_failure_lines(report.failed_units))
	if failed:
		figures["errors"] = 1
		details = _("A chunk of the run failed; see the Error Log. The next run does its work.")
	sets = ", ".join(f"`{f}` = ifnull(`{f}`, 0) + %({f})s" for f in figures)
	frappe.db.sql(
		f"""update `tab{RUN_LOG}` set `chunks` = ifnull(`chunks`, 0) + 1, {sets},
		`error_details` = left(concat_ws('\n', nullif(`error_details`, ''), nullif(%(details)s, '')), 10000)
		where name = %(log)s""",
		{**figures, "details": details, "log": log},
	)


def _failure_lines(units: list[_RunUnit]) -> list[str]:
	"""The Run Log's words for what failed: the customer by name, the company, what could not be done."""
	names = dict(
		frappe.get_all(
			"Customer",
			filters={"name": ["in", sorted({u.customer for u in units}) or [""]]},
			fields=["name", "customer_name"],
			as_list=True,
		)
	)
	what = {
		"Case": _("the case of {0} ({1}) could not be written"),
		"Lock": _("the stock-release lock of {0} ({1}) could not be written"),
		"Letter": _("the letter to {0} ({1}) could not be written"),
		"Legal review": _("the legal review of {0} could not be proposed"),
		"Reminder": _("the reminder to {0} for {1} could not be sent"),
	}
	return [
		what[u.kind].format(names.get(u.customer) or u.customer, u.company)
		+ "; "
		+ _("the Error Log has the cause, and the next run tries again.")
		for u in units
	]


def _tell_follow_ups(log: str):
	"""One alert per person for the follow-ups a run gave them (not one per case), with a link to My
	Day, which lists them in order."""
	started, run_by = frappe.db.get_value(RUN_LOG, log, ["started", "owner"])
	todo = frappe.qb.DocType("ToDo")
	counts = (
		frappe.qb.from_(todo)
		.select(todo.allocated_to, Count("*"))
		.where(
			(todo.reference_type == CASE)
			& (todo.status == "Open")
			& (todo.assigned_by == run_by)
			& (todo.creation >= started)
		)
		.groupby(todo.allocated_to)
		.run()
	)
	for user, n in counts:
		if user == run_by:
			continue
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"from_user": run_by,
				"type": "Assignment",
				"subject": _("The daily collections run gave you {0} new follow-ups.").format(n),
				"email_content": _("My Day lists them, the most promising first."),
				"link": "/app/my-day",
			}
		).insert(ignore_permissions=True)


def _finish_log(log: str, status: str, commit: bool, discard: bool = True):
	from frappe.utils import now_datetime

	if commit and discard:
		frappe.db.rollback()  # whatever a failure left half-done
	frappe.db.set_value(RUN_LOG, log, {"status": status, "finished": now_datetime()}, update_modified=False)
	if status == "Finished":
		_tell_follow_ups(log)
	if commit:
		frappe.db.commit()
	frappe.publish_realtime(
		"collections_run_progress",
		{"log": log, "finished": True, "description": _("Run finished")},
		doctype=RUN_LOG,
		after_commit=commit,
	)


def failures_today() -> dict:
	"""For those who read the run logs (supervisors and up): the customers today's run could not
	process, so that nobody is left uncollected in silence. Empty when there were none."""
	logs = frappe.get_all(
		"Collections Run Log",
		filters={"run_date": frappe.utils.nowdate(), "status": ["!=", "Running"]},
		fields=["name", "customers_failed"],
		order_by="creation desc",
		limit=1,
	)
	if not logs or not logs[0].customers_failed:
		return {}
	count = logs[0].customers_failed
	return {
		"count": count,
		"log": logs[0].name,
		"message": _("{0} customers could not be processed today.").format(count)
		if count != 1
		else _("1 customer could not be processed today."),
	}
