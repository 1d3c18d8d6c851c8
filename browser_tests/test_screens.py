"""Every screen as its user expects (issue 20): no permission pop-up in the middle of work, the app's
print formats, cards and reports that show the user's own figures by name, the quality loop, the
whole form in 简体中文, My Day on a phone."""

import re

from conftest import call, dialog_text, open_desk, open_form, settle, shot
from playwright.sync_api import expect
from test_journeys import VISIBLE_TEXT, ZH_CASE_CUSTOMER, desk_time, open_case_of

POP_UP = ".modal.show .modal-body"
PERMISSION = re.compile(r"permission|not permitted|PrintFormatError", re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")


def no_pop_up(page):
	"""No dialog is open, and none said anything about permissions."""
	page.wait_for_timeout(300)
	shown = page.locator(POP_UP)
	texts = [shown.nth(i).inner_text() for i in range(shown.count()) if shown.nth(i).is_visible()]
	assert not texts, texts


def test_collector_writes_a_letter_without_a_pop_up_and_prints_it(as_user):
	page = as_user("demo.collector@example.com")
	open_desk(page, "collection-letter")
	case = open_case_of(page, "Demo Bright Tiles")
	page.evaluate("([c]) => frappe.new_doc('Collection Letter', {collection_case: c})", [case])
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Collection Letter' && cur_frm.is_new()"
	)
	page.wait_for_function("() => cur_frm.doc.customer && cur_frm.doc.customer_name")  # fetched at once
	settle(page)
	no_pop_up(page)
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()")
	no_pop_up(page)
	letter = page.evaluate("() => cur_frm.doc.name")
	customer = page.evaluate("() => cur_frm.doc.customer_name")
	shot(page, "screens_collector_letter_saved")
	# the desk's print view renders the app's own format (the default), not Frappe's field dump
	open_desk(page, f"print/Collection Letter/{letter}")
	body = page.frame_locator(".print-preview-wrapper iframe.print-format-container").locator("body")
	expect(body).to_contain_text(customer, timeout=30_000)
	preview = body.inner_text()
	assert not PERMISSION.search(preview), preview[:400]
	chosen = page.locator('.print-preview-sidebar input[data-fieldname="print_format"]').first.input_value()
	assert chosen.startswith("Collection Letter"), chosen  # the app's own format is the default
	shot(page, "screens_collector_letter_print")


def test_collector_card_shows_their_own_recovered_this_month(as_user):
	page = as_user("demo.collector@example.com")
	open_desk(page, "collections")
	card = page.locator(".number-widget-box", has_text="Recovered This Month").first
	expect(card).to_be_visible()
	own = call(page, "collections_module.team.api.recovered_this_month")
	figure = card.locator(".widget-content .number").first
	expect(figure).not_to_have_text("")
	shown = figure.inner_text()
	assert "$" in shown, shown  # money, in the company's currency
	assert own["value"] > 0 and own["fieldtype"] == "Currency", own
	digits = re.sub(r"[^\d.]", "", shown)
	assert digits and float(digits) > 0, shown
	shot(page, "screens_collector_card")


def test_manager_reads_kpis_by_name_with_a_sensible_overdue_rate(as_user):
	page = as_user("demo.manager@example.com")
	open_desk(page, "query-report/Collector Performance")
	page.locator(".dt-scrollable .dt-row").first.wait_for()
	settle(page)
	report = page.locator(".report-wrapper").inner_text()
	assert not EMAIL.search(report), EMAIL.findall(report)
	data = call(page, "frappe.desk.query_report.run", report_name="Collector Performance", filters={})
	names = call(
		page,
		"frappe.client.get_list",
		doctype="User",
		filters={"name": ["like", "demo.collector%"]},
		fields=["full_name"],
	)
	for person in names:
		assert person["full_name"] in report, (person, report[:500])
	rates = [
		r.get("overdue_rate")
		for r in data["result"]
		if isinstance(r, dict) and r.get("overdue_rate") is not None
	]
	assert rates and any(0 < r < 100 for r in rates), rates  # over the whole portfolio, not 100 % for all
	assert page.locator(".chart-container, .frappe-chart").first.is_visible()
	shot(page, "screens_manager_kpis")


