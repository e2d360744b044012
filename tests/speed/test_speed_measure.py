"""``make bench`` measures every kind of request in-process and over HTTP through ``make serve``
(gunicorn, 4 workers) on a scratch copy of the bench, on SQLite and on PostgreSQL: every request
answers, each kind runs a constant number of queries, the bench itself is left as built."""

from __future__ import annotations

import pytest
from speedtools import N, bench_app, dispose
from sqlalchemy import func, select

from tracker.applications.models import Application
from tracker.benchmark.measure import TARGETS, measure_in_process, measure_over_http, report
from tracker.extensions import db

pytestmark = pytest.mark.xdist_group("speed-bench")
REPEAT = 2


def submitted_count(url: str) -> int:
    app = bench_app(url)
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(Application.state == "submitted"))
    dispose(app)
    return count


def test_every_kind_is_measured_both_ways(place, tmp_path):
    before = submitted_count(place.url(N))
    with place.scratch(N) as url:
        in_process, bulk = measure_in_process(bench_app, url, REPEAT)
    with place.scratch(N, "http") as url:
        over_http, bulk_http = measure_over_http(bench_app, url, REPEAT, tmp_path / "serve.log")
    # the bulk grant of issue 14, both ways, every label granted (the copies are the same)
    assert bulk.labels == bulk_http.labels > 0 and not bulk.error and not bulk_http.error
    assert bulk_http.reads is None and "over HTTP" in bulk_http.line("over HTTP")
    assert [m.kind for m in in_process] == [m.kind for m in over_http] == list(TARGETS)
    for m in in_process + over_http:
        assert not m.error and m.status < 400, (m.kind, m.error)
        assert len(m.times_ms) == REPEAT and min(m.times_ms) > 0, m.kind
    # the server's log shows the requests it answered, and no error (measure_over_http checks)
    log = (tmp_path / "serve.log").read_text()
    assert "GET /api/v1/applications?state=" in log and "POST /api/v1/applications/" in log
    # queries: counted in-process, the same at every repetition but for an application's own
    # page or answer (its label, value chain and reviews)
    for m in in_process:
        assert m.queries and (len(m.queries) == 1 or m.kind.startswith("application")), m
    csv = next(m for m in in_process if m.kind == "CSV export")
    assert csv.note.endswith(" rows") and int(csv.note.split()[0]) > 0
    table = report(N, N, over_http, over_http, queries_from=(in_process, in_process))
    assert "API list, by state" in table and "connection included" in table
    assert submitted_count(place.url(N)) == before  # the transitions ran on the copies


def test_every_command_agrees_on_the_bench_schema():
    """``make bench`` and ``make load`` import different modules before asking whether a bench
    is current: both must compute the same fingerprint as a process that loaded the whole app,
    or each rebuilds what the other built. (Each in a process of its own: this one holds the
    tests' own tables too.)"""
    import subprocess
    import sys

    def fingerprint(before: str) -> int:
        code = f"{before}; from tracker.benchmark import build; print(build.schema_fingerprint())"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        return int(run.stdout)

    whole_app = "from tracker import create_app; create_app({'SECRET_KEY': 'x'})"
    assert fingerprint("import tracker") == fingerprint(whole_app)
