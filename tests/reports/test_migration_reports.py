"""Migration 0023_reports on a database holding data: every existing row stays as it was (the
calls gain their interval, 12 months), the reports' history is append-only and hash-chained, and
a project already in implementation files its final report like any other to complete."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tracker.applications.models import Application
from tracker.audit.verify import verify
from tracker.auth.models import User
from tracker.extensions import db

NEW_TABLES = {"reports", "report_history"}


def _rows() -> dict[str, list]:
    """Every row of every table the migration does not add, the calls without the new column."""
    out = {}
    with db.engine.connect() as conn:
        for name in sorted(set(inspect(conn).get_table_names()) - NEW_TABLES - {"alembic_version"}):
            columns = [c["name"] for c in inspect(conn).get_columns(name)
                       if c["name"] != "report_interval_months"]  # fmt: skip
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(text(f'SELECT {listed} FROM "{name}"')).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out


@pytest.mark.fresh_database
def test_existing_rows_survive_and_reports_work_at_once(app, empty_database, make, request):
    upgrade()
    from reportworld import ReportWorld

    rw = ReportWorld(make, request.getfixturevalue("world"))  # a project in implementation
    ids = {"project": rw.project.id, "lead": rw.lead.id, "officer": rw.officer.id}
    db.session.remove()
    downgrade(revision="0022_notices")  # the revision before 0023_reports
    assert not NEW_TABLES & set(inspect(db.engine).get_table_names())
    before = _rows()
    assert before["history"] and before["calls"] and before["applications"]
    upgrade(revision="0023_reports")  # this migration alone: later ones change rows of their own
    assert _rows() == before
    with db.engine.connect() as conn:
        intervals = conn.execute(text("SELECT DISTINCT report_interval_months FROM calls")).all()
    assert intervals == [(12,)]
    upgrade()
    rw.project = db.session.get(Application, ids["project"])
    rw.lead, rw.officer = db.session.get(User, ids["lead"]), db.session.get(User, ids["officer"])
    assert rw.project.final_report_state is None  # no grandfathering: it files one
    report = rw.file(rw.project, "final", spend="1000")
    rw.fire(report, rw.lead, "submit")
    rw.fire(report, rw.officer, "accept")
    assert rw.project.final_report_state == "accepted"
    audit = verify(db.session.connection())
    assert audit.intact, audit.summary()
    assert "report_history" in audit.summary()
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE report_history SET comment = 'rewritten'"))
