"""Migration 0005 computes the tallies of a database that already holds applications, exactly as
the app keeps them and as ``rebuild()`` recomputes them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import delete

from tracker.dashboards import tallies
from tracker.database import commit
from tracker.extensions import db

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "0005_dashboards.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0005", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.fresh_database
def test_the_migration_fills_the_tallies_of_existing_data(dw, days_ago):
    submitted = dw.draft(at=days_ago(6))
    dw.walk(submitted, [("submit", 5), ("admit", 2)])
    labelled = dw.draft(thematic_area="innovation", s3_ecosystem="nutrition")
    dw.walk(labelled, [("submit", 0), ("admit", 0), ("close_evaluation", 0), ("grant_label", 0)])
    dw.draft()
    expected = tallies.snapshot()
    assert all(expected[t] for t in ("tally_applications", "tally_breakdowns", "tally_durations"))
    for model in tallies.TALLIES:
        db.session.execute(delete(model))
    commit()
    with db.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        _migration()._fill_tallies()
    db.session.expire_all()
    assert tallies.snapshot() == expected
    tallies.rebuild()
    commit()
    assert tallies.snapshot() == expected
