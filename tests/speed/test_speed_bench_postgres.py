"""``make bench`` on PostgreSQL: the bulk path (COPY, constraints after loading) writes the same
rows as the SQLite builder, the chains verify, the database is stamped with the newest migration
(``flask db upgrade`` has nothing to do) and its id sequences go on after the loaded ids."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from speedtools import N, bench_app, dispose
from sqlalchemy import create_engine, func, select, text

from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.benchmark import build_pg
from tracker.benchmark.build import migrations_head
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.reviews.models import Review
from tracker.settings import ROOT

pytestmark = pytest.mark.xdist_group("speed-bench")
BIN = Path(sys.executable).parent


def rows_of(url: str) -> dict:
    """What identifies the bench's content: counts, and every application's state and chain
    head (the head hashes every history row of the application)."""
    app = bench_app(url)
    with app.app_context():
        out = {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Application, Partner, HistoryEntry, Review, QualityLabel)
        }
        out["applications"] = db.session.execute(
            select(
                Application.id, Application.state, Application.score, Application.history_head
            ).order_by(Application.id)
        ).all()
        out["revoked"] = db.session.scalar(
            select(func.count()).where(QualityLabel.revoked_at.is_not(None))
        )
    dispose(app)
    return out


def flask(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "TRACKER_DEMO": "0", "PATH": ""}
    return subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_same_rows_as_the_sqlite_builder(postgres_place, sqlite_place):
    counts = postgres_place.counts
    assert counts.applications == N and counts.partners >= 10 * N
    on_postgres, on_sqlite = rows_of(postgres_place.url(N)), rows_of(sqlite_place.url(N))
    assert on_postgres["Application"] == N
    assert on_postgres["HistoryEntry"] == counts.history
    assert on_postgres["revoked"] > 0  # revocations are loaded with their labels
    assert on_postgres == on_sqlite


def test_the_chains_verify(postgres_place):
    done = flask(postgres_place.url(N), "audit", "verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Intact" in done.stdout


def test_stamped_so_that_db_upgrade_has_nothing_to_do(postgres_place):
    url = postgres_place.url(N)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == migrations_head()
    engine.dispose()
    done = flask(url, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert "Running upgrade" not in done.stderr + done.stdout
    assert postgres_place.is_current(N) and not postgres_place.is_current(N + 1)


def test_new_rows_get_ids_after_the_loaded_ones(postgres_place):
    app = bench_app(postgres_place.url(N))
    with app.app_context():
        biggest = db.session.scalar(select(func.max(HistoryEntry.id)))
        following = db.session.scalar(
            text("SELECT nextval(pg_get_serial_sequence('history', 'id'))")
        )
        db.session.rollback()
    dispose(app)
    assert following > biggest


def test_a_database_holding_other_data_is_refused(postgres_place):
    other = postgres_place.url(N + 1)  # <name>_201, made here with a table of its own
    build_pg.drop_database(other)
    build_pg.create_database(other)
    engine = create_engine(other)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE precious (id integer)"))
        with pytest.raises(build_pg.NotABench, match="no bench build"):
            build_pg.build(bench_app(other), 10, other, log=lambda *a: None)
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM precious")) == 0  # still there
    finally:
        engine.dispose()
        build_pg.drop_database(other)


def test_another_command_reuses_it(postgres_place):
    """``make load`` after ``make bench`` (or the other way round), each a process of its own,
    finds the bench current instead of building it again."""
    code = (
        "import sys; from tracker.benchmark.build_pg import is_current; "
        f"sys.exit(0 if is_current({postgres_place.url(N)!r}, {N}) else 1)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
