"""The tallies kept as things happen equal the tallies recomputed from scratch."""

from __future__ import annotations

from tracker.applications.operations import update_application
from tracker.dashboards import tallies
from tracker.dashboards.models import ApplicationTally, DurationTally
from tracker.database import commit
from tracker.extensions import db


def test_kept_tallies_equal_rebuilt_ones(dw, cw):
    a = dw.draft(at=None)
    dw.walk(a, [("submit", 0), ("request_integration", 0), ("resubmit", 0), ("admit", 0)])
    recognised = dw.draft(s3_ecosystem="nutrition")
    dw.walk(recognised, [("submit", 0), ("admit", 0), ("close_evaluation", 0), ("grant_label", 0)])
    revoked = dw.draft()
    dw.walk(revoked, [("submit", 0), ("admit", 0), ("close_evaluation", 0), ("grant_label", 0)])
    dw.walk(revoked, [("revoke_label", 0)])
    b = dw.draft()
    dw.walk(b, [("withdraw", 0)])  # never submitted
    c = dw.draft()
    update_application(dw.lead, c, {"thematic_area": "innovation"})
    commit()
    proposal = cw.proposal()
    cw.drive(proposal, "board_review")
    kept = tallies.snapshot()
    assert all(kept.values())
    tallies.rebuild()
    assert tallies.snapshot() == kept


def test_a_state_change_moves_one_count_and_records_the_stay(dw):
    app = dw.draft()
    dw.walk(app, [("submit", 0)])
    rows = db.session.execute(
        db.select(ApplicationTally.state, ApplicationTally.submitted, ApplicationTally.province,
                  ApplicationTally.n).where(ApplicationTally.n != 0)
    ).all()  # fmt: skip
    assert rows == [("submitted", True, "BS", 1)]
    stays = db.session.execute(db.select(DurationTally.state, DurationTally.n)).all()
    assert stays == [("draft", 1)]
