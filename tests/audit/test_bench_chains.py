"""The benchmark's builder hashes the history chains itself, as it writes the rows: every chain
and head verifies without sealing, and ``seal_all`` afterwards finds nothing to do."""

from __future__ import annotations

from sqlalchemy import func, select

from tracker import create_app
from tracker.applications.models import Application
from tracker.audit.chain import seal_all
from tracker.audit.verify import verify
from tracker.benchmark import build as bench
from tracker.extensions import db

N = 60


def test_the_builder_writes_sealed_chains(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "derived_steps", lambda: [])  # no seal_all during the build
    path = bench.bench_path(N, tmp_path)
    url = f"sqlite:///{path}"
    counts = bench.build(create_app({"SQLALCHEMY_DATABASE_URI": url}), N, path, log=lambda *a: None)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        report = verify(db.session.connection())
        assert report.intact, str(report)
        drafts = db.session.scalar(select(func.count()).where(Application.state == "draft"))
        heads = db.session.scalar(select(func.count(Application.history_head)))
        assert heads == N - drafts > 0  # a draft has no history, so no head
        assert counts.history > N
        assert seal_all() == 0
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
