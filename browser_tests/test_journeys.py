"""One journey per role, on the demo data, through the desk as that user would walk it."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import R_ID, call, dialog_text, open_desk, open_form, shot
from playwright.sync_api import expect

LOCKED = "Demo Redwood Builders"  # an active lock holds an order and a delivery
PROPOSED = "Demo Silver Lake Retail"  # a lock waits for the owner
ZH_CASE_CUSTOMER = "Demo Lotus Electronics"  # worked by the 简体中文 collector
# the demo's cases of demo.collector@example.com, and of the other collectors
MINE = [
	"Demo Bright Tiles",
	"Demo Pearl Textiles",
	"Demo Summit Hardware",
	LOCKED,
	"Demo Maple Kitchens",
	"Demo Orchid Pharmacy",
]
THEIRS = [
	"Demo Golden Grain",
	PROPOSED,
	"Demo Eastwind Trading",
	ZH_CASE_CUSTOMER,
	"Demo Jade Logistics",
	"Demo Cedar Print",
]


def desk_time(page, tz: str, days: int, hour: int, minute: int = 0) -> str:
	"""A datetime in the site's time zone for hour:minute in ``tz``, ``days`` from today."""
	system_tz = page.evaluate("() => frappe.boot.time_zone.system")
	today = datetime.now(ZoneInfo(system_tz)).date() + timedelta(days=days)
	moment = datetime.combine(today, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(ZoneInfo(system_tz))
	return moment.strftime("%Y-%m-%d %H:%M:%S")


def open_case_of(page, customer: str) -> str:
	"""The customer's open collection case, as the logged-in user reads it."""
	return call(
		page,
		"frappe.client.get_value",
		doctype="Collection Case",
		filters={"customer": customer, "status": ["!=", "Closed"]},
		fieldname="name",
	)["name"]


def test_warehouse_sees_the_lock_is_refused_and_finds_the_row(as_user):
	page = as_user("demo.warehouse@example.com")
	open_desk(page, "delivery-note")
	notes = call(
		page,
		"frappe.client.get_list",
		doctype="Delivery Note",
		filters={"customer": LOCKED, "docstatus": 0},
		fields=["name"],
	)
	assert notes, "the demo holds a draft Delivery Note for the locked customer"
	open_form(page, "Delivery Note", notes[0]["name"])
	expect(page.get_by_text("Stock release locked").first).to_be_visible()
	if page.evaluate("() => cur_frm.is_dirty()"):  # ERPNext fills defaults on load: save them first
		page.keyboard.press("Control+s")
		page.wait_for_function("() => !cur_frm.is_dirty()")
	submit = page.locator(".page-actions .primary-action")
	expect(submit).to_have_text("Submit")
	submit.click()
	page.locator(".modal.show .btn-primary", has_text="Yes").last.click()  # "Permanently Submit ...?"
	refusal = dialog_text(page)
	assert "is locked by Stock Release Lock" in refusal
	assert "Business Owner" in refusal
	shot(page, "warehouse_refused")
	page.keyboard.press("Escape")
	open_desk(page, "query-report/Blocked Shipments")
	row = page.locator(".dt-scrollable .dt-row", has_text=LOCKED).first
	expect(row).to_be_visible()
	text = page.locator(".layout-main-section").inner_text()
	assert "Not permitted" not in text and "No permission" not in text
	assert notes[0]["name"] in text
	shot(page, "warehouse")


def test_collector_works_my_day_and_is_held_to_the_hours(as_user):
	page = as_user("demo.collector@example.com")
	open_desk(page, "my-day")
	table = page.locator(".my-day-table")
	expect(table).to_be_visible()
	text = table.inner_text()
	assert any(c in text for c in MINE), text  # their own cases, ranked ...
	assert not any(c in text for c in THEIRS), text  # ... and only theirs
	shot(page, "collector_my_day")
	case = open_case_of(page, "Demo Bright Tiles")
	open_desk(page, f"contact-log/new?collection_case={case}")
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Contact Log' && cur_frm.doc.collection_case"
	)
	late = desk_time(page, "Asia/Shanghai", -1, 23, 0)
	page.evaluate(
		"([t]) => cur_frm.set_value({start_time: t, outcome: 'No Answer', summary: 'Called, nobody answered'})",
		[late],
	)
	page.keyboard.press("Control+s")
	refusal = dialog_text(page)
	assert "outside the allowed hours" in refusal, refusal
	shot(page, "collector_refused")
	page.keyboard.press("Escape")
	page.evaluate(
		"([t]) => cur_frm.set_value('start_time', t)", [desk_time(page, "Asia/Shanghai", -1, 10, 30)]
	)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()")
	shot(page, "collector")


