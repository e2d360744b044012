"""Home: what the tracker is, or what waits for the person logged in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from tracker.applications.operations import available_transitions
from tracker.views.nextstep import next_step
from tracker.views.queries import partnership_applications, worklist_candidates

bp = Blueprint("home", __name__)

#: the home page lists this many waiting applications, then links to the full list
SHOWN = 25


def _with_steps(user, applications):
    for application in applications:
        step = next_step(
            application,
            available_transitions(user, application),
            application.review_refusal(user),
        )
        yield application, step


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/public.html")
    user = current_user._get_current_object()
    waiting = [(a, s) for a, s in _with_steps(user, worklist_candidates(user)) if s.concerns_me]
    # earlier states of the workflow first: what is oldest in the process, then longest waiting
    waiting.sort(key=lambda pair: [s.name for s in pair[0].definition.states].index(pair[0].state))
    mine = list(_with_steps(user, partnership_applications(user)))
    return render_template(
        "home/dashboard.html",
        waiting=waiting[:SHOWN],
        waiting_more=max(0, len(waiting) - SHOWN),
        mine=mine,
    )
