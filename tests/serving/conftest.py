"""Fixtures of the real-server tests: ``make serve``'s gunicorn, 4 workers, on a scratch SQLite file
and on a fresh PostgreSQL database (TEST_DATABASE_URL), migrated by ``flask db upgrade`` like a
real install; the tests build their world through the operations, in this process, on the same
database, and talk to the server over HTTP.

The figures the tests measure (clients, requests, conflicts, workers killed) are printed at the
end of the run, so that they can be quoted.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from servertools import FIGURES, Server, build_world, migrate, root_conftest, scratch_database

from tracker import create_app
from tracker.extensions import db


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("real-server figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """A gunicorn with 4 workers on a migrated scratch database, and ``make``, a Factory
    writing to the same database from this process."""
    backend = request.param
    tmp = tmp_path_factory.mktemp(f"served-{backend}")
    name = re.sub(r"\W", "_", request.module.__name__.rsplit(".", 1)[-1])[-30:]
    with scratch_database(backend, tmp, name) as url:
        migrate(url)
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "real-server-tests", "SQLALCHEMY_DATABASE_URI": url}
        )
        with app.app_context():
            server = Server(url, tmp / "gunicorn.log")
            try:
                make = root_conftest().Factory(app)
                yield SimpleNamespace(
                    backend=backend, url=url, app=app, server=server, make=make,
                    world=build_world(make),
                )  # fmt: skip
            finally:
                db.session.remove()
                server.stop()
                db.engine.dispose()
