"""What every template may use: date formats in Lombardy's time, reference labels, form helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for
from flask_babel import format_decimal

from tracker.applications.models import CONCEPT_NOTE_FIELDS
from tracker.ateco import SECTIONS as ATECO_SECTIONS
from tracker.auth.models import ROLES
from tracker.columns import utcnow
from tracker.i18n import Labels, translate
from tracker.organisations.models import KINDS, SIZES
from tracker.reference import LOMBARDY_PROVINCES, THEMATIC_AREAS
from tracker.reviews.models import RECOMMENDATIONS
from tracker.web.forms import typed_amount
from workflows.conditions import local_date
from workflows.i18n import either
from workflows.model import OBJECT_ROLES

ROME = ZoneInfo("Europe/Rome")


def fmt_date(value: dt.date | str | None) -> str:
    """Dates as Italian readers write them, the same way the workflow messages do: 31/12/2027 in
    both languages (the acts and deadlines are Italian; 12/31 would mislead)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(ROME).date()
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(ROME).strftime("%d/%m/%Y %H:%M")


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def fmt_number(value: Any, places: int | None = None) -> str:
    """``{{ n|number }}``: a number in the page's language, 1.234,56 in Italian and 1,234.56 in
    English; ``places`` fixes the decimals, otherwise up to three are kept."""
    if value is None or value == "":
        return "—"
    number = _decimal(value)
    if number is None:
        return str(value)
    decimals = ".###" if places is None else "." + "0" * places if places else ""
    return format_decimal(number, format="#,##0" + decimals)


def fmt_money(value: Any) -> str:
    """``{{ amount|eur }}``: euros as the Region writes them, EUR 1.234,56 in Italian and
    EUR 1,234.56 in English, from a Decimal or a decimal string."""
    if value is None or value == "":
        return "—"
    if _decimal(value) is None:
        return str(value)
    return f"EUR {fmt_number(value, places=2)}"


def fmt_points(value: Any) -> str:
    """``{{ score|points }}``: a score with two decimals, 61,00 in Italian and 61.00 in English."""
    return fmt_number(value, places=2)


def fmt_value(value: Any) -> str:
    """A value from a transition's data: ISO dates as dates, the rest as they are."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return fmt_date(dt.date.fromisoformat(value))
        except ValueError:
            pass
    return "" if value is None else str(value)


def who(roles: Iterable[str]) -> str:
    """The object roles of a transition in words: 'a committee member ... or a Region officer'."""
    return translate(either(OBJECT_ROLES.get(r, r) for r in sorted(roles)))


def local_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site (``next=`` must never send people elsewhere)."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def page_url(page: int, **extra: Any) -> str:
    """The current page's URL with ``page`` changed and every other query argument kept."""
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "page"}
    args.update(extra)
    if page > 1:
        args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_numbers(page: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link, with None where a gap is: 1 … 4 5 [6] 7 8 … 20."""
    wanted = {1, last, *range(page - around, page + around + 1)}
    out: list[int | None] = []
    for n in sorted(x for x in wanted if 1 <= x <= last):
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def unmet_list(details: Any) -> list[str]:
    if isinstance(details, Mapping):
        return [translate(u.get("message", "")) for u in details.get("unmet") or []]
    return []


def data_default(data_field, subject) -> str:
    """The value a transition's data field takes when none is given (a date to reply by), as
    its input shows it; "" for a field without a default."""
    if data_field.default is None:
        return ""
    value = data_field.default(subject, local_date(utcnow()))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def register(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # t: the code's English (state titles, transition labels, refusals) in the reader's language
    app.jinja_env.filters.update(
        date=fmt_date, datetime=fmt_datetime, value=fmt_value, who=who, t=translate
    )
    # numbers and money in the page's language
    app.jinja_env.filters.update(
        number=fmt_number, eur=fmt_money, points=fmt_points, amount=typed_amount
    )
    app.jinja_env.globals.update(
        THEMATIC_AREAS=Labels(THEMATIC_AREAS),
        ATECO_SECTIONS=Labels(ATECO_SECTIONS),
        CONCEPT_NOTE_FIELDS=Labels(CONCEPT_NOTE_FIELDS),
        ORG_KINDS=Labels(KINDS),
        ORG_SIZES=Labels(SIZES),
        PROVINCES=LOMBARDY_PROVINCES,
        ROLES=Labels(ROLES),
        OBJECT_ROLES=Labels(OBJECT_ROLES),
        RECOMMENDATIONS=Labels(RECOMMENDATIONS),
        page_url=page_url,
        page_numbers=page_numbers,
        unmet_list=unmet_list,
        data_default=data_default,
    )

    @app.context_processor
    def demo_flag() -> dict[str, Any]:
        """The invented-data notice shows where the demo world is loaded: asked once per process
        (``make run`` seeds before it serves), so pages cost no extra query."""
        if "tracker.demo_loaded" not in app.extensions:
            from tracker.demo import demo_loaded

            app.extensions["tracker.demo_loaded"] = demo_loaded()
        return {"demo_mode": app.extensions["tracker.demo_loaded"]}
