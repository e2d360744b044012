"""The real app served on a free localhost port, and Debian's Chromium driven by playwright.

Shared by the browser tests (tests/browser/conftest.py) and the screenshot script
(tests/browser/screenshots.py). playwright never downloads a browser here: it launches
``/usr/bin/chromium`` (or ``$CHROMIUM``) headless, with a fresh temporary profile of its own.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AXE_JS = Path(__file__).parent / "vendor" / "axe.min.js"
#: what a phone shows (an iPhone 12-15's CSS pixels)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: what axe-core checks: WCAG 2.0 and 2.1, levels A and AA, and its best practices (headings in
#: order, content in landmarks, one main heading...)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def root_conftest():
    """tests/conftest.py under a name of its own (every test folder has a ``conftest``)."""
    path = Path(__file__).parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("tracker_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` on a free port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


def log_in(page, base: str, email: str, password: str) -> None:
    """Log in through the form (any language: fields and button found by name and type)."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")


def no_sideways_scroll(page) -> dict:
    """How wide the page is against the viewport, and what sticks out if it is wider."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll('body *')].filter(el => {
            const r = el.getBoundingClientRect();
            if (r.right <= width + 1 || r.width === 0) return false;
            // inside a box that scrolls sideways on its own (tables, diagrams): fine, unless
            // positioned out of it
            if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return true;
            for (let p = el.parentElement; p; p = p.parentElement) {
              const o = getComputedStyle(p).overflowX;
              if (o === 'auto' || o === 'scroll' || o === 'hidden') return false;
            }
            return true;
          }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                                 + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
          return {scrollWidth: document.documentElement.scrollWidth, width, wide};
        }"""
    )


def run_axe(page) -> list[dict]:
    """axe's violations on the page as it is now (after its diagrams are drawn)."""
    if page.locator("figure.workflow-diagram").count():
        page.wait_for_selector("html[data-diagrams='drawn']", timeout=20000)
    return page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
            nodes: v.nodes.slice(0, 6).map(n => ({
              target: n.target.join(' '), html: n.html.slice(0, 160),
              why: n.failureSummary.replace(/\\s+/g, ' ').slice(0, 300),
            })),
            more: Math.max(0, v.nodes.length - 6),
          }));
        }""",
        WCAG,
    )


def readable(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"\n[{v['impact']}] {v['id']}: {v['help']} ({v['url']})")
        for n in v["nodes"]:
            lines.append(f"    at {n['target']}\n       {n['html']}\n       {n['why']}")
        if v["more"]:
            lines.append(f"    ... and {v['more']} more")
    return "\n".join(lines)
