"""The workflow diagrams render in a real browser: headless Chromium (Debian's ``chromium``,
driven by the ``playwright`` package without any browser download) opens a workflow page and an
application page of the real app, served on a free localhost port from a scratch database, takes
a screenshot of each and checks the drawn SVG, with the current state marked.

The browser and the live server are the session's (tests/browser/conftest.py).
"""

from __future__ import annotations

import pytest
from livesite import DESKTOP

# one Chromium and one live site per worker: the browser tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")


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
    page = browser.new_page(viewport=DESKTOP)
    page.goto(f"{site.base}/workflows/hub_eoi")
    seen = drawn(page)
    shot = page.screenshot(path=str(tmp_path / "workflow.png"), full_page=True)
    page.close()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 20000
    assert seen["rendered"] == "true" and seen["sourceHidden"]
    assert seen["states"] == 8 and seen["width"] > 400
    assert seen["active"] == [] and seen["current"] == []  # no object: nothing is current
    # each transition with the names of its conditions
    assert {
        "submit [call_open & lead_is_public_research]", "sign_agreement",
        "declare_ineligible [conflict_not_declared]",
    } <= set(seen["labels"])  # fmt: skip


def test_the_application_page_marks_the_current_state_and_path(as_user, site, tmp_path):
    page = as_user(site.lead)
    page.goto(f"{site.base}/applications/{site.submitted}")
    seen = drawn(page)
    shot = page.locator("#workflow").screenshot(path=str(tmp_path / "application.png"))
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 5000
    assert seen["rendered"] == "true"
    assert len(seen["active"]) == 1 and "-state-submitted-" in seen["active"][0]
    assert seen["current"] == seen["active"]  # diagram.js found the same node
    assert len(seen["previous"]) == 1 and "-state-draft-" in seen["previous"][0]
    conditions = "call_open & min_lombardy_firms & concept_note_complete & agreement_signed"
    assert f"submit [{conditions}] (1)" in seen["labels"]
