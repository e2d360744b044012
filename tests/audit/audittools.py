"""Helpers of the audit tests."""

from __future__ import annotations

from sqlalchemy import text

from tracker.extensions import db


def sql(statement: str, **params) -> None:
    """Behind the app's back: raw SQL in its own transaction."""
    db.session.rollback()
    with db.engine.begin() as conn:
        conn.execute(text(statement), params)
