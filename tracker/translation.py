"""Saying the code's English in the reader's language (the ``code`` catalogue).

Python strings are English at their source: workflow definitions mark theirs with
``workflows.i18n.N_``, operations raise errors whose message is an English ``Text`` (the API sends
it as it is), forms use ``lazy_gettext``. Pages translate at display time with ``translate``, the
``t`` template filter: ``{{ state.title|t }}``, ``{{ u.message|t }}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale, gettext, lazy_gettext

from workflows.i18n import Amount, Day, Points, Series, Text


def english() -> bool:
    """Whether this request is answered in English (the source language: nothing to translate)."""
    locale = get_locale()  # None outside a request
    return locale is None or locale.language == "en"


def translate(value: Any) -> Any:
    """``value`` in the reader's language: a marked message, a ``Text`` filled in after its
    template is translated, anything else (names, numbers) as it is. English stays byte-identical."""
    if value is None or value == "" or not isinstance(value, str | Series):
        return value
    if english():
        return str(value) if isinstance(value, Series) else value
    return _translated(value)


def _translated(value: Any) -> Any:
    if isinstance(value, Text):
        template = gettext(value.template)
        return (
            template % {k: _param(v) for k, v in value.shown.items()} if value.params else template
        )
    if isinstance(value, Series):  # of labels (msgids), names or values
        return value.sep.join(
            _translated(item) if isinstance(item, str) else str(_param(item)) for item in value
        )
    return gettext(value) if value else value


def _param(value: Any) -> Any:
    """A parameter of a Text, as the reader's language writes it."""
    if isinstance(value, Points):
        return "—" if value.value is None else _number(value.value)
    if isinstance(value, Amount):
        return "EUR —" if value.value is None else f"EUR {_number(value.value)}"
    if isinstance(value, Day):
        return str(value)
    if isinstance(value, Decimal):  # as many decimals as the English shows ("65.00")
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
        return format_decimal(
            value, format="#,##0." + "0" * places if places else "#,##0", locale=get_locale()
        )
    if isinstance(value, Text | Series):
        return _translated(value)
    return value  # names, numbers, plain text: as they are


def _number(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.00", locale=get_locale())


def translate_details(details: Any) -> Any:
    """An error's details (``fields``, ``unmet``) with their messages translated, for a page."""
    if english() or not isinstance(details, Mapping):
        return details
    out = dict(details)
    if isinstance(details.get("fields"), Mapping):
        out["fields"] = {k: translate(v) for k, v in details["fields"].items()}
    if isinstance(details.get("unmet"), list):
        out["unmet"] = [
            {**u, "message": translate(u.get("message"))} if isinstance(u, Mapping) else u
            for u in details["unmet"]
        ]
    return out


class Labels(Mapping):
    """A mapping of codes to English labels (thematic areas, kinds of organisation...) whose labels
    come out translated: templates keep ``THEMATIC_AREAS.get(code, code)`` and read Italian."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return translate(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


#: Besides Babel's default keywords (``_``, ``gettext``, ``ngettext``, ``N_``...), what else says
#: a message, and which argument (1-based) is the message: lazy strings of forms, the English
#: refusals operations raise (``Conflict("This call is not open for applications.")``) and the
#: field labels of ``Problems`` checks (``p.text("title", value, "Title", max_len=300)``).
MORE_KEYWORDS = {
    **dict.fromkeys(("_l", "lazy_gettext"), 1),
    **dict.fromkeys(("TrackerError", "BadRequest", "Unauthorized"), 1),
    **dict.fromkeys(("Forbidden", "NotFound", "Conflict", "ValidationFailed"), 1),
    **dict.fromkeys(("text", "choice", "integer", "decimal", "date"), 3),
}


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor, also reading ``MORE_KEYWORDS`` (``babel-code.cfg`` names it)."""
    from babel.messages.extract import extract_python as babel_extract_python

    found = babel_extract_python(fileobj, [*keywords, *MORE_KEYWORDS], comment_tags, options)
    for lineno, funcname, messages, comments in found:
        if funcname in MORE_KEYWORDS:
            position = MORE_KEYWORDS[funcname]
            args = messages if isinstance(messages, tuple | list) else (messages,)
            message = args[position - 1] if len(args) >= position else None
            if not isinstance(message, str) or not message:
                continue  # an f-string, a variable: not a message (the code marks those itself)
            funcname, messages = "gettext", (message,)
        yield lineno, funcname, messages, comments


def lazy_labels(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, Any]]:
    """Choices whose labels (marked messages) are said in the reader's language when the form is
    drawn: module-level forms are built before any request."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [(value, lazy_gettext(label)) for value, label in items]


def lazy(message: str) -> Any:
    """``message`` (marked where it is defined) said in the reader's language when it is shown:
    ``lazy_gettext`` under a name the extraction does not read."""
    return lazy_gettext(message)
