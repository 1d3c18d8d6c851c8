"""Scheduled jobs of Enforcement (hooks.py points here)."""

from collections_module.enforcement import locks


def expire_blacklist_entries():
	"""Daily: blacklist listings past their expiry date end (status Expired) (R-G4)."""
	locks.expire_blacklist_entries()
