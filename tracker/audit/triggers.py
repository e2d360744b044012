"""The database triggers that refuse UPDATE and DELETE of history rows (SQLite, PostgreSQL).

Plain SQL text, no ORM: the migration that introduced them runs the same statements.
"""

from __future__ import annotations

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN
        RETURN NEW;  -- sealing a row written without its hash
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'history rows are append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused';
END
$$
"""


def trigger_ddl(table: str, dialect: str) -> list[str]:
    """The statements that make ``table`` append-only on ``dialect`` (the migration runs them
    too)."""
    if dialect == "postgresql":
        return [
            _PG_FUNCTION,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION history_append_only()",
        ]
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} WHEN OLD.hash IS NOT NULL "
            f"BEGIN SELECT RAISE(ABORT, 'history rows are append-only: UPDATE on {table} "
            "refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'history rows are append-only: DELETE on {table} "
            "refused'); END",
        ]
    return []


def drop_trigger_ddl(table: str, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"]
    if dialect == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return []
