"""Feedback on long operations (tracker/static/feedback.js), in Chromium: an export link says it
is preparing the download and how much has arrived, then saves the file under the server's name;
a form that posts is sent once however many times it is submitted."""

from __future__ import annotations

import re

import pytest

# one Chromium and one live site per worker: the browser tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")


def test_an_export_link_reports_its_progress_and_saves_the_file(as_user, site, tmp_path):
    page = as_user(site.officer)
    page.goto(f"{site.base}/applications")
    link = page.locator("a[href*='format=csv']").first
    said = []
    page.expose_function("heard", lambda text: said.append(text))
    page.evaluate(
        """() => new MutationObserver(() => {
             const busy = document.getElementById('busy');
             if (!busy.hidden) window.heard(busy.textContent);
           }).observe(document.getElementById('busy'), {childList: true, characterData: true,
                                                        subtree: true, attributes: true})"""
    )
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert re.fullmatch(r"applications-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    download.save_as(tmp_path / "export.csv")
    body = (tmp_path / "export.csv").read_bytes()
    assert b"Lombard flat steel value chain" in body  # a row of the world
    page.wait_for_function(
        "() => /applications-/.test(document.getElementById('busy').textContent)"
    )
    assert said[0] == "Preparing the download…"
    assert any(s.startswith("Preparing the download: ") and "B" in s for s in said), said
    assert download.suggested_filename in said[-1]
    assert page.url.endswith("/applications")  # the page stayed


def test_a_posted_form_is_sent_once(as_user, site):
    page = as_user(None)
    page.goto(f"{site.base}/login")
    page.fill("input[name=email]", site.officer)
    page.fill("input[name=password]", site.password)
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    with page.expect_navigation():
        page.evaluate(
            """() => { const f = document.querySelector('main form[method=post]');
                       f.requestSubmit(); f.requestSubmit(); f.requestSubmit(); }"""
        )
    assert posts == [f"{site.base}/login"]
    assert "/login" not in page.url


def test_an_export_that_is_not_a_file_shows_the_server_page(as_user, site):
    """Logged out meanwhile: the export answers with the login page, which the browser shows
    (rather than saving it as the download)."""
    page = as_user(site.officer)
    page.goto(f"{site.base}/applications")
    page.context.clear_cookies()
    downloads = []
    page.on("download", lambda d: downloads.append(d))
    with page.expect_navigation(url=lambda url: "/login" in url):
        page.locator("a[href*='format=xlsx']").first.click()
    assert page.locator("input[name=password]").count() == 1
    assert downloads == []
