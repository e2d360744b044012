"""Server times and SQL query counts of the requests that matter, measured two ways.

In-process: each kind of request runs a few times to warm up, then ``repeat`` times timed with
the Flask test client (the whole response read, streamed bodies included); queries are counted
by a ``before_cursor_execute`` listener. Over HTTP (``tracker.benchmark.http``): the same
requests sent to ``make serve``'s gunicorn (4 workers) by a client in another process, timed
from the request's first byte to the answer's last. Both run on a scratch copy of the bench
(transitions write), each transition on a different application waiting in ``submitted``, so
the bench stays as built.
"""

from __future__ import annotations

import gc
import json
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event, func, select

from tracker.benchmark.build import BENCH_PASSWORD, OFFICER_EMAIL
from tracker.extensions import db
from tracker.gunicorn_conf import collect_request_garbage, tune_gc

#: kind -> (median ms at most, growth 100k/1k at most); None: measured, no target
TARGETS: dict[str, tuple[float, float] | None] = {
    "officer dashboard": (50, 3),
    "list, first page": (30, 2),
    "list, page 500": (30, 2),
    "list, by score": (30, 2),
    "list, text search": (30, 2),
    "API list, by state": (30, 2),
    "API list, page 500": (30, 2),
    "API list, by call": (30, 2),
    "API text search": (30, 2),
    "application page": (20, 2),
    "application via API": (20, 2),
    "transition via API": (20, 2),
    "registry": (30, 2),
    "registry via API": (30, 2),
    "CSV export": None,
}
#: untimed requests of a kind first: psycopg prepares a statement on the server the sixth time
#: a connection runs it (PostgreSQL then plans it no more), so the timed ones meet a server in
#: its steady state, as one serving all day is
WARM_UP = 6
#: the bulk grant measured: labels granted under one decree in one request (its largest size)
BULK = 500
BULK_DECREE = {"decree_number": "BENCH-1", "decree_date": "2024-06-28"}
#: words of titles: what the text searches look for (the builder's sectors)
SEARCH = "steel"


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
        if not self.queries:
            return "?"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}-{high}"


@dataclass
class Plan:
    """One kind of request: its targets (one per timed request, cycled), how it is sent."""

    kind: str
    targets: list[str]
    #: "page" (logged-in browser), "public" (no one logged in), "api" (the officer's token),
    #: "transition" (target: an application id; the API with the token)
    how: str
    note: str = ""


class QueryCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *args) -> None:
        self.count += 1


@dataclass
class BulkMeasure:
    """One bulk grant: how many labels, how long, how many statements (reads, writes)."""

    labels: int
    ms: float = 0.0
    reads: int | None = None
    writes: int | None = None
    error: str = ""

    def line(self, where: str) -> str:
        if self.error:
            return f"bulk grant ({where}): FAILED: {self.error}"
        if not self.labels:
            return f"bulk grant ({where}): no evaluated application above its threshold to grant"
        each = self.ms / self.labels
        queries = ""
        if self.reads is not None:
            queries = (
                f"; {self.reads + self.writes} statements: {self.reads} reads "
                f"({self.reads - self.labels} for the batch, 1 per label: its email's "
                f"recipients), {self.writes} writes ({self.writes / self.labels:.0f} per label)"
            )
        return (
            f"bulk grant of {self.labels} labels ({where}, one request): {self.ms / 1000:.2f} s, "
            f"{each:.1f} ms per label{queries}"
        )


class StatementCounter:
    """Reads (SELECT) and writes (anything else but transaction control) run meanwhile."""

    CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")

    def __init__(self, engine) -> None:
        self.engine, self.reads, self.writes = engine, 0, 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb == "SELECT":
            self.reads += 1
        elif verb not in self.CONTROL:
            self.writes += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def bulk_targets(limit: int = BULK) -> list[int]:
    """Up to ``limit`` evaluated applications whose score reaches their call's threshold: the
    labels a bulk grant gives (in an app context on the bench)."""
    from tracker.applications.models import Application
    from tracker.calls.models import Call

    return list(
        db.session.scalars(
            select(Application.id)
            .join(Call, Call.id == Application.call_id)
            .where(Application.state == "evaluated", Application.score >= Call.score_threshold)
            .order_by(Application.id)
            .limit(limit)
        )
    )


def bulk_body(ids: list[int]) -> dict:
    return {"ids": ids, "trigger": "grant_label", "data": BULK_DECREE}