def test_supervisor_reviews_a_chosen_call_and_sees_who_has_not_reported(as_user):
	page = as_user("demo.supervisor@example.com")
	open_desk(page, "call-quality-review/new")
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Call Quality Review' && cur_frm.is_new()"
	)
	calls = call(
		page,
		"frappe.client.get_list",
		doctype="Contact Log",
		filters={"channel": "Phone", "recording": ["is", "set"]},
		fields=["name", "collector"],
		limit_page_length=50,
	)
	reviewed = {
		r["contact_log"]
		for r in call(page, "frappe.client.get_list", doctype="Call Quality Review", fields=["contact_log"])
	}
	chosen = next(c for c in calls if c["name"] not in reviewed)
	field = page.locator('.frappe-control[data-fieldname="contact_log"] input')
	expect(field).to_be_editable()
	page.evaluate("([v]) => cur_frm.set_value('contact_log', v)", [chosen["name"]])
	page.wait_for_function("() => cur_frm.doc.collector && cur_frm.doc.collection_case")
	expect(page.locator('.frappe-control[data-fieldname="recording_player"] audio')).to_have_count(1)
	for check in ("identity_and_debt_confirmed", "identity_disclosed", "polite_language", "no_threats"):
		page.locator(f'input[data-fieldname="{check}"][type="checkbox"]').check()
	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()")
	no_pop_up(page)
	expect(page.locator('.frappe-control[data-fieldname="score"]')).to_contain_text("57.1")  # 4 of 7
	assert page.evaluate(
		"() => cur_frm.get_field('contact_log').df.read_only || cur_frm.get_field('contact_log').df.set_only_once"
	)
	shot(page, "screens_supervisor_review")
	open_desk(page, "query-report/Weekly Report Status")
	page.locator(".dt-scrollable .dt-row").first.wait_for()
	settle(page)
	report = page.locator(".report-wrapper").inner_text()
	assert "Missing" in report and "Submitted" in report, report[:600]
	assert not EMAIL.search(report), EMAIL.findall(report)
	shot(page, "screens_supervisor_weekly_status")


# What may stay in Latin letters on a Chinese screen: data (names, ids, e-mail, money, time zones,
# grades, units) and the people's own words kept as they wrote them.
PROPER = re.compile(
	r"Demo [A-Z]\w+(?: [A-Z]\w+)*|Wind Power LLC|CASE-[\w-]+|SRL-[\w-]+|BATCH-[\w-]+|ACC-[A-Z]+-[\w-]+|"
	r"\S+@\S+|[A-Z][a-z]+/[A-Za-z_]+|IANA|Standard Ladder|Legal Track|Administrator|USD|PDF|\$|"
	r"\b[A-D] \(|\b[A-D]\b|[A-Z][a-z]+ (?:Collector|Owner|Supervisor|Manager|Admin|Warehouse)|"
	r"_CM [\w ]+|cm\.[\w.]+"
)


def chinese_screen_english(page) -> set[str]:
	"""Latin words a 简体中文 reader sees, beyond proper names and data; a follow-up written for another
	person (in their language) on the timeline is theirs to read, not this reader's."""
	texts = [
		t
		for t in page.evaluate(VISIBLE_TEXT)
		if not re.search(r" assigned .+: ", t) and "Wind Power" not in t
	]
	return {
		w.strip()
		for text in texts
		for w in re.findall(r"[A-Za-z][A-Za-z'()\[\]-]*(?: [A-Za-z'()\[\]-]+)*", PROPER.sub("", text))
		if len(w.strip()) > 2
	}


