"""Checkpoints an auditor keeps outside the database, and the proof that nothing they cover
changed since.

A checkpoint commits to every history row that exists when it is taken: for each history table,
the newest row id, the number of rows up to it and a root, the SHA-256 over every row's id and
hash in id order. Rows are append-only and each hash covers its content and the row before it, so
the same rows give the same root, and an edited, deleted, inserted or re-sealed row (even one
re-chained with valid hashes after the triggers were dropped) gives another. The checkpoint is
one line of JSON: the database cannot change what the auditor keeps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.audit.chain import CHAINS, chain_tables

VERSION = 1


@dataclass(frozen=True)
class Covered:
    """What a checkpoint holds of one history table."""

    through_id: int
    rows: int
    root: str


def _covered(conn: Connection, table: sa.Table, through_id: int) -> Covered:
    digest, rows = hashlib.sha256(), 0
    query = (
        sa.select(table.c.id, table.c.hash)
        .where(table.c.id <= through_id)
        .order_by(table.c.id)
        .execution_options(yield_per=5000)
    )
    for row_id, row_hash in conn.execute(query):
        digest.update(f"{row_id}:{row_hash or ''}\n".encode())
        rows += 1
    return Covered(through_id, rows, digest.hexdigest())


def take(conn: Connection, now: dt.datetime) -> str:
    """The checkpoint of the whole history as it stands, as one line of JSON."""
    tables = {}
    for spec in CHAINS:
        history, _ = chain_tables(spec)
        newest = conn.scalar(sa.select(sa.func.max(history.c.id))) or 0
        covered = _covered(conn, history, newest)
        tables[spec.history] = {"through_id": newest, "rows": covered.rows, "root": covered.root}
    taken_at = now.astimezone(dt.UTC).isoformat(timespec="seconds")
    body = {"tracker_checkpoint": VERSION, "taken_at": taken_at, "tables": tables}
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


class BadCheckpoint(ValueError):
    """The text given is not a checkpoint this app wrote."""


@dataclass(frozen=True)
class Checkpoint:
    taken_at: str
    tables: dict[str, Covered]


def parse(text: str) -> Checkpoint:
    """The checkpoint on the last non-empty line of ``text`` (the whole output of
    ``audit checkpoint`` may be kept)."""
    lines = [line for line in text.splitlines() if line.strip()]
    try:
        body = json.loads(lines[-1])
        if body.get("tracker_checkpoint") != VERSION:
            raise BadCheckpoint("not a tracker checkpoint (version 1)")
        tables = {
            name: Covered(int(t["through_id"]), int(t["rows"]), str(t["root"]))
            for name, t in body["tables"].items()
        }
        return Checkpoint(str(body["taken_at"]), tables)
    except BadCheckpoint:
        raise
    except (IndexError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise BadCheckpoint(
            "its last line is not a checkpoint written by 'audit checkpoint'"
        ) from err


def differences(conn: Connection, checkpoint: Checkpoint) -> list[str]:
    """What differs, table by table, between the history now and what ``checkpoint`` covers
    (an empty list: every covered row is as it was)."""
    known = {spec.history: spec for spec in CHAINS}
    found = []
    for name, then in checkpoint.tables.items():
        if name not in known:
            found.append(f"{name}: no such history table")
            continue
        history, _ = chain_tables(known[name])
        now = _covered(conn, history, then.through_id)
        if now.rows != then.rows:
            found.append(
                f"{name}, rows up to id {then.through_id}: {then.rows} then, {now.rows} now "
                "(rows were deleted or inserted)"
            )
        elif now.root != then.root:
            found.append(
                f"{name}, rows up to id {then.through_id}: the root differs (a row it covers was "
                "edited and sealed again, or replaced)"
            )
    return found
