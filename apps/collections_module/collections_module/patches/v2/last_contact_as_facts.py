"""The case's last contact was stored as one English sentence ("Phone (No Answer) [late entry]: ...");
it is now its facts (channel, outcome, entered late) and the person's own words, read from the latest
contact log of each case (set-based)."""

import frappe


def execute():
	frappe.db.sql(
		"""
		update `tabCollection Case` c
		join `tabContact Log` l on l.name = (
			select l2.name from `tabContact Log` l2 where l2.collection_case = c.name and l2.docstatus < 2
			order by l2.start_time desc limit 1
		)
		set c.last_contact_channel = l.channel, c.last_contact_outcome = l.outcome,
			c.last_contact_late = ifnull(l.late_entry, 0), c.last_contact_summary = left(ifnull(l.summary, ''), 500)
		where c.last_contact_on is not null
		"""
	)
