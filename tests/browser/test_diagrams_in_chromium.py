"""The workflow diagrams render in a real browser: headless Chromium (Debian's ``chromium``,
driven by the ``playwright`` package without any browser download) opens a workflow page and an
application page of the real app, served on a free localhost port from a scratch database, takes
a screenshot of each and checks the drawn SVG, with the current state marked.

Skipped where Chromium or playwright is missing; in CI (CI=true) a missing one fails instead.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tracker import create_app
from tracker.database import commit
from tracker.extensions import db

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _root_conftest():
    """tests/conftest.py under a name of its own (every test folder has a ``conftest``)."""
    path = Path(__file__).parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("tracker_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _need(what: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {what} is missing: the browser test is required in CI")
    pytest.skip(f"{what} is missing: install Debian's chromium and the playwright package")


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        _need("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright")
    with sync_playwright() as p:
        # playwright gives the browser a fresh temporary profile (its --user-data-dir) itself
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The real app on a free localhost port, with a lead's value-chain application in
    ``submitted`` (one step taken)."""
    Factory = _root_conftest().Factory
    folder = tmp_path_factory.mktemp("site")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'site.db'}",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        db.create_all()
        make = Factory(app)
        officer = make.user("officer")
        call = make.call(officer)
        lead = make.user("applicant", organisation=make.organisation("Duferco Travi e Profilati"))
        application = make.application(call, lead)
        make.fire(application, lead, "submit")
        commit()
        ids = {"application": application.id, "lead": lead.email}
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def drawn(page) -> dict:
    """Wait for diagram.js to finish, then read what it drew."""
    page.wait_for_selector("html[data-diagrams='drawn']", timeout=20000)
    return page.evaluate(
        """() => {
          const fig = document.querySelector('figure.workflow-diagram');
          const svg = fig.querySelector('svg');
          const nodes = [...svg.querySelectorAll('g.node')];
          return {
            rendered: fig.getAttribute('data-rendered'),
            sourceHidden: fig.querySelector('pre.diagram-source').hidden,
            states: nodes.filter(n => /state-/.test(n.id) && !/root_start/.test(n.id)).length,
            active: nodes.filter(n => n.classList.contains('s_active')).map(n => n.id),
            previous: nodes.filter(n => n.classList.contains('s_previous')).map(n => n.id),
            current: nodes.filter(n => n.classList.contains('is-current')).map(n => n.id),
            width: svg.getBoundingClientRect().width,
            labels: [...svg.querySelectorAll('.edgeLabel')].map(e => e.textContent.trim()),
          };
        }"""
    )


def test_the_workflow_page_draws_its_diagram(browser, site, tmp_path):
    base, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/workflows/hub_eoi")
    seen = drawn(page)
    shot = page.screenshot(path=str(tmp_path / "workflow.png"), full_page=True)
    page.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20000
    assert seen["rendered"] == "true" and seen["sourceHidden"]
    assert seen["states"] == 8 and seen["width"] > 400
    assert seen["active"] == [] and seen["current"] == []  # no object: nothing is current
    assert {"submit", "sign_agreement", "declare_ineligible"} <= set(seen["labels"])


def test_the_application_page_marks_the_current_state_and_path(browser, site, tmp_path):
    base, ids = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/login")
    page.fill("input[name=email]", ids["lead"])
    page.fill("input[name=password]", "secret-pass")
    page.click("button[type=submit]")
    page.goto(f"{base}/applications/{ids['application']}")
    seen = drawn(page)
    shot = page.locator("#workflow").screenshot(path=str(tmp_path / "application.png"))
    page.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 5000
    assert seen["rendered"] == "true"
    assert len(seen["active"]) == 1 and "-state-submitted-" in seen["active"][0]
    assert seen["current"] == seen["active"]  # diagram.js found the same node
    assert len(seen["previous"]) == 1 and "-state-draft-" in seen["previous"][0]
    assert "submit (1)" in seen["labels"]
