"""A Hypothesis state machine per workflow: random triggers fired by random people (every kind of
person each workflow knows, strangers included) on a few applications or proposals, with the
reviews the committee writes in between. After every step, on the real database:

- every subject's state is the destination of its last history row, rows numbered without gaps,
  each starting where the one before ended;
- a firing that succeeded was allowed by the definition: the trigger leaves the subject's state,
  the person holds one of the transition's roles on it, and it lands on the transition's
  destination with the version increased and exactly one new history row;
- a refused firing changed nothing (state, version, history);
- a terminal state stays terminal: nothing fires from it.

The budget of the support measures has its own machine (tests/measures/test_budget_stateful.py).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db
from workflows import get_workflow

TESTS = Path(__file__).resolve().parents[1]
for _helpers in ("measures", "communities"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

from communityworld import CommunityWorld  # noqa: E402
from measuretools import Measures  # noqa: E402

#: examples per workflow and database; FUZZ_EXAMPLES=100 for a deeper run
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 5))
STEPS = 25


def inputs(transition, call_id: int) -> dict:
    """A comment and the data a trigger asks for, plausible enough for it to pass."""
    data = {}
    for f in transition.data:
        if f.kind == "date":
            data[f.name] = dt.date.today().isoformat()
        elif f.kind == "id":
            data[f.name] = call_id
        elif f.kind == "amount":
            data[f.name] = "100000.00"
        else:
            data[f.name] = "DGR 3098/2020"
    return {"comment": "Reason given.", "data": data or None}


class Cast:
    """What a machine needs of a workflow's world: people by name, a way to make a subject, the
    fire operation, the committee writing reviews, and a call id for data fields naming one."""

    def __init__(
        self, people, new_subject, fire, reviewers=(), call_id=1, review=None, new_round=None
    ):
        self.people, self.new_subject, self.fire = people, new_subject, fire
        self.reviewers, self.call_id, self.review = list(reviewers), call_id, review
        #: what each example needs afresh, so that no example depends on the ones before
        self.new_round = new_round or (lambda: None)


def value_chain_cast(make, world) -> Cast:
    from tracker.applications.operations import fire_transition

    partner_org = make.organisation()
    conflicted = make.user("reviewer", organisation=partner_org)
    make.appoint(world.call, conflicted)

    def new_subject():
        from tracker.applications.operations import add_partner
        from tracker.documents.operations import upload_agreement
        from tracker.documents.samples import MINIMAL_PDF

        app = make.application(world.call, world.lead)
        add_partner(world.lead, app, partner_org.id, "Partner firm", "Shares its data")
        upload_agreement(
            world.lead, app, "agreement.pdf", MINIMAL_PDF
        )  # again: a new partner must sign too
        commit()
        return app

    people = {
        "lead": world.lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": world.reviewers[0],
        "conflicted_reviewer": conflicted,
        "officer": world.officer,
        "stranger": make.user("applicant", organisation=make.organisation()),
    }
    return Cast(people, new_subject, fire_transition, world.reviewers, world.call.id, make.review)


def support_cast(make, world) -> Cast:
    from measuretools import scores_for

    from tracker.applications.operations import fire_transition

    measures = Measures(make, world)
    people = {
        "lead": world.lead,
        "reviewer": measures.reviewers[0],
        "officer": world.officer,
        "other_officer": make.user("officer"),
        "stranger": make.user("applicant", organisation=make.organisation()),
    }

    def new_round():  # a budget of its own for each example: grants use it up
        cast.measure = measures.measure(budget="250000", max_grant="150000", min_reviews=1)
        cast.call_id = cast.measure.id

    cast = Cast(
        people,
        lambda: measures.application(cast.measure, amount="100000"),
        fire_transition,
        measures.reviewers,
        review=lambda app, reviewer: make.review(app, reviewer, scores_for(80)),
        new_round=new_round,
    )
    return cast


def community_cast(make, world) -> Cast:
    from tracker.communities.operations import fire_transition

    cw = CommunityWorld(make)
    people = {
        who: cw.person(who)
        for who in ("member", "coordinator", "board", "officer", "other_coordinator", "stranger")
    }
    return Cast(people, cw.proposal, fire_transition, call_id=cw.call.id)


def hub_cast(make, world) -> Cast:
    from tracker.applications.operations import add_partner, fire_transition

    today = dt.date.today()
    call = make.call(
        title="Circular Economy HUB", workflow="hub_eoi", criteria=[], min_firms=0,
        min_reviews=1, score_threshold=0, act_reference="DGR XI/3531/2020",
        opens_at=(today - dt.timedelta(days=5)).isoformat(),
        deadline=(today + dt.timedelta(days=15)).isoformat(),
    )  # fmt: skip
    lead = make.user("applicant", organisation=make.organisation(kind="university"))
    partner_org = make.organisation(kind="research_centre")
    reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
    make.appoint(call, reviewer)

    def new_subject():
        app = make.application(call, lead, complete=False, title="A HUB partnership")
        add_partner(lead, app, partner_org.id, "Joint applicant")
        commit()
        return app

    people = {
        "lead": lead,
        "partner": make.user("applicant", organisation=partner_org),
        "reviewer": reviewer,
        "officer": make.user("officer"),
        "stranger": make.user("applicant", organisation=make.organisation()),
    }
    return Cast(people, new_subject, fire_transition, [reviewer], call.id, make.review)


CASTS = {
    "value_chain": value_chain_cast,
    "support_application": support_cast,
    "community_proposal": community_cast,
    "hub_eoi": hub_cast,
}

_env: dict = {}  # the test's cast, for the machine (Hypothesis builds it without arguments)


class WorkflowMachine(RuleBasedStateMachine):
    @initialize(count=st.integers(min_value=1, max_value=3))
    def open_subjects(self, count):
        self.cast: Cast = _env["cast"]
        self.tried: dict[str, int] = _env["tried"]
        self.cast.new_round()
        self.subjects = [self.cast.new_subject() for _ in range(count)]
        self.workflow = get_workflow(self.subjects[0].workflow)
        self.history = type(self.subjects[0]).history_model

    def rows(self, subject) -> int:
        return db.session.scalar(
            select(func.count()).select_from(self.history).where(self.history.of(subject))
        )

    @rule(data=st.data())
    def fire(self, data):
        subject = data.draw(st.sampled_from(self.subjects), label="subject")
        # mostly a trigger that leaves the current state, sometimes any trigger at all
        leaving = self.workflow.transitions_from(subject.state)
        pool = leaving if leaving and data.draw(st.integers(0, 3), label="pick") < 3 else None
        transition = data.draw(st.sampled_from(pool or self.workflow.transitions), label="t")
        # mostly someone the definition lets fire it, sometimes anyone
        everyone = sorted(self.cast.people)
        entitled = [w for w in everyone if subject.roles_of(self.cast.people[w]) & transition.roles]
        pool = entitled if entitled and data.draw(st.integers(0, 3), label="pick who") < 3 else None
        who = data.draw(st.sampled_from(pool or everyone), label="who")
        person = self.cast.people[who]

        before = (subject.state, subject.version, self.rows(subject))
        terminal = subject.state_info.terminal
        roles = subject.roles_of(person)
        self.tried["firings"] = self.tried.get("firings", 0) + 1
        try:
            entry = self.cast.fire(
                person, subject, transition.trigger, **inputs(transition, self.cast.call_id)
            )
            commit()
        except TrackerError as err:
            db.session.rollback()
            db.session.expire_all()
            assert (subject.state, subject.version, self.rows(subject)) == before
            self.tried[err.code] = self.tried.get(err.code, 0) + 1
            return
        self.tried["succeeded"] = self.tried.get("succeeded", 0) + 1
        assert not terminal, f"{transition.trigger} fired from terminal {before[0]}"
        assert before[0] in transition.sources, (transition.trigger, before[0])
        assert roles & transition.roles, (transition.trigger, who, roles)
        db.session.expire_all()
        assert subject.state == entry.to_state == transition.dest
        assert subject.version > before[1]
        assert self.rows(subject) == before[2] + 1

    @rule(data=st.data())
    def review(self, data):
        """A committee member reviews a subject under evaluation (refused when not due)."""
        if not self.cast.reviewers or self.cast.review is None:
            return
        subject = data.draw(st.sampled_from(self.subjects), label="subject")
        reviewer = data.draw(st.sampled_from(self.cast.reviewers), label="reviewer")
        before = (subject.state, subject.version, self.rows(subject))
        try:
            self.cast.review(subject, reviewer)
        except TrackerError:
            db.session.rollback()
        db.session.expire_all()
        assert (subject.state, self.rows(subject)) == before[::2]

    @invariant()
    def histories_are_whole(self):
        if not hasattr(self, "subjects"):
            return
        for subject in self.subjects:
            steps = db.session.scalars(
                select(self.history).where(self.history.of(subject)).order_by(self.history.seq)
            ).all()
            assert [h.seq for h in steps] == list(range(1, len(steps) + 1))
            expected = self.workflow.initial
            for h in steps:
                assert h.from_state == expected, (h.seq, h.from_state, expected)
                expected = h.to_state
            assert subject.state == expected


@pytest.mark.parametrize("workflow", sorted(CASTS))
def test_random_firings_keep_every_promise(make, world, workflow):
    _env["cast"] = CASTS[workflow](make, world)
    _env["tried"] = tried = {}
    try:
        run_state_machine_as_test(
            WorkflowMachine,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    finally:
        _env.clear()
    print(f"{workflow}: {tried}")
    assert tried.get("succeeded", 0) > 0  # the machine got somewhere, not only refusals
