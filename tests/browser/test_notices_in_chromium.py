"""Notices (issue 14) by keyboard in Chromium: from the header's count to the list, one notice
marked read, then all; the count in the header follows each step."""

from __future__ import annotations

import pytest
from test_keyboard_and_phone import tab_to

pytestmark = pytest.mark.xdist_group("browser")


def _count(page) -> int:
    badge = page.locator(".notices-count")
    return int(badge.inner_text()) if badge.count() else 0


def _focused_text(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def test_read_notices_with_the_keyboard_only(as_user, site):
    # the steel chain's staff: their submissions, admissions and label each left a notice
    page = as_user(site.steel)
    page.goto(f"{site.base}/registry")
    unread = _count(page)
    assert unread >= 2
    assert page.locator(".notices-link .visually-hidden").inner_text() == f"({unread} unread)"

    tab_to(page, lambda f: f["href"] == "/notifications")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/notifications")
    assert page.locator(".notice-unread").count() == unread

    tab_to(page, lambda f: _focused_text(page) == "Mark as read")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _count(page) == unread - 1
    assert page.locator(".notice-unread").count() == unread - 1

    tab_to(page, lambda f: _focused_text(page) == "Mark all as read")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _count(page) == 0
    assert page.locator(".notice-unread").count() == 0
    assert "notices marked as read" in page.locator(".flashes").inner_text()
