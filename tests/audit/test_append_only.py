"""History rows cannot be changed or deleted through the app (ORM guards), nor by plain SQL
while the database's triggers are in place; and nothing in the app deletes a subject with
history."""

from __future__ import annotations

import pytest
from audittools import sql
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DatabaseError

from tracker.applications.models import HistoryEntry
from tracker.audit.models import HistoryImmutableError
from tracker.communities.models import ProposalHistory
from tracker.extensions import db


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_orm_refuses_to_change_a_history_row(chained):
    entry = db.session.scalars(select(HistoryEntry).order_by(HistoryEntry.id)).first()
    entry.comment = "Rewritten"
    with pytest.raises(HistoryImmutableError, match="cannot be changed"):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(HistoryEntry, entry.id).comment == ""


def test_the_orm_refuses_to_delete_a_history_row_or_a_subject_with_history(chained):
    entry = db.session.scalars(select(ProposalHistory)).first()
    db.session.delete(entry)
    with pytest.raises(HistoryImmutableError, match="cannot be deleted"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(chained.long)  # its history cascades: refused as a whole
    with pytest.raises(HistoryImmutableError):
        db.session.flush()
    assert count(HistoryEntry) == 4 and count(ProposalHistory) == 2


def test_bulk_statements_through_the_session_are_refused(chained):
    for statement in (
        update(HistoryEntry).values(comment="x"),
        delete(ProposalHistory),
        update(ProposalHistory).where(ProposalHistory.seq == 1).values(to_state="idea"),
    ):
        with pytest.raises(HistoryImmutableError):
            db.session.execute(statement)
        db.session.rollback()
    assert count(HistoryEntry) == 4


def test_new_rows_are_still_written(make, chained):
    """The guards refuse changes, never the appending of the next row."""
    make.fire(chained.short, chained.world.reviewers[0], "admit")
    assert count(HistoryEntry) == 5


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE history SET comment = 'Rewritten'",
        "UPDATE proposal_history SET to_state = 'idea'",
        "DELETE FROM history",
        "DELETE FROM proposal_history WHERE seq = 2",
        "DELETE FROM applications",  # cascades to history
    ],
)
@pytest.mark.fresh_database
def test_the_database_refuses_raw_updates_and_deletes(app, chained, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        sql(statement)
    assert count(HistoryEntry) == 4 and count(ProposalHistory) == 2
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


@pytest.mark.fresh_database
def test_a_row_without_its_hash_may_be_sealed_once(app, chained):
    """What a bulk load writes can be sealed; once sealed it is frozen like the rest."""
    sql(
        "INSERT INTO history (application_id, seq, at, actor_id, trigger, from_state, to_state, "
        "comment, data, seconds_in_from_state) VALUES (:a, 1, '2026-01-01 00:00:00', NULL, "
        "'submit', 'draft', 'submitted', '', '{}', 0)",
        a=chained.draft.id,
    )
    sql("UPDATE applications SET state = 'submitted' WHERE id = :id", id=chained.draft.id)
    assert app.test_cli_runner().invoke(args=["audit", "seal"]).output == "Sealed 1 history rows.\n"
    with pytest.raises(DatabaseError, match="append-only"):
        sql("UPDATE history SET hash = NULL WHERE application_id = :a", a=chained.draft.id)
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


#: the one place that deletes a subject: a draft never submitted, which has no history
#: (``Application.deletable``), deleted by its lead (issue 14)
DELETES_A_DRAFT = ("applications/operations.py", "delete_draft")


def test_no_operation_deletes_applications_or_proposals():
    """Nothing in the app deletes a subject (it would take its history with it): the only
    deletes are of partners and the like, and of a draft that has no history yet."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "tracker"
    offenders = []
    for path in root.rglob("*.py"):
        source = path.read_text()
        for m in re.finditer(r"(session\.delete\(|delete\((Application|Proposal)\b)", source):
            line = source[: m.start()].count("\n") + 1
            function = re.findall(r"^def (\w+)", source[: m.start()], re.M)[-1:]
            if (str(path.relative_to(root)), *function) == DELETES_A_DRAFT:
                continue
            offenders.append(f"{path.relative_to(root)}:{line}")
    assert offenders == []


def test_a_draft_with_history_is_never_deleted(make, world):
    """A draft that was withdrawn (it has a history row) is not deletable: 409, nothing gone."""
    from tracker.applications.models import Application
    from tracker.applications.operations import delete_draft
    from tracker.errors import Conflict
    from tracker.extensions import db

    draft = make.application(world.call, world.lead)
    make.fire(draft, world.lead, "withdraw", comment="Not this year.")
    with pytest.raises(Conflict):
        delete_draft(world.lead, draft)
    assert db.session.get(Application, draft.id) is not None
