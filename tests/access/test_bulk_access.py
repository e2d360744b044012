"""Bulk decisions item by item, asked by every kind of person (tests/access/accessworld.py):
what one may not see answers 404 exactly as what does not exist, never its state or title; a
role one does not hold, 403; a state the trigger does not leave, 409. Nothing changes."""

from __future__ import annotations

from accessworld import ROLES, AccessWorld
from test_access_matrix import snapshot

from tracker.extensions import db

DECREE = {"decree_number": "15907", "decree_date": "2023-11-10"}

#: per person: the statuses of [application under evaluation, another partnership's draft,
#: a guessed id] when they ask for a label on each
GRANT = {
    "lead": (409, 404, 404),
    "partner": (409, 404, 404),
    "other_applicant": (404, 409, 404),
    "reviewer": (409, 404, 404),
    "conflicted": (409, 404, 404),
    "outside_reviewer": (404, 404, 404),
    "officer": (409, 404, 404),
    "coordinator": (404, 404, 404),
    "board": (404, 404, 404),
    "admin": (404, 404, 404),
}
#: the same people closing the evaluation of that application (a committee trigger), in this
#: order: the call's committee member closes it; the officer, after, finds it closed
CLOSE = {
    "lead": 403, "partner": 403, "other_applicant": 404, "conflicted": 403,
    "outside_reviewer": 404, "coordinator": 404, "board": 404, "admin": 404, "reviewer": 200,
    "officer": 409,
}  # fmt: skip


def _ask(app, token, body):
    client = app.test_client()
    return client.post(
        "/api/v1/applications/transitions", json=body, headers={"Authorization": f"Bearer {token}"}
    )


def test_each_item_answers_for_itself_and_nothing_leaks(app, make):
    world = AccessWorld(make)
    ids = [world.application.id, world.other_draft.id, 987654]
    tokens = {role: make.token(world.user(role)) for role in ROLES[1:]}
    before = snapshot()
    for role in ROLES[1:]:
        answer = _ask(app, tokens[role],
                      {"ids": ids, "trigger": "grant_label", "data": DECREE})  # fmt: skip
        assert answer.status_code == 200, role
        results = answer.get_json()["results"]
        assert tuple(r["status"] for r in results) == GRANT[role], role
        for r in results:
            if r["status"] == 404:  # the same answer as for an id that does not exist
                assert r["state"] is None
                assert r["error"]["message"] == f"No application {r['id']}."
    assert _ask(app, "nonsense", {"ids": ids, "trigger": "grant_label"}).status_code == 401
    after = snapshot()
    assert [t for t in after if after[t] != before.get(t)] == []


def test_a_committee_trigger_only_for_the_calls_committee_and_officers(app, make):
    world = AccessWorld(make)
    for role, expected in CLOSE.items():
        answer = _ask(app, make.token(world.user(role)),
                      {"ids": [world.application.id], "trigger": "close_evaluation"})  # fmt: skip
        (result,) = answer.get_json()["results"]
        assert result["status"] == expected, (role, result)
    db.session.expire_all()
    assert world.application.state == "evaluated"
