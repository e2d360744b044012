"""python -m tracker.benchmark.load [--n 100000] [--users 200] [--duration 3m] [--wait 1-5]

``make load``: the deadline-day rush. On a scratch copy of the bench of N applications (SQLite,
or PostgreSQL with ``DATABASE_URL`` set, as ``make bench``), with drafts ready to submit for the
leads and everyone logged in beforehand (``prepare.py``), ``make serve`` (gunicorn, 4 workers)
is started, Locust runs headless on the same machine (``locustfile.py``), the server is stopped,
and then: no 5xx, every answered transition has exactly its history row and every answered
review its row, ``flask audit verify`` intact. Prints requests per second and the 50th, 95th and
99th percentiles of each kind of request; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from tracker import settings
from tracker.applications.models import Application, HistoryEntry
from tracker.auth.models import User
from tracker.benchmark import cpu
from tracker.benchmark.__main__ import app_for, ensure, load_average
from tracker.benchmark.load.prepare import RUSH_WAIT, Cast, parse_wait, prepare
from tracker.benchmark.places import PostgresPlace, place_for
from tracker.benchmark.served import WORKERS, Served, server_environment
from tracker.extensions import db
from tracker.reviews.models import Review

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
BIN = Path(sys.executable).parent
#: the name of Locust's row of every request together, in its CSV of figures
ALL = "Aggregated"


@dataclass
class Outcome:
    """What the run showed: its figures and what went wrong."""

    stats: list[dict] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_locust(
    port: int, users: int, duration: str, wait: str, cast: Path, ledger: Path, prefix: Path
) -> float:
    """Runs Locust; returns the CPU seconds it took (from the server's machine, the same one)."""
    spawn_rate = max(1, users // 10)  # everyone in within ten seconds
    before = _children_cpu()
    done = subprocess.run(
        [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "-u", str(users),
         "-r", str(spawn_rate), "-t", duration, "--host", f"http://127.0.0.1:{port}",
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
        env=server_environment("") | {"LOAD_CAST": str(cast), "LOAD_LEDGER": str(ledger), "LOAD_WAIT": wait},
        capture_output=True, text=True,
    )  # fmt: skip
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust did not run:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return _children_cpu() - before


def _children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the server still runs)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _read_csv(path: Path) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def check_writes(app, cast: Cast, answered: list) -> tuple[list[str], list[str]]:
    """(problems, facts): every write the server confirmed is there exactly once, nothing was
    written that it did not confirm, every application's state is its last row's."""
    problems, facts = [], []
    with app.app_context():
        made = Counter(
            db.session.execute(
                select(HistoryEntry.application_id, HistoryEntry.trigger).where(
                    HistoryEntry.id > cast.last_history_id
                )
            ).all()
        )
        confirmed = Counter(
            (app_id, kind)
            for kind, app_id, _, status in answered
            if kind == "submit" and status == 200
        )
        for key, n in confirmed.items():
            if made[key] != n:
                problems.append(
                    f"transition {key[1]} of application {key[0]}: answered 200, {made[key]} history rows"
                )
        unconfirmed = sorted(set(made) - set(confirmed))
        if unconfirmed:
            facts.append(
                f"{len(unconfirmed)} history rows whose answer the client never got: {unconfirmed[:5]}"
            )
        submitted = [app_id for app_id, _ in confirmed]
        states = dict(
            db.session.execute(
                select(Application.id, Application.state).where(Application.id.in_(submitted))
            ).all()
        )
        wrong = {i: s for i, s in states.items() if s != "submitted"}
        if wrong:
            problems.append(f"submitted applications in another state: {wrong}")
        emails = dict(db.session.execute(select(User.id, User.email)).all())
        reviewed = Counter(
            (a, emails[r])
            for a, r in db.session.execute(
                select(Review.application_id, Review.reviewer_id).where(
                    Review.id > cast.last_review_id
                )
            )
        )
        answered_reviews = Counter(
            (app_id, who)
            for kind, app_id, who, status in answered
            if kind == "review" and status == 201
        )
        for key, n in answered_reviews.items():
            if reviewed[key] != n:
                problems.append(
                    f"review of application {key[0]} by {key[1]}: answered 201, {reviewed[key]} rows"
                )
        facts.append(
            f"writes confirmed: {sum(confirmed.values())} submissions, "
            f"{sum(answered_reviews.values())} reviews; history rows written: {sum(made.values())}"
        )  # fmt: skip
        db.session.remove()
        db.engine.dispose()
    return problems, facts


def audit_verify(url: str) -> tuple[bool, str]:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "audit", "verify"],
        cwd=settings.ROOT, env=server_environment(url), capture_output=True, text=True,
    )  # fmt: skip
    return done.returncode == 0, (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]


