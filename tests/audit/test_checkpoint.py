"""An auditor's checkpoint, kept outside the database, proves that no history row it covers
changed since, even when the chains were re-sealed after an edit (both databases)."""

from __future__ import annotations

import pytest
from audittools import sql
from sqlalchemy import func, select

from tracker.applications.models import HistoryEntry
from tracker.audit.checkpoint import parse
from tracker.extensions import db

# the CLI reads on its own connection, and raw SQL goes behind the app's back
pytestmark = pytest.mark.fresh_database


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def take_checkpoint(app, tmp_path):
    result = run(app, "audit", "checkpoint")
    assert result.exit_code == 0, result.output
    path = tmp_path / "checkpoint.txt"
    path.write_text(result.output)  # the whole output: its last line is the checkpoint
    return path


def newest_row(application) -> HistoryEntry:
    return db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.of(application)).order_by(HistoryEntry.seq.desc())
    ).first()


def test_a_checkpoint_covers_every_row_and_verifies_while_nothing_changed(
    app, chained, make, tmp_path
):
    path = take_checkpoint(app, tmp_path)
    checkpoint = parse(path.read_text())
    assert checkpoint.tables["history"].rows == db.session.scalar(
        select(func.count(HistoryEntry.id))
    )
    assert checkpoint.tables["history"].through_id == db.session.scalar(
        select(func.max(HistoryEntry.id))
    )
    assert checkpoint.tables["proposal_history"].rows == 2  # the proposal's two changes

    make.fire(chained.short, chained.world.reviewers[0], "admit")  # history goes on after it
    result = run(app, "audit", "verify", "--checkpoint", str(path))
    assert result.exit_code == 0, result.output
    assert "As at the checkpoint of" in result.output


def test_an_edit_sealed_again_passes_verify_but_not_the_checkpoint(
    app, chained, no_triggers, tmp_path
):
    """The newest row of the table is edited and re-sealed with valid hashes: the chains verify,
    the checkpoint shows the change."""
    path = take_checkpoint(app, tmp_path)
    row = newest_row(chained.short)
    sql("UPDATE history SET comment = 'Backdated.', prev_hash = NULL, hash = NULL WHERE id = :id",
        id=row.id)  # fmt: skip
    sql("UPDATE applications SET history_head = NULL WHERE id = :id", id=chained.short.id)
    assert run(app, "audit", "seal").exit_code == 0
    assert run(app, "audit", "verify").exit_code == 0  # the chain alone cannot tell

    result = run(app, "audit", "verify", "--checkpoint", str(path))
    assert result.exit_code == 1
    assert "CHANGED since the checkpoint" in result.output
    assert "history, rows up to id" in result.output and "the root differs" in result.output


def test_a_deleted_covered_row_is_named_by_the_checkpoint(app, chained, no_triggers, tmp_path):
    path = take_checkpoint(app, tmp_path)
    proposal_rows = parse(path.read_text()).tables["proposal_history"].rows
    # the newest row deleted, the head and the state put back one step: the chain looks whole
    sql("DELETE FROM proposal_history WHERE proposal_id = :id AND seq = 2", id=chained.proposal.id)
    sql("UPDATE proposals SET history_head = (SELECT hash FROM proposal_history WHERE "
        "proposal_id = :id AND seq = 1), state = (SELECT to_state FROM proposal_history WHERE "
        "proposal_id = :id AND seq = 1) WHERE id = :id", id=chained.proposal.id)  # fmt: skip
    assert run(app, "audit", "verify").exit_code == 0
    result = run(app, "audit", "verify", "--checkpoint", str(path))
    assert result.exit_code == 1
    assert f"{proposal_rows} then, {proposal_rows - 1} now" in result.output


def test_no_checkpoint_of_a_broken_history(app, chained, no_triggers):
    row = newest_row(chained.long)
    sql("UPDATE history SET comment = 'Edited.' WHERE id = :id", id=row.id)
    result = run(app, "audit", "checkpoint")
    assert result.exit_code == 1
    assert "No checkpoint of a broken history" in result.output and "edited" in result.output


def test_a_file_that_is_no_checkpoint_is_refused_clearly(app, chained, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my notes\n")
    result = run(app, "audit", "verify", "--checkpoint", str(path))
    assert result.exit_code == 2
    assert "not a checkpoint written by 'audit checkpoint'" in result.output
