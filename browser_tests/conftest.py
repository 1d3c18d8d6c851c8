"""Layer 3: role journeys in a real browser (Playwright driving Debian's Chromium) against the test
site served on loopback, with the demo data (`bench --site S collections demo`).

    COLLECTIONS_URL=http://collections.localhost:8000 python3 -m pytest browser_tests

run_tests.sh serves the site, builds the demo and runs these when a bench and Chromium are present.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

BASE_URL = os.environ.get("COLLECTIONS_URL", "http://collections.localhost:8000")
CHROMIUM = os.environ.get("COLLECTIONS_CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("COLLECTIONS_DEMO_PASSWORD", "Demo-Collections-2026")
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
R_ID = re.compile(r"\bR-[A-G]\d")


@pytest.fixture(scope="session")
def browser():
	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path=CHROMIUM,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-quic",
				"--no-first-run",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
			],
		)
		yield browser
		browser.close()


@pytest.fixture
def as_user(browser):
	"""as_user(email) -> a logged-in desk page for that user."""
	contexts = []

	def login(email: str) -> Page:
		context = browser.new_context(base_url=BASE_URL, viewport={"width": 1400, "height": 900})
		contexts.append(context)
		page = context.new_page()
		page.set_default_timeout(30_000)
		# Chromium resolves <site>.localhost to loopback; log in from the page itself
		page.goto("/login")
		status = page.evaluate(
			"""([usr, pwd]) => fetch('/api/method/login', {method: 'POST', credentials: 'same-origin',
				headers: {'Content-Type': 'application/x-www-form-urlencoded'},
				body: new URLSearchParams({usr, pwd})}).then(r => r.status)""",
			[email, PASSWORD],
		)
		assert status == 200, (
			f"login as {email}: HTTP {status} (is the demo built? bench --site SITE collections demo)"
		)
		return page

	yield login
	for context in contexts:
		context.close()


def settle(page: Page, timeout: int = 10_000):
	"""Let the page's requests finish. The desk's realtime client keeps retrying a socket.io server that
	`bench serve` does not run, so the network is not always idle: after ``timeout`` go on (every check
	that follows waits for what it needs to see)."""
	from playwright.sync_api import TimeoutError as PlaywrightTimeout

	try:
		page.wait_for_load_state("networkidle", timeout=timeout)
	except PlaywrightTimeout:
		pass


def open_desk(page: Page, route: str):
	"""Open a desk route and wait until the desk has booted and the page has settled."""
	page.goto(f"/app/{route}")
	page.wait_for_function("() => window.frappe && frappe.boot && !frappe.dom.freeze_count", timeout=30_000)
	settle(page)


def open_form(page: Page, doctype: str, name: str):
	open_desk(page, f"{doctype.lower().replace(' ', '-')}/{name}")
	page.wait_for_function(
		"([dt, dn]) => window.cur_frm && cur_frm.doctype === dt && cur_frm.docname === dn && cur_frm.doc.__last_sync_on",
		arg=[doctype, name],
	)
	settle(page)


def call(page: Page, method: str, **args):
	"""A whitelisted method through the desk's own client, as the logged-in user."""
	return page.evaluate("([m, a]) => frappe.xcall(m, a)", [method, args])


def dialog_text(page: Page) -> str:
	box = page.locator(".modal.show .modal-body").last
	box.wait_for()
	page.wait_for_timeout(500)  # let the dialog finish fading in (for the screenshot)
	return box.inner_text()


def shot(page: Page, name: str):
	SHOTS.mkdir(parents=True, exist_ok=True)
	page.screenshot(path=str(SHOTS / f"journey_{name}.png"), full_page=False)
