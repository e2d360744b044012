"""Words people read, written in English and marked so that the tracker can say them in Italian.

``workflows`` knows nothing of Flask or Babel. It marks the text people read with ``N_``: the
``code`` catalogue extracts every ``N_("...")`` (``pybabel extract -k N_``) and the tracker
translates at display time (``tracker.i18n``). A sentence with numbers or names is a
``Text``: the English sentence itself (a ``str``, so the API, the database and the tests see exactly
the English they always saw) that also keeps its template and parameters, so that a page can
translate the template first and fill it in after ("9 delle 10 imprese ...").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any


class Text(str):
    """An English sentence that remembers how it was made: ``template % params``.

    Parameters may be numbers, ``Amount``/``Points``/``Day`` values (written for each language),
    other ``Text`` (translated too), ``Series`` (lists) or plain strings (names: never translated).
    ``lower``: the English sentence uses this text in lower case, mid-sentence ("Only the lead
    partner may submit the concept note."); a translation uses it as it is, quoted.
    ``shown``: what a translation puts in some placeholders instead of the English's values (the
    English names a code, 'submit'; a translation names it in words, «Invia la nota concettuale»).
    """

    template: str
    params: dict[str, Any]
    lower: bool
    shown: dict[str, Any]

    def __new__(
        cls,
        template: str,
        params: dict[str, Any] | None = None,
        *,
        lower: bool = False,
        shown: dict[str, Any] | None = None,
    ):
        params = dict(params or {})
        english = template % {k: str(v) for k, v in params.items()} if params else template
        self = super().__new__(cls, english.lower() if lower else english)
        self.template, self.params, self.lower = template, params, lower
        self.shown = {**params, **(shown or {})}
        return self

    def __reduce__(self):  # pickles (and copies) as what it is, not as a plain str
        return (_rebuild, (self.template, self.params, self.lower, self.shown))


def _rebuild(template: str, params: dict[str, Any], lower: bool, shown: dict[str, Any]) -> Text:
    return Text(template, params, lower=lower, shown=shown)


def N_(message: str, **params: Any) -> str:
    """Mark ``message`` for the ``code`` catalogue. With parameters, a ``Text`` filled in with them
    (``%(name)s`` placeholders); without, the message itself."""
    return Text(message, params) if params else message


class Series(tuple):
    """Items written one after the other with ``sep`` between them: labels (marked messages, each
    translated), ``Text`` or values."""

    sep: str

    def __new__(cls, items: Iterable[Any], sep: str = ", "):
        self = super().__new__(cls, items)
        self.sep = sep
        return self

    def __str__(self) -> str:
        return self.sep.join(str(item) for item in self)

    def __reduce__(self):
        return (Series, (tuple(self), self.sep))


def term(message: str, *, lower: bool = False) -> Text:
    """A marked message (a label, a title) used inside a sentence: translated with it."""
    return message if isinstance(message, Text) and not lower else Text(message, lower=lower)


def either(items: Iterable[str]) -> str:
    """The marked messages as "a or b or c", each translated: "a o b o c"."""
    items = [term(item) for item in items]
    if not items:
        return N_("nobody")
    text = items[0]
    for item in items[1:]:
        text = N_("%(first)s or %(second)s", first=text, second=item)
    return text


class Amount:
    """Money in a sentence: "EUR 1,234.56" in English, as each language writes it elsewhere."""

    __slots__ = ("value",)

    def __init__(self, value: Decimal | int | None) -> None:
        self.value = None if value is None else Decimal(value)

    def __str__(self) -> str:
        return "EUR —" if self.value is None else f"EUR {self.value:,.2f}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Amount) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)


class Points(Amount):
    """A score with two decimals: "61.00" in English, "61,00" in Italian."""

    __slots__ = ()

    def __str__(self) -> str:
        return "—" if self.value is None else f"{self.value:.2f}"


class Day:
    """A calendar day in a sentence: 31/12/2027 (as Italian readers write it, in both languages)."""

    __slots__ = ("value",)

    def __init__(self, value: dt.date) -> None:
        self.value = value

    def __str__(self) -> str:
        return self.value.strftime("%d/%m/%Y")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Day) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)
