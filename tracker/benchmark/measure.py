"""Server times and SQL query counts of the requests that matter, measured in-process.

Each kind of request runs a few times to warm up, then ``repeat`` times timed with the Flask test
client (the whole response read, streamed bodies included); queries are counted by a
``before_cursor_execute`` listener. Transitions are fired on a copy of the bench file, each on a
different application waiting in ``submitted``, so the kept file stays as built.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, func, select

from tracker.benchmark.build import BENCH_PASSWORD, OFFICER_EMAIL
from tracker.extensions import db

#: kind -> (median ms at most, growth 100k/1k at most); None: measured, no target
TARGETS: dict[str, tuple[float, float] | None] = {
    "officer dashboard": (50, 3),
    "list, first page": (30, 2),
    "list, page 500": (30, 2),
    "application page": (20, 2),
    "transition via API": (20, 2),
    "registry": (30, 2),
    "CSV export": None,
}
WARM_UP = 3


@dataclass
class Measure:
    kind: str
    url: str
    times_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this thread's CPU: what others' load hides
    queries: set[int] = field(default_factory=set)
    status: int = 0
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]

    @property
    def query_count(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


class QueryCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


def url_for_login(app) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for("auth.login")


def dashboard_url(app) -> str:
    """The officer dashboard: the dashboards package's page when it exists, else the home page."""
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("dashboards.") and not r.arguments and "GET" in r.methods
    ]
    rules.sort(key=lambda r: ("officer" not in r.endpoint, r.rule != "/dashboard", len(r.rule)))
    return rules[0].rule if rules else "/"


def measure_all(app_factory: Callable[[str], object], path: Path, repeat: int) -> list[Measure]:
    """Every kind of request on the bench file at ``path`` (copied: transitions write)."""
    work = path.with_name(path.stem + "-run.db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, work)
    app = app_factory(f"sqlite:///{work}")
    try:
        with app.app_context():
            return _measure(app, repeat)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)


def _measure(app, repeat: int) -> list[Measure]:
    from tracker.applications.models import Application
    from tracker.auth.models import User
    from tracker.auth.operations import issue_token

    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    token = issue_token(officer)
    db.session.commit()
    state, in_state = db.session.execute(
        select(Application.state, func.count())
        .where(Application.submitted_at.is_not(None))
        .group_by(Application.state)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    per_page = app.config["PER_PAGE"]
    deep = min(500, max(1, -(-in_state // per_page)))
    visible = db.session.scalars(
        select(Application.id).where(Application.submitted_at.is_not(None)).limit(repeat + WARM_UP)
    ).all()
    waiting = db.session.scalars(
        select(Application.id)
        .where(Application.state == "submitted")
        .order_by(Application.id)
        .limit(repeat + WARM_UP)
    ).all()
    db.session.remove()

    client = app.test_client()
    login = client.post(
        url_for_login(app), data={"email": OFFICER_EMAIL, "password": BENCH_PASSWORD}
    )
    assert login.status_code == 302, f"bench login failed: {login.status_code}"
    public = app.test_client()
    counter = QueryCounter(db.engine)

    def get(url: str, c=client):
        return c.get(url)

    def transition(application_id: int):
        return client.post(
            f"/api/v1/applications/{application_id}/transitions",
            json={"trigger": "admit"},
            headers={"Authorization": f"Bearer {token}"},
        )

    plans: list[tuple[str, list[str], Callable]] = [
        ("officer dashboard", [dashboard_url(app)], get),
        ("list, first page", [f"/applications?state={state}"], get),
        ("list, page 500", [f"/applications?state={state}&page={deep}"], get),
        ("application page", [f"/applications/{i}" for i in visible], get),
        ("transition via API", [str(i) for i in waiting], lambda i: transition(int(i))),
        ("registry", ["/registry"], lambda url: get(url, public)),
        ("CSV export", ["/applications?call_id=1&format=csv"], get),
    ]
    out = []
    for kind, urls, run in plans:
        m = Measure(kind, urls[0])
        if kind == "list, page 500" and deep != 500:
            m.note = f"page {deep}, the last"
        for n in range(WARM_UP + repeat):
            target = urls[n % len(urls)]
            counter.count = 0
            start, cpu = time.perf_counter(), time.thread_time()
            response = run(target)
            body = response.get_data()
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.thread_time() - cpu) * 1000
            m.status = response.status_code
            if response.status_code >= 400:
                m.error = f"{target} answered {response.status_code}"
                break
            if n >= WARM_UP:
                m.times_ms.append(elapsed)
                m.cpu_ms.append(cpu)
                m.queries.add(counter.count)
        if kind == "CSV export":
            rows = body.count(b"\n") - 1
            m.note = f"{rows} rows"
        db.session.remove()
        out.append(m)
    return out


def _verdict(target: tuple[float, float], median: float, growth: float, constant: bool) -> str:
    """'met', or which part of the target is not: time, growth, queries."""
    misses = []
    if median > target[0]:
        misses.append(f"time > {target[0]:g} ms")
    if growth > target[1]:
        misses.append(f"growth > {target[1]:g}x")
    if not constant:
        misses.append("more queries")
    return "met" if not misses else "NOT MET: " + ", ".join(misses)


def report(small: int, large: int, at_small: list[Measure], at_large: list[Measure]) -> str:
    """One table: median and p95 at both sizes, the growth, the queries, whether targets are met."""
    head = (
        f"{'request':<20} {'med ' + str(small):>10} {'p95 ' + str(small):>10} "
        f"{'med ' + str(large):>12} {'p95 ' + str(large):>12} {'cpu med':>9} {'growth':>7} "
        f"{'queries':>9}  target"
    )
    lines = [head, "-" * len(head)]
    all_met = True
    for a, b in zip(at_small, at_large, strict=True):
        if a.error or b.error:
            all_met = False
            lines.append(f"{a.kind:<20} FAILED: {a.error or b.error}")
            continue
        growth = b.median / a.median if a.median else float("inf")
        target = TARGETS.get(a.kind)
        queries = (
            a.query_count if a.query_count == b.query_count else f"{a.query_count}/{b.query_count}"
        )
        if target is None:
            verdict = "(no target)"
        else:
            verdict = _verdict(target, b.median, growth, max(b.queries) <= max(a.queries))
            all_met &= verdict == "met"
        note = f"  [{b.note}]" if b.note else ""
        lines.append(
            f"{a.kind:<20} {a.median:>8.1f}ms {a.p95:>8.1f}ms {b.median:>10.1f}ms "
            f"{b.p95:>10.1f}ms {statistics.median(b.cpu_ms):>7.1f}ms {growth:>6.2f}x "
            f"{queries:>9}  {verdict}{note}"
        )
    lines.append("")
    lines.append("All targets met." if all_met else "Some targets are not met.")
    lines.append(
        "med/p95: wall-clock server time; cpu med: CPU time of the request's thread at the "
        "larger N (the same work without the waits of a busy machine)."
    )
    return "\n".join(lines)
