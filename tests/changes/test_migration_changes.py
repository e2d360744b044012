"""Migration 0019_changes on a database holding data: every existing row stays as it was, the
new history is append-only and hash-chained from the start, and the app works on it at once."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tracker.applications.models import Application
from tracker.audit.verify import verify
from tracker.auth.models import User
from tracker.extensions import db
from tracker.organisations.models import Organisation

NEW_TABLES = {"partnership_changes", "change_history", "chain_shortfalls"}


def _rows() -> dict[str, list]:
    """Every row of every table the migration does not add."""
    out = {}
    with db.engine.connect() as conn:
        for name in sorted(set(inspect(conn).get_table_names()) - NEW_TABLES - {"alembic_version"}):
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


@pytest.mark.fresh_database
def test_existing_rows_survive_and_changes_work_at_once(app, empty_database, make, request):
    upgrade()
    from changeworld import ChangeWorld

    cw = ChangeWorld(
        make, request.getfixturevalue("world")
    )  # a recognised chain, its history sealed
    ids = {name: getattr(cw, name).id for name in ("chain", "lead", "officer", "partner_org")}
    db.session.remove()
    downgrade(revision="0018_measures")  # the revision before 0019_changes
    assert not NEW_TABLES & set(inspect(db.engine).get_table_names())
    before = _rows()
    assert before["history"] and before["partners"] and before["quality_labels"]
    upgrade(revision="0019_changes")  # this migration's rows; later ones migrate their own
    assert _rows() == before
    upgrade()
    for name, model in (("chain", Application), ("lead", User), ("officer", User),
                        ("partner_org", Organisation)):  # fmt: skip
        setattr(cw, name, db.session.get(model, ids[name]))
    change = cw.ask(cw.lead, "leave", cw.partner_org)
    cw.fire(change, cw.officer, "acknowledge")
    report = verify(db.session.connection())
    assert report.intact, report.summary()
    assert "change_history" in report.summary()
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE change_history SET comment = 'rewritten'"))
