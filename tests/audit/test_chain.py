"""Each history row is chained to the previous one of its subject; ``flask audit verify`` finds
the first row edited, missing or cut off behind the app's back, on both databases."""

from __future__ import annotations

import hashlib

import pytest
from audittools import sql
from sqlalchemy import func, select

from tracker.applications.models import HistoryEntry
from tracker.audit.chain import GENESIS, canonical, seal_all
from tracker.communities.models import ProposalHistory
from tracker.database import commit
from tracker.extensions import db

pytestmark = (
    pytest.mark.fresh_database
)  # raw SQL behind the app's back, and `audit verify` reads on a connection of its own


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def rows_of(app_or_proposal, model=HistoryEntry):
    return list(
        db.session.scalars(select(model).where(model.of(app_or_proposal)).order_by(model.seq))
    )


def test_rows_chain_to_the_previous_row_of_their_subject_and_the_head_is_the_last(chained):
    rows = rows_of(chained.long)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert chained.long.history_head == rows[-1].hash
    # the hash covers the row's meaning, recomputed here from the canonical encoding
    r = rows[1]
    payload = canonical("history", chained.long.id, 2, r.at, r.actor_id, "request_integration",
                        "submitted", "integration_requested", "Please upload the agreement.",
                        {"reply_by": r.data["reply_by"]}, r.seconds_in_from_state,
                        rows[0].hash)  # fmt: skip
    assert r.hash == hashlib.sha256(payload).hexdigest()
    assert b'"Please upload the agreement."' in payload
    # each subject has its own chain; a draft has none
    assert rows_of(chained.short)[0].prev_hash == GENESIS
    assert chained.draft.history_head is None
    proposal_rows = rows_of(chained.proposal, ProposalHistory)
    assert chained.proposal.history_head == proposal_rows[-1].hash
    assert len({r.hash for r in rows + proposal_rows}) == len(rows) + len(proposal_rows)


def test_an_intact_world_verifies(app, chained):
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    line = result.output.strip()
    assert line.startswith("Intact: 6 history rows in 3 chains")
    assert "tables history, proposal_history" in line


