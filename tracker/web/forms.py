"""What the forms of every domain share: their base class, which applies the text rule of the API
(``validation.text_problem``) to each field that holds text, so that a control character typed
into any form, the login e-mail included, comes back as that field's error with what was typed,
never as a 500; and the options of select fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

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