def test_chinese_collector_reads_case_my_day_and_contact_forms_in_chinese(as_user):
	page = as_user("demo.collector.zh@example.com")
	open_desk(page, "collection-case")
	open_form(page, "Collection Case", open_case_of(page, ZH_CASE_CUSTOMER))
	page.wait_for_timeout(1500)  # the overview and the timeline
	english = {"case": chinese_screen_english(page)}
	actions = page.locator(".page-actions").inner_text()
	assert "联系" in actions and "联系人" not in actions, (
		actions
	)  # "contact the debtor", not "contact person"
	shot(page, "screens_zh_case")
	open_desk(page, "my-day")
	page.locator(".my-day-table").wait_for()
	english["my day"] = chinese_screen_english(page)
	shot(page, "screens_zh_my_day")
	page.locator('.my-day-table tbody > tr button[data-action="log_call"]').first.click()
	page.wait_for_function(
		"() => window.cur_frm && cur_frm.doctype === 'Contact Log' && cur_frm.doc.collection_case"
	)
	page.keyboard.press("Escape")
	page.wait_for_timeout(1000)
	english["contact log"] = chinese_screen_english(page)
	shot(page, "screens_zh_contact_log")
	open_desk(page, "visit-record/new")
	page.wait_for_function("() => window.cur_frm && cur_frm.doctype === 'Visit Record'")
	page.keyboard.press("Escape")
	page.wait_for_timeout(800)
	english["visit record"] = chinese_screen_english(page)
	assert not any(english.values()), {k: sorted(v) for k, v in english.items() if v}


def test_collector_logs_a_call_from_my_day_on_a_phone(browser):
	from conftest import BASE_URL, PASSWORD

	context = browser.new_context(
		base_url=BASE_URL, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
	)
	try:
		page = context.new_page()
		page.set_default_timeout(30_000)
		page.goto("/login")
		status = page.evaluate(
			"""([usr, pwd]) => fetch('/api/method/login', {method: 'POST', credentials: 'same-origin',
				headers: {'Content-Type': 'application/x-www-form-urlencoded'},
				body: new URLSearchParams({usr, pwd})}).then(r => r.status)""",
			["demo.collector@example.com", PASSWORD],
		)
		assert status == 200
		open_desk(page, "my-day")
		page.locator(".my-day-table").wait_for()
		no_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
		assert page.evaluate(no_scroll), page.evaluate(
			"() => [document.documentElement.scrollWidth, window.innerWidth]"
		)
		button = page.locator('.my-day-table tbody > tr button[data-action="log_call"]').first
		expect(button).to_be_visible()
		box = button.bounding_box()
		assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
		assert page.locator('.my-day-table tbody > tr a[data-action="tel"]').count() > 0  # tap to call
		shot(page, "screens_phone_my_day")
		button.tap()
		page.wait_for_function(
			"() => window.cur_frm && cur_frm.doctype === 'Contact Log' && cur_frm.is_new() && cur_frm.doc.collection_case"
		)
		page.locator('.frappe-control[data-fieldname="outcome"] select').select_option("No Answer")
		summary = page.locator('.frappe-control[data-fieldname="summary"] textarea')
		summary.fill("Called from the road, no answer")
		summary.press("Tab")  # the form takes a typed text when the field is left
		page.wait_for_function("() => cur_frm.doc.summary")
		# yesterday 11:15 in the debtor's time zone: inside the allowed hours whenever the journey runs
		page.evaluate(
			"([v]) => cur_frm.set_value('start_time', v)", [desk_time(page, "Asia/Shanghai", -1, 11, 15)]
		)
		page.evaluate("() => { cur_frm.save(); }")
		try:
			page.wait_for_function("() => !cur_frm.is_new() && !cur_frm.is_dirty()", timeout=30_000)
		except Exception:
			shot(page, "screens_phone_save_failed")
			raise AssertionError(page.locator("body").inner_text()[:1500])
		assert page.evaluate(no_scroll), page.evaluate(
			"() => [document.documentElement.scrollWidth, window.innerWidth]"
		)
		shot(page, "screens_phone_call_logged")
	finally:
		context.close()
