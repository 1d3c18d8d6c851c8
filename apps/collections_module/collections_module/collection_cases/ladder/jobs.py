"""Job control of the daily run: the scheduler's entry, one run at a time per site (a named database
lock and the run's queued chunk jobs), chunks on the long queue or in the foreground, the scope."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_to_date, getdate, now_datetime, nowdate

from collections_module.collection_cases.ladder.model import (
	CHUNK_SIZE,
	RUN_LOCK,
	RUN_LOG,
	RunInProgress,
	RunReport,
)
from collections_module.collection_cases.ladder.plan import _run
from collections_module.collection_cases.ladder.run_log import _count_chunk, _finish_log, _start_log


def run_daily():
	"""Scheduler entry point (daily_long): today's run, planned here and written by chunk jobs on the
	long queue, so more workers finish sooner and no job's timeout limits the run."""
	settings = frappe.get_single("Collection Settings")
	if settings.disable_daily_run:
		return
	run_job(str(getdate(nowdate())), triggered_by=_("Scheduler"))


def run_job(on_date: str, triggered_by: str | None = None):
	"""A background job: the daily run for ``on_date``, its chunks queued as jobs of their own."""
	try:
		run(getdate(on_date), commit=True, triggered_by=triggered_by, background=True)
	except RunInProgress as e:
		frappe.db.rollback()
		for queued in frappe.get_all(
			RUN_LOG, filters={"status": "Queued", "run_date": on_date}, pluck="name"
		):
			frappe.db.set_value(RUN_LOG, queued, {"status": "Failed", "error_details": str(e)})
		frappe.db.commit()
		frappe.log_error(title="Collections run skipped", message=str(e))


def enqueue_run(on_date: str | None = None, triggered_by: str | None = None) -> str:
	"""Start the day's run on the long queue, shown at once as a Queued run log; refused while a run of
	the site is queued or running (one at a time)."""
	from frappe.utils.background_jobs import is_job_enqueued

	on_date = str(getdate(on_date or nowdate()))
	job_id = f"collections_run::{on_date}"
	busy = [
		log
		for log in frappe.get_all(
			RUN_LOG,
			filters={"status": ["in", ["Queued", "Running"]]},
			fields=["name", "status", "run_date", "creation"],
		)
		# a log left Running by a killed run, or Queued by a job that is gone, holds nothing
		if (log.status == "Running" and _run_in_progress())
		or (
			log.status == "Queued"
			and (
				is_job_enqueued(f"collections_run::{log.run_date}")
				or log.creation > add_to_date(now_datetime(), minutes=-10)  # its job queued on commit
			)
		)
	]
	if busy or is_job_enqueued(job_id):
		which = busy[0].name if busy else on_date
		queued = not busy or busy[0].status == "Queued"
		frappe.throw(
			(
				_("A collections run is already queued ({0}).")
				if queued
				else _("A collections run is already running ({0}).")
			).format(which)
			+ " "
			+ _("Its progress shows in the run log."),
			RunInProgress,
			title=_("Run in progress"),
		)
	log = frappe.get_doc(
		{
			"doctype": RUN_LOG,
			"run_date": on_date,
			"status": "Queued",
			"triggered_by": triggered_by or frappe.session.user,
		}
	).insert(ignore_permissions=True)
	frappe.enqueue(
		"collections_module.collection_cases.ladder.jobs.run_job",
		queue="long",
		timeout=3600,
		job_id=job_id,
		deduplicate=True,
		enqueue_after_commit=True,
		on_date=on_date,
		triggered_by=triggered_by,
	)
	return log.name


def _run_in_progress() -> bool:
	key = f"{frappe.conf.db_name}:{RUN_LOCK}"
	return not frappe.db.sql("select is_free_lock(%s)", key)[0][0] or _chunks_pending()


def workers_listening(queue: str = "long") -> int:
	"""How many background workers take jobs of ``queue`` (0: a queued run waits for one)."""
	from frappe.utils.background_jobs import get_queue, get_workers

	try:
		return len(get_workers(get_queue(queue)))
	except Exception:
		return 0


def _acquire_run_lock():
	"""One daily run at a time per site, whoever starts it (scheduler, command, button): a database
	named lock, held by this connection until released or the connection ends (a killed run frees it),
	and no earlier run's chunk jobs still queued or working."""
	key = f"{frappe.conf.db_name}:{RUN_LOCK}"
	if not frappe.db.sql("select get_lock(%s, 0)", key)[0][0] or _chunks_pending():
		frappe.db.sql("select release_lock(%s)", key)
		frappe.throw(
			_("A collections run is already running on this site. Try again when it has finished."),
			RunInProgress,
			title=_("Run in progress"),
		)
	return key


def _chunk_job_id(log: str, index: int) -> str:
	return f"collections_run_chunk::{log}::{index}"


def _chunks_pending() -> bool:
	"""True while a run written by chunk jobs has one of them queued or working. A run whose jobs are
	all gone without finishing (a worker killed) is marked stopped; the next run does its work."""
	from frappe.utils.background_jobs import is_job_enqueued

	for log in frappe.get_all(
		RUN_LOG, filters={"status": "Running", "chunks_planned": [">", 0]}, fields=["name", "chunks_planned"]
	):
		try:
			if any(is_job_enqueued(_chunk_job_id(log.name, i)) for i in range(1, log.chunks_planned + 1)):
				return True
		except Exception:  # no Redis: no job can be pending
			return False
	return False


