"""The Region's clock stops while the applicants are asked: the dashboards count that time and
its late replies apart from the Region's delays, and say so."""

from __future__ import annotations

import datetime as dt

from integrationtools import make_overdue
from pagetools import text_of

from tracker.dashboards import figures as fig
from tracker.dashboards.service_times import DEFAULT_DAYS
from tracker.integrations.queries import difference


def test_late_replies_are_counted_apart_from_the_regions_delays(app, world, asked, make):
    with app.test_request_context():
        before = fig.officer_figures(fig.scope_for(world.officer, world.call.id))
        state = next(s for s in before.workflows[0].states if s.state == "integration_requested")
        assert state.clock_suspended and state.overdue == 0
        make_overdue(asked)
        # even long after it was asked: the Region's delay counts nothing of it
        figures = fig.officer_figures(
            fig.scope_for(world.officer, world.call.id),
            now=asked.pending_integration.requested_at + dt.timedelta(days=400),
        )
    assert (figures.overdue, figures.replies_overdue) == (0, 1)
    assert all(o.state != "integration_requested" for o in figures.oldest_overdue)
    assert "integration_requested" not in DEFAULT_DAYS["value_chain"]


def test_the_dashboard_says_so(login, world, asked):
    make_overdue(asked)
    officer = login(world.officer)
    page = text_of(officer.get(f"/dashboard/calls/{world.call.id}"))
    assert "Replies overdue 1" in page
    assert "the Region's procedural clock is suspended (Law 241/1990 art. 2 c. 7)" in page
    assert "clock suspended" in page


def test_the_api_dashboard_counts_them_apart(app, make, world, asked):
    make_overdue(asked)
    token = make.token(world.officer)
    body = (
        app.test_client()
        .get(
            f"/api/v1/dashboard?call_id={world.call.id}",
            headers={"Authorization": f"Bearer {token}"},
        )
        .get_json()
    )
    assert (body["overdue"], body["replies_overdue"]) == (0, 1)
    state = next(s for s in body["workflows"][0]["states"] if s["state"] == "integration_requested")
    assert state["clock_suspended"] is True and state["overdue"] == 1


def test_a_difference_is_read_word_by_word():
    segments = difference("Zero slag to landfill by 2027.", "Zero slag to landfill by 2026.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Zero slag to landfill by "),
        ("delete", "2027."),
        ("insert", "2026."),
    ]
    assert difference("", "New text.")[0].op == "insert"
