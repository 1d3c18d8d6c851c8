"""An intake batch's figures as its debts arrive: the import time against the SLA, the filtering
deadline (the batch's and its cases', from import), the team lead told on import (R-E1, R-E2, R-E4)."""

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, getdate, now_datetime

from collections_module.policy import filtering

DEFAULT_SLA_HOURS, DEFAULT_LIMIT_HOURS = 1, 3  # R-E1: imported within an hour of arrival, 3 at most


def import_on_time(received_at, imported_at) -> str:
	"""Met within the SLA (settings, default 1 hour), Late within the limit (default 3), else Over Limit."""
	if not (received_at and imported_at):
		return ""
	conf = frappe.get_cached_doc("Collection Settings")
	hours = (get_datetime(imported_at) - get_datetime(received_at)).total_seconds() / 3600
	if hours <= (conf.get("import_sla_hours") or DEFAULT_SLA_HOURS):
		return "Met"
	return "Late" if hours <= (conf.get("import_limit_hours") or DEFAULT_LIMIT_HOURS) else "Over Limit"


def deadline(received_at, accounts: int):
	"""The filtering deadline: received date + the days the settings' table gives a batch of this size
	(R-E4: ≤300 accounts 2 days, ≤500 3 days, never more than 4)."""
	if not received_at or not accounts:
		return None
	conf = frappe.get_cached_doc("Collection Settings")
	table = [(r.max_accounts, r.days) for r in conf.get("filtering_deadlines") or []]
	return filtering.filtering_deadline(
		getdate(received_at),
		accounts,
		table or filtering.DEFAULT_FILTERING_TABLE,
		conf.get("filtering_max_days") or filtering.MAX_FILTERING_DAYS,
	)


def debt_arrived(batch: str):
	"""A debt of the batch was saved: its figures again, set-based; the first import stamps the import
	time (the SLA) and tells the team lead."""
	count, amount = frappe.db.sql(
		"select count(*), sum(outstanding) from `tabDebt` where intake_batch = %s", batch
	)[0]
	row = frappe.db.get_value(
		"Intake Batch", batch, ["received_at", "imported_at", "team_lead", "client"], as_dict=True
	)
	values = {
		"debt_count": count,
		"total_amount": flt(amount, 2),
		"filtering_deadline": deadline(row.received_at, count),
	}
	if not row.imported_at:
		values["imported_at"] = now_datetime()
		values["import_on_time"] = import_on_time(row.received_at, values["imported_at"])
		if row.team_lead:
			from collections_module.people import notify

			notify(
				[row.team_lead],
				"Intake Batch",
				batch,
				lambda: _("Intake batch {0} from {1} is being imported; allocate its cases today.").format(
					batch, row.client
				),
			)
	frappe.db.set_value("Intake Batch", batch, values, update_modified=False)
	set_case_deadlines(batch, values["filtering_deadline"])


def set_case_deadlines(batch: str, deadline_date):
	"""Every open case of the batch's debts is filtered by the batch's deadline from its import, whether
	allocated yet or not (R-E4); a case already classed keeps the deadline it was judged by. Written
	without touching the case's modified time (the daily run tells a user's save by it)."""
	if not deadline_date:
		return
	frappe.db.sql(
		"""update `tabCollection Case` set filtering_deadline = %(deadline)s
		where status != 'Closed' and filtering_done_on is null
			and (filtering_deadline is null or filtering_deadline != %(deadline)s)
			and name in (
				select collection_case from `tabDebt`
				where intake_batch = %(batch)s and collection_case is not null
			)""",
		{"deadline": deadline_date, "batch": batch},
	)
