"""One journey per role, on the demo data, through the desk as that user would walk it."""

import re
import warnings
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import R_ID, call, dialog_text, open_desk, open_form, settle, shot
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
	banner = page.locator(".form-message", has_text="Stock release locked").first
	expect(banner).to_be_visible()
	expect(banner).to_contain_text("Business Owner")
	shot(page, "warehouse_banner")
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
	day = call(page, "collections_module.collection_cases.api.get_my_day")
	rows = table.locator("tbody > tr")
	shown = [rows.nth(i).locator("td").nth(1).locator("b").inner_text() for i in range(rows.count())]
	assert shown == [r["customer_name"] for r in day["rows"]], shown  # the page shows the ranking
	assert [rows.nth(i).locator("td").first.inner_text() for i in range(len(shown))] == [
		str(i + 1) for i in range(len(shown))
	]
	expected = [r["expected"] for r in day["rows"]]
	assert expected == sorted(expected, reverse=True), expected  # ranked by expected recovery
	assert set(shown) <= set(MINE) and shown, shown  # their own cases ...
	assert not any(c in table.inner_text() for c in THEIRS)  # ... and only theirs
	assert {r["collector"] for r in day["rows"]} == {"demo.collector@example.com"}
	shot(page, "collector_my_day")
	# Log Call on a row opens a Contact Log for that case
	row = rows.filter(has_text="Demo Bright Tiles")
	row.locator('button[data-action="log_call"]').click()
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Contact Log' && cur_frm.is_new() && cur_frm.doc.collection_case"
	)
	assert page.evaluate("() => cur_frm.doc.collection_case") == open_case_of(page, "Demo Bright Tiles")
	page.locator('.frappe-control[data-fieldname="outcome"] select').select_option("No Answer")
	page.locator('.frappe-control[data-fieldname="summary"] textarea').fill("Called, nobody answered")
	# 23:00 in the debtor's time zone (Asia/Shanghai) yesterday: outside 08:00-21:00
	set_datetime(page, "start_time", desk_time(page, "Asia/Shanghai", -1, 23, 0))
	page.keyboard.press("Control+s")
	refusal = dialog_text(page)
	assert "outside the allowed hours" in refusal, refusal
	shot(page, "collector_refused")
	page.keyboard.press("Escape")
	page.locator(".modal.show").wait_for(state="detached")
	assert page.evaluate("() => cur_frm.is_new()")  # nothing was saved
	set_datetime(page, "start_time", desk_time(page, "Asia/Shanghai", -1, 10, 30))
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()")
	expect(page.locator(".page-head .indicator-pill").first).not_to_have_text("Not Saved")
	assert "10:30" in page.evaluate("() => cur_frm.doc.debtor_local_time")
	shot(page, "collector")


def set_datetime(page, fieldname: str, value: str):
	"""Put a datetime (system format) into a form's field and check the form shows it as the user writes it.

	Set through the form as its date picker does on a pick: this bench's air-datepicker (the npm 2.2.3
	release instead of Frappe's fork, see BENCH_NOTES.md) blanks the typed text of a Datetime field."""
	page.evaluate("([f, v]) => cur_frm.set_value(f, v)", [fieldname, value])
	typed = page.evaluate("([v]) => frappe.datetime.str_to_user(v)", [value])
	expect(page.locator(f'.frappe-control[data-fieldname="{fieldname}"] input')).to_have_value(typed)


def test_owner_approves_a_proposed_lock_from_the_form(as_user):
	page = as_user("demo.owner@example.com")
	open_desk(page, "stock-release-lock")
	lock = (
		call(
			page,
			"frappe.client.get_value",
			doctype="Stock Release Lock",
			filters={"customer": PROPOSED, "status": "Proposed"},
			fieldname="name",
		)
		or {}
	).get("name")
	assert lock, f"no proposed lock for {PROPOSED}: rebuild the demo (collections demo --remove, then demo)"
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
	expect(page.locator(".alert-message", has_text="Saved").first).to_be_visible()
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
	r"Demo [A-Z]\w+(?: [A-Z]\w+)*|CASE-[\w-]+|SRL-[\w-]+|ACC-[A-Z]+-[\w-]+|\S+@\S+|Asia/\w+|IANA|"
	r"Standard Ladder|Wind Power LLC|Administrator|USD|PDF|\$|[A-Z][a-z]+ (?:Collector|Owner|Supervisor|Manager)"
)
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'()\[\]-]*(?: [A-Za-z'()\[\]-]+)*")
# Every text a sighted user sees in the form (not tooltips kept hidden or screen-reader-only text).
VISIBLE_TEXT = """() => {
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	let node;
	while ((node = walker.nextNode())) {
		const el = node.parentElement, text = node.textContent.trim();
		if (!text || !el || el.closest(".tooltip-content, .visually-hidden, .sr-only, script, style")) continue;
		if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
		out.push(text);
	}
	return out;
}"""


def english_in(texts) -> set[str]:
	return {w.strip() for text in texts for w in ENGLISH.findall(DATA.sub("", text)) if len(w.strip()) > 2}


