"""Migration 0027_search_document on a database holding data: every row stays as it was, the
words of the applications already there are stored at once (PostgreSQL; nothing changes on
SQLite), and they follow later writes."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tracker.applications.models import Application
from tracker.applications.queries import ApplicationFilters, list_applications
from tracker.database import commit
from tracker.extensions import db
from tracker.pagination import PageRequest
from tracker.search.models import PG_STORED, SEARCH_TABLES


def _columns() -> dict[str, list[str]]:
    names = set(inspect(db.engine).get_table_names()) - SEARCH_TABLES - {"alembic_version"}
    return {n: [c["name"] for c in inspect(db.engine).get_columns(n)] for n in sorted(names)}


def _rows(columns: dict[str, list[str]]) -> dict[str, list]:
    out = {}
    with db.engine.connect() as conn:
        for name, cols in columns.items():
            listed = ", ".join(f'"{c}"' for c in cols)
            rows = conn.execute(text(f'SELECT {listed} FROM "{name}"')).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


def _listed(user, q: str) -> list[int]:
    return [a.id for a in list_applications(user, ApplicationFilters(q=q), PageRequest(1, 50))[0]]


@pytest.mark.fresh_database
def test_existing_words_are_stored_and_rows_kept(app, empty_database, make, request):
    upgrade()
    world = request.getfixturevalue("world")
    chain = make.application(world.call, world.lead, title="Filiera dell'acciaio verde")
    make.fire(chain, world.lead, "submit")
    chain_id, officer_id = chain.id, world.officer.id
    db.session.remove()
    downgrade(revision="0026_indexes")  # the revision before 0027_search_document
    stored = set(PG_STORED.values())
    assert not stored & {c["name"] for c in inspect(db.engine).get_columns("applications")}
    with db.engine.begin() as conn:  # written while no column holds the words
        conn.execute(
            text("UPDATE applications SET investments = 'Forno elettrico' WHERE id = :id"),
            {"id": chain_id},
        )
    columns = _columns()
    before = _rows(columns)
    assert before["applications"]
    upgrade(revision="0027_search_document")
    assert _rows(columns) == before
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            words = conn.scalar(
                text("SELECT search_document::text FROM applications WHERE id = :id"),
                {"id": chain_id},
            )
        assert "'acciaio'" in words and "'elettrico'" in words
    officer = db.session.get(type(world.officer), officer_id)
    assert _listed(officer, "acciaio verde") == [chain_id]
    assert _listed(officer, "forno elettr") == [chain_id]
    # the stored words follow what is written after
    db.session.get(Application, chain_id).title = "Filiera del vetro"
    commit()
    assert _listed(officer, "acciaio") == []
    assert _listed(officer, "vetro") == [chain_id]
    # and down again: the column goes, the rows stay
    db.session.remove()
    downgrade(revision="0026_indexes")
    assert not stored & {c["name"] for c in inspect(db.engine).get_columns("applications")}
    assert _rows(columns)["organisations"] == before["organisations"]