def rush(place, n: int, users: int, duration: str, work: Path, wait: str = RUSH_WAIT) -> Outcome:
    """The whole run on a scratch copy of the bench of N applications."""
    work.mkdir(parents=True, exist_ok=True)
    cast_file, ledger = work / "load-cast.json", work / "load-ledger.json"
    prefix = work / "load"
    ledger.unlink(missing_ok=True)
    outcome = Outcome()
    with place.scratch(n, "load") as url:
        cast = prepare(app_for(url), users, cast_file)
        outcome.facts.append(
            f"prepared: {len(cast.leads)} drafts to submit, {len(cast.partners)} partners, "
            f"{len(cast.reviewers)} committee members, {len(cast.reviews)} reviews to write"
        )
        with Served(url, work / "load-serve.log", workers=WORKERS) as server:
            started, before = time.monotonic(), cpu.snapshot()
            locust_cpu = run_locust(server.port, users, duration, wait, cast_file, ledger, prefix)
            elapsed, after = time.monotonic() - started, cpu.snapshot()
        cores = os.cpu_count() or 1
        outcome.facts.append(
            f"Locust took {locust_cpu:.0f} s of CPU in {elapsed:.0f} s "
            f"({locust_cpu / elapsed / cores:.0%} of the machine's {cores} cores)"
        )
        errors = server.errors()
        if errors:
            outcome.problems.append(f"{len(errors)} server errors or 5xx, e.g. {errors[:3]}")
        answered = json.loads(ledger.read_text()) if ledger.exists() else []
        problems, facts = check_writes(app_for(url), cast, answered)
        outcome.problems += problems
        outcome.facts += facts
        intact, said = audit_verify(url)
        outcome.facts.append(f"flask audit verify: {said}")
        if not intact:
            outcome.problems.append("flask audit verify found a broken chain")
    outcome.stats = _read_csv(Path(f"{prefix}_stats.csv"))
    requests = sum(int(row["Request Count"]) for row in outcome.stats if row["Name"] == ALL)
    postgres = isinstance(place, PostgresPlace)
    if split := cpu.split(before, after, server.process.pid, requests, postgres):
        outcome.facts.append(split)
    outcome.failures = _read_csv(Path(f"{prefix}_failures.csv"))
    for f in outcome.failures:  # requests says "5xx Server Error" ("4xx Client Error": listed)
        if re.search(r"\b5\d\d Server Error", f.get("Error", "")):
            outcome.problems.append(
                f"5xx: {f['Method']} {f['Name']}: {f['Error']} x {f['Occurrences']}"
            )
    return outcome


def table(outcome: Outcome) -> str:
    head = (
        f"{'kind':<34} {'requests':>8} {'fails':>6} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7}"
    )
    lines = [head, "-" * len(head)]
    for row in outcome.stats:
        name = row["Name"] if row["Name"] != ALL else "all requests"
        if row["Name"] == ALL:
            lines.append("-" * len(head))
        lines.append(
            f"{name:<34} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>5}ms {row['95%']:>5}ms {row['99%']:>5}ms"
        )
    return "\n".join(lines)


def _wait(spec: str) -> str:
    try:
        parse_wait(spec)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tracker.benchmark.load")
    parser.add_argument("--n", type=int, default=100_000, help="applications of the bench")
    parser.add_argument("--users", type=int, default=200, help="simulated people")
    parser.add_argument("--duration", default="3m", help="Locust's --run-time, e.g. 30s, 3m")
    parser.add_argument(
        "--wait", default=RUSH_WAIT, type=_wait, help="seconds between actions: 1-5, or 0"
    )
    args = parser.parse_args()
    place = place_for(settings.INSTANCE, args.n)
    ensure(place, args.n)
    print(f"the rush: {args.users} people for {args.duration} on {place.backend}, N = {args.n} ...")
    outcome = rush(place, args.n, args.users, args.duration, settings.INSTANCE, args.wait)
    print()
    waiting = "not waiting (a closed loop)" if args.wait == "0" else f"waiting {args.wait} s"
    print(
        f"Deadline-day rush on {place.backend} (N = {args.n}): {args.users} people {waiting}, "
        f"{args.duration}, make serve with {WORKERS} workers; Locust on the same machine."
    )
    print(table(outcome))
    for f in outcome.failures:
        print(f"  failed: {f['Method']} {f['Name']}: {f['Error']} x {f['Occurrences']}")
    for fact in outcome.facts:
        print(f"  {fact}")
    print(f"Machine: {load_average()} (at the end of the run).")
    if outcome.problems:
        print("PROBLEMS:")
        for p in outcome.problems:
            print(f"  {p}")
        raise SystemExit(1)
    print("No 5xx, no lost write, every history chain intact.")


if __name__ == "__main__":
    main()
