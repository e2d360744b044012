"""``make load`` in miniature: a few simulated people for a few seconds against ``make serve``
(4 workers) on a scratch copy of the bench, on SQLite and PostgreSQL; no request fails, every
confirmed write is there once, the chains verify. And the checks that follow the run do catch a
lost write."""

from __future__ import annotations

import re

import pytest
from speedtools import N, bench_app

from tracker.benchmark import cpu
from tracker.benchmark.load.__main__ import check_writes, rush, table
from tracker.benchmark.load.prepare import Cast, parse_wait

pytestmark = pytest.mark.xdist_group("speed-bench")


def test_a_short_rush_fails_nothing_and_loses_nothing(place, tmp_path):
    outcome = rush(place, N, users=10, duration="15s", work=tmp_path)
    assert outcome.ok, outcome.problems
    assert not outcome.failures, outcome.failures
    total = next(row for row in outcome.stats if row["Name"] == "Aggregated")
    assert int(total["Request Count"]) >= 10 and int(total["Failure Count"]) == 0
    kinds = {row["Name"].split(":")[0] for row in outcome.stats if row["Name"] != "Aggregated"}
    assert {"lead", "public"} <= kinds, kinds
    assert any(f.startswith("writes confirmed:") for f in outcome.facts), outcome.facts
    assert any(f.startswith("flask audit verify: Intact") for f in outcome.facts), outcome.facts
    locust = next(f for f in outcome.facts if f.startswith("Locust took "))
    assert int(locust.split()[2]) > 0 and "of the machine's" in locust  # it ran here
    if cpu.snapshot() is not None:  # Linux: whose CPU it was
        split = next(f for f in outcome.facts if f.startswith("CPU during the run: "))
        assert re.search(r"the app's server \d+\.\d s \((\d+\.\d) ms a request\)", split)
        if place.backend == "PostgreSQL":
            assert "the PostgreSQL server" in split, split
    assert "all requests" in table(outcome)
    cast = Cast.load(tmp_path / "load-cast.json")
    assert cast.leads and cast.reviewers and cast.officers and cast.reviews


def test_the_checks_catch_lost_writes(sqlite_place, tmp_path):
    """A submission answered 200 without its history row, a review answered 201 without its
    row: both are named."""
    with sqlite_place.scratch(N, "checks") as url:
        from tracker.benchmark.load.prepare import prepare

        cast = prepare(bench_app(url), 2, tmp_path / "cast.json")
        lead = cast.leads[0]
        member = cast.reviewers[0]
        answered = [
            ("submit", lead.applications[0], lead.email, 200),
            ("review", member.applications[0], member.email, 201),
        ]
        problems, facts = check_writes(bench_app(url), cast, answered)
    assert any("answered 200, 0 history rows" in p for p in problems), problems
    assert any("answered 201, 0 rows" in p for p in problems), problems
    assert "writes confirmed: 1 submissions, 1 reviews; history rows written: 0" in facts


def test_a_closed_loop_sends_the_next_request_as_soon_as_answered(sqlite_place, tmp_path):
    """``make load WAIT=0``: with 1-5 s waits a person asks at most once a second."""
    users, seconds = 4, 8
    outcome = rush(sqlite_place, N, users=users, duration=f"{seconds}s", work=tmp_path, wait="0")
    assert outcome.ok, outcome.problems
    total = next(row for row in outcome.stats if row["Name"] == "Aggregated")
    assert int(total["Request Count"]) > 3 * users * seconds, total["Request Count"]


@pytest.mark.parametrize(
    "spec, wait", [("1-5", (1.0, 5.0)), ("0", (0.0, 0.0)), ("0.5-2", (0.5, 2.0))]
)
def test_waits_are_read_as_seconds(spec, wait):
    assert parse_wait(spec) == wait


@pytest.mark.parametrize("spec", ["5-1", "x", "-1", "1-", ""])
def test_nonsense_waits_are_refused(spec):
    with pytest.raises(ValueError):
        parse_wait(spec)
