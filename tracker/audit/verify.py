"""Walk every history chain and say whether it is intact, or where it first breaks.

Rows are streamed in (subject, seq) order next to the subjects in id order, so memory stays
bounded however long the history. A chain breaks when a row was edited (its hash no longer
matches its content), a row is missing (a gap in seq, or a row whose prev_hash is not the hash
before it), the newest rows were deleted (the subject's head is not its last row's hash), a row
was never sealed, or the subject's state is not where its last row says it went.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.audit.chain import CHAINS, GENESIS, ChainSpec, chain_tables, history_rows, row_hash
from workflows import get_workflow


@dataclass(frozen=True)
class Break:
    """Where a chain breaks: the row (or the missing seq) and why."""

    table: str
    kind: str
    subject_id: int
    seq: int | None
    row_id: int | None
    reason: str

    def __str__(self) -> str:
        row = f"{self.table} row {self.row_id}" if self.row_id is not None else self.table
        seq = f", seq {self.seq}" if self.seq is not None else ""
        return f"{row} ({self.kind} {self.subject_id}{seq}): {self.reason}"


@dataclass
class Report:
    rows: int = 0
    chains: int = 0
    subjects: int = 0
    breaks: list[Break] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        tables = ", ".join(spec.history for spec in CHAINS)
        text = (
            f"{self.rows} history rows in {self.chains} chains "
            f"({self.subjects} subjects, tables {tables})"
        )
        if self.intact:
            return f"Intact: {text}, every hash and head verified."
        return f"BROKEN: {len(self.breaks)} of the chains are broken; {text}."


def verify(conn: Connection) -> Report:
    """Every chain of every history table; a broken subject is reported once, at its first
    broken row."""
    report = Report()
    for spec in CHAINS:
        _verify_table(conn, spec, report)
    return report


def _subjects(conn: Connection, subjects: sa.Table) -> Iterator[Any]:
    query = sa.select(subjects).order_by(subjects.c.id)
    yield from conn.execute(query.execution_options(yield_per=2000))


def _verify_table(conn: Connection, spec: ChainSpec, report: Report) -> None:
    history, subjects = chain_tables(spec)
    rows = history_rows(conn, spec, history)
    row = next(rows, None)
    for subject in _subjects(conn, subjects):
        # Rows and subjects advance together: a foreign key (ON DELETE CASCADE) ties every row
        # to an existing subject.
        walk = _Walk(spec, subject)
        while row is not None and getattr(row, spec.subject_key) == subject.id:
            walk.add(row)
            row = next(rows, None)
        report.subjects += 1
        report.rows += walk.count
        report.chains += bool(walk.count or subject.history_head is not None)
        if (problem := walk.finish()) is not None:
            report.breaks.append(problem)


class _Walk:
    """One subject's chain, checked row by row as the rows stream past."""

    def __init__(self, spec: ChainSpec, subject: Any) -> None:
        self.spec, self.subject = spec, subject
        self.prev, self.last, self.count = GENESIS, None, 0
        self.problem: Break | None = None

    def broken(self, reason: str, row: Any = None, seq: int | None = None) -> Break:
        return Break(
            self.spec.history, self.spec.kind, self.subject.id,
            row.seq if row is not None else seq, row.id if row is not None else None, reason,
        )  # fmt: skip

    def add(self, row: Any) -> None:
        self.count += 1
        if self.problem is None:
            self.problem = self._check(row, self.count)
            self.prev, self.last = row.hash, row

    def _check(self, row: Any, expected_seq: int) -> Break | None:
        if row.seq != expected_seq:
            return self.broken(
                f"missing row: seq {expected_seq} is not there (deleted), the chain jumps to "
                f"seq {row.seq}",
                row,
            )
        if row.hash is None:
            return self.broken("not sealed: the row has no hash (run 'flask audit seal')", row)
        if row.prev_hash != self.prev:
            return self.broken("chain broken: its prev_hash is not the previous row's hash", row)
        if row_hash(self.spec.history, row, self.spec.subject_key, self.prev) != row.hash:
            return self.broken("edited: its content no longer matches its hash", row)
        return None

    def finish(self) -> Break | None:
        if self.problem is not None:
            return self.problem
        kind, subject, last = self.spec.kind, self.subject, self.last
        if subject.history_head != (last.hash if last is not None else None):
            if subject.history_head is None:
                return self.broken(
                    f"head missing: the {kind} does not record its chain's head", last
                )
            seq = (last.seq if last is not None else 0) + 1
            return self.broken(
                f"deleted tail: the {kind}'s head is not its last row's hash: rows from seq "
                f"{seq} on were deleted",
                seq=seq,
            )
        expected = last.to_state if last is not None else _initial(subject.workflow)
        if expected is not None and subject.state != expected:
            where = "its last history row" if last is not None else "its workflow's initial state"
            return self.broken(
                f"state mismatch: the {kind} is '{subject.state}' but {where} says '{expected}'",
                last,
            )
        return None


def _initial(workflow: str | None) -> str | None:
    try:
        return get_workflow(workflow).initial
    except KeyError:
        return None
