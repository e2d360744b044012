"""Migration 0015_afil keeps every row: proposals (and their append-only history) with their
constraints changed in place, organisations with their new public flag."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tracker.extensions import db

AT = "2022-03-10 10:00:00"


def _before() -> str:
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0015_afil.py"
    spec = importlib.util.spec_from_file_location("migration_0011", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration.down_revision


def _insert(conn, table: str, **values) -> None:
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})"), values)  # fmt: skip


@pytest.mark.fresh_database
def test_0011_keeps_proposals_history_and_organisations(empty_database):
    from flask_migrate import downgrade, upgrade

    before = _before()
    upgrade(revision=before)
    with db.engine.begin() as conn:
        for i, (kind, vat) in enumerate(
            [("university", "12345678903"), ("firm", "00000010150")], 1
        ):
            _insert(conn, "organisations", id=i, name=f"Org {i}", vat_number=vat, kind=kind,
                    lombardy_seat=True, created_at=AT, verified_at=AT)  # fmt: skip
        _insert(conn, "communities", id=1, name="Circular Economy", topic="", description="", created_at=AT)  # fmt: skip
        common = {"community_id": 1, "workflow": "community_proposal", "version": 3,
                  "summary": "", "created_at": AT, "updated_at": AT, "state_entered_at": AT}  # fmt: skip
        _insert(conn, "proposals", id=1, state="follow_up", title="Roadmap",
                act_reference="DGR 3098/2020", follow_up_reference="HUB", **common)  # fmt: skip
        _insert(conn, "proposals", id=2, state="idea", title="An idea", **common)
        _insert(conn, "proposal_history", proposal_id=1, seq=1, at=AT, trigger="start_validation",
                from_state="idea", to_state="concept_validation", comment="", data="{}",
                seconds_in_from_state=0, hash="a" * 64)  # fmt: skip
    upgrade()
    with db.engine.connect() as conn:
        orgs = conn.execute(text("SELECT id, public_body FROM organisations ORDER BY id")).all()
        proposals = conn.execute(text(
            "SELECT id, state, act_reference, value_chain_application_id, version FROM proposals "
            "ORDER BY id"
        )).all()  # fmt: skip
        history = conn.execute(text("SELECT count(*) FROM proposal_history")).scalar()
    assert [(i, bool(p)) for i, p in orgs] == [(1, True), (2, False)]
    assert [tuple(p) for p in proposals] == [
        (1, "follow_up", "DGR 3098/2020", None, 3),
        (2, "idea", None, None, 3),
    ]
    assert history == 1
    # the new rules hold in the database: a follow-up needs the act or a value chain; only
    # "endorsed" itself needs the act
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("UPDATE proposals SET act_reference = NULL WHERE id = 1"))
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _insert(conn, "proposals", id=3, state="follow_up", title="Steel", **common)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("UPDATE proposals SET state = 'endorsed' WHERE id = 2"))
    assert "community_activities" in inspect(db.engine).get_table_names()

    db.session.remove()
    downgrade(revision=before)
    columns = {c["name"] for c in inspect(db.engine).get_columns("proposals")}
    assert "value_chain_application_id" not in columns
    assert "public_body" not in {c["name"] for c in inspect(db.engine).get_columns("organisations")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM proposals")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM proposal_history")).scalar() == 1
    with pytest.raises(IntegrityError), db.engine.begin() as conn:  # the old rule is back
        conn.execute(text("UPDATE proposals SET act_reference = NULL WHERE id = 1"))
    upgrade()
