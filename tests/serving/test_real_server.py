"""The promise, proven on the real server (gunicorn, 4 worker processes, SQLite and PostgreSQL):
a decision, once recorded, is never lost, never half-written and never recorded twice.

- 50 clients fire the same transition on the same application: one wins, 49 get 409, one
  history row, one state change;
- two reviewers close the same evaluation: one wins, the other gets 409;
- officers grant support against the same budget: it is never overcommitted;
- workers killed with SIGKILL in the middle of a load of transitions: every application's state
  is its last history row's destination, no row lacks its change, no change lacks its row, and
  every transition the server confirmed is there.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import signal
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tracker.applications.models import Application, HistoryEntry
from tracker.calls.models import Call
from tracker.extensions import db

sys.path.append(str(Path(__file__).resolve().parents[1] / "measures"))
from measuretools import Measures  # noqa: E402
from servertools import all_at_once, histories_are_whole, report  # noqa: E402

# one gunicorn per backend for the module: its tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("real-server")

CLIENTS = 50
LOST_RACE = {"invalid_transition", "stale_version", "duplicate", "busy"}


def history_of(application_id: int) -> list[HistoryEntry]:
    db.session.expire_all()
    return db.session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.application_id == application_id)
        .order_by(HistoryEntry.seq)
    ).all()


def test_fifty_clients_fire_the_same_transition_once(served):
    make, world, server = served.make, served.world, served.server
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    for member in world.reviewers:  # members declare before acting (issue 14)
        make.declare(application, member)
    committee = [world.officer, *world.reviewers]
    tokens = [make.token(committee[i % len(committee)]) for i in range(CLIENTS)]

    app_id = application.id  # threads have no app context to load attributes in
    answers = all_at_once(
        [lambda t=t: server.fire(t, "applications", app_id, "admit") for t in tokens]
    )

    assert not [a for a in answers if isinstance(a, Exception)], answers
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (CLIENTS - 1), answers
    codes = {body["error"]["code"] for status, body in answers if status == 409}
    assert codes <= LOST_RACE, codes
    rows = history_of(application.id)
    assert [(r.seq, r.trigger) for r in rows] == [(1, "submit"), (2, "admit")]
    state = db.session.scalar(select(Application.state).where(Application.id == application.id))
    assert state == rows[-1].to_state == "under_evaluation"
    if served.backend == "sqlite":  # the workers shared the file in WAL mode
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    report(
        f"[{served.backend}] same transition: {CLIENTS} clients at once on {len(server.workers())}"
        f" workers -> 1 x 200, {statuses.count(409)} x 409 ({', '.join(sorted(codes))}),"
        " 1 history row"
    )


def test_two_reviewers_closing_the_same_evaluation(served):
    """Five applications, each closed by both of its reviewers at the same moment."""
    make, world, server = served.make, served.world, served.server
    tokens = [make.token(r) for r in world.reviewers]
    wins = conflicts = 0
    for _ in range(5):
        application = make.application(world.call, world.lead)
        make.fire(application, world.lead, "submit")
        make.fire(application, world.officer, "admit")
        for r in world.reviewers:
            make.review(application, r)
        answers = all_at_once(
            [
                lambda t=t, a=application.id: server.fire(t, "applications", a, "close_evaluation")
                for t in tokens
            ]  # fmt: skip
        )
        statuses = sorted(status for status, _ in answers)
        assert statuses == [200, 409], answers
        assert next(b for s, b in answers if s == 409)["error"]["code"] in LOST_RACE
        wins, conflicts = wins + 1, conflicts + 1
        rows = history_of(application.id)
        assert [r.trigger for r in rows] == ["submit", "admit", "close_evaluation"]
        db.session.refresh(application)
        assert application.state == "evaluated" and application.score is not None
    report(
        f"[{served.backend}] two reviewers closing one evaluation, 5 times:"
        f" {wins} closed, {conflicts} x 409"
    )


def test_officers_granting_at_once_never_overcommit_the_budget(served):
    """Eight applications of EUR 300,000 granted at once by four officers from a budget of
    EUR 1,000,000: three are granted; the others get 409 or 422 and nothing is written."""
    make, world, server = served.make, served.world, served.server
    measures = Measures(make, world)
    call = measures.measure(budget="1000000", max_grant="300000")
    apps = [measures.scored(call, 70 + i, amount="300000") for i in range(8)]
    officers = [world.officer] + [make.user("officer") for _ in range(3)]
    tokens = [make.token(officers[i % 4]) for i in range(len(apps))]

    answers = all_at_once(
        [
            lambda t=t, a=a.id: server.fire(t, "applications", a, "grant")
            for t, a in zip(tokens, apps, strict=True)
        ]  # fmt: skip
    )

    statuses = [status for status, _ in answers]
    assert statuses.count(200) == 3, answers
    assert set(statuses) <= {200, 409, 422}, answers
    db.session.expire_all()
    committed = db.session.scalar(select(Call.committed).where(Call.id == call.id))
    assert committed == Decimal("900000.00")
    states = db.session.scalars(
        select(Application.state).where(Application.id.in_([a.id for a in apps]))
    ).all()
    assert sorted(states) == ["granted"] * 3 + ["scored"] * 5
    report(
        f"[{served.backend}] budget race: 8 grants of EUR 300,000 at once against"
        f" EUR 1,000,000 -> 3 granted, {statuses.count(409)} x 409,"
        f" {statuses.count(422)} x 422; committed EUR {committed:,}"
    )


# --- crash safety -----------------------------------------------------------------------------

LOAD_CLIENTS = 16
LOAD_SECONDS = 8
KILLS = 4
APPLICATIONS = 12


def test_workers_killed_mid_load_leave_no_half_written_change(served):
    """Clients push applications round the integration loop (submitted -> integration_requested
    -> submitted ...) while workers are killed with SIGKILL; gunicorn replaces them. Afterwards
    every history is whole, and every transition answered 200 is recorded (a reset connection
    may have lost the answer of a change that was recorded, never the other way round)."""
    make, world, server = served.make, served.world, served.server
    apps = []
    for _ in range(APPLICATIONS):
        application = make.application(world.call, world.lead)
        make.fire(application, world.lead, "submit")
        for member in world.reviewers:  # members declare before acting (issue 14)
            make.declare(application, member)
        apps.append(application.id)
    rows_before = len(db.session.scalars(select(HistoryEntry)).all())
    lead = make.token(world.lead)
    committee = [make.token(u) for u in (world.officer, *world.reviewers)]
    counts = {"sent": 0, "200": 0, "409": 0, "reset": 0, "other": []}
    lock = threading.Lock()
    stop = threading.Event()

    def client(seed: int) -> None:
        rnd = random.Random(seed)
        while not stop.is_set():
            app_id = rnd.choice(apps)
            if rnd.random() < 0.5:
                args = (rnd.choice(committee), "applications", app_id, "request_integration")
                extra = {"comment": "Please add the partners' letters."}
            else:
                # issue 14: a resubmission answers the question (its comment as the reply)
                args = (lead, "applications", app_id, "resubmit")
                extra = {"comment": "The letters are attached."}
            try:
                status, body = server.fire(*args, **extra)
            except (OSError, http.client.HTTPException):  # its worker died under this request
                status, body = None, None
            with lock:
                counts["sent"] += 1
                if status is None:
                    counts["reset"] += 1
                elif status in (200, 409):
                    counts[str(status)] += 1
                else:
                    counts["other"].append((status, body))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(LOAD_CLIENTS)]
    for t in threads:
        t.start()
    killed = []
    try:
        for _ in range(KILLS):
            time.sleep(LOAD_SECONDS / (KILLS + 1))
            victim = random.choice(server.workers())
            assert server.process.poll() is None
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
        time.sleep(LOAD_SECONDS / (KILLS + 1))
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    assert not counts["other"], counts["other"][:5]
    assert counts["200"] > 0
    rows = histories_are_whole(Application)
    recorded = rows - rows_before
    # every confirmed change is recorded; a change may be recorded whose answer was lost
    assert counts["200"] <= recorded <= counts["200"] + counts["reset"], (counts, recorded)
    server.wait_until_ready()  # gunicorn replaced the killed workers
    assert not set(killed) & set(server.workers())
    report(
        f"[{served.backend}] crash safety: {LOAD_CLIENTS} clients, {counts['sent']} requests in"
        f" {LOAD_SECONDS}s, {len(killed)} workers SIGKILLed -> {counts['200']} x 200,"
        f" {counts['409']} x 409, {counts['reset']} connections reset, {recorded} history rows"
        f" recorded; all {rows} rows of {db.session.query(Application).count()} applications whole"
    )


# --- login throttle ---------------------------------------------------------------------------


def test_guessing_a_password_is_stopped_across_the_workers(served):
    """Failed logins are counted in the database every worker shares: spread over the 4 workers
    a guesser gets the same 5 free tries as on one, then 429 with Retry-After."""
    server = served.server
    user = served.make.user("officer")
    status, headers, html = server.page("GET", "/login")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    form = {"csrf_token": csrf, "email": user.email, "password": "guess"}
    statuses = []
    for _ in range(4 * 5 + 1):
        status, headers, html = server.page("POST", "/login", form, cookie)
        statuses.append(status)
        if status == 429:
            break
    assert statuses == [422] * 5 + [429], statuses
    assert int(headers["Retry-After"]) >= 1 and "Too many failed logins" in html
    report(
        f"[{served.backend}] login throttle: {len(statuses) - 1} wrong passwords over"
        f" {len(server.workers())} workers, then 429 (Retry-After {headers['Retry-After']} s)"
    )


def test_a_local_client_cannot_claim_https_without_a_proxy(served):
    """Without PROXY_COUNT no peer is a trusted proxy, not even one on this host: a plain-HTTP
    request saying X-Forwarded-Proto: https stays plain (no HSTS, no Secure cookie)."""
    status, headers, _ = served.server.page(
        "GET", "/login", extra_headers={"X-Forwarded-Proto": "https", "X-Forwarded-Ssl": "on"}
    )
    assert status == 200
    assert "Strict-Transport-Security" not in headers
    assert "secure" not in headers.get("Set-Cookie", "").lower()
