"""Migration 0021_search on a database holding data: every row stays as it was, the rows
already there are found at once, and the index follows later writes."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tracker.applications.models import Application
from tracker.database import commit
from tracker.extensions import db
from tracker.search import queries as search
from tracker.search.models import SEARCH_TABLES


def _rows() -> dict[str, list]:
    out = {}
    with db.engine.connect() as conn:
        for name in sorted(
            set(inspect(conn).get_table_names()) - SEARCH_TABLES - {"alembic_version"}
        ):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


def _found(ids_select) -> set[int]:
    return set(db.session.scalars(ids_select))


@pytest.mark.fresh_database
def test_existing_rows_are_indexed_and_kept(app, empty_database, make, request):
    upgrade()
    world = request.getfixturevalue("world")
    # rows written before the migration, then the migration taken away and run again
    chain = make.application(world.call, world.lead, title="Filiera dell'acciaio verde",
                             concept_note={"challenges": "Scorie di fonderia", "needs": "n",
                                           "objectives": "o", "actions": "a", "investments": "i"})  # fmt: skip
    chain_id, org_id = chain.id, world.lead_org.id
    db.session.remove()
    downgrade(revision="0020_bulk_decisions")  # the revision before 0021_search
    assert not SEARCH_TABLES & set(inspect(db.engine).get_table_names())
    with db.engine.begin() as conn:  # written while no index exists
        conn.execute(
            text("UPDATE applications SET investments = 'Forno elettrico' WHERE id = :id"),
            {"id": chain_id},
        )
    before = _rows()
    assert before["applications"] and before["organisations"]
    upgrade(revision="0021_search")  # this migration alone: later ones change rows of their own
    assert _rows() == before
    upgrade()
    words = search.terms
    assert _found(search.application_ids(words("acciaio verde"))) == {chain_id}
    assert _found(search.application_ids(words("scorie fond"))) == {chain_id}
    assert _found(search.application_ids(words("forno elettr"))) == {chain_id}
    assert _found(search.organisation_ids(words("duferco travi"))) == {org_id}
    # and the index follows what is written after it
    app_row = db.session.get(Application, chain_id)
    app_row.title = "Filiera del vetro"
    commit()
    assert _found(search.application_ids(words("acciaio"))) == set()
    assert _found(search.application_ids(words("vetro"))) == {chain_id}
