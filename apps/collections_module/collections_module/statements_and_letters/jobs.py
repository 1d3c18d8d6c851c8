"""Scheduled jobs of Statements and Letters (hooks.py points here)."""

from collections_module.statements_and_letters import statement_run


def run_statements():
	"""Daily: the statement cycle (generation on its day, follow-up of sent statements) (R-A1..R-A3)."""
	statement_run.run_daily()
