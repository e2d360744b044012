"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_cents(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite would drop the zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (tracker.columns.utcnow)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Hundredths(TypeDecorator):
    """An exact decimal with two places (money, scores), stored as an integer number of hundredths.

    SQLite has no exact decimal type; an integer is exact on every database.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int(to_cents(value) * 100)

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(CENT)
