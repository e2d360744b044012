"""The base of every page form: the text rule of the API (``validation.text_problem``) applied to
each field that holds text, so that a control character typed into any form, the login e-mail
included, comes back as that field's error with what was typed, never as a 500."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField

from tracker.translation import translate
from tracker.validation import text_problem


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
