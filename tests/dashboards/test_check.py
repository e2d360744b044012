"""``flask --app wsgi dashboards check`` proves the tallies equal a recount from the base tables,
and names the first difference when they do not; the firing path tells the tallies whether a
change is an application's first submission."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from tracker.dashboards import tallies
from tracker.dashboards.models import ApplicationTally, BreakdownTally, DurationTally
from tracker.database import commit
from tracker.extensions import db
from tracker.signals import state_changed


def check(app):
    return app.test_cli_runner().invoke(args=["dashboards", "check"])


def a_world(dw, cw):
    recognised = dw.draft()
    dw.walk(recognised, [("submit", 9), ("admit", 8), ("close_evaluation", 5), ("grant_label", 1)])
    back = dw.draft()
    dw.walk(back, [("submit", 3), ("request_integration", 2), ("resubmit", 1)])
    dw.draft()
    cw.drive(cw.proposal(), "board_review")


def test_tallies_kept_by_the_app_pass_the_check(app, dw, cw):
    a_world(dw, cw)
    result = check(app)
    assert result.exit_code == 0, result.output
    assert "The tallies equal a recount" in result.output
    assert "tally_applications 3" in result.output  # a summary: the rows of each table
    assert tallies.differences() == []


def test_a_corrupted_tally_row_fails_the_check_and_is_named(app, dw, cw):
    a_world(dw, cw)
    t = ApplicationTally
    db.session.execute(
        update(t).where(t.state == "label_granted", t.submitted.is_(True)).values(n=t.n + 1)
    )
    commit()
    result = check(app)
    assert result.exit_code == 1
    assert "1 tally rows differ from a recount" in result.output
    assert "tally_applications (call_id=" in result.output
    assert "state='label_granted'" in result.output
    assert "stored n=2, recounted n=1" in result.output
    assert db.session.scalar(select(t.n).where(t.state == "label_granted")) == 2  # read only


def test_a_missing_or_extra_row_fails_the_check(app, dw, cw):
    a_world(dw, cw)
    db.session.execute(delete(DurationTally).where(DurationTally.state == "integration_requested"))
    commit()
    result = check(app)
    assert result.exit_code == 1
    assert "tally_durations (kind='application'" in result.output
    assert "stored no row, recounted n=1" in result.output
    tallies.rebuild()
    commit()
    assert check(app).exit_code == 0
    db.session.add(
        BreakdownTally(
            call_id=dw.call.id, dimension="province", value="MI", in_progress=True,
            positive=False, n=4,
        )
    )  # fmt: skip
    commit()
    found = tallies.differences()
    assert [str(d) for d in found] == [
        f"tally_breakdowns (call_id={dw.call.id}, dimension='province', value='MI', "
        "in_progress=True, positive=False): stored n=4, recounted no row"
    ]
    assert check(app).exit_code == 1


def test_the_firing_path_says_which_change_is_the_first_submission(dw):
    seen = []

    def listen(sender, *, firing, first_submission, **_):
        seen.append((firing.transition.trigger, first_submission))

    app = dw.draft()
    with state_changed.connected_to(listen):
        dw.walk(app, [("submit", 3), ("request_integration", 2), ("resubmit", 1), ("admit", 0)])
    assert seen == [
        ("submit", True),
        ("request_integration", False),
        ("resubmit", False),
        ("admit", False),
    ]