def test_owner_approves_a_proposed_lock_from_the_form(as_user):
	page = as_user("demo.owner@example.com")
	open_desk(page, "stock-release-lock")
	lock = call(
		page,
		"frappe.client.get_value",
		doctype="Stock Release Lock",
		filters={"customer": PROPOSED, "status": "Proposed"},
		fieldname="name",
	)["name"]
	open_form(page, "Stock Release Lock", lock)
	page.locator(".page-actions .actions-btn-group > button").click()  # Actions
	page.locator(
		".page-actions .actions-btn-group .dropdown-menu a", has_text=re.compile("^\\s*Approve\\s*$")
	).click()
	page.wait_for_function("() => ['Approved', 'Active'].includes(cur_frm.doc.status)")
	expect(page.locator(".indicator-pill", has_text=re.compile("Approved|Active")).first).to_be_visible()
	shot(page, "owner")


def test_administrator_edits_the_ladder(as_user):
	page = as_user("demo.admin@example.com")
	open_form(page, "Collection Policy", "Standard Ladder")
	row = page.locator('.frappe-control[data-fieldname="stages"] .grid-row[data-idx="2"]')
	before = page.evaluate("() => cur_frm.doc.stages[1].cadence_days")
	row.locator('.static-area, [data-fieldname="cadence_days"]').filter(has_text=str(before)).first.click()
	cell = row.locator('input[data-fieldname="cadence_days"]')
	cell.fill(str(before + 1))
	page.keyboard.press("Control+s")
	expect(page.locator(".indicator-pill", has_text="Not Saved")).to_have_count(0)
	page.wait_for_function(
		"([v]) => !cur_frm.is_dirty() && cur_frm.doc.stages[1].cadence_days === v", arg=[before + 1]
	)
	stored = call(page, "frappe.client.get", doctype="Collection Policy", name="Standard Ladder")
	assert stored["stages"][1]["cadence_days"] == before + 1
	shot(page, "administrator")
	page.evaluate(
		"([v]) => frappe.model.set_value(cur_frm.doc.stages[1].doctype, cur_frm.doc.stages[1].name, 'cadence_days', v)",
		[before],
	)
	page.keyboard.press("Control+s")
	page.wait_for_function(
		"([v]) => !cur_frm.is_dirty() && cur_frm.doc.stages[1].cadence_days === v", arg=[before]
	)


# What may stay in Latin letters on a Chinese form: data (names, ids, e-mail, money, time zones).
DATA = re.compile(
	r"Demo [A-Z]\w+(?: [A-Z]\w+)*|CASE-[\w-]+|SRL-[\w-]+|\S+@\S+|Asia/\w+|Standard Ladder|Wind Power LLC|USD|\$|"
	r"[A-Z][a-z]+ (?:Collector|Owner|Supervisor|Manager)"
)


def test_chinese_collector_reads_the_case_in_chinese(as_user):
	page = as_user("demo.collector.zh@example.com")
	open_desk(page, "collection-case")
	case = open_case_of(page, ZH_CASE_CUSTOMER)
	open_form(page, "Collection Case", case)
	main = page.locator(".layout-main").inner_text()
	assert not R_ID.search(page.locator("body").inner_text())
	assert "催收" in main
	# the status reads as collection work, in the form's indicator and its field
	expect(page.locator(".page-head .indicator-pill").first).to_have_text("待催收")
	assert page.evaluate("() => cur_frm.fields_dict.current_stage.$wrapper.text()").find("主管") >= 0
	english = set()
	for selector in (
		".control-label",
		".section-head",
		".page-actions button",
		".indicator-pill",
		".form-dashboard",
		".grid-heading-row",
	):
		for text in page.locator(selector).all_inner_texts():
			for word in re.findall(r"[A-Za-z][A-Za-z' ]{2,}", DATA.sub("", text)):
				english.add(word.strip())
	shot(page, "zh_collector")
	assert not english, f"English left on the 简体中文 case form: {sorted(english)}"
