"""Keyboard only, and a phone-sized screen.

- Logging in and moving an application on (a committee member admits it) take Tab and Enter
  only, starting from the top of the page; the focused element is always visibly outlined.
- At 390x844 CSS pixels (a phone) the main pages of each kind of person fit the width: nothing
  makes the page scroll sideways (wide tables and diagrams scroll inside their own box, which
  the keyboard reaches), and axe-core finds nothing there either.
"""

from __future__ import annotations

import pytest
from livesite import AXE_JS, PHONE, no_sideways_scroll, readable, run_axe

# one Chromium and one live site per worker: the browser tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), name: el.getAttribute('name'), type: el.getAttribute('type'),
    form: el.form ? el.form.id : null, href: el.getAttribute('href'),
    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
  };
}"""


def tab_to(page, wanted, most: int = 120) -> dict:
    """Press Tab until ``wanted(focused)`` holds; every stop on the way must show its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] != "body":
            assert focused["outlined"], f"no visible focus on {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"not reached with {most} presses of Tab")


def test_log_in_and_admit_with_the_keyboard_only(as_user, site):
    page = as_user(None)
    page.goto(f"{site.base}/registry")
    # the first stop is the skip link, shown when focused; it leads to the content
    first = tab_to(page, lambda f: True, most=1)
    assert first["href"] == "#main"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0
    tab_to(page, lambda f: f["href"] == "/login")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # the login form puts the cursor in the email field
    if page.evaluate(FOCUSED)["name"] != "email":
        tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(site.reviewer)
    tab_to(page, lambda f: f["name"] == "password", most=1)
    page.keyboard.type(site.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url

    page.goto(f"{site.base}/applications/{site.to_admit}")
    state_before = page.locator(".page-head .badge").inner_text()
    # first the declaration the page asks for (issue 14): "no conflict", by keyboard too
    tab_to(page, lambda f: f["name"] == "conflict")
    page.keyboard.press("Space")
    assert page.locator("input[name=conflict][value=no]").is_checked()
    tab_to(page, lambda f: f["form"] == "declaration-form" and f["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#declaration").count() == 0
    tab_to(page, lambda f: f["form"] == "t-admit" and f["type"] == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/applications/{site.to_admit}")
    assert page.locator(".page-head .badge").inner_text() != state_before
    assert page.locator("#t-admit").count() == 0  # admitted: no longer offered
    assert page.locator("#review-form").count() == 1


PHONE_PAGES = {
    "visitor": ["/", "/login", "/registry", "/workflows", "/workflows/value_chain", "/calls"],
    "lead": ["/", "/applications", "/applications/{submitted}",
             "/applications/new?call_id={call}", "/proposals/{proposal}", "/notifications"],
    "lead_it": ["/applications/{draft}"],
    "reviewer": ["/", "/applications/{under_evaluation}"],
    "officer": ["/", "/applications", "/applications/{recognised}", "/calls/{call}",
                "/calls/{measure}", "/applications/{support}", "/organisations", "/calls/new"],
    "coordinator": ["/", "/communities", "/communities/{community}", "/proposals"],
}  # fmt: skip


@pytest.mark.parametrize("who", list(PHONE_PAGES))
def test_main_pages_fit_a_phone_screen(as_user, site, who):
    """...and pass axe there too: a table that scrolls sideways must be reachable by keyboard."""
    page = as_user(None if who == "visitor" else getattr(site, who), viewport=PHONE)
    page.context.add_init_script(path=str(AXE_JS))
    paths = [p.format(**vars(site)) for p in PHONE_PAGES[who]]
    paths += [path for reader, path in site.dashboards if (reader or "visitor") == who]
    too_wide, failures = {}, []
    for path in paths:
        response = page.goto(site.base + path)
        assert response.status == 200, path
        violations = run_axe(page)  # waits for the diagrams
        if violations:
            failures.append(f"{who} on {path} (phone):" + readable(violations))
        seen = no_sideways_scroll(page)
        if seen["scrollWidth"] > seen["width"]:
            too_wide[path] = seen
    assert not too_wide, f"wider than a phone ({PHONE['width']}px): {too_wide}"
    assert not failures, "\n".join(failures)
