"""Who a debtor is (R-G4, R-G5): blacklist matching by customer, ID number or phone, and a Customer
name for a namesake that never shows the client's account number."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from collections_module.policy import identity as idn
from collections_module.policy.identity import Debtor, Entry, customer_name_for, matches

TODAY = date(2026, 6, 1)
ID = "11010119900307123X"


def test_normal_forms():
	assert idn.normalise_id(" 110101 19900307-123x ") == ID
	assert idn.normalise_id("１１０１０１１９９００３０７１２３ｘ") == ID  # full-width
	for phone in (
		"+86 138-0013-8000",
		"0086 13800138000",
		"8613800138000",
		"(138) 0013 8000",
		"+86１３８00138000",
	):
		assert idn.normalise_phone(phone) == "13800138000", phone
	assert idn.normalise_phone("+86 10 6552 9988") == idn.normalise_phone("010-6552-9988") == "01065529988"
	assert idn.normalise_phone("+86 (0)21 6552 9988") == "02165529988"
	assert idn.normalise_phone("6552 9988") == "65529988"  # no country code: left alone
	assert idn.split_phones("138 0013 8000, 139-1234-5678；010-1234567\n") == [
		"138 0013 8000",
		"139-1234-5678",
		"010-1234567",
	]
	assert idn.split_phones(None) == [] and idn.split_phones(["1", " "]) == ["1"]


def test_blacklist_by_id_number_matches_debtor():
	entry = Entry("BL-1", id_number="110101-19900307-123x")
	other = Entry("BL-2", id_number="110101199003071230")
	debtor = Debtor(id_number=" 11010119900307123X")
	assert matches([entry, other], debtor) == [entry]
	assert idn.matched_by(entry, debtor) == ("ID number",)
	assert matches([entry], Debtor()) == []  # no ID number: nothing to compare
	assert matches([Entry(id_number="")], Debtor(id_number="")) == []


def test_blacklist_by_phone_matches_normalised():
	entry = Entry("BL-3", phone="+86 138-0013-8000")
	debtor = Debtor(phones="010-1234-5678, 8613800138000")  # as Debt.phones holds them
	assert matches([entry], debtor) == [entry]
	assert idn.matched_by(entry, debtor) == ("phone",)
	assert matches([entry], Debtor(phones=["139 0000 0000"])) == []
	assert matches([Entry(phone="110")], Debtor(phones=["110"])) == []  # too short to tell anyone apart


def test_blacklist_by_customer_and_rows_as_dicts():
	row = {
		"name": "BL-4",
		"customer": "ACME Ltd",
		"status": "Active",
		"start_date": None,
		"expiry_date": None,
	}
	debtor = {"customer": "ACME Ltd", "id_number": ID, "phones": ""}
	assert matches([row], debtor, TODAY) == [row]
	both = Entry("BL-5", customer="ACME Ltd", id_number=ID)
	assert idn.matched_by(both, debtor) == ("customer", "ID number")


def test_expired_entry_does_not_match():
	debtor = Debtor(id_number=ID)
	expired = Entry("BL-6", id_number=ID, start_date=date(2025, 1, 1), expiry_date=date(2026, 5, 31))
	not_yet = Entry("BL-7", id_number=ID, start_date=date(2026, 6, 2))
	active = Entry("BL-8", id_number=ID, start_date=date(2026, 1, 1), expiry_date=TODAY)
	removal_proposed = Entry("BL-9", id_number=ID, status="Removal Proposed")
	removed = Entry("BL-10", id_number=ID, status="Removed")
	proposed = Entry("BL-11", id_number=ID, status="Proposed")
	marked_expired = Entry("BL-12", id_number=ID, status="Expired")
	entries = [expired, not_yet, active, removal_proposed, removed, proposed, marked_expired]
	assert matches(entries, debtor, TODAY) == [active, removal_proposed]
	# without a day, the status alone decides
	assert matches(entries, debtor) == [expired, not_yet, active, removal_proposed]


# --- a Customer name for a debtor ---------------------------------------------------------------------


def test_same_name_debtor_never_gets_account_number():
	account = "6222020200112345678"
	assert customer_name_for("张三", ID, set(), avoid=[account]) == "张三"
	assert customer_name_for("张三", ID, {"张三"}, avoid=[account]) == "张三 (ID …123X)"
	assert customer_name_for("张三", None, {"张三"}, avoid=[account]) == "张三 (2)"
	assert customer_name_for("张三", "", {"张三", "张三 (2)"}) == "张三 (3)"
	assert customer_name_for("张三", ID, {"张三", "张三 (ID …123X)"}) == "张三 (2)"
	# the ID's tail would show a (short) account number: numbered instead
	assert customer_name_for("张三", "110101199003075678", {"张三"}, avoid=["5678"]) == "张三 (2)"
	assert customer_name_for("张三", None, {"张三"}, avoid=["2"]) == "张三 (3)"
	# names compare as the database does: case and spacing aside
	assert customer_name_for(" John  Smith ", None, {"john smith"}) == "John Smith (2)"
	# an account number the client put in the name is taken out of it
	assert customer_name_for(f"张三 {account}", None, set(), avoid=[account]) == "张三"
	with pytest.raises(ValueError):
		customer_name_for("  ", ID, set())
	with pytest.raises(ValueError):
		customer_name_for(account, ID, set(), avoid=[account])


names = st.sampled_from(["张三", "李四", "王五", "John Smith", "Ann"])
digits = st.text("0123456789", min_size=4, max_size=19)


@given(
	names,
	st.one_of(st.none(), st.just(""), st.text("0123456789Xx -", max_size=20)),
	digits,
	st.lists(st.one_of(names, st.builds(lambda n, k: f"{n} ({k})", names, st.integers(2, 12))), max_size=30),
	st.lists(st.builds(lambda n, t: f"{n} (ID …{t})", names, st.text("0123456789X", min_size=4, max_size=4))),
)
def test_customer_name_is_free_and_never_shows_the_account_number(name, id_number, account, taken, id_taken):
	taken = set(taken) | set(id_taken) | {name}  # a namesake exists
	assume(account not in name)
	result = customer_name_for(name, id_number, taken, avoid=[account])
	assert result not in taken
	assert result.casefold() not in {t.casefold() for t in taken}
	assert account not in result
	assert result.startswith(name)
