"""Small field checks shared by the operations (forms and the API only check shapes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any


class Problems(dict):
    """Field name -> what is wrong with it; raise it as one ValidationFailed."""

    def text(
        self, name: str, value: Any, label: str, *, max_len: int, required: bool = True
    ) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self[name] = f"{label} must be text."
            return ""
        value = value.strip()
        if required and not value:
            self[name] = f"{label} is required."
        elif len(value) > max_len:
            self[name] = f"{label} must be at most {max_len} characters."
        return value

    def choice(self, name: str, value: Any, label: str, choices, *, required: bool = True):
        if value in (None, "") and not required:
            return None
        if value not in choices:
            self[name] = f"{label} must be one of: {', '.join(choices)}."
            return None
        return value

    def integer(self, name: str, value: Any, label: str, *, minimum: int = 0, maximum: int = 10**6):
        if isinstance(value, bool) or not isinstance(value, int):
            try:
                value = int(str(value).strip())
            except (TypeError, ValueError):
                self[name] = f"{label} must be a whole number."
                return None
        if not minimum <= value <= maximum:
            self[name] = f"{label} must be between {minimum} and {maximum}."
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
            self[name] = f"{label} must be a number."
            return None
        # a JSON float goes through its shortest repr, so 0.1 stays 0.1 and never 0.1000000000000000055
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            self[name] = f"{label} must be a number."
            return None
        if not number.is_finite() or number < minimum or number > Decimal("1e12"):
            self[name] = f"{label} must be a number of at least {minimum}."
            return None
        if number != number.quantize(Decimal("0.01")):
            self[name] = f"{label} may have at most two decimal places."
            return None
        return number

    def date(self, name: str, value: Any, label: str) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except (TypeError, ValueError):
            self[name] = f"{label} must be a date (YYYY-MM-DD)."
            return None

    def raise_if_any(self) -> None:
        if self:
            from tracker.errors import ValidationFailed

            raise ValidationFailed.fields(dict(self))
