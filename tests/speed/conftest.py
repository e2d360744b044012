"""Fixtures of the speed tools' tests: small benches built by ``make bench``'s builders, on
SQLite in a scratch folder and on PostgreSQL (a database of the test run's own on the server of
TEST_DATABASE_URL, dropped afterwards; skipped without one unless CI is set, as the other
PostgreSQL tests)."""

from __future__ import annotations

import pytest
from speedtools import N, bench_app, postgres_base

from tracker.benchmark import build_pg
from tracker.benchmark.places import PostgresPlace, SQLitePlace


@pytest.fixture(scope="module")
def sqlite_place(tmp_path_factory):
    place = SQLitePlace(tmp_path_factory.mktemp("bench"))
    place.build(bench_app(place.url(N)), N, log=lambda *a: None)
    return place


@pytest.fixture(scope="module")
def postgres_place():
    base = postgres_base()
    place = PostgresPlace(base, N)
    try:
        counts = place.build(bench_app(place.url(N)), N, log=lambda *a: None)
        place.counts = counts
        yield place
    finally:
        build_pg.drop_database(base)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def place(request):
    """Each backend's bench in turn."""
    name = "sqlite_place" if request.param == "sqlite" else "postgres_place"
    return request.getfixturevalue(name)
