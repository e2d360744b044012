"""The demo is created through the operations, so its tallies fill themselves: they equal a
rebuild, and the public figures are the ones the demo world was made to show."""

from __future__ import annotations

from tracker.dashboards import figures as fig
from tracker.dashboards import tallies
from tracker.dashboards.statistics import public_statistics
from tracker.database import commit
from tracker.demo import load_demo


def test_the_demo_fills_its_tallies_and_shows_its_figures(app):
    load_demo()
    kept = tallies.snapshot()
    tallies.rebuild()
    commit()
    assert tallies.snapshot() == kept
    with app.test_request_context():
        stats = public_statistics()
        assert stats.value_chains == 45  # the demo's 45 labels still valid (one revoked)
        assert stats.provinces == 12 and stats.organisations > 500
        assert stats.grants > 0 and stats.granted > 0
        from tracker.auth.models import User
        from tracker.extensions import db

        officer = db.session.scalar(db.select(User).where(User.email == "officer@demo.example.org"))
        figures = fig.officer_figures(fig.scope_for(officer, None))
        flows = {w.name: w for w in figures.workflows}
        assert set(flows) == {
            "value_chain", "support_application", "rolling_support_application",
            "minibond_issue", "hub_eoi",
        }  # fmt: skip
        assert flows["value_chain"].in_preparation >= 1
        assert sum(s.durations.count for s in flows["value_chain"].states) > 0
        assert figures.measures and all(m.committed <= m.budget for m in figures.measures)
