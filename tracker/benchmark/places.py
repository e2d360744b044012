"""Where the bench databases live: SQLite files ``instance/bench-N.db``, or PostgreSQL databases
(``DATABASE_URL`` set: the database it names holds N applications, ``<name>_<n>`` the other
sizes). Each place builds or reuses a bench and lends a scratch copy of it to what writes
(transitions, the load test), so the bench itself stays as built.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import make_url

from tracker import settings
from tracker.benchmark import build as sqlite_build
from tracker.benchmark import build_pg


class SQLitePlace:
    backend = "SQLite"

    def __init__(self, instance: Path) -> None:
        self.instance = instance

    def path(self, n: int) -> Path:
        return sqlite_build.bench_path(n, self.instance)

    def url(self, n: int) -> str:
        return f"sqlite:///{self.path(n)}"

    def is_current(self, n: int) -> bool:
        return sqlite_build.is_current(self.path(n), n)

    def build(self, app, n: int, log=print) -> sqlite_build.Counts:
        return sqlite_build.build(app, n, self.path(n), log=log)

    @contextlib.contextmanager
    def scratch(self, n: int, name: str = "run") -> Iterator[str]:
        """A copy of the bench file, removed afterwards."""
        path = self.path(n)
        work = path.with_name(f"{path.stem}-{name}.db")
        _remove_sqlite(work)
        shutil.copyfile(path, work)
        try:
            yield f"sqlite:///{work}"
        finally:
            _remove_sqlite(work)


class PostgresPlace:
    backend = "PostgreSQL"

    def __init__(self, url: str, main_n: int) -> None:
        self.base, self.main_n = make_url(url), main_n

    def url(self, n: int) -> str:
        url = self.base
        if n != self.main_n:
            url = url.set(database=f"{self.base.database}_{n}")
        return url.render_as_string(hide_password=False)

    def is_current(self, n: int) -> bool:
        return build_pg.is_current(self.url(n), n)

    def build(self, app, n: int, log=print) -> sqlite_build.Counts:
        return build_pg.build(app, n, self.url(n), log=log)

    @contextlib.contextmanager
    def scratch(self, n: int, name: str = "run") -> Iterator[str]:
        """A copy of the bench database (CREATE DATABASE ... TEMPLATE), dropped afterwards."""
        source = self.url(n)
        work = make_url(source).set(database=f"{make_url(source).database}_{name}")
        work_url = work.render_as_string(hide_password=False)
        build_pg.drop_database(work_url)
        build_pg.create_database(work_url, template=make_url(source).database)
        try:
            yield work_url
        finally:
            build_pg.drop_database(work_url)


def place_for(instance: Path, main_n: int):
    """PostgreSQL when ``DATABASE_URL`` names one, else SQLite files under ``instance``."""
    if not os.environ.get("DATABASE_URL", "").strip():
        return SQLitePlace(instance)
    url = settings.database_url()  # postgres:// URLs made psycopg's, as the app does
    if url.startswith("postgresql"):
        return PostgresPlace(url, main_n)
    raise SystemExit(f"make bench builds on SQLite or PostgreSQL: DATABASE_URL is {url}")


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
