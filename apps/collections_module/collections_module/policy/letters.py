"""A letter in flight against the amount owed (R-B8, R-C10: never misstate the amount owed): what
the owner approves and what is issued state what the customer owes on that day."""

KEEP = "keep"
WITHDRAW = "withdraw"  # nothing is owed any more: the letter is not sent
REFRESH = "refresh"  # the amount changed: restated, and approved again

IN_FLIGHT = ("Draft", "Pending Approval", "Approved")


def letter_verdict(stated: float, owed: float, case_open: bool, tolerance: float = 0.005) -> str:
	if not case_open or owed <= tolerance:
		return WITHDRAW
	if abs(round(stated or 0, 2) - round(owed, 2)) > tolerance:
		return REFRESH
	return KEEP


def status_after_refresh(status: str) -> str:
	"""An approved letter whose amount changed goes back to the owner; a draft stays a draft."""
	return "Pending Approval" if status == "Approved" else status
