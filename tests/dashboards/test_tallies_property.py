"""Whatever happens, in whatever order (creations, every kind of transition, edits of what an
application is counted under, proposals), the tallies kept as it happens equal the tallies
``rebuild()`` recomputes from the base tables."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.applications.operations import available_transitions, update_application
from tracker.columns import utcnow
from tracker.communities.operations import available_transitions as proposal_options
from tracker.communities.operations import fire_transition as fire_proposal
from tracker.dashboards import tallies
from tracker.database import commit
from tracker.extensions import db
from tracker.reference import DGR_5899_AREAS, S3_ECOSYSTEMS
from tracker.reviews.operations import submit_review
from workflows.conditions import local_date

AREAS = [None, *DGR_5899_AREAS]  # the areas of the test call's one window
ECOSYSTEMS = [None, *S3_ECOSYSTEMS]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("new"), st.sampled_from(AREAS), st.sampled_from(ECOSYSTEMS)),
        st.tuples(st.just("fire"), st.integers(0, 50), st.integers(0, 5)),
        st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(AREAS)),
        st.tuples(st.just("proposal"), st.just(0), st.just(0)),
        st.tuples(st.just("move proposal"), st.integers(0, 50), st.integers(0, 5)),
    ),
    min_size=1,
    max_size=14,
)


def _data(trigger: str) -> dict | None:
    if trigger == "grant_label":
        return {"decree_number": "18573", "decree_date": local_date(utcnow()).isoformat()}
    if trigger == "endorse":
        return {"act_reference": "DGR 3098/2020"}
    if trigger == "start_follow_up":
        return {"reference": "Agreement of May 2021"}
    return None


def _movable(option) -> bool:
    """Allowed, or a closing of the evaluation that waits for the reviews alone (written just
    before it is fired). Not one its person may not fire for another reason: a committee
    member who has not declared, say."""
    unmet = {u.condition for u in option.unmet}
    return not unmet or (option.trigger == "close_evaluation" and unmet == {"min_reviews"})


def _fire_application(dw, app, choice: int) -> None:
    from tracker.applications.operations import fire_transition

    people = [dw.lead, dw.officer, dw.reviewers[0]]
    moves = [
        (user, o.transition.trigger)
        for user in people
        for o in available_transitions(user, app)
        if _movable(o)
    ]
    if not moves:
        return
    user, trigger = moves[choice % len(moves)]
    if trigger == "close_evaluation":
        for reviewer in dw.reviewers:
            if app.review_refusal(reviewer) is None:
                scores = {c.key: c.max_score for c in app.criteria}
                submit_review(reviewer, app, scores, "favourable", "Fine.")
        if not any(o.allowed for o in available_transitions(user, app) if o.trigger == trigger):
            return  # a committee member had not declared, so too few reviews: not closed
    fire_transition(user, app, trigger, comment="Reason.", data=_data(trigger))


def _move_proposal(cw, proposal, choice: int) -> None:
    people = [cw.coordinator, cw.board, cw.officer]
    moves = [
        (user, o.transition.trigger)
        for user in people
        for o in proposal_options(user, proposal)
        if o.allowed
    ]
    if moves:
        user, trigger = moves[choice % len(moves)]
        fire_proposal(user, proposal, trigger, comment="Reason.", data=_data(trigger))


@settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=operations)
def test_kept_tallies_always_equal_rebuilt_ones(dw, cw, steps):
    apps, proposals = [], []
    for kind, a, b in steps:
        if kind == "new":
            apps.append(dw.draft(thematic_area=a, s3_ecosystem=b))
        elif kind == "fire" and apps:
            _fire_application(dw, apps[a % len(apps)], b)
        elif kind == "edit" and apps:
            app = apps[a % len(apps)]
            if app.can_edit(dw.lead):
                update_application(dw.lead, app, {"thematic_area": b})
                # and with a second area (the breakdown counts both)
                second = AREAS[(a % (len(AREAS) - 1)) + 1]
                update_application(dw.lead, app, {"thematic_areas": [x for x in (b, second) if x]})
        elif kind == "proposal":
            proposals.append(cw.proposal())
        elif kind == "move proposal" and proposals:
            _move_proposal(cw, proposals[a % len(proposals)], b)
        commit()
    kept = tallies.snapshot()
    tallies.rebuild()
    commit()
    db.session.expire_all()
    assert tallies.snapshot() == kept
