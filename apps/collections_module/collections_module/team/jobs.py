"""Scheduled jobs of Team (hooks.py points here)."""

from collections_module.team import incentives, weekly


def sample_calls():
	"""Monday: last week's call-quality sample for the supervisors (R-G2)."""
	weekly.sample_calls()


def draft_weekly_reports():
	"""Monday: a weekly report draft per active collector with last week's figures (R-G1)."""
	weekly.draft_weekly_reports()


def alert_missing_weekly_reports():
	"""Wednesday: each supervisor hears whose weekly report is missing."""
	weekly.alert_missing_weekly_reports()


def draft_incentive_statements():
	"""The 1st of the month: last month's Incentive Statements for the managers to review."""
	incentives.draft_last_month()
