"""Italian VAT numbers (partita IVA): 11 digits, the last a Luhn-style check digit."""

from __future__ import annotations

import re

from workflows.i18n import N_

_ELEVEN_DIGITS = re.compile(r"\d{11}")


def vat_check_digit(first_ten: str) -> int:
    """The check digit of the first ten digits (odd positions summed, even ones doubled)."""
    total = 0
    for i, ch in enumerate(first_ten):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return (10 - total % 10) % 10


def normalise_vat(raw: str) -> str:
    """Strip spaces and an optional 'IT' prefix."""
    value = re.sub(r"\s+", "", raw or "").upper()
    return value[2:] if value.startswith("IT") else value


def vat_problem(raw: str) -> str | None:
    """None for a valid partita IVA, else why it is not one."""
    value = normalise_vat(raw)
    if not _ELEVEN_DIGITS.fullmatch(value):
        return N_("A VAT number (partita IVA) has exactly 11 digits.")
    if value[:7] == "0000000":
        return N_("A VAT number cannot start with seven zeros.")
    if vat_check_digit(value[:10]) != int(value[10]):
        return N_("This VAT number's check digit is wrong: please check it for typos.")
    return None
