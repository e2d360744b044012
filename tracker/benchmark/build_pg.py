"""The bench world on PostgreSQL, through its bulk path: the same rows as the SQLite builder
(``Builder``, the same seed) streamed with COPY (psycopg's ``cursor.copy``), the big tables'
secondary indexes, unique and foreign-key constraints dropped while loading and added back
afterwards (one sort per index, one join per foreign key, instead of a check per row), the id
sequences moved past the loaded ids, then ``VACUUM ANALYZE`` (planner statistics, and the
visibility map that lets the lists' covering indexes answer without reading the table).

The database is marked (a comment on ``applications``) with N, the schema's fingerprint and the
migration head, so a later run reuses it; a database holding anything else is refused, never
emptied.
"""

from __future__ import annotations

import time

from flask import current_app
from flask_migrate import stamp
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from tracker.benchmark.build import (
    BIG_TABLES,
    Builder,
    Counts,
    Writer,
    _derived,
    migrations_head,
    schema_fingerprint,
)
from tracker.extensions import db


class NotABench(Exception):
    """The database holds tables that no bench build left: it is not ours to empty."""


def mark(n: int) -> str:
    return f"tracker bench n={n} schema={schema_fingerprint()} head={migrations_head()}"


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def database_exists(url: str) -> bool:
    name = make_url(url).database
    engine = _admin(url)
    try:
        with engine.connect() as conn:
            return bool(
                conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            )
    finally:
        engine.dispose()


def create_database(url: str, template: str | None = None) -> None:
    """CREATE DATABASE (a copy of ``template``'s files when given: fast, and nothing may be
    connected to the template meanwhile)."""
    name = make_url(url).database
    engine = _admin(url)
    try:
        with engine.connect() as conn:
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
    finally:
        engine.dispose()


def drop_database(url: str) -> None:
    engine = _admin(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        engine.dispose()


def bench_mark_of(url: str) -> str | None:
    """The mark a bench build left on the database at ``url`` (None: none, or no database)."""
    if not database_exists(url):
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(
                text(
                    "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
                    "WHERE c.relname = 'applications' AND c.relnamespace = current_schema()::regnamespace"
                )
            )
    finally:
        engine.dispose()


def is_current(url: str, n: int) -> bool:
    return bench_mark_of(url) == mark(n)


def _tables(conn) -> list[str]:
    return list(
        conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    )


def _empty_or_ours(url: str) -> None:
    """Drop the tables of an earlier bench build; refuse a database holding anything else."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            tables = _tables(conn)
            if not tables:
                return
            ours = (bench_mark_of(url) or "").startswith("tracker bench ")
            if not ours:
                raise NotABench(
                    f"{make_url(url).database} holds {len(tables)} tables that no bench build "
                    "left: make bench builds only into an empty database or its own."
                )
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"DROP TABLE IF EXISTS {names} CASCADE"))
    finally:
        engine.dispose()


def copy_writer(cursor) -> Writer:
    def write(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    return write


def _loosen(cursor) -> list[str]:
    """Drop the big tables' secondary indexes, unique and foreign-key constraints; the
    statements that add them back, in an order that works (indexes, uniques, foreign keys)."""
    tables = list(BIG_TABLES)
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('u', 'f')",
        (tables,),
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (tables,),
    )
    indexes = cursor.fetchall()
    for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {name}")
    restore = [sql for _, sql in indexes]
    for kind in ("u", "f"):
        restore += [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, contype, definition in constraints
            if contype == kind
        ]
    return restore


def _advance_sequences(cursor) -> None:
    """Ids were given by the builder: each table's sequence starts after the largest."""
    for table in db.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table.name,))
        (sequence,) = cursor.fetchone()
        if sequence:
            cursor.execute(
                f"SELECT setval(%s, coalesce(max(id), 0) + 1, false) FROM {table.name}",
                (sequence,),
            )


def build(app, n: int, url: str, *, log=print) -> Counts:
    """Build the bench world of N applications in the PostgreSQL database at ``url`` (created
    when missing), stamped with the newest migration and marked for reuse."""
    if not database_exists(url):
        create_database(url)
    _empty_or_ours(url)
    with app.app_context():
        db.create_all()
        stamp(directory=current_app.extensions["migrate"].directory)
        # ours from now on (a failed build may be rebuilt), but not finished
        db.session.execute(text("COMMENT ON TABLE applications IS 'tracker bench (building)'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    engine = create_engine(url)
    start = time.perf_counter()
    try:
        raw = engine.raw_connection()
        try:
            pg = raw.driver_connection
            with pg.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                cursor.execute("SET maintenance_work_mem = '256MB'")
                cursor.execute("SET TIME ZONE 'UTC'")  # the rows' times are UTC, as the app's
                restore = _loosen(cursor)
                counts = Builder(copy_writer(cursor), n).fill()
                pg.commit()
                log(f"  rows copied in {time.perf_counter() - start:.1f} s")
                step = time.perf_counter()
                for sql in restore:
                    cursor.execute(sql)
                _advance_sequences(cursor)
                pg.commit()
                log(
                    f"  {len(restore)} indexes and constraints added back in "
                    f"{time.perf_counter() - step:.1f} s"
                )
            step = time.perf_counter()
            pg.autocommit = True
            with pg.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            log(f"  VACUUM ANALYZE in {time.perf_counter() - step:.1f} s")
        finally:
            raw.close()
    finally:
        engine.dispose()
    with app.app_context():
        _derived(log)
        # last: a build that stopped half-way is never taken for a finished one
        db.session.execute(text(f"COMMENT ON TABLE applications IS '{mark(n)}'"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return counts
