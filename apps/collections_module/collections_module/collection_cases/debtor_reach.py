"""Where My Day may reach a case's debtor: the phone for a tel: link and the e-mail for the composer,
never a do-not-contact point's."""

from collections import defaultdict

import frappe

from collections_module.policy import contact_rules as cr
from collections_module.policy.identity import normalise_phone, split_phones

# The debtor's contact points of a case, the customer's own mobile and e-mail (ERPNext's, from its
# primary contact), and the phones of the debts a client handed in on the case: one query, best first.
REACH_QUERY = """
	select cp.parent as case_name, 0 as source, cp.idx as idx, cp.contact_name, cp.relation, cp.flag,
		cp.phone, cp.email
	from `tabCollection Contact Point` cp
	where cp.parenttype = 'Collection Case' and cp.parentfield = 'contact_points' and cp.parent in %(names)s
	union all
	select c.name, 1, 0, null, null, null, cu.mobile_no, cu.email_id
	from `tabCollection Case` c join `tabCustomer` cu on cu.name = c.customer
	where c.name in %(names)s
	union all
	select d.collection_case, 2, 0, null, null, null, d.phones, null
	from `tabDebt` d where d.collection_case in %(names)s and ifnull(d.phones, '') != ''
	order by case_name, source, idx"""


def debtor_reach(names: list[str]) -> dict[str, dict]:
	"""For each case, the debtor's phone and e-mail My Day offers (a tel: link, the e-mail composer):
	the case's contact points of the debtor (relation Debtor, or none given) — Normal before Sensitive,
	in the table's order — then the customer's mobile and e-mail, then the phones of the debts handed
	in on the case. A point marked Do Not Contact is never offered, nor a number or address it lists.
	``phone_contact`` names the contact point the phone is from (for the Contact Log), if any."""
	out = {n: {"phone": None, "email": None, "phone_contact": None, "phone_relation": None} for n in names}
	found = defaultdict(list)
	for r in frappe.db.sql(REACH_QUERY, {"names": names}, as_dict=True):
		found[r.case_name].append(r)
	for name, points in found.items():
		barred = [p for p in points if p.flag == cr.DO_NOT_CONTACT]
		barred_phones = {normalise_phone(n) for p in barred for n in split_phones(p.phone)}
		barred_emails = {(p.email or "").strip().lower() for p in barred}
		usable = sorted(
			(p for p in points if p.flag != cr.DO_NOT_CONTACT and (p.relation or "Debtor") == "Debtor"),
			key=lambda p: (p.flag == cr.SENSITIVE, p.source, p.idx),
		)
		phone = next(
			(
				(number, p)
				for p in usable
				for number in split_phones(p.phone)
				if normalise_phone(number) and normalise_phone(number) not in barred_phones
			),
			None,
		)
		if phone:
			number, p = phone
			out[name].update(
				phone=number, phone_contact=p.contact_name, phone_relation=p.relation or "Debtor"
			)
		out[name]["email"] = next(
			(
				p.email.strip()
				for p in usable
				if (p.email or "").strip() and p.email.strip().lower() not in barred_emails
			),
			None,
		)
	return out
