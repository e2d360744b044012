"""Screenshots of the main pages for the README: ``make screenshots``.

Loads the demo data into a scratch SQLite database, serves the app on a free localhost port and
photographs pages in headless Chromium (Debian's ``chromium``, as the browser tests do) into
``docs/screenshots/``: desktop pages in English, some in Italian and two phone-sized ones. Long
pages are cut after MAX_HEIGHT CSS pixels (a phone's after PHONE_MAX_HEIGHT).
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from livesite import DESKTOP, PHONE, launch, log_in, serve  # noqa: E402

ROOT = Path(__file__).parents[2]
OUT = ROOT / "docs" / "screenshots"
MAX_HEIGHT = 2200
PHONE_MAX_HEIGHT = 1500
DEMO_PASSWORD = "demo"


def demo_ids() -> dict[str, int]:
    """The demo rows worth showing, found by what they are."""
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.calls.models import Call
    from tracker.extensions import db

    def first(stmt) -> int:
        found = db.session.scalar(stmt.limit(1))
        assert found is not None, str(stmt)
        return found

    support = first(
        select(Application.id)
        .join(Call, Call.id == Application.call_id)
        .where(Call.workflow == "support_application", Application.state == "granted")
        .order_by(Application.id)
    )
    return {
        "chain": first(
            select(Application.id)
            .where(Application.state.in_(("support_active", "label_granted")))
            .where(Application.title.ilike("%steel%"))
            .order_by(Application.id)
        ),
        "evaluating": first(
            select(Application.id)
            .where(Application.state == "under_evaluation")
            .order_by(Application.id)
        ),
        "measure": first(select(Call.id).where(Call.title.startswith("Bando Filiere 2022"))),
        "eoi": first(select(Call.id).where(Call.workflow == "value_chain").order_by(Call.id)),
        "support": support,
    }


#: (file, who, path, language, viewport)
SHOTS = [
    ("home-officer", "officer", "/", "en", DESKTOP),
    ("applications", "officer", "/applications", "en", DESKTOP),
    ("application", "officer", "/applications/{chain}", "en", DESKTOP),
    ("review", "reviewer1", "/applications/{evaluating}", "en", DESKTOP),
    ("dashboard", "officer", "/dashboard", "en", DESKTOP),
    ("dashboard-call", "officer", "/dashboard/calls/{eoi}", "en", DESKTOP),
    ("dashboard-call-it", "officer", "/dashboard/calls/{eoi}", "it", DESKTOP),
    ("dashboard-phone", "officer", "/dashboard/calls/{eoi}", "en", PHONE),
    ("dashboard-applicant", "lead", "/dashboard/applicant", "en", DESKTOP),
    ("measure", "officer", "/calls/{measure}", "en", DESKTOP),
    ("registry", None, "/registry", "en", DESKTOP),
    ("workflow", None, "/workflows/value_chain", "en", DESKTOP),
    ("home-officer-it", "officer", "/", "it", DESKTOP),
    ("application-it", "steel", "/applications/{chain}", "it", DESKTOP),
    ("registry-it", None, "/registry", "it", DESKTOP),
    ("application-phone", "steel", "/applications/{chain}", "en", PHONE),
    ("home-phone-it", "reviewer1", "/", "it", PHONE),
]


def shoot(browser, base: str, ids: dict[str, int], only: set[str]) -> list[Path]:
    written = []
    for name, who, path, lang, viewport in SHOTS:
        if only and name not in only:
            continue
        context = browser.new_context(
            viewport=viewport,
            locale="it-IT" if lang == "it" else "en-GB",
            device_scale_factor=2 if viewport is PHONE else 1,
        )
        page = context.new_page()
        if who:
            log_in(page, base, f"{who}@demo.example.org", DEMO_PASSWORD)
        response = page.goto(base + path.format(**ids))
        if response.status != 200:
            raise SystemExit(f"{name}: {path} answered {response.status}")
        if page.locator("figure.workflow-diagram").count():
            page.wait_for_selector("html[data-diagrams='drawn']", timeout=30000)
        most = PHONE_MAX_HEIGHT if viewport is PHONE else MAX_HEIGHT
        height = min(page.evaluate("document.documentElement.scrollHeight"), most)
        target = OUT / f"{name}.png"
        page.screenshot(
            path=str(target),
            full_page=True,
            clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
        )
        context.close()
        written.append(target)
        print(f"{target.relative_to(ROOT)}  {who or 'visitor'} {path.format(**ids)} ({lang})")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these screenshots (file names, no .png)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from tracker import create_app
    from tracker.demo import load_demo
    from tracker.extensions import db

    OUT.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not every request
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SECRET_KEY": "screenshots",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db",
                # many logins from one address: no delay for them
                "LOGIN_FREE_FAILURES_PER_ACCOUNT": 10000,
                "LOGIN_FREE_FAILURES_PER_ADDRESS": 10000,
            }
        )
        with app.app_context():
            db.create_all()
            print(load_demo())
            ids = demo_ids()
            db.session.remove()
        with serve(app) as base, sync_playwright() as p:
            browser = launch(p)
            shoot(browser, base, ids, set(args.names))
            browser.close()
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