def run(
	on_date: date | str | None = None,
	dry_run: bool = False,
	customers: list[str] | None = None,
	follow_ups: bool = True,
	reminders: bool = True,
	commit: bool = False,
	triggered_by: str | None = None,
	progress=None,
	ladders: dict | None = None,
	background: bool = False,
) -> RunReport:
	"""Plan and (unless ``dry_run``) apply the ladder for ``on_date``.

	The daily run (all customers, written) runs one at a time per site. It splits the customers into
	chunks; each chunk is planned on the ledger as it then stands, written set-based and committed, so
	a run killed at any moment keeps what it finished and the next run (the same date again) does the
	rest, doubling nothing: what was written is read back as the cases' stored state. ``background``
	queues every chunk as a job on the long queue (more workers finish sooner); otherwise the chunks
	run here, one after another, and ``progress(done, total)`` is called after each. ``commit``: commit
	each chunk (outside a request: scheduler, job, command).

	``customers`` limits the run to those customers (ledger events); ``follow_ups`` and ``reminders``
	off keep an event from creating tasks or mail, which belong to the daily run. Ledger events do not
	wait for the daily run: the database's unique keys keep one open case and one live lock per
	customer and company. ``ladders`` (policy -> stages) replaces the saved policies for a what-if dry
	run.
	"""
	on_date = getdate(on_date or nowdate())
	if customers is not None or dry_run:
		return _run(on_date, dry_run, customers, follow_ups, reminders, commit=commit, ladders=ladders)
	lock = _acquire_run_lock()
	try:
		size = int(frappe.conf.get("collections_chunk_size") or CHUNK_SIZE)
		scope = _customers_in_scope()
		chunks = [scope[i : i + size] for i in range(0, len(scope), size)]
		log = _start_log(on_date, triggered_by, commit, len(chunks))
		if background and chunks:
			for i, chunk in enumerate(chunks, 1):
				frappe.enqueue(
					"collections_module.collection_cases.ladder.jobs.run_chunk",
					queue="long",
					timeout=1800,
					job_id=_chunk_job_id(log, i),
					enqueue_after_commit=not commit,
					on_date=str(on_date),
					customers=chunk,
					log=log,
				)
			return RunReport(on_date, False)
		report = RunReport(on_date, False)
		try:
			for i, chunk in enumerate(chunks, 1):
				report.merge(_run_chunk(on_date, chunk, log, commit))
				if progress:
					progress(i, len(chunks))
		except Exception:
			_finish_log(log, "Failed", commit)
			raise
		_finish_log(log, "Finished", commit)
		return report
	finally:
		frappe.db.sql("select release_lock(%s)", lock)


def run_chunk(on_date: str, customers: list[str], log: str):
	"""A chunk job of a background run; the last one to finish closes the run's log."""
	commit = not frappe.flags.in_test
	if frappe.db.get_value(RUN_LOG, log, "status") != "Running":
		return  # a later run took over
	try:
		_run_chunk(getdate(on_date), customers, log, commit=commit)
	except Exception:
		if commit:
			frappe.db.rollback()
		frappe.log_error(title=f"Collections run: chunk from {customers[0]}")
		_count_chunk(log, None, failed=True)
	# the log's row, locked: of two chunks finishing at once, exactly one sees the run complete
	done, planned, status = frappe.db.sql(
		f"select chunks, chunks_planned, status from `tab{RUN_LOG}` where name = %s for update", log
	)[0]
	if status == "Running" and done >= planned:
		_finish_log(log, "Finished", commit, discard=False)
	elif commit:
		frappe.db.commit()


def _run_chunk(on_date: date, customers: list[str], log: str, commit: bool) -> RunReport:
	"""One chunk of the daily run: planned, written, counted in the log and committed. Cases changed by
	someone else between planning and writing are planned again once, on what was committed."""
	report = _run(on_date, False, customers, True, True, commit=commit)
	if report.stale and commit:
		frappe.db.commit()  # a fresh snapshot of what the others committed
		stale = sorted(set(report.stale))
		report.cases = [p for p in report.cases if p.customer not in stale]
		report.stale = []
		report.merge(_run(on_date, False, stale, True, False, commit=commit))
	for customer in report.stale:
		report.warnings.append(f"{customer}: changed while the run wrote it; left for the next run")
	_count_chunk(log, report)
	if commit:
		frappe.db.commit()
	frappe.publish_realtime(
		"collections_run_progress",
		{"log": log, "description": _("{0} cases written").format(len(report.cases))},
		doctype=RUN_LOG,
		after_commit=False,
	)
	return report


def _customers_in_scope() -> list[str]:
	"""Every customer the daily run may touch: an open invoice (owed, or due soon), an open case or a
	live lock."""
	rows = frappe.db.sql(
		"""select customer from `tabSales Invoice` where docstatus = 1 and outstanding_amount > 0
		union select customer from `tabCollection Case` where status != 'Closed'
		union select customer from `tabStock Release Lock` where live_key is not null
		union select customer from `tabDebt` where status = 'Open' and outstanding > 0"""
	)
	return sorted({r[0] for r in rows if r[0]})
