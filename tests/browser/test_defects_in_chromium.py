"""What trying the app in Chromium found (issue 14, item 7), held in Chromium: dashboards that fit
a 1280 px screen and a phone, a draft deleted with the keyboard alone, an amount typed in Italian;
axe-core finds nothing on the pages changed."""

from __future__ import annotations

import re

import pytest
from livesite import AXE_JS, DESKTOP, PHONE, readable, run_axe
from test_keyboard_and_phone import FOCUSED, tab_to

pytestmark = pytest.mark.xdist_group("browser")


def test_the_call_dashboard_fits_1280_px_and_its_funnel_fits_a_phone(as_user, site):
    page = as_user(site.officer, viewport=DESKTOP)
    page.context.add_init_script(path=str(AXE_JS))
    page.goto(f"{site.base}/dashboard/calls/{site.call}")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('table.figures')].map(t => {
             const box = t.closest('.table-wrap');
             return box.scrollWidth - box.clientWidth;
           })"""
    )
    assert cut and max(cut) <= 1, f"a figures table scrolls sideways at 1280 px: {cut}"
    assert not (violations := run_axe(page)), readable(violations)

    phone = as_user(site.officer, viewport=PHONE)
    phone.goto(f"{site.base}/dashboard/calls/{site.call}")
    counts = phone.evaluate(
        """() => [...document.querySelectorAll('figure.funnel svg g text:last-of-type')]
                   .map(t => t.getBoundingClientRect().right)"""
    )
    width = phone.evaluate("document.documentElement.clientWidth")
    assert counts and max(counts) <= width, f"funnel counts beyond {width}px: {counts}"


def test_the_applicant_dashboard_passes_axe(as_user, site):
    page = as_user(site.lead)
    page.context.add_init_script(path=str(AXE_JS))
    page.goto(f"{site.base}/dashboard/applicant")
    assert not (violations := run_axe(page)), readable(violations)


def test_a_lead_creates_then_deletes_a_draft_with_the_keyboard(as_user, site):
    page = as_user(site.lead)
    page.context.add_init_script(path=str(AXE_JS))
    page.goto(f"{site.base}/applications/new?call_id={site.call}")
    page.fill("#title", "Keyboard draft")
    with page.expect_navigation():
        page.press("#title", "Enter")
    draft_url = page.url
    assert re.search(r"/applications/\d+$", draft_url)
    # Back, then Create again: the same draft, not a twin
    page.go_back()
    if page.input_value("#title") != "Keyboard draft":
        page.fill("#title", "Keyboard draft")
    with page.expect_navigation():
        page.press("#title", "Enter")
    assert page.url == draft_url
    assert "already created" in page.locator(".flashes").inner_text()

    page.keyboard.press("Home")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    tab_to(page, lambda f: (f["href"] or "").endswith("/delete"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == draft_url + "/delete"
    assert not (violations := run_axe(page)), readable(violations)
    tab_to(page, lambda f: f["form"] == "delete-draft" and f["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/applications")
    assert "Keyboard draft" in page.locator(".flashes").inner_text()
    assert page.evaluate(FOCUSED)["tag"] == "body"


def test_an_italian_amount_is_typed_as_the_page_shows_it(as_user, site):
    page = as_user(site.lead_it, locale="it-IT")
    page.context.add_cookies([{"name": "language", "value": "it", "url": site.base}])
    page.goto(f"{site.base}/applications/new?call_id={site.measure}")
    page.fill("#title", "Importo all'italiana")
    page.fill("#requested_amount", "150.000,50")
    with page.expect_navigation():
        page.press("#requested_amount", "Enter")
    assert re.search(r"/applications/\d+$", page.url), page.locator("main").inner_text()[:500]
    assert "150.000,50" in page.locator("main").inner_text()


def test_a_coordinator_searches_for_a_person_with_the_keyboard(as_user, site):
    page = as_user(site.coordinator)
    page.context.add_init_script(path=str(AXE_JS))
    page.goto(f"{site.base}/communities/{site.community}")
    # nobody is listed before a search: there may be thousands
    assert page.locator("#user_id option").count() == 1
    tab_to(page, lambda f: f["name"] == "member_q")
    page.keyboard.type(site.steel)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#user_id option").count() == 2
    assert "1 match for" in page.locator("p.hint[role=status]").inner_text()
    tab_to(page, lambda f: f["name"] == "user_id")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#user_id") != ""
    assert not (violations := run_axe(page)), readable(violations)

    # someone already in is said to be, instead of "nothing matches"
    page.fill("#member-q", site.lead)
    with page.expect_navigation():
        page.press("#member-q", "Enter")
    assert "Already in:" in page.locator("#user_id option").first.inner_text()
