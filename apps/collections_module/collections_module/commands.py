"""bench commands: `bench --site S collections run --date YYYY-MM-DD [--dry-run]`."""

import click
from frappe.commands import get_site, pass_context


@click.group("collections")
def collections():
	"""Collections (催收): run the overdue ladder."""


@collections.command("run")
@click.option("--date", "on_date", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
@click.option("--dry-run", is_flag=True, default=False, help="Print what the run would do; write nothing.")
@click.option("--customer", "customers", multiple=True, help="Limit the run to these customers.")
@pass_context
def run_command(context, on_date=None, dry_run=False, customers=()):
	"""Run the daily collections ladder for a date."""
	import time

	import frappe

	from collections_module.collection_cases.ladder.jobs import run
	from collections_module.collection_cases.ladder.model import RunInProgress

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		started = time.monotonic()

		def progress(done, total):
			click.echo(f"\rwritten {done}/{total}", nl=done >= total)

		try:
			report = run(
				on_date,
				dry_run=dry_run,
				customers=list(customers) or None,
				commit=not dry_run,
				triggered_by="bench collections run",
				progress=progress,
			)
		except RunInProgress as e:
			click.echo(str(e), err=True)
			raise SystemExit(1) from e
		if dry_run:
			frappe.db.rollback()
		else:
			frappe.db.commit()
		for line in report.lines():
			click.echo(line)
		click.echo(f"took {time.monotonic() - started:.2f}s")
	finally:
		frappe.destroy()


@collections.command("statements")
@click.option("--date", "on_date", default=None, help="Run as of this date (YYYY-MM-DD); default today.")
@click.option("--dry-run", is_flag=True, default=False, help="Print what the run would do; write nothing.")
@pass_context
def statements_command(context, on_date=None, dry_run=False):
	"""Generate monthly statements (on the generation day) and follow up unconfirmed ones."""
	import frappe

	from collections_module.statements_and_letters.statement_run import run

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		for line in run(on_date, dry_run=dry_run) or ["nothing to do"]:
			click.echo(line)
		frappe.db.rollback() if dry_run else frappe.db.commit()
	finally:
		frappe.destroy()


@collections.command("rebuild-recoveries")
@click.option("--customer", "customers", multiple=True, help="Only these customers (default: all).")
@pass_context
def rebuild_recoveries_command(context, customers=()):
	"""Rebuild the recovery ledger from ERPNext's Payment Ledger and the debts' repayments (idempotent:
	safe to run again, or to stop and run again; it commits a chunk of customers at a time)."""
	import frappe

	from collections_module.integrations.erpnext.recoveries import rebuild

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.set_user("Administrator")

		def progress(done, total):
			frappe.db.commit()
			click.echo(f"{done}/{total} customers")

		result = rebuild(list(customers) or None, progress=progress)
		frappe.db.commit()
		click.echo(f"recovery rows written: {result['written']}, deleted: {result['deleted']}")
	finally:
		frappe.destroy()


@collections.command("demo")
@click.option("--remove", is_flag=True, default=False, help="Take the demo data away again.")
@pass_context
def demo_command(context, remove=False):
	"""Build a demo: customers at every stage, a lock, a dispute, promises, users per role."""
	import frappe

	from collections_module.setup import demo

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		demo.remove() if remove else demo.build()
	finally:
		frappe.destroy()


commands = [collections]