def test_chinese_collector_reads_the_case_in_chinese(as_user):
	page = as_user("demo.collector.zh@example.com")
	open_desk(page, "collection-case")
	case = open_case_of(page, ZH_CASE_CUSTOMER)
	open_form(page, "Collection Case", case)
	main = page.locator(".layout-main").inner_text()
	assert not R_ID.search(page.locator("body").inner_text()), R_ID.findall(page.locator("body").inner_text())
	assert "催收" in main
	# the status reads as collection work, in the form's indicator and its field
	expect(page.locator(".page-head .indicator-pill").first).to_have_text("待催收")
	assert page.evaluate("() => cur_frm.fields_dict.current_stage.$wrapper.text()").find("主管") >= 0
	shot(page, "zh_collector")
	# the form's own words: labels, sections, tabs, buttons, menus, indicators, grid headings, sidebar
	english = set()
	for selector in (
		".control-label",
		".section-head",
		".form-tabs .nav-link",
		".page-actions button",
		".indicator-pill",
		".form-dashboard",
		".grid-heading-row",
		".form-sidebar .sidebar-label",
		".page-head .title-text",
	):
		english |= english_in(page.locator(selector).all_inner_texts())
	# the rest of what is shown (the stored texts, the timeline): reported for the translators
	elsewhere = english_in(page.evaluate(VISIBLE_TEXT)) - english
	if elsewhere:
		warnings.warn(f"English elsewhere on the 简体中文 case form: {sorted(elsewhere)}", stacklevel=1)
	assert not english, f"English left on the 简体中文 case form: {sorted(english)}"


def test_team_lead_allocates_a_batch_and_follows_its_filtering(as_user):
	page = as_user("demo.supervisor@example.com")
	open_desk(page, "intake-batch")
	batch = (
		call(
			page,
			"frappe.client.get_value",
			doctype="Intake Batch",
			filters={"client": "Demo Harbour Bank"},
			fieldname=["name", "allocated", "debt_count"],
		)
		or {}
	)
	assert batch.get("name"), "no demo intake batch: rebuild the demo (collections demo --remove, then demo)"
	assert (batch["debt_count"], batch["allocated"]) == (10, 4)
	open_form(page, "Intake Batch", batch["name"])
	expect(page.locator('.frappe-control[data-fieldname="import_on_time"]')).to_contain_text("Met")
	shot(page, "team_lead_batch")

	# Allocate: a proposal for the six waiting cases, each with its reason, and every collector's load
	page.locator(".page-actions button", has_text="Allocate").click()
	text = dialog_text(page)
	assert "Allocation proposal" in page.locator(".modal.show .modal-title").last.inner_text()
	assert len(re.findall(r"Demo Debtor", text)) == 6, text
	assert "Open Cases Before" in text and "Capacity (Open Cases)" in text
	assert re.search(r"\d+ → \d+", text), text  # each case's load before and after
	shot(page, "team_lead_allocation_proposal")
	page.locator(".modal.show .btn-primary", has_text="Confirm Allocation").click()
	expect(page.locator(".desk-alert", has_text="6 cases allocated")).to_be_visible()
	page.wait_for_function("() => cur_frm.doc.allocated === 10")

	# Filtering Progress: per collector, due, done and contactable against lost, with amounts
	open_desk(page, "query-report/Filtering Progress")
	page.locator(".dt-scrollable .dt-row").first.wait_for()
	settle(page)
	report = page.locator(".report-wrapper").inner_text()
	assert "Contactable" in report and "Lost Contact" in report, report
	assert batch["name"] in report, report
	shot(page, "team_lead_filtering_progress")


def test_manager_reads_the_team_figures_a_call_review_and_a_lawsuit(as_user):
	page = as_user("demo.manager@example.com")
	# the month's KPIs per collector, against their targets, with the formulas
	open_desk(page, "query-report/Collector Performance")
	page.locator(".dt-scrollable .dt-row").first.wait_for()
	settle(page)
	report = page.locator(".report-wrapper").inner_text()
	# people by name, never by e-mail
	assert "@example.com" not in report, report
	for collector in ("demo.collector@example.com", "demo.collector2@example.com"):
		name = call(
			page,
			"frappe.client.get_value",
			doctype="User",
			filters={"name": collector},
			fieldname="full_name",
		)
		assert name and name["full_name"] in report, (name, report)
	assert "Recovery rate = received" in page.locator(".layout-main").inner_text()
	assert "30,000.00" in report  # Lin's target this month
	shot(page, "manager_collector_performance")

	review = call(
		page, "frappe.client.get_value", doctype="Call Quality Review", filters={}, fieldname="name"
	)
	assert review and review.get("name"), "no demo call review: rebuild the demo"
	open_form(page, "Call Quality Review", review["name"])
	expect(page.locator('.frappe-control[data-fieldname="score"]')).to_contain_text("85.7")
	expect(page.locator('.frappe-control[data-fieldname="comments"]')).to_contain_text("Good call")
	shot(page, "manager_quality_review")

	action = call(
		page,
		"frappe.client.get_value",
		doctype="Legal Action",
		filters={"customer": "Demo Eastwind Trading"},
		fieldname="name",
	)
	open_form(page, "Legal Action", action["name"])
	expect(page.locator(".indicator-pill", has_text="Approved").first).to_be_visible()
	expect(page.locator('.frappe-control[data-fieldname="stage"] select')).to_have_value("Filed")
	assert "evidence.pdf" in page.evaluate("() => cur_frm.doc.evidence_pack")
	shot(page, "manager_legal_action")
	# the case shows the lawsuit, and the ladder waits for it
	open_form(page, "Collection Case", open_case_of(page, "Demo Eastwind Trading"))
	expect(page.locator('.frappe-control[data-fieldname="legal_stage"]')).to_contain_text("Filed")
