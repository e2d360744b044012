"""The hash chain of history rows, and sealing rows written without one.

A row's hash is the SHA-256 of a canonical JSON encoding of what the row means (its table, its
subject, seq, time, actor, trigger, states, comment, data, time spent in the old state) and of
the previous row's hash; a subject's first row chains to ``GENESIS``. The subject keeps its last
hash as ``history_head``, so deleting the newest row shows too.

Nothing here imports the ORM models: the migration that introduced the chain seals existing
databases with these same functions, on tables described in ``chain_tables``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.columns import UTCDateTime

GENESIS = "0" * 64
#: subjects whose unsealed rows are sealed together (bounded memory, few statements)
SEAL_BATCH = 2000


@dataclass(frozen=True)
class ChainSpec:
    """One kind of history: its table, its subjects' table and the column naming the subject."""

    kind: str
    history: str
    subjects: str
    subject_key: str


CHAINS = (
    ChainSpec("application", "history", "applications", "application_id"),
    ChainSpec("proposal", "proposal_history", "proposals", "proposal_id"),
    ChainSpec("change", "change_history", "partnership_changes", "change_id"),
    ChainSpec("report", "report_history", "reports", "report_id"),
)


def canonical(table: str, subject_id: int, seq: int, at: dt.datetime, actor_id: int | None,
              trigger: str, from_state: str, to_state: str, comment: str | None,
              data: dict | None, seconds_in_from_state: int | None, prev_hash: str) -> bytes:  # fmt: skip
    """The bytes a row's hash covers: one JSON array, keys sorted, no spaces, UTC microseconds."""
    at_utc = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    fields = [table, subject_id, seq, at_utc, actor_id, trigger, from_state, to_state,
              comment or "", data or {}, seconds_in_from_state or 0, prev_hash]  # fmt: skip
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def digest(*fields: Any) -> str:
    """The hash of a row given ``canonical``'s arguments (bulk loaders hash rows they write)."""
    return hashlib.sha256(canonical(*fields)).hexdigest()


def row_hash(table: str, row: Any, subject_key: str, prev_hash: str) -> str:
    """The hash of ``row`` (an ORM history entry or a result row with the same names)."""
    if isinstance(row, sa.Row):  # a row of ``chain_tables``: by position, much faster
        _, subject, seq, at, actor, trigger, source, dest, comment, data, seconds, *_ = row
        return digest(table, subject, seq, at, actor, trigger, source, dest, comment, data,
                      seconds, prev_hash)  # fmt: skip
    return hashlib.sha256(
        canonical(
            table,
            getattr(row, subject_key),
            row.seq,
            row.at,
            row.actor_id,
            row.trigger,
            row.from_state,
            row.to_state,
            row.comment,
            row.data,
            row.seconds_in_from_state,
            prev_hash,
        )  # fmt: skip
    ).hexdigest()


def seal(entry: Any, prev_hash: str | None) -> str:
    """Chain a new history entry (before it is flushed) to ``prev_hash``; answers its hash."""
    entry.prev_hash = prev_hash or GENESIS
    entry.hash = row_hash(entry.__tablename__, entry, entry.subject_key, entry.prev_hash)
    return entry.hash


# --- the tables, described without the ORM ----------------------------------------------------


def chain_tables(spec: ChainSpec, metadata: sa.MetaData | None = None) -> tuple[sa.Table, sa.Table]:
    """Light descriptions of the history and subject tables: just the columns the chain reads
    and writes, with the types that read them back as the app wrote them."""
    metadata = metadata if metadata is not None else sa.MetaData()
    history = sa.Table(
        spec.history, metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(spec.subject_key, sa.Integer),
        sa.Column("seq", sa.Integer),
        sa.Column("at", UTCDateTime),
        sa.Column("actor_id", sa.Integer),
        sa.Column("trigger", sa.String),
        sa.Column("from_state", sa.String),
        sa.Column("to_state", sa.String),
        sa.Column("comment", sa.Text),
        sa.Column("data", sa.JSON),
        sa.Column("seconds_in_from_state", sa.Integer),
        sa.Column("prev_hash", sa.String(64)),
        sa.Column("hash", sa.String(64)),
    )  # fmt: skip
    subjects = sa.Table(
        spec.subjects, metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("workflow", sa.String),
        sa.Column("state", sa.String),
        sa.Column("history_head", sa.String(64)),
    )  # fmt: skip
    return history, subjects


def history_rows(conn: Connection, spec: ChainSpec, history: sa.Table, where=None,
                 batch: int = 2000) -> Iterator[Any]:  # fmt: skip
    """Rows ordered by (subject, seq), streamed ``batch`` at a time (bounded memory)."""
    query = sa.select(history).order_by(history.c[spec.subject_key], history.c.seq)
    if where is not None:
        query = query.where(where)
    yield from conn.execute(query.execution_options(yield_per=batch))


# --- sealing rows written without a hash (migrations, bulk loads) -----------------------------


class ResealRefused(Exception):
    """Rows without a hash that come before a sealed row: their hashes were removed, and sealing
    them again would hide whatever was changed in them."""


