"""Bulk decisions in a real browser: an officer filters the applications by state, ticks all on
the page with the keyboard, confirms with the decree typed once, and reads the result; axe finds
nothing on the three pages. Its own small site: granting labels would change the shared one."""

from __future__ import annotations

import pytest
from livesite import AXE_JS, DESKTOP, log_in, readable, root_conftest, run_axe, serve

from tracker import create_app
from tracker.extensions import db

pytestmark = pytest.mark.xdist_group("browser")


@pytest.fixture
def bulk_site(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "bulk-browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bulk.db'}",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
        make = root_conftest().Factory(app)
        officer = make.user("officer", email="officer@example.org")
        call = make.call(officer, title="Value-chain EOI", min_firms=1, min_reviews=1)
        reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
        make.appoint(call, reviewer)
        lead = make.user("applicant", organisation=make.organisation("Lead Srl"))
        for title in ("Bergamo rubber value chain", "Varese aerospace value chain"):
            application = make.application(call, lead, title=title)
            make.fire(application, lead, "submit")
            make.fire(application, reviewer, "admit")
            make.review(application, reviewer)
            make.fire(application, reviewer, "close_evaluation")
        db.session.remove()
    with serve(app) as base:
        yield base


def test_select_all_and_grant_with_the_keyboard(browser, bulk_site):
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(15000)
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    try:
        log_in(page, bulk_site, "officer@example.org", "secret-pass")
        page.goto(f"{bulk_site}/applications?state=evaluated")
        assert readable(run_axe(page)) == ""
        page.focus("#bulk-all")
        page.keyboard.press("Space")  # ticks every row
        assert page.locator("input[name=ids]:checked").count() == 2
        page.select_option("#bulk-trigger", "grant_label")
        with page.expect_navigation():
            page.click("#bulk-form button[type=submit]")
        assert "2 of them allow it now" in page.inner_text("main")
        assert readable(run_axe(page)) == ""
        page.fill("#bulk-decree_number", "15907")
        page.fill("#bulk-decree_date", "2023-11-10")
        page.check("input[name=confirm]")
        page.focus("#bulk-decision button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        main = page.inner_text("main")
        assert "2 applications done." in main and "/applications/bulk/" in page.url
        assert "Bergamo rubber value chain" in main and "Quality label granted" in main
        assert readable(run_axe(page)) == ""
    finally:
        context.close()
