"""Reading pages as a person does: the visible text, whitespace collapsed."""

from __future__ import annotations

import re
from contextlib import contextmanager
from html import unescape

from sqlalchemy import event

from tracker.extensions import db


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed, entities decoded: what a person reads."""
    return text_of_html(response.get_data(as_text=True))


def text_of_html(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


#: what the tests' rolled-back transaction adds around the app's own statements (the app itself
#: takes no savepoint)
HARNESS = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


@contextmanager
def counting_queries():
    """Counts the SQL statements run inside the block: ``with counting_queries() as c: ... c["n"]``."""
    counter = {"n": 0}

    def count(conn, cursor, statement, *args, **kwargs):
        if not HARNESS.match(statement):
            counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


@contextmanager
def recording_statements():
    """The SQL statements run inside the block, whitespace folded: ``with ... as seen:``."""
    seen: list[str] = []

    def keep(conn, cursor, statement, *args, **kwargs):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
