"""Who a debtor is: blacklist matching (R-G4) and a Customer name that tells namesakes apart (R-G5).

A blacklist entry names a customer, an ID number or a phone number; a debtor handed over by a client
matches it by any of them. ID numbers and phones are compared in a normal form, so '110101 19900307
123x' is the ID '11010119900307123X' and '+86 138-0013-8000', '0086 13800138000' and '13800138000'
are one phone. Only entries in force match: approved (or awaiting removal), started and not expired
on the day asked about.

A debtor becomes an ERPNext Customer named after them. When another customer already has that name
the new one gets the last four characters of the ID number, '张三 (ID …1234)', else a number,
'张三 (2)' — never the client's account number, which is not for every desk user to read.
"""

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from collections_module.policy import stock_lock as sl

MIN_PHONE_DIGITS = 5  # shorter numbers (extensions, typos) never match
ID_TAIL = 4  # characters of the ID number shown to tell namesakes apart
BY_CUSTOMER, BY_ID_NUMBER, BY_PHONE = "customer", "ID number", "phone"


@dataclass(frozen=True)
class Entry:
	"""A blacklist entry, as Blacklist Entry stores it; ``phone`` may hold several numbers."""

	name: str = ""
	customer: str | None = None
	id_number: str | None = None
	phone: str | None = None
	status: str = sl.BL_ACTIVE
	start_date: date | None = None
	expiry_date: date | None = None


@dataclass(frozen=True)
class Debtor:
	"""What is known of a debtor: its customer (once it has one), ID number and phones (a list, or a
	text of several numbers as Debt.phones holds them)."""

	customer: str | None = None
	id_number: str | None = None
	phones: "tuple[str, ...] | str" = ()


def _get(obj, key: str):
	"""A field of a dataclass, a row object or a dict (frappe._dict rows are both)."""
	return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)


def _text(value) -> str:
	return unicodedata.normalize("NFKC", str(value or ""))  # full-width digits and letters folded


def normalise_id(id_number) -> str:
	"""Spaces and dashes dropped, upper case (the check character X)."""
	return re.sub(r"[\s\-\u2010-\u2015]", "", _text(id_number)).upper()


def normalise_phone(phone) -> str:
	"""Digits only, without China's country code (+86, 0086, or 86 before a mobile number); a landline
	given with the country code gets its trunk 0 back: '+86 10 6552 9988' -> '01065529988'."""
	text = _text(phone).strip()
	digits = re.sub(r"\D", "", text)
	if digits.startswith("0086"):
		rest = digits[4:]
	elif digits.startswith("86") and (text.startswith("+") or (len(digits) == 13 and digits[2] == "1")):
		rest = digits[2:]
	else:
		return digits
	mobile = len(rest) == 11 and rest.startswith("1")
	return rest if mobile or rest.startswith("0") else f"0{rest}"


def split_phones(phones) -> list[str]:
	"""The numbers of a list or of a text separated by commas, semicolons, slashes or new lines."""
	if phones is None:
		return []
	items = re.split(r"[,;/|\n、，；]+", _text(phones)) if isinstance(phones, str) else list(phones)
	return [p.strip() for p in items if p and str(p).strip()]


def _phones(phones) -> set[str]:
	return {n for n in map(normalise_phone, split_phones(phones)) if len(n) >= MIN_PHONE_DIGITS}


def in_force(entry, on_date: date | None = None) -> bool:
	"""Approved (or awaiting removal) and, when ``on_date`` is given, started and not expired that day.
	An entry without a status is taken as approved (the caller chose the rows)."""
	status = _get(entry, "status") or sl.BL_ACTIVE
	if on_date is None:
		return status in (sl.BL_ACTIVE, sl.BL_REMOVAL_PROPOSED)
	return sl.blacklist_in_force(status, _get(entry, "start_date"), _get(entry, "expiry_date"), on_date)


def matched_by(entry, debtor) -> tuple[str, ...]:
	"""Which of the entry's keys the debtor has: customer, ID number, phone (dates not considered)."""
	found = []
	customer = (_get(entry, "customer") or "").strip()
	if customer and customer == (_get(debtor, "customer") or "").strip():
		found.append(BY_CUSTOMER)
	id_number = normalise_id(_get(entry, "id_number"))
	if id_number and id_number == normalise_id(_get(debtor, "id_number")):
		found.append(BY_ID_NUMBER)
	if _phones(_get(entry, "phone")) & _phones(_get(debtor, "phones")):
		found.append(BY_PHONE)
	return tuple(found)


def matches(entries: Iterable, debtor, on_date: date | None = None) -> list:
	"""The entries in force (on ``on_date``, when given) that the debtor matches by any key, in the
	order given. Entries and debtor may be dataclasses, row objects or dicts."""
	return [e for e in entries if in_force(e, on_date) and matched_by(e, debtor)]


# --- a Customer name for a debtor --------------------------------------------------------------------


def _squash(text) -> str:
	return " ".join(_text(text).split())


def _key(name: str) -> str:
	"""Names compare as the database does: case and spacing aside."""
	return _squash(name).casefold()


def customer_name_for(
	debtor_name: str, id_number: str | None, taken_names: Iterable[str], avoid: Iterable[str] = ()
) -> str:
	"""A Customer name for the debtor that no name of ``taken_names`` already has (case and spacing
	aside): the debtor's name; else with the last characters of the ID number, '张三 (ID …1234)'; else
	numbered, '张三 (2)'. It never contains a string of ``avoid`` (the client's account number): one
	in the debtor's name is taken out of it."""
	banned = [b for b in map(_squash, avoid) if any(ch.isalnum() for ch in b)]
	name = _squash(debtor_name)
	while found := next((b for b in banned if b in name), None):  # each pass shortens the name
		name = _squash(name.replace(found, " "))
	if not name:
		raise ValueError("A debtor needs a name (other than the account number).")
	taken = {_key(t) for t in taken_names if t}

	def free(candidate: str) -> bool:
		return _key(candidate) not in taken and not any(b in candidate for b in banned)

	tail = normalise_id(id_number)[-ID_TAIL:]
	candidates = itertools.chain(
		[name, f"{name} (ID …{tail})"] if len(tail) == ID_TAIL else [name],
		(
			f"{name} {form.format(n)}"
			for form in ("({})", "[{}]", "#{}")
			for n in range(2, len(taken) + 1_002)
		),
	)
	chosen = next((c for c in candidates if free(c)), None)
	if chosen is None:
		raise ValueError(f"No free customer name for {name}.")
	return chosen