def seal_pending(conn: Connection, specs: tuple[ChainSpec, ...] = CHAINS) -> int:
    """Compute the chains of every subject that has rows without a hash, from its first unsealed
    row on, and set its head. Batched by subjects; answers how many rows were sealed.

    Only rows written after the newest sealed row of their table are sealed: the app seals every
    row it writes, so a row without a hash older than a sealed one was sealed before and had its
    hash removed. Then nothing is sealed (``ResealRefused`` names the first such row).
    ``specs``: the chains to seal (a migration names those its schema has)."""
    for spec in specs:
        _refuse_resealing(conn, spec)
    sealed = 0
    for spec in specs:
        history, subjects = chain_tables(spec)
        key = history.c[spec.subject_key]
        pending = list(
            conn.scalars(sa.select(key).where(history.c.hash.is_(None)).distinct().order_by(key))
        )
        for start in range(0, len(pending), SEAL_BATCH):
            ids = pending[start : start + SEAL_BATCH]
            rows = history_rows(conn, spec, history, key.in_(ids))
            hashes, heads = _chains_of(spec, rows)
            _write(conn, history, subjects, hashes, heads)
            sealed += len(hashes)
    return sealed


def _refuse_resealing(conn: Connection, spec: ChainSpec) -> None:
    history, _ = chain_tables(spec)
    newest_sealed = conn.scalar(
        sa.select(sa.func.max(history.c.id)).where(history.c.hash.is_not(None))
    )
    if newest_sealed is None:
        return
    blanked = conn.execute(
        sa.select(history.c.id, history.c[spec.subject_key], history.c.seq)
        .where(history.c.hash.is_(None), history.c.id < newest_sealed)
        .order_by(history.c.id)
        .limit(1)
    ).first()
    if blanked is not None:
        row_id, subject, seq = blanked
        raise ResealRefused(
            f"{spec.history} row {row_id} ({spec.kind} {subject}, seq {seq}) has no hash, but "
            f"row {newest_sealed} after it is sealed: its hash was removed, and sealing it again "
            "would hide what was changed. Nothing was sealed: restore the history from a backup "
            "and check it with 'audit verify --checkpoint'."
        )


def _chains_of(spec: ChainSpec, rows: Iterable[Any]) -> tuple[list[dict], list[dict]]:
    """(row id, prev_hash, hash) of each row from a subject's first unsealed row on, and
    (subject id, head) of each subject."""
    hashes: list[dict] = []
    heads: dict[int, str] = {}
    subject, prev, rewriting = None, GENESIS, False
    for row in rows:
        sid = getattr(row, spec.subject_key)
        if sid != subject:
            subject, prev, rewriting = sid, GENESIS, False
        rewriting = rewriting or row.hash is None
        if rewriting:
            digest = row_hash(spec.history, row, spec.subject_key, prev)
            hashes.append({"row_id": row.id, "prev": prev, "digest": digest})
            prev = digest
        else:
            prev = row.hash
        heads[sid] = prev
    return hashes, [{"subject_id": s, "head": h} for s, h in heads.items()]


def _write(conn: Connection, history: sa.Table, subjects: sa.Table, hashes, heads) -> None:
    """Set-based: load the new values into a temporary table, then one UPDATE of each table."""
    if not hashes:
        return
    staged = sa.Table(
        "audit_sealed", sa.MetaData(),
        sa.Column("row_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("prev", sa.String(64)),
        sa.Column("digest", sa.String(64)),
        prefixes=["TEMPORARY"],
    )  # fmt: skip
    staged_heads = sa.Table(
        "audit_heads", sa.MetaData(),
        sa.Column("subject_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("head", sa.String(64)),
        prefixes=["TEMPORARY"],
    )  # fmt: skip
    for table, values in ((staged, hashes), (staged_heads, heads)):
        table.drop(conn, checkfirst=True)
        table.create(conn)
        conn.execute(table.insert(), values)
    # Driven by the staged rows (an indexed lookup each), never by a scan of the whole table.
    staged_row = sa.select(staged.c.row_id).where(staged.c.row_id == history.c.id)
    conn.execute(
        history.update()
        .values(
            prev_hash=staged_row.with_only_columns(staged.c.prev).scalar_subquery(),
            hash=staged_row.with_only_columns(staged.c.digest).scalar_subquery(),
        )
        .where(history.c.id.in_(sa.select(staged.c.row_id)))
    )
    staged_head = sa.select(staged_heads.c.head).where(staged_heads.c.subject_id == subjects.c.id)
    conn.execute(
        subjects.update()
        .values(history_head=staged_head.scalar_subquery())
        .where(subjects.c.id.in_(sa.select(staged_heads.c.subject_id)))
    )
    staged.drop(conn)
    staged_heads.drop(conn)


def seal_all() -> int:
    """Seal every history row written without a hash (e.g. by a bulk load), in the current
    session's transaction; the caller commits. Answers how many rows were sealed."""
    from tracker.extensions import db

    return seal_pending(db.session.connection())
