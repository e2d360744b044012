"""Reading a request's query string, for pages and API alike: an optional id (``?call_id=``) or
text (``?q=``), 400 naming the parameter when it is neither. Ids follow ``validation.is_id``;
text the one text rule, ``validation.text_problem``.
"""

from __future__ import annotations

from tracker.errors import BadRequest
from tracker.validation import is_id, text_problem
from workflows.i18n import N_


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
