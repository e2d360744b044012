"""Every transition of partnership_change, from each of its sources, fired by each kind of
person on a real change: allowed exactly when the person's object roles meet the transition's
roles, and every outcome leaves state and history in step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.changes.models import ChangeHistory
from tracker.changes.operations import fire_transition
from tracker.errors import Forbidden
from tracker.extensions import db
from workflows import get_workflow

WF = get_workflow("partnership_change")
#: the object roles each person holds on a join asked by the joining firm's staff
ROLES = {
    "joiner": {"requester"},
    "lead": {"counterpart"},
    "officer": {"officer"},
    "partner": set(),
    "stranger": set(),
}
CASES = [
    pytest.param(t, source, who, id=f"{t.trigger}-from-{source}-by-{who}")
    for t in WF.transitions
    for source in t.sources
    for who in ROLES
]


def _count(change) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ChangeHistory).where(ChangeHistory.change_id == change.id)
    )


@pytest.mark.parametrize(("transition", "source", "who"), CASES)
def test_change_transition_by_person(cw, transition, source, who):
    change = cw.ask(cw.joiner, "join", cw.joiner_org)
    for step in WF.steps_between(change.state, source):
        cw.fire(change, cw.lead if step.role == "counterpart" else cw.officer, step.trigger)
    person = {"joiner": cw.joiner, "lead": cw.lead, "officer": cw.officer,
              "partner": cw.partner, "stranger": cw.stranger}[who]  # fmt: skip
    assert change.roles_of(person) == frozenset(ROLES[who])
    before = _count(change)
    if ROLES[who] & transition.roles:
        entry = fire_transition(person, change, transition.trigger, comment="Reason given.")
        db.session.commit()
        assert (entry.from_state, entry.to_state, entry.actor_id) == (
            source, transition.dest, person.id,
        )  # fmt: skip
        assert change.state == transition.dest and _count(change) == before + 1
        assert change.history_head == entry.hash
    else:
        with pytest.raises(Forbidden):
            fire_transition(person, change, transition.trigger, comment="Reason given.")
        db.session.rollback()
        db.session.refresh(change)
        assert change.state == source and _count(change) == before
