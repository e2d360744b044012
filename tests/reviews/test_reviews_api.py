"""Independent reviews and conflict-of-interest declarations through the API (issue 14, item 2;
CONTRACT.md "Integration requests and reviews")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from apiclient import Api, error_of, unmet_conditions

from workflows import APPLICATION_WORKFLOWS

SCORES = {"coherence": 30, "impact": 50}


def reviews_path(panel) -> str:
    return f"/applications/{panel.app.id}/reviews"


def declare(panel, who: str, **body):
    return panel.api[who].post(
        f"/applications/{panel.app.id}/declaration", json={"conflict": False} | body
    )


def review(panel, who: str, scores=SCORES, recommendation="favourable", comment="Sound."):
    body = {"scores": scores, "recommendation": recommendation, "comment": comment}
    return panel.api[who].post(reviews_path(panel), json=body)


def fire(panel, who: str, trigger: str, **body):
    return panel.api[who].post(
        f"/applications/{panel.app.id}/transitions", json={"trigger": trigger} | body
    )


# --- the declaration ---------------------------------------------------------------------------


def test_until_declared_a_members_review_and_triggers_answer_conflict_not_declared(panel):
    refused = review(panel, "first")
    assert refused.status_code == 422
    assert list(unmet_conditions(refused)) == ["conflict_not_declared"]
    closing = fire(panel, "first", "close_evaluation", comment="Done.")
    assert closing.status_code == 422
    assert "conflict_not_declared" in unmet_conditions(closing)
    # the answer says why the member's buttons wait
    answer = panel.api["first"].get(f"/applications/{panel.app.id}").get_json()
    close = next(t for t in answer["available_transitions"] if t["trigger"] == "close_evaluation")
    assert [u["condition"] for u in close["unmet"]][0] == "conflict_not_declared"
    assert close["allowed"] is False

    made = declare(panel, "first")
    assert made.status_code == 201
    assert made.get_json() | {"declared_at": None, "id": None} == {
        "id": None, "application_id": panel.app.id, "member_id": panel.first.id,
        "member": panel.first.name, "conflict": False, "reason": "", "declared_at": None,
        "migrated": False,
    }  # fmt: skip
    assert review(panel, "first").status_code == 201
    again = declare(panel, "first", conflict=True, reason="Changed my mind.")
    assert again.status_code == 409
    assert error_of(again)["code"] == "already_declared"
    mine = panel.api["first"].get(f"/applications/{panel.app.id}/declaration")
    assert mine.status_code == 200 and mine.get_json()["conflict"] is False


def test_a_declared_conflict_binds_like_a_partners(panel):
    missing = declare(panel, "second", conflict=True)
    assert missing.status_code == 422
    assert "reason" in error_of(missing)["details"]["fields"]
    assert declare(panel, "second", conflict=True, reason="  ").status_code == 422
    made = declare(panel, "second", conflict=True, reason="My brother runs a partner firm.")
    assert made.status_code == 201
    assert made.get_json()["reason"] == "My brother runs a partner firm."
    # from now on like a partner's staff: no review, no trigger, no reviews to read
    assert review(panel, "second").status_code == 403
    assert fire(panel, "second", "close_evaluation", comment="Done.").status_code == 403
    assert panel.api["second"].get(reviews_path(panel)).status_code == 403
    answer = panel.api["second"].get(f"/applications/{panel.app.id}").get_json()
    close = next(t for t in answer["available_transitions"] if t["trigger"] == "close_evaluation")
    assert [u["condition"] for u in close["unmet"]] == ["role"]


@pytest.mark.parametrize("who", ["officer", "lead", "conflicted"])
def test_only_members_without_a_partners_conflict_declare(panel, who):
    refused = declare(panel, who)
    assert refused.status_code == 403
    assert panel.api[who].get(f"/applications/{panel.app.id}/declaration").status_code == 403
    assert panel.app.declarations == []


def test_the_declaration_answers_404_until_made_and_refuses_a_non_boolean(panel):
    assert panel.api["first"].get(f"/applications/{panel.app.id}/declaration").status_code == 404
    odd = panel.api["first"].post(
        f"/applications/{panel.app.id}/declaration", json={"conflict": "no"}
    )
    assert odd.status_code in (400, 422)
    assert declare(panel, "first").status_code == 201


def test_an_officer_acting_as_an_officer_does_not_declare(panel, make):
    make.review(panel.app, panel.first)  # the factory's member declares, then reviews
    make.review(panel.app, panel.second)
    closed = fire(panel, "officer", "close_evaluation", comment="Closed.")
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["state"] == "evaluated"
    assert {d.member_id for d in panel.app.declarations} == {panel.first.id, panel.second.id}


def test_every_committee_trigger_of_every_workflow_waits_for_the_declaration():
    """One named condition, used by each transition a committee member may fire."""
    committee = [
        (wf.name, t)
        for wf in APPLICATION_WORKFLOWS.values()
        for t in wf.transitions
        if "reviewer" in t.roles
    ]
    assert {name for name, _ in committee} >= {"value_chain", "support_application", "hub_eoi"}
    for name, t in committee:
        assert t.conditions[0].name == "conflict_not_declared", (name, t.trigger)
    assert all(
        "conflict_not_declared" not in {c.name for c in t.conditions}
        for wf in APPLICATION_WORKFLOWS.values()
        for t in wf.transitions
        if "reviewer" not in t.roles
    )


# --- independent reviews ------------------------------------------------------------------------


def test_a_member_sees_the_others_reviews_only_once_their_own_is_in(panel):
    for who in ("first", "second"):
        assert declare(panel, who).status_code == 201
    assert review(panel, "first").status_code == 201
    # the second member: 200 with their own only (none yet), never 403
    before = panel.api["second"].get(reviews_path(panel))
    assert before.status_code == 200 and before.get_json() == []
    mine_only = panel.api["first"].get(reviews_path(panel)).get_json()
    assert [r["reviewer_id"] for r in mine_only] == [panel.first.id]
    assert review(panel, "second", {"coherence": 10, "impact": 20}).status_code == 201
    after = panel.api["second"].get(reviews_path(panel)).get_json()
    assert [r["reviewer_id"] for r in after] == [panel.first.id, panel.second.id]
    assert after[0]["scores"] == SCORES and after[0]["comment"] == "Sound."


def test_an_undeclared_member_reads_200_and_nothing(panel, make):
    make.review(panel.app, panel.first)
    seen = panel.api["second"].get(reviews_path(panel))
    assert (seen.status_code, seen.get_json()) == (200, [])


def test_officers_see_the_reviews_once_the_evaluation_is_closed(panel, make):
    make.review(panel.app, panel.first)
    make.review(panel.app, panel.second, {"coherence": 10, "impact": 20})
    while_open = panel.api["officer"].get(reviews_path(panel))
    assert (while_open.status_code, while_open.get_json()) == (200, [])
    assert panel.api["lead"].get(reviews_path(panel)).status_code == 403
    assert fire(panel, "officer", "close_evaluation", comment="Closed.").status_code == 200
    closed = panel.api["officer"].get(reviews_path(panel)).get_json()
    assert [r["total"] for r in closed] == [100, 30]
    assert panel.api["lead"].get(reviews_path(panel)).status_code == 403


# --- revising a review --------------------------------------------------------------------------


def test_its_author_revises_a_review_and_the_closing_score_reads_the_latest(panel, make):
    first = make.review(panel.app, panel.first)  # 40 + 60 = 100
    make.review(panel.app, panel.second, {"coherence": 20, "impact": 30})
    path = f"{reviews_path(panel)}/{first.id}"
    changed = panel.api["first"].patch(path, json={"scores": {"impact": 20}, "comment": "Less."})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["scores"] == {"coherence": 40, "impact": 20} and body["total"] == 60
    assert body["comment"] == "Less." and body["recommendation"] == "favourable"
    assert body["updated_at"] >= body["submitted_at"]
    assert [(r["total"], r["comment"], r["revised_by_id"]) for r in body["revisions"]] == [
        (100, "Solid partnership.", panel.first.id)
    ]
    # what was sent back unchanged is accepted; an unknown key is refused by name
    same = panel.api["first"].patch(path, json={"id": first.id, "total": 60})
    assert same.status_code == 200 and len(same.get_json()["revisions"]) == 1
    unknown = panel.api["first"].patch(path, json={"score": 3})
    assert unknown.status_code == 422 and "score" in error_of(unknown)["details"]["fields"]

    assert fire(panel, "officer", "close_evaluation", comment="Closed.").status_code == 200
    assert panel.app.score == Decimal("55.00")  # (60 + 50) / 2: the latest version
    late = panel.api["first"].patch(path, json={"comment": "Too late."})
    assert late.status_code == 409
    assert error_of(late)["code"] == "evaluation_closed"


def test_a_revision_with_bad_scores_names_each_field_and_changes_nothing(panel, make):
    first = make.review(panel.app, panel.first)
    path = f"{reviews_path(panel)}/{first.id}"
    bad = panel.api["first"].patch(
        path, json={"scores": {"coherence": 41, "impact": -1, "novelty": 3},
                    "recommendation": "maybe"},
    )  # fmt: skip
    assert bad.status_code == 422
    assert set(error_of(bad)["details"]["fields"]) == {
        "scores.coherence", "scores.impact", "scores.novelty", "recommendation"
    }  # fmt: skip
    now = panel.api["first"].get(reviews_path(panel)).get_json()[0]
    assert now["total"] == 100 and now["revisions"] == []


def test_only_its_author_revises_a_review(panel, make):
    first = make.review(panel.app, panel.first)
    make.review(panel.app, panel.second)
    path = f"{reviews_path(panel)}/{first.id}"
    for who in ("second", "officer", "lead", "conflicted"):
        refused = panel.api[who].patch(path, json={"comment": "Mine now."})
        assert refused.status_code == 403, who
    assert panel.api["first"].patch(f"{reviews_path(panel)}/987654", json={}).status_code == 404


def test_a_review_is_not_revised_while_the_application_is_not_under_evaluation(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    first = make.review(app, world.reviewers[0])
    make.fire(app, world.officer, "request_integration", comment="Which plants?")
    api = Api(make.app, make.token(world.reviewers[0]))
    refused = api.patch(f"/applications/{app.id}/reviews/{first.id}", json={"comment": "x"})
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "not_reviewable"


def test_the_openapi_document_describes_the_new_routes(panel):
    spec = panel.api["officer"].client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert "patch" in paths["/applications/{application_id}/reviews/{review_id}"]
    declaration = paths["/applications/{application_id}/declaration"]
    assert {"post", "get"} <= set(declaration)
    assert "conflict_not_declared" in declaration["post"]["description"]
