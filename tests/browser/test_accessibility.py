"""axe-core (vendored in tests/browser/vendor/) checks the main pages in headless Chromium against
WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (headings in order, landmarks), as
each kind of person sees them; any violation fails the test with what is wrong, where, and how to
fix it.

axe is added to every page of the context before the page's own scripts run (an init script,
which the app's Content-Security-Policy does not apply to), and runs once the workflow diagrams
are drawn, so that the drawings are checked too.
"""

from __future__ import annotations

import pytest
from livesite import AXE_JS, readable, run_axe

# one Chromium and one live site per worker: the browser tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")

#: (who, what) -> path; ``{name}`` is filled from the world (tests/browser/conftest.py)
PAGES = {
    ("visitor", "home"): "/",
    ("visitor", "login"): "/login",
    ("visitor", "registry"): "/registry",
    ("visitor", "workflows"): "/workflows",
    ("visitor", "workflow"): "/workflows/value_chain",
    ("visitor", "calls"): "/calls",
    ("lead", "home"): "/",
    ("lead", "draft application"): "/applications/{submitted}",
    ("lead", "choose a call"): "/applications/new",
    ("lead", "new application"): "/applications/new?call_id={call}",
    ("lead_it", "draft to complete"): "/applications/{draft}",
    ("lead", "proposal"): "/proposals/{proposal}",
    ("lead", "new proposal"): "/proposals/new",
    ("lead", "new organisation"): "/organisations/new",
    ("lead", "account and emails"): "/account",
    ("lead", "notices"): "/notifications",
    ("lead_it", "unread notices"): "/notifications?show=unread",
    ("reviewer", "home"): "/",
    ("reviewer", "application to review"): "/applications/{under_evaluation}",
    ("reviewer", "application with a partner to verify"): "/applications/{submitted}",
    ("reviewer", "organisation to verify"): "/organisations/{declared}",
    ("reviewer_it", "application reviewed"): "/applications/{under_evaluation}",
    ("reviewer_it", "change a review"): "/applications/{under_evaluation}/reviews/{review_it}/edit",
    ("officer", "home"): "/",
    ("officer", "applications"): "/applications",
    ("officer", "applications, page 1 of 3"): "/applications?per_page=3",
    ("officer", "organisations, page 2"): "/organisations?per_page=3&page=2",
    ("officer", "application with label"): "/applications/{recognised}",
    ("officer", "call"): "/calls/{call}",
    ("officer", "measure"): "/calls/{measure}",
    ("officer", "support application"): "/applications/{support}",
    ("officer", "organisations"): "/organisations",
    ("officer", "new call"): "/calls/new",
    ("board", "home"): "/",
    ("admin", "home"): "/",
    ("coordinator", "home"): "/",
    ("coordinator", "communities"): "/communities",
    ("coordinator", "community"): "/communities/{community}",
    ("coordinator", "proposals"): "/proposals",
    ("coordinator", "EU projects"): "/projects",
    ("officer", "agreements"): "/agreements",
    ("officer", "new agreement"): "/agreements/new",
    ("officer", "partnership change to acknowledge"): "/changes/{change}",
    ("officer", "partnership changes"): "/changes",
    ("steel", "ask a partnership change"): "/applications/{recognised}/changes/new?kind=join",
    ("steel", "import partners"): "/applications/{recognised}/partners/import",
}


def axe_page(browser, site, who: str, **options):
    from livesite import DESKTOP, log_in

    options.setdefault("viewport", DESKTOP)
    context = browser.new_context(**options)
    context.set_default_timeout(15000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    if who != "visitor":
        log_in(page, site.base, getattr(site, who), site.password)
    return context, page


@pytest.fixture(scope="module")
def axe_pages(browser, site):
    """One logged-in page per person, reused across that person's pages."""
    opened = {}

    def _page(who: str):
        if who not in opened:
            opened[who] = axe_page(browser, site, who)
        return opened[who][1]

    yield _page
    for context, _ in opened.values():
        context.close()


@pytest.mark.parametrize(("who", "what"), list(PAGES), ids=[f"{w}-{p}" for w, p in PAGES])
def test_main_pages_have_no_wcag_violations(axe_pages, site, who, what):
    page = axe_pages(who)
    response = page.goto(site.base + PAGES[who, what].format(**vars(site)))
    assert response.status == 200, f"{PAGES[who, what]}: {response.status}"
    violations = run_axe(page)
    assert not violations, f"{who} on {what} ({page.url}):" + readable(violations)


def test_dashboards_have_no_wcag_violations(axe_pages, site):
    """The dashboards and statistics pages, whatever they are (read from the app's routes),
    each as the first person allowed to see it."""
    assert site.dashboards, "no dashboard or statistics page found"
    failures = []
    for who, path in site.dashboards:
        page = axe_pages(who or "visitor")
        assert page.goto(site.base + path).status == 200, path
        violations = run_axe(page)
        if violations:
            failures.append(f"{who} on {path}:" + readable(violations))
    assert not failures, "\n".join(failures)


def test_italian_pages_have_no_wcag_violations(browser, site):
    """The officer's main pages in Italian: the page says lang="it" and passes the same checks."""
    context, page = axe_page(browser, site, "officer", locale="it-IT")
    failures = []
    try:
        for path in ("/", "/applications", f"/applications/{site.recognised}",
                     f"/calls/{site.measure}", "/registry"):  # fmt: skip
            page.goto(site.base + path)
            assert page.locator("html").get_attribute("lang") == "it", path
            violations = run_axe(page)
            if violations:
                failures.append(f"officer on {path}, in Italian:" + readable(violations))
    finally:
        context.close()
    assert not failures, "\n".join(failures)
