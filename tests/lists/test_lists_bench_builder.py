"""The benchmark's builder at a small N: the rows it writes are the rows the app would have
written (states reached by real paths, history consistent, reviews within the criteria, labels
with their decree), the dashboards' tallies are rebuilt, and the pages read the file."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sqlalchemy import func, select

from tracker import create_app
from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.benchmark.build import (
    BENCH_PASSWORD,
    OFFICER_EMAIL,
    PARTNERS,
    PATHS,
    bench_path,
    build,
    is_current,
)
from tracker.benchmark.measure import measure_all, report
from tracker.calls.models import Criterion
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.reviews.models import Review
from workflows import get_workflow

# one benchmark database built for the module: its tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("bench-builder")

N = 200


def bench_app(url: str):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False}
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = bench_path(N, tmp_path_factory.mktemp("bench"))
    counts = build(bench_app(f"sqlite:///{path}"), N, path, log=lambda *a: None)
    app = bench_app(f"sqlite:///{path}")
    with app.app_context():
        yield path, counts
        db.session.remove()
        db.engine.dispose()


def test_counts_are_as_asked(built):
    path, counts = built
    assert counts.applications == N == db.session.scalar(select(func.count(Application.id)))
    assert counts.partners == N * PARTNERS == db.session.scalar(select(func.count(Partner.id)))
    assert db.session.scalar(select(func.count(HistoryEntry.id))) == counts.history
    assert 6 * N <= counts.history <= 10 * N  # about eight each
    assert is_current(path, N) and not is_current(path, N + 1)


def test_every_state_is_reached_by_its_history(built):
    workflow = get_workflow("value_chain")
    apps = {a.id: a for a in db.session.scalars(select(Application))}
    assert set(Counter(a.state for a in apps.values())) == set(PATHS)  # every state is there
    history: dict[int, list[HistoryEntry]] = {}
    for h in db.session.scalars(select(HistoryEntry).order_by(HistoryEntry.seq)):
        history.setdefault(h.application_id, []).append(h)
    for app_id, app in apps.items():
        rows = history.get(app_id, [])
        assert [h.seq for h in rows] == list(range(1, len(rows) + 1))
        state = "draft"
        for h in rows:
            transition = workflow.transition(h.trigger)
            assert h.from_state == state and state in transition.sources
            assert h.to_state == transition.dest
            assert h.seconds_in_from_state > 0 and h.actor_id is not None
            state = h.to_state
        assert app.state == state  # the state is the last destination
        assert (app.submitted_at is None) == (app.state == "draft")
        if rows:
            assert app.state_entered_at == rows[-1].at
            assert rows[0].at > app.created_at


def test_reviews_labels_and_partners_are_consistent(built):
    tops = {(c.call_id, c.key): c.max_score for c in db.session.scalars(select(Criterion))}
    apps = {a.id: a for a in db.session.scalars(select(Application))}
    for review in db.session.scalars(select(Review)):
        call_id = apps[review.application_id].call_id
        assert all(0 <= v <= tops[(call_id, k)] for k, v in review.scores.items())
        assert review.total == sum(review.scores.values())
    labelled = {"label_granted", "support_active", "closed", "label_revoked"}
    labels = {label.application_id: label for label in db.session.scalars(select(QualityLabel))}
    assert set(labels) == {i for i, a in apps.items() if a.state in labelled}
    for app_id, label in labels.items():
        assert label.decree_number and label.decree_date
        assert label.valid == (apps[app_id].state != "label_revoked")
        grant = db.session.scalar(
            select(HistoryEntry).where(
                HistoryEntry.application_id == app_id, HistoryEntry.trigger == "grant_label"
            )
        )
        data = grant.data if isinstance(grant.data, dict) else json.loads(grant.data)
        assert data["decree_number"] == label.decree_number
        assert apps[app_id].score is not None and apps[app_id].score >= 60
    leads = db.session.execute(
        select(Partner.application_id, Partner.organisation_id)
        .join(Application, Application.id == Partner.application_id)
        .where(Partner.organisation_id == Application.lead_organisation_id)
    ).all()
    assert len(leads) == N  # the lead is a partner of its own application


def test_the_tallies_are_rebuilt(built):
    from tracker.dashboards.models import ApplicationTally

    by_state = dict(
        db.session.execute(
            select(ApplicationTally.state, func.sum(ApplicationTally.n)).group_by(
                ApplicationTally.state
            )
        ).all()
    )
    actual = dict(
        db.session.execute(
            select(Application.state, func.count()).group_by(Application.state)
        ).all()
    )
    assert by_state == actual


def test_the_measurements_run_on_the_built_file(built, tmp_path):
    path, _counts = built
    measures, bulk = measure_all(bench_app, path, repeat=3)
    # the bulk grant (issue 14) gives every label the bench has to give, each refused none
    assert bulk.labels > 0 and not bulk.error, bulk
    assert 0 < bulk.reads - bulk.labels <= 20 and bulk.writes > bulk.labels  # 1 read a label
    assert f"bulk grant of {bulk.labels} labels (in-process" in bulk.line("in-process")
    kinds = [m.kind for m in measures]
    assert kinds[:2] == ["officer dashboard", "list, first page"]
    assert all(not m.error for m in measures), [m.error for m in measures]
    assert all(len(m.times_ms) == 3 and m.queries for m in measures)
    table = report(N, N, measures, measures)
    assert "transition via API" in table and "growth" in table
    assert path.exists() and not path.with_name(path.stem + "-run.db").exists()
    assert OFFICER_EMAIL and BENCH_PASSWORD


def test_the_paths_are_the_workflows_own():
    """The builder asks the value-chain definition how to reach each state, and who fires each
    step: every state is weighed, and every path is one the engine would take."""
    from tracker.benchmark.build import INTEGRATION_ROUND, STATE_WEIGHTS, WORKFLOW

    assert set(STATE_WEIGHTS) == {s.name for s in WORKFLOW.states} == set(PATHS)
    for state, steps in PATHS.items():
        at = WORKFLOW.initial
        for step in [*steps[:1], *INTEGRATION_ROUND, *steps[1:]] if len(steps) > 1 else steps:
            assert step.source == at and at in step.transition.sources
            assert step.role in step.transition.roles
            at = step.dest
        assert at == state
    assert [s.trigger for s in PATHS["withdrawn"]] == ["submit", "admit", "withdraw"]


def test_the_file_is_stamped_and_served_as_it_is(built):
    """``make run`` and ``make serve`` run ``db upgrade`` first: on a built file it has nothing to
    do (without the stamp it would try to create the tables again and fail)."""
    from flask_migrate import upgrade

    from tracker.benchmark.build import migrations_head

    path, _ = built
    revision = db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
    assert revision == migrations_head()
    db.session.remove()
    upgrade()
    assert db.session.scalar(select(func.count(Application.id))) == N
