"""Scheduled jobs of Intake (hooks.py points here)."""

from collections_module.intake import allocation


def alert_filtering_at_risk():
	"""Daily: the team lead hears of new-case filtering deadlines at risk (R-E4)."""
	allocation.alert_filtering_at_risk()


def alert_unallocated():
	"""18:00: the team lead hears of the cases still unallocated today (R-E2)."""
	allocation.alert_unallocated()
