"""Putting an operation's refusal on the form that caused it, next to the fields it names."""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import Form

from tracker.errors import TrackerError
from tracker.i18n import translate


def add_error(form: Form, name: str | None, message: str) -> None:
    """Attach ``message`` (in the reader's language) to field ``name`` when the form has it, else
    to the form as a whole."""
    message = translate(message)
    if name and name in form._fields:
        field = form[name]
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def show_errors(form: Form, err: TrackerError, field_map: Mapping[str, str] | None = None) -> None:
    """Each field problem beside its field, each unmet condition and anything else on top.

    ``field_map`` renames the operation's field names to the form's (``user_id`` -> ``member``).
    """
    details = err.details if isinstance(err.details, Mapping) else {}
    fields = details.get("fields") or {}
    unmet = details.get("unmet") or []
    for name, message in fields.items():
        add_error(form, (field_map or {}).get(name, name), message)
    for item in unmet:
        add_error(form, None, item.get("message", ""))
    if not fields and not unmet:
        add_error(form, (field_map or {}).get(f"#{err.code}"), err.message)
