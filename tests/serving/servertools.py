"""Helpers of the real-server tests: scratch databases, a gunicorn to start and stop, requests
released together, and the check that every history is whole."""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
WORKERS = 4
FIGURES: list[str] = []


def root_conftest():
    """tests/conftest.py under a name of its own (every test folder has a ``conftest``)."""
    path = ROOT / "tests" / "conftest.py"
    spec = importlib.util.spec_from_file_location("tracker_tests_conftest_serving", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(line: str) -> None:
    FIGURES.append(line)
    print(line)


# --- databases --------------------------------------------------------------------------------


@contextlib.contextmanager
def scratch_database(backend: str, tmp_path: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'served.db'}"
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set")
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL to run these tests against one")
    server = make_url(PG_URL)
    database = f"{server.database}_{name}_{os.getpid()}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield server.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def environment(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WERKZEUG_"))}
    return env | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "real-server-tests",
        "TRACKER_DEMO": "0",
        "PYTHONUNBUFFERED": "1",
    }


def migrate(database_url: str) -> None:
    """``flask db upgrade``, as ``make serve`` does before starting gunicorn."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=environment(database_url), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]


# --- the server -------------------------------------------------------------------------------


class Server:
    """A running gunicorn: its address, its master process, its workers, and an HTTP client."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", "tracker/gunicorn_conf.py",
             "--workers", str(WORKERS), "--bind", "127.0.0.1:0", "--access-logfile", "-",
             "wsgi:app"],
            cwd=ROOT, env=environment(database_url), stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.port = self._wait_for_port()
        self.wait_until_ready()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait_for_port(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if found := re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log_text()):
                return int(found.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not start:\n{self.log_text()[-3000:]}")

    def workers(self) -> list[int]:
        """The master's live child processes (gunicorn's workers)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid and fields[0] != "Z":
                found.append(int(stat.parent.name))
        return sorted(found)

    def wait_until_ready(self, timeout: float = 90) -> None:
        """Every worker booted and answering (a worker's first request loads the app)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.workers()) == WORKERS:
                try:
                    answers = all_at_once([lambda: self.call("GET", "/registry")] * 2 * WORKERS)
                except OSError:
                    answers = []
                if answers and all(status == 200 for status, _ in answers):
                    return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        pytest.fail(f"gunicorn is not ready:\n{self.log_text()[-3000:]}")

    def call(
        self, method: str, path: str, token: str | None = None, body: Any = None
    ) -> tuple[int, Any]:
        """One request on its own connection: (status, decoded JSON body or None)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Connection": "close"}
            if token:
                headers["Authorization"] = f"Bearer {token}"
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            conn.request(method, "/api/v1" + path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
        finally:
            conn.close()

    def page(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        cookie: str | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        """A page request, as a browser sends it: (status, headers, HTML)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Connection": "close", **(extra_headers or {})}
            if cookie:
                headers["Cookie"] = cookie
            data = None
            if form is not None:
                data = urllib.parse.urlencode(form).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            html = response.read().decode("utf-8", "replace")
            return response.status, dict(response.getheaders()), html
        finally:
            conn.close()

    def fire(self, token: str, kind: str, subject_id: int, trigger: str, **extra):
        return self.call(
            "POST", f"/{kind}/{subject_id}/transitions", token, {"trigger": trigger, **extra}
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            # graceful: a worker finishes the request it is on (a quick shutdown may cut one
            # mid-write, and its traceback would fail the test)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log_file.close()
        errors = [
            line
            for line in self.log_text().splitlines()
            if "Traceback" in line or "Exception on" in line or "unhandled error" in line
        ]
        assert not errors, "the server logged errors:\n" + self.log_text()[-5000:]


def all_at_once(calls: list[Callable[[], Any]], timeout: float = 120) -> list[Any]:
    """Run ``calls`` in threads released together; their results in order (an exception is
    returned in its place)."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, fn: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[i] = fn()
        except Exception as err:  # connection errors are counted by the callers
            results[i] = err

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads)
    return results


# --- the world and the invariants -------------------------------------------------------------


def build_world(make) -> SimpleNamespace:
    """An officer, a value-chain call with a committee of two, a lead partner."""
    officer = make.user("officer")
    call = make.call(officer)
    lead_org = make.organisation("Duferco Travi e Profilati", province="BS")
    lead = make.user("applicant", organisation=lead_org)
    reviewers = [
        make.user("reviewer", organisation=make.organisation(kind="university", province="MI"))
        for _ in range(2)
    ]
    for r in reviewers:
        make.appoint(call, r)
    return SimpleNamespace(
        officer=officer, call=call, lead=lead, lead_org=lead_org, reviewers=reviewers
    )


def histories_are_whole(subject_model) -> int:
    """Every subject's state is the destination of its last history row (its initial state
    without one), its rows are numbered 1..n without a gap, and each row starts where the one
    before ended: no state change without its row, no row without its change. Returns the
    number of rows checked."""
    history = subject_model.history_model
    db.session.expire_all()
    subjects = db.session.scalars(select(subject_model)).all()
    rows = db.session.scalars(select(history).order_by(history.id)).all()
    by_subject: dict[int, list] = {}
    for row in rows:
        by_subject.setdefault(getattr(row, history.subject_key), []).append(row)
    for subject in subjects:
        steps = sorted(by_subject.get(subject.id, []), key=lambda r: r.seq)
        assert [r.seq for r in steps] == list(range(1, len(steps) + 1)), subject.id
        expected = subject.definition.initial
        for r in steps:
            assert r.from_state == expected, (subject.id, r.seq, r.from_state, expected)
            expected = r.to_state
        assert subject.state == expected, (subject.id, subject.state, expected)
    assert db.session.scalar(select(func.count()).select_from(history)) == len(rows)
    return len(rows)