def _bulk_checked(measure: BulkMeasure, status: int, body: bytes) -> BulkMeasure:
    if status != 200:
        measure.error = f"answered {status}: {body[:200]!r}"
        return measure
    refused = [r for r in json.loads(body)["results"] if r["status"] != 200]
    if refused:
        measure.error = f"{len(refused)} refused, e.g. {refused[0]}"
    return measure


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


def officer_token() -> str:
    """A fresh API token of the bench's officer (in the current app's database)."""
    from tracker.auth.models import User
    from tracker.auth.operations import issue_token

    officer = db.session.scalar(select(User).where(User.email == OFFICER_EMAIL))
    token = issue_token(officer)
    db.session.commit()
    return token


def plans(app, repeat: int, warm_up: int = WARM_UP, spare: int = 0) -> list[Plan]:
    """What to request, read from the bench (in an app context on it): the fullest state among
    the submitted applications, its deepest full page up to 500 (a partly filled last page would
    compare fewer rows at the smaller N, not a deeper page), applications to read, applications
    waiting in ``submitted`` to admit."""
    from tracker.applications.models import Application

    state, in_state = db.session.execute(
        select(Application.state, func.count())
        .where(Application.submitted_at.is_not(None))
        .group_by(Application.state)
        .order_by(func.count().desc())
        .limit(1)
    ).one()
    per_page = app.config["PER_PAGE"]
    deep = min(500, max(1, in_state // per_page))
    visible = db.session.scalars(
        select(Application.id).where(Application.submitted_at.is_not(None)).limit(repeat + warm_up)
    ).all()
    waiting = db.session.scalars(
        select(Application.id)
        .where(Application.state == "submitted")
        .order_by(Application.id)
        .limit(repeat + warm_up + spare)  # ``spare``: the last, to warm the workers up with
    ).all()
    db.session.remove()
    deep_note = f"page {deep}, the last full one" if deep != 500 else ""
    return [
        Plan("officer dashboard", [dashboard_url(app)], "page"),
        Plan("list, first page", [f"/applications?state={state}"], "page"),
        Plan("list, page 500", [f"/applications?state={state}&page={deep}"], "page", deep_note),
        Plan("list, by score", [f"/applications?state={state}&sort=score"], "page"),
        Plan("list, text search", [f"/applications?q={SEARCH}"], "page"),
        Plan("API list, by state", [f"/api/v1/applications?state={state}"], "api"),
        Plan(
            "API list, page 500",
            [f"/api/v1/applications?state={state}&page={deep}"],
            "api",
            deep_note,
        ),
        Plan("API list, by call", ["/api/v1/applications?call_id=1"], "api"),
        Plan("API text search", [f"/api/v1/applications?q={SEARCH}"], "api"),
        Plan("application page", [f"/applications/{i}" for i in visible], "page"),
        Plan("application via API", [f"/api/v1/applications/{i}" for i in visible], "api"),
        Plan("transition via API", [str(i) for i in waiting], "transition"),
        Plan("registry", ["/registry"], "public"),
        Plan("registry via API", ["/api/v1/registry"], "public"),
        Plan("CSV export", ["/applications?call_id=1&format=csv"], "page"),
    ]


#: what each plan's request answers: (status, body)
Send = Callable[[Plan, str], tuple[int, bytes]]


def run_plans(
    plans_: list[Plan],
    send: Send,
    repeat: int,
    *,
    warm_up: int = WARM_UP,
    counter: QueryCounter | None = None,
    after_each: Callable[[], None] = lambda: None,
    between: Callable[[], object] = lambda: None,
) -> list[Measure]:
    """Time ``repeat`` requests of each plan after ``warm_up`` untimed ones; ``between`` runs
    after each request, untimed."""
    out = []
    for plan in plans_:
        m = Measure(plan.kind, plan.targets[0], note=plan.note)
        body = b""
        warm = warm_up
        if plan.how == "transition":  # each on its own application: as many as there are
            warm = min(warm_up, max(0, len(plan.targets) - repeat))
        for n in range(warm + repeat):
            target = plan.targets[n % len(plan.targets)]
            if counter:
                counter.count = 0
            start, cpu = time.perf_counter(), time.thread_time()
            status, body = send(plan, target)
            elapsed = (time.perf_counter() - start) * 1000
            cpu = (time.thread_time() - cpu) * 1000
            between()
            m.status = status
            if status >= 400:
                m.error = f"{target} answered {status}"
                break
            if n >= warm:
                m.times_ms.append(elapsed)
                m.cpu_ms.append(cpu)
                if counter:
                    m.queries.add(counter.count)
        if plan.kind == "CSV export" and not m.error:
            rows = body.count(b"\n") - 1
            m.note = f"{rows} rows"
        after_each()
        out.append(m)
    return out


def measure_in_process(app_factory: Callable[[str], object], url: str, repeat: int):
    """Every kind of request through the Flask test client, on the database at ``url`` (a
    scratch copy: transitions write); then the bulk grant. Returns (measures, bulk measure)."""
    app = app_factory(url)
    defaults = gc.get_threshold()
    tune_gc()  # as make serve's master does before forking its workers
    try:
        with app.app_context():
            return _measure_in_process(app, repeat)
    finally:
        gc.unfreeze()
        gc.set_threshold(*defaults)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def measure_all(
    app_factory: Callable[[str], object], path: Path, repeat: int
) -> tuple[list[Measure], BulkMeasure]:
    """In-process, on a copy of the SQLite bench file at ``path``."""
    work = path.with_name(path.stem + "-run.db")
    remove_sqlite(work)
    shutil.copyfile(path, work)
    try:
        return measure_in_process(app_factory, f"sqlite:///{work}", repeat)
    finally:
        remove_sqlite(work)


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _measure_in_process(app, repeat: int) -> tuple[list[Measure], BulkMeasure]:
    token = officer_token()
    todo = plans(app, repeat)
    client = app.test_client()
    login = client.post(
        url_for_login(app), data={"email": OFFICER_EMAIL, "password": BENCH_PASSWORD}
    )
    assert login.status_code == 302, f"bench login failed: {login.status_code}"
    public = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}

    def send(plan: Plan, target: str) -> tuple[int, bytes]:
        if plan.how == "transition":
            response = client.post(
                f"/api/v1/applications/{target}/transitions",
                json={"trigger": "admit"},
                headers=bearer,
            )
        elif plan.how == "api":
            response = public.get(target, headers=bearer)
        else:
            response = (public if plan.how == "public" else client).get(target)
        return response.status_code, response.get_data()

    out = run_plans(
        todo,
        send,
        repeat,
        counter=QueryCounter(db.engine),
        after_each=db.session.remove,
        between=collect_request_garbage,  # as make serve's workers do once an answer is sent
    )
    return out, _bulk_in_process(client, bearer)


def _bulk_in_process(client, bearer) -> BulkMeasure:
    """The bulk grant, last (the bench's other requests never read what it changes)."""
    ids = bulk_targets()
    db.session.remove()
    measure = BulkMeasure(len(ids))
    if not ids:
        return measure
    counter = StatementCounter(db.engine)
    start = time.perf_counter()
    try:
        response = client.post(
            "/api/v1/applications/transitions", json=bulk_body(ids), headers=bearer
        )
    finally:
        counter.close()
    measure.ms = (time.perf_counter() - start) * 1000
    measure.reads, measure.writes = counter.reads, counter.writes
    return _bulk_checked(measure, response.status_code, response.get_data())


def measure_over_http(
    app_factory: Callable[[str], object], url: str, repeat: int, log: Path
) -> tuple[list[Measure], BulkMeasure]:
    """Every kind of request sent over HTTP to ``make serve`` (gunicorn, 4 workers) started on
    the database at ``url`` (a scratch copy), then the bulk grant; the server's log goes to
    ``log``. A server that logs an error or answers a 5xx fails the run."""
    from tracker.benchmark.served import WORKERS, Client, Served, ServerFailed

    warm_up = 2 * WORKERS  # every worker warmed up, whichever takes the request
    app = app_factory(url)
    with app.app_context():
        token = officer_token()
        todo = plans(app, repeat, warm_up, spare=WORKERS * WARM_UP)
        grant = bulk_targets()
        db.session.remove()
        db.engine.dispose()
    bearer = {"Authorization": f"Bearer {token}"}
    transition = json.dumps({"trigger": "admit"}).encode()
    with Served(url, log) as server:
        browser, public = Client(server.port), Client(server.port)
        browser.login(OFFICER_EMAIL, BENCH_PASSWORD)

        def send(plan: Plan, target: str) -> tuple[int, bytes]:
            if plan.how == "transition":
                path = f"/api/v1/applications/{target}/transitions"
                return browser.post_json(path, transition, bearer)
            if plan.how == "api":
                return public.get(target, bearer)
            return (public if plan.how == "public" else browser).get(target)

        # the applications waiting past those run_plans fires on: each worker warms up on some
        fired = repeat + warm_up
        spare = [t for p in todo if p.how == "transition" for t in p.targets[fired:]]
        _warm_every_worker(server.port, todo, browser.cookies, bearer, transition, spare)
        out = run_plans(todo, send, repeat, warm_up=warm_up)
        bulk = BulkMeasure(len(grant))
        if grant:
            start = time.perf_counter()
            status, body = browser.post_json(
                "/api/v1/applications/transitions", json.dumps(bulk_body(grant)).encode(), bearer
            )
            bulk.ms = (time.perf_counter() - start) * 1000
            _bulk_checked(bulk, status, body)
        browser.close()
        public.close()
    if errors := server.errors():
        raise ServerFailed("the server logged errors:\n" + "\n".join(errors[:20]))
    return out, bulk


def _warm_every_worker(
    port: int, todo: list[Plan], cookies: dict, bearer: dict, transition: bytes, spare: list[str]
) -> None:
    """Each kind of request sent ``WARM_UP`` times by as many clients at once as there are
    workers: each worker then has compiled its statements and templates for it, and its
    connection has prepared them. One after the other, the warm-up requests may all be taken
    by the same idle worker, and the first request of a kind a cold worker takes (100 ms and
    more) lands among the timed ones. Transitions change what they touch: each client fires
    on its own share of ``spare``, applications the timed requests do not touch."""
    from concurrent.futures import ThreadPoolExecutor

    from tracker.benchmark.served import WORKERS, Client, ServerFailed

    def warm(plan: Plan, nth: int) -> None:
        client = Client(port)
        if plan.how == "page":
            client.cookies = dict(cookies)
        try:
            if plan.how == "transition":
                for target in spare[nth::WORKERS][:WARM_UP]:
                    path = f"/api/v1/applications/{target}/transitions"
                    status, _ = client.post_json(path, transition, bearer)
                    if status != 200:
                        raise ServerFailed(f"warming up, {path} answered {status}")
                return
            for n in range(WARM_UP):
                target = plan.targets[n % len(plan.targets)]
                client.get(target, bearer if plan.how == "api" else None)
        finally:
            client.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        for plan in todo:
            list(pool.map(warm, [plan] * WORKERS, range(WORKERS)))


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


def report(
    small: int,
    large: int,
    at_small: list[Measure],
    at_large: list[Measure],
    *,
    queries_from: tuple[list[Measure], list[Measure]] | None = None,
) -> str:
    """One table: median and p95 at both sizes, the growth, the queries, whether targets are met.
    ``queries_from``: the in-process measures whose query counts stand for these (over HTTP the
    queries cannot be counted from outside); then no CPU column either."""
    over_http = queries_from is not None
    head = (
        f"{'request':<20} {'med ' + str(small):>10} {'p95 ' + str(small):>10} "
        f"{'med ' + str(large):>12} {'p95 ' + str(large):>12} {'cpu med':>9} {'growth':>7} "
        f"{'queries':>9}  target"
    )
    lines = [head, "-" * len(head)]
    all_met = True
    counted = queries_from or (at_small, at_large)
    for a, b, qa, qb in zip(at_small, at_large, *counted, strict=True):
        if a.error or b.error:
            all_met = False
            lines.append(f"{a.kind:<20} FAILED: {a.error or b.error}")
            continue
        growth = b.median / a.median if a.median else float("inf")
        target = TARGETS.get(a.kind)
        queries = (
            qa.query_count
            if qa.query_count == qb.query_count
            else f"{qa.query_count}/{qb.query_count}"
        )
        constant = not qa.queries or not qb.queries or max(qb.queries) <= max(qa.queries)
        if target is None:
            verdict = "(no target)"
        else:
            verdict = _verdict(target, b.median, growth, constant)
            all_met &= verdict == "met"
        note = f"  [{b.note}]" if b.note else ""
        cpu = "-" if over_http else f"{statistics.median(b.cpu_ms):.1f}ms"
        lines.append(
            f"{a.kind:<20} {a.median:>8.1f}ms {a.p95:>8.1f}ms {b.median:>10.1f}ms "
            f"{b.p95:>10.1f}ms {cpu:>9} {growth:>6.2f}x "
            f"{queries:>9}  {verdict}{note}"
        )
    lines.append("")
    lines.append("All targets met." if all_met else "Some targets are not met.")
    if over_http:
        lines.append(
            "med/p95: wall-clock time seen by the client, connection included; queries: counted "
            "in-process for the same request."
        )
    else:
        lines.append(
            "med/p95: wall-clock server time; cpu med: CPU time of the request's thread at the "
            "larger N (the same work without the waits of a busy machine)."
        )
    return "\n".join(lines)
