"""What the forms of every domain share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
