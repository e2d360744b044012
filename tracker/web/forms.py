"""What the forms of every domain share: their base class, which applies the text rule of the API
(``validation.text_problem``) to each field that holds text, so that a control character typed
into any form, the login e-mail included, comes back as that field's error with what was typed,
never as a 500; the options of select fields; and amounts typed as the page writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.i18n import translate
from tracker.validation import text_problem

try:  # WTForms 3.3 wants SelectChoice objects; older versions take (value, label) pairs
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None


def choices(pairs: Mapping[str, str] | Iterable[tuple[str, str]], blank: str | None = None):
    """Options for a SelectField or RadioField, in order, with an optional empty first one."""
    items = list(pairs.items() if isinstance(pairs, Mapping) else pairs)
    if blank is not None:
        items.insert(0, ("", blank))
    if SelectChoice is None:  # pragma: no cover
        return items
    return [SelectChoice(value=str(value), label=label) for value, label in items]


@dataclass(frozen=True)
class Search:
    """A select of what a search found: one of thousands of organisations, people or
    applications is never sent as a list of all of them. The page searches with a GET
    (``param``), the select offers the matches (and the one already chosen), and its form
    carries the words so that a refusal shows the same choices again."""

    param: str
    q: str
    found: int
    more: bool
    #: the select's empty first option (``search_blank``)
    blank: str = ""
    #: the page the search shows again (a GET), when not the one the form is on
    page: str = ""


def search_blank(q: str | None, found: int, already: Iterable[str] = ()) -> str:
    """The empty first option of a searched select: search first, nothing matches (or what
    matches is already in: say so), or choose."""
    from flask_babel import gettext as _

    already = list(already)
    if q is None and not found:
        return _("Search first, then choose")
    if not found and already:
        return _("Already in: %(names)s", names=", ".join(already))
    if not found:
        return _("Nothing matches “%(q)s”", q=q)
    return _("Choose…")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (``macros.field`` lists them); the operations check the
    values, so a choice not offered is their error, not the form's."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", str)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class TrackerForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _text_allowed(self) and valid


def _text_allowed(fields: Iterable[Field]) -> bool:
    """Whether every text in ``fields`` (nested forms and lists included) passes the text rule;
    each field that fails gets the rule's message among its errors."""
    allowed = True
    for field in fields:
        if isinstance(field, FormField):
            allowed = _text_allowed(field.form) and allowed
        elif isinstance(field, FieldList):
            allowed = _text_allowed(field.entries) and allowed
        elif problem := _first_problem(field.data):
            field.errors = [*field.errors, translate(problem)]
            allowed = False
    return allowed


def _first_problem(data):
    values = data if isinstance(data, list | tuple) else [data]
    for value in values:
        if isinstance(value, str) and (problem := text_problem(value)):
            return problem
    return None


# --- amounts ----------------------------------------------------------------------------------

#: what the API writes ("450000.00"): read the same in every language (in Italian a dot groups
#: thousands, always three digits, so one or two digits after a lone dot can only be decimals)
_PLAIN = re.compile(r"-?\d+(\.\d{1,2})?")
#: the currency the page writes before an amount, accepted when copied with it
_CURRENCY = re.compile(r"^(EUR|€)\s*", re.I)


def parse_amount(text: str | None) -> str | None:
    """An amount typed on a page, in the page's language ("450.000,00" or "450000,5" in Italian,
    "450,000.00" in English, or the API's plain "450000.00"), as the plain decimal string the
    operations read ("450000.00"). What cannot be read is returned as typed, stripped, so that
    the operation refuses it with the words the API uses; None and "" stay as they are.
    The JSON API never comes here: it takes plain numbers only."""
    if text is None:
        return None
    typed = _CURRENCY.sub("", text.strip()).strip()
    if not typed:
        return text.strip()
    if _PLAIN.fullmatch(typed):
        return typed
    if not re.fullmatch(r"[-\d.,'\s\u00a0\u202f]+", typed):
        return text.strip()  # no exponents, no NaN: digits and the separators only
    try:
        number = parse_decimal(typed, locale=str(get_locale() or "en"), strict=True)
    except (NumberFormatError, InvalidOperation, ValueError):
        return text.strip()
    if not number.is_finite():
        return text.strip()
    return format(number, "f")


def show_amount(value) -> str:
    """An amount as the page writes it in a form: 450.000,00 in Italian, 450,000.00 in English
    (whole euros without decimals); empty when there is none."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    from tracker.web.templating import fmt_number  # templating imports this module

    return fmt_number(number, places=0 if number == number.to_integral_value() else 2)


def typed_amount(value) -> str:
    """``{{ value|amount }}``: an amount to put back in an input, in the page's format when it
    reads as a number, else as typed."""
    if value is None or value == "":
        return ""
    return show_amount(value) if _readable(value) else str(value)


class AmountField(StringField):
    """An amount (euros, points) typed as the page writes numbers; ``data`` is the plain
    decimal string the operations read, redisplayed in the page's format (what could not be
    read comes back as typed). A text input, not type=number, which refuses "450.000,00"."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off"} | (kwargs.pop("render_kw", {}))
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = parse_amount(valuelist[0])

    def _value(self):
        return typed_amount(self.data)


def _readable(value) -> bool:
    try:
        return Decimal(str(value)).is_finite()
    except InvalidOperation:
        return False
