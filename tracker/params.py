"""Reading what a request names: ids and query-string text, for pages and API alike.

Ids are positive 32-bit integers on every database: a larger number can name no row, and would
overflow SQLite's driver, so URLs, query strings and bodies refuse it before any query.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

from tracker.errors import BadRequest
from tracker.validation import text_problem
from workflows.i18n import N_

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a URL with an impossible id is simply not found."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def query_id(args, name: str) -> int | None:
    """An optional id from the query string; 400 when it is not one."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdecimal() or len(value) > 10 or not is_id(int(value)):
        raise BadRequest(
            N_("The query parameter %(name)s must be a positive whole number.", name=name),
            code="bad_query",
        )
    return int(value)


def query_text(args, name: str, *, max_len: int = 200) -> str | None:
    """Optional text from the query string; 400 when too long or refused by the text
    rule (a control character: PostgreSQL refuses NUL)."""
    value = args.get(name)
    if value is None or not value.strip():
        return None
    if len(value) > max_len or text_problem(value):
        raise BadRequest(
            N_(
                "The query parameter %(name)s must be text of at most %(max)s characters.",
                name=name,
                max=max_len,
            ),
            code="bad_query",
        )
    return value.strip()
