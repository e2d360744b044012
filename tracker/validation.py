"""Small field checks shared by the operations (forms and the API only check shapes).

Ids are positive 32-bit integers on every database: a larger number can name no row, and would
overflow SQLite's driver, so URLs (``IdConverter``), query strings (``tracker.querystring``) and
bodies (``is_id``) refuse it before any query.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.routing import IntegerConverter

from workflows.i18n import N_, Text, term

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a URL with an impossible id is simply not found."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


# The C0 controls but tab, line feed and carriage return, DEL and the C1 controls: PostgreSQL
# refuses NUL, XML (so every XLSX download) refuses the C0 ones, and no person types them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_problem(value: str) -> Text | None:
    """Why no field may hold ``value``, or None: the one text rule of the API, the forms and the
    query strings (a control character, or a lone surrogate that is not UTF-8)."""
    if found := _CONTROL.search(value):
        return N_(
            "Text must not contain control characters (found %(char)s).",
            char=f"U+{ord(found.group()):04X}",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return N_("Text must be valid Unicode (no lone surrogates).")
    return None


class Problems(dict):
    """Field name -> what is wrong with it; raise it as one ValidationFailed.

    ``label`` names the field for people: a marked message (``N_("Title")``), translated on pages.
    """

    def text(
        self, name: str, value: Any, label: str, *, max_len: int, required: bool = True
    ) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self[name] = N_("%(label)s must be text.", label=term(label))
            return ""
        value = value.strip()
        if problem := text_problem(value):
            self[name] = problem
        elif required and not value:
            self[name] = N_("%(label)s is required.", label=term(label))
        elif len(value) > max_len:
            self[name] = N_(
                "%(label)s must be at most %(max)s characters.", label=term(label), max=max_len
            )
        return value

    def choice(self, name: str, value: Any, label: str, choices, *, required: bool = True):
        if value in (None, "") and not required:
            return None
        if value not in choices:
            self[name] = N_(
                "%(label)s must be one of: %(choices)s.",
                label=term(label),
                choices=", ".join(choices),
            )
            return None
        return value

    def integer(self, name: str, value: Any, label: str, *, minimum: int = 0, maximum: int = 10**6):
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                self[name] = N_("%(label)s must be a whole number.", label=term(label))
                return None
        if not minimum <= value <= maximum:
            self[name] = N_(
                "%(label)s must be between %(minimum)s and %(maximum)s.",
                label=term(label),
                minimum=minimum,
                maximum=maximum,
            )
            return None
        return value

    def decimal(
        self,
        name: str,
        value: Any,
        label: str,
        *,
        minimum: Decimal = Decimal(0),
        required: bool = True,
    ):
        if value in (None, "") and not required:
            return None
        if isinstance(value, bool):
            self[name] = N_("%(label)s must be a number.", label=term(label))
            return None
        # a JSON float goes through its shortest repr, so 0.1 stays 0.1 and never 0.1000000000000000055
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            self[name] = N_("%(label)s must be a number.", label=term(label))
            return None
        if not number.is_finite() or number < minimum or number > Decimal("1e12"):
            self[name] = N_(
                "%(label)s must be a number of at least %(minimum)s.",
                label=term(label),
                minimum=minimum,
            )
            return None
        if number != number.quantize(Decimal("0.01")):
            self[name] = N_("%(label)s may have at most two decimal places.", label=term(label))
            return None
        return number

    def date(self, name: str, value: Any, label: str) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except (TypeError, ValueError):
            self[name] = N_("%(label)s must be a date (YYYY-MM-DD).", label=term(label))
            return None

    def raise_if_any(self) -> None:
        if self:
            from tracker.errors import ValidationFailed

            raise ValidationFailed.fields(dict(self))