def test_an_edited_comment_is_named(app, chained, no_triggers):
    second = rows_of(chained.long)[1]
    sql("UPDATE history SET comment = 'Nothing to add.' WHERE id = :id", id=second.id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert (
        f"First broken row: history row {second.id} (application {chained.long.id}, seq 2): "
        "edited: its content no longer matches its hash"
    ) in result.output
    assert "BROKEN: 1 of the chains are broken" in result.output


def test_edits_of_any_part_of_a_row_are_found(app, chained, no_triggers):
    first = rows_of(chained.proposal, ProposalHistory)[0]
    where = f"WHERE id = {first.id}"
    cases = [  # (column, the edit, what puts it back)
        ("to_state", "'board_review'", "'concept_validation'"),
        ("actor_id", "NULL", str(first.actor_id)),
        ("data", """'{"act_reference": "DGR 1/2020"}'""", "'{}'"),
        ("seconds_in_from_state", "seconds_in_from_state + 1", "seconds_in_from_state - 1"),
        ("trigger", "'park'", "'start_validation'"),
        ("prev_hash", "hash", f"'{first.prev_hash}'"),
    ]
    for column, edit, undo in cases:
        sql(f"UPDATE proposal_history SET {column} = {edit} {where}")
        result = run(app, "audit", "verify")
        assert result.exit_code == 1, column
        assert f"proposal_history row {first.id} (proposal {chained.proposal.id}, seq 1): " in (
            result.output
        )
        sql(f"UPDATE proposal_history SET {column} = {undo} {where}")
        assert run(app, "audit", "verify").exit_code == 0, column


def test_a_deleted_middle_row_is_a_gap(app, chained, no_triggers):
    rows = rows_of(chained.long)
    sql("DELETE FROM history WHERE id = :id", id=rows[1].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert (
        f"history row {rows[2].id} (application {chained.long.id}, seq 3): missing row: seq 2 "
        "is not there (deleted), the chain jumps to seq 3"
    ) in result.output


def test_a_deleted_and_renumbered_row_breaks_the_chain(app, chained, no_triggers):
    rows = rows_of(chained.long)
    sql("DELETE FROM history WHERE id = :id", id=rows[1].id)
    sql("UPDATE history SET seq = 2 WHERE id = :id", id=rows[2].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"history row {rows[2].id} (application {chained.long.id}, seq 2): chain broken" in (
        result.output
    )


def test_a_deleted_last_row_is_a_deleted_tail(app, chained, no_triggers):
    rows = rows_of(chained.long)
    sql("DELETE FROM history WHERE id = :id", id=rows[2].id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert (
        f"history (application {chained.long.id}, seq 3): deleted tail: the application's head "
        "is not its last row's hash: rows from seq 3 on were deleted"
    ) in result.output
    # every row of a subject gone
    sql("DELETE FROM history WHERE application_id = :id", id=chained.short.id)
    result = run(app, "audit", "verify")
    assert f"history (application {chained.short.id}, seq 1): deleted tail" in result.output
    assert "BROKEN: 2 of the chains are broken" in result.output


def test_a_state_changed_behind_the_app_is_a_mismatch(app, chained):
    sql("UPDATE applications SET state = 'under_evaluation' WHERE id = :id", id=chained.long.id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    last = rows_of(chained.long)[-1]
    assert (
        f"history row {last.id} (application {chained.long.id}, seq 3): state mismatch: the "
        "application is 'under_evaluation' but its last history row says 'submitted'"
    ) in result.output
    # a subject without history must be in its workflow's initial state
    sql("UPDATE applications SET state = 'submitted' WHERE id = :id", id=chained.draft.id)
    sql("UPDATE applications SET state = 'submitted' WHERE id = :id", id=chained.long.id)
    result = run(app, "audit", "verify")
    assert f"history (application {chained.draft.id}): state mismatch" in result.output
    assert "its workflow's initial state says 'draft'" in result.output


def test_a_forged_head_is_found(app, chained):
    sql("UPDATE proposals SET history_head = :h WHERE id = :id", h="f" * 64, id=chained.proposal.id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"(proposal {chained.proposal.id}, seq 3): deleted tail" in result.output


def test_seal_all_chains_unsealed_rows_exactly_as_the_app_did(app, chained, no_triggers):
    """Rows written without hashes after every sealed row (a bulk load) get the chains the app
    would have written."""
    rows = rows_of(chained.short)
    newest = db.session.scalar(select(func.max(HistoryEntry.id)))
    assert rows[-1].id == newest  # nothing sealed after it
    expected = [(r.prev_hash, r.hash) for r in rows]
    sql("UPDATE history SET prev_hash = NULL, hash = NULL WHERE application_id = :id",
        id=chained.short.id)  # fmt: skip
    sql("UPDATE applications SET history_head = NULL WHERE id = :id", id=chained.short.id)
    result = run(app, "audit", "verify")
    assert result.exit_code == 1
    assert f"history row {rows[0].id} (application {chained.short.id}, seq 1): not sealed" in (
        result.output
    )
    result = run(app, "audit", "seal")
    assert result.exit_code == 0 and "Sealed 1 history rows." in result.output
    db.session.expire_all()
    assert [(r.prev_hash, r.hash) for r in rows_of(chained.short)] == expected
    assert db.session.get(type(chained.short), chained.short.id).history_head == expected[-1][1]
    assert run(app, "audit", "verify").exit_code == 0
    assert seal_all() == 0  # nothing left to seal


def test_rows_whose_hashes_were_removed_are_never_sealed_again(app, chained, no_triggers):
    """The operator's trick: drop the triggers, edit a row, blank the hashes from there on and
    seal. The edited rows are older than rows sealed after them, so sealing refuses them."""
    rows = rows_of(chained.long)
    sql("UPDATE history SET comment = 'Nothing was asked.' WHERE id = :id", id=rows[1].id)
    sql("UPDATE history SET prev_hash = NULL, hash = NULL WHERE application_id = :id AND seq >= 2",
        id=chained.long.id)  # fmt: skip
    sql("UPDATE applications SET history_head = NULL WHERE id = :id", id=chained.long.id)
    result = run(app, "audit", "seal")
    assert result.exit_code == 1
    assert f"history row {rows[1].id} (application {chained.long.id}, seq 2) has no hash" in (
        result.output
    )
    assert "Nothing was sealed" in result.output
    db.session.expire_all()
    assert [r.hash for r in rows_of(chained.long)][1:] == [None, None]
    result = run(app, "audit", "verify")
    assert result.exit_code == 1 and "not sealed" in result.output


def test_bulk_loaded_rows_are_sealed_in_batches(app, make, chained, monkeypatch):
    """Raw inserts without hashes, as a benchmark builder writes them, over several batches."""
    from tracker.audit import chain

    monkeypatch.setattr(chain, "SEAL_BATCH", 1)
    world = chained.world
    drafts = [chained.draft, make.application(world.call, world.lead, complete=False)]
    at = "2026-01-02 03:04:05.123456"
    for draft in drafts:
        for seq, (trigger, source, dest) in enumerate(
            [("submit", "draft", "submitted"), ("admit", "submitted", "under_evaluation")], 1
        ):
            sql("INSERT INTO history (application_id, seq, at, actor_id, trigger, from_state, "
                "to_state, comment, data, seconds_in_from_state) VALUES (:a, :s, :at, :u, :t, "
                ":f, :to, '', '{}', 60)", a=draft.id, s=seq, at=at, u=world.lead.id, t=trigger,
                f=source, to=dest)  # fmt: skip
        sql("UPDATE applications SET state = 'under_evaluation' WHERE id = :id", id=draft.id)
    assert run(app, "audit", "verify").exit_code == 1
    db.session.rollback()
    assert seal_all() == 2 * len(drafts)
    commit()
    result = run(app, "audit", "verify")
    assert result.exit_code == 0, result.output
    assert "Intact: 10 history rows in 5 chains" in result.output


def test_verify_help_says_what_it_checks(app):
    result = run(app, "audit", "verify", "--help")
    assert result.exit_code == 0
    assert "exit" in result.output.lower() and "first broken row" in result.output
    assert "edited" in result.output and "deleted tail" in result.output
