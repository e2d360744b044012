"""Helpers of the list tests: the visible text, the links, and counting SQL queries."""

from __future__ import annotations

import re
from contextlib import contextmanager
from html import unescape

from sqlalchemy import event

from tracker.extensions import db


def visible_text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def links(response) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', response.get_data(as_text=True))]


@contextmanager
def counted_queries():
    counter = {"n": 0}

    def count(*args, **kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
