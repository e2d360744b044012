"""The communities and proposals API, walked by every role, with the refusals and error shapes
of phase 1; HUB applications through the existing /applications endpoints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from apiclient import Api, error_of, unmet_conditions  # noqa: E402


@pytest.fixture
def api(cw, make):
    """An API client per person of the community world."""
    return {
        who: Api(make.app, make.token(cw.person(who)))
        for who in ("member", "coordinator", "board", "officer", "other_coordinator", "stranger", "admin")
    }  # fmt: skip


def fire(client, pid, trigger, **body):
    return client.post(f"/proposals/{pid}/transitions", json={"trigger": trigger, **body})


def test_communities_and_members(cw, api, make):
    r = api["coordinator"].get("/communities")
    assert r.status_code == 200
    body = r.get_json()
    assert body["total"] == 2 and body["page"] == 1 and body["per_page"] == 50
    reman = next(c for c in body["items"] if c["id"] == cw.community.id)
    # a coordinator reads the members' names; their e-mail addresses only officers, committee
    # members and administrators (data minimisation)
    assert {(m["name"], m["email"], m["role"]) for m in reman["members"]} == {
        (cw.coordinator.name, None, "coordinator"),
        (cw.member.name, None, "member"),
    }
    as_admin = api["admin"].get("/communities").get_json()
    reman = next(c for c in as_admin["items"] if c["id"] == cw.community.id)
    assert {m["email"] for m in reman["members"]} == {cw.coordinator.email, cw.member.email}

    # only coordinators and administrators open communities; names are unique
    r = api["stranger"].post("/communities", json={"name": "Additive Manufacturing"})
    assert r.status_code == 403 and error_of(r)["code"] == "role_not_allowed"
    r = api["admin"].post("/communities", json={"name": "Additive Manufacturing", "topic": "AM"})
    assert r.status_code == 201 and r.get_json()["members"] == []
    r = api["coordinator"].post("/communities", json={"name": "Additive Manufacturing"})
    assert r.status_code == 409 and error_of(r)["code"] == "duplicate"
    assert api["coordinator"].post("/communities", json={"name": " "}).status_code == 422

    # members: the community's coordinators (and admins) add them
    newcomer = make.user("applicant", organisation=make.organisation())
    path = f"/communities/{cw.community.id}/members"
    r = api["member"].post(path, json={"user_id": newcomer.id, "role": "member"})
    assert r.status_code == 403
    r = api["other_coordinator"].post(path, json={"user_id": newcomer.id, "role": "member"})
    assert r.status_code == 403
    r = api["coordinator"].post(path, json={"user_id": newcomer.id, "role": "coordinator"})
    assert r.status_code == 422
    assert "does not hold the coordinator role" in error_of(r)["details"]["fields"]["user_id"]
    r = api["coordinator"].post(path, json={"user_id": newcomer.id, "role": "chair"})
    assert r.status_code == 422 and "role" in error_of(r)["details"]["fields"]
    r = api["coordinator"].post(path, json={"user_id": newcomer.id, "role": "member"})
    assert r.status_code == 201 and r.get_json()["name"] == newcomer.name
    r = api["admin"].post(path, json={"user_id": newcomer.id, "role": "member"})
    assert r.status_code == 409
    r = api["coordinator"].post(path, json={"user_id": 999999, "role": "member"})
    assert r.status_code == 422
    assert api["coordinator"].post("/communities/999999/members", json={"user_id": 1, "role": "member"}).status_code == 404  # fmt: skip


def test_a_proposal_from_idea_to_completion(cw, api):
    # a member raises it; strangers and other communities' coordinators may not
    body = {"community_id": cw.community.id, "title": "Circular Economy roadmap", "summary": "S."}
    assert api["stranger"].post("/proposals", json=body).status_code == 403
    assert api["other_coordinator"].post("/proposals", json=body).status_code == 403
    r = api["member"].post("/proposals", json={**body, "community_id": 999999})
    assert r.status_code == 422 and "community_id" in error_of(r)["details"]["fields"]
    r = api["member"].post("/proposals", json=body)
    assert r.status_code == 201
    p = r.get_json()
    pid = p["id"]
    assert (p["state"], p["version"], p["created_by"]) == ("idea", 1, None)
    assert p["created_by_name"] == cw.member.name
    options = {o["trigger"]: o for o in p["available_transitions"]}
    assert set(options) == {"start_validation", "park", "withdraw"}
    assert not options["start_validation"]["allowed"]
    assert options["start_validation"]["unmet"][0]["condition"] == "role"

    # visibility: board and officers do not see an idea
    for who in ("board", "officer", "stranger", "other_coordinator"):
        r = api[who].get(f"/proposals/{pid}")
        assert r.status_code == 403 and error_of(r)["code"] == "not_allowed", who
        assert api[who].get("/proposals").get_json()["total"] == 0, who
    assert api["member"].get("/proposals").get_json()["total"] == 1

    # the member may not move it; the coordinator does
    r = fire(api["member"], pid, "start_validation")
    assert r.status_code == 403 and error_of(r)["code"] == "role_not_allowed"
    r = fire(api["coordinator"], pid, "acknowledge")
    assert r.status_code == 409 and error_of(r)["code"] == "invalid_transition"
    assert "while the proposal is 'idea'" in error_of(r)["message"]
    r = fire(api["coordinator"], pid, "teleport")
    assert r.status_code == 422 and error_of(r)["code"] == "unknown_trigger"
    assert fire(api["coordinator"], pid, "start_validation", version=1).status_code == 200
    r = fire(api["coordinator"], pid, "request_board_review", version=1)
    assert r.status_code == 409 and error_of(r)["code"] == "stale_version"
    assert error_of(r)["details"] == {"current_version": 2}
    assert fire(api["coordinator"], pid, "request_board_review", version=2).status_code == 200

    # the board now sees it; returning needs a comment
    assert api["board"].get(f"/proposals/{pid}").status_code == 200
    assert api["officer"].get(f"/proposals/{pid}").status_code == 403
    r = fire(api["board"], pid, "board_return")
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["comment"]
    assert fire(api["coordinator"], pid, "board_approve").status_code == 403
    r = fire(api["board"], pid, "board_return", comment="Name the pilot plants.")
    assert r.status_code == 200 and r.get_json()["state"] == "concept_validation"
    assert api["board"].get(f"/proposals/{pid}").status_code == 200  # still sees it
    fire(api["coordinator"], pid, "request_board_review")
    assert fire(api["board"], pid, "board_approve").get_json()["state"] == "ready_for_region"
    assert fire(api["officer"], pid, "acknowledge").status_code == 403  # cannot see it yet
    assert fire(api["coordinator"], pid, "submit_to_region").status_code == 200

    # the Region: acknowledge, then endorse with the act's reference
    assert api["officer"].get("/proposals").get_json()["total"] == 1
    assert fire(api["officer"], pid, "acknowledge").status_code == 200
    r = fire(api["officer"], pid, "endorse", data={"act_reference": "  "})
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["act_reference"]
    r = fire(api["officer"], pid, "endorse", data={"act_reference": "X" * 201})
    assert r.status_code == 422 and "at most 200" in unmet_conditions(r)["act_reference"]
    r = fire(api["officer"], pid, "endorse", data={"act_reference": "DGR 3098/2020"})
    assert r.status_code == 200
    assert (r.get_json()["state"], r.get_json()["act_reference"]) == ("endorsed", "DGR 3098/2020")

    # follow-up: a link to what followed, validated
    r = fire(api["coordinator"], pid, "start_follow_up", data={})
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["follow_up_link"]
    r = fire(api["coordinator"], pid, "start_follow_up", data={"call_id": 999999})
    assert r.status_code == 422 and unmet_conditions(r) == {"call_id": "No call 999999."}
    r = fire(api["coordinator"], pid, "start_follow_up", data={"application_id": "abc"})
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["application_id"]
    r = fire(api["coordinator"], pid, "start_follow_up", data={"call_id": cw.call.id})
    assert r.status_code == 200
    assert r.get_json()["follow_up"] == {
        "application_id": None,
        "call_id": cw.call.id,
        "reference": None,
    }
    assert fire(api["member"], pid, "complete").status_code == 403
    r = fire(api["officer"], pid, "complete", comment="Agreement signed.")
    assert r.status_code == 200 and r.get_json()["state"] == "completed"
    assert r.get_json()["available_transitions"] == []

    history = api["member"].get(f"/proposals/{pid}/history").get_json()
    assert [h["trigger"] for h in history] == [
        "start_validation", "request_board_review", "board_return", "request_board_review",
        "board_approve", "submit_to_region", "acknowledge", "endorse", "start_follow_up",
        "complete",
    ]  # fmt: skip
    assert history[2]["comment"] == "Name the pilot plants."
    assert (history[2]["actor"], history[2]["actor_name"]) == (None, cw.board.name)  # a member
    assert history[7]["data"] == {"act_reference": "DGR 3098/2020"}
    assert api["stranger"].get(f"/proposals/{pid}/history").status_code == 403
    assert api["member"].get("/proposals/999999").status_code == 404


def test_decline_park_reopen_withdraw(cw, api):
    pid = cw.proposal().id
    cw_proposal = cw.proposal("Another idea")
    assert fire(api["coordinator"], pid, "park", comment="Later.").get_json()["state"] == "parked"
    r = fire(api["coordinator"], pid, "reopen")
    assert r.get_json()["state"] == "concept_validation"
    r = fire(api["coordinator"], cw_proposal.id, "withdraw")
    assert r.get_json()["state"] == "withdrawn"
    assert fire(api["coordinator"], cw_proposal.id, "reopen").status_code == 409
    cw.drive(cw.proposal("A third"), "under_regional_review")
    third = api["member"].get("/proposals?state=under_regional_review").get_json()["items"][0]
    r = fire(api["officer"], third["id"], "decline")
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["comment"]
    r = fire(api["officer"], third["id"], "decline", comment="Covered by national measures.")
    assert r.get_json()["state"] == "not_endorsed"
    listing = api["member"].get(f"/proposals?community_id={cw.community.id}&q=third").get_json()
    assert [p["title"] for p in listing["items"]] == ["A third"]
    assert api["member"].get("/proposals?per_page=1&page=2").get_json()["items"]


def test_follow_up_by_an_application_must_be_one_handed_to_the_region(cw, api, make, world):
    draft = make.application(world.call, world.lead)
    proposal = cw.proposal()
    cw.drive(proposal, "endorsed")
    r = fire(api["officer"], proposal.id, "start_follow_up", data={"application_id": draft.id})
    assert r.status_code == 422
    assert unmet_conditions(r) == {
        "application_id": f"No application {draft.id} submitted to the Region."
    }
    make.fire(draft, world.lead, "submit")
    r = fire(
        api["officer"], proposal.id, "start_follow_up",
        data={"application_id": draft.id, "reference": "Accordo 2022/17"},
    )  # fmt: skip
    assert r.status_code == 200
    assert r.get_json()["follow_up"]["application_id"] == draft.id
    assert r.get_json()["follow_up"]["reference"] == "Accordo 2022/17"


def test_hub_applications_through_the_applications_api(make, hub_call):
    officer = make.user("officer")
    uni = make.user("applicant", organisation=make.organisation("UniPv", kind="university", province="PV"))  # fmt: skip
    firm = make.user("applicant", organisation=make.organisation("Fonderia Rossi S.r.l."))
    api_uni, api_firm = Api(make.app, make.token(uni)), Api(make.app, make.token(firm))
    api_officer = Api(make.app, make.token(officer))
    note = {"challenges": "Battery chemistry.", "needs": "Pilot line."}
    r = api_uni.post("/applications", json={"call_id": hub_call.id, "title": "UniPv", "concept_note": note})  # fmt: skip
    assert r.status_code == 201
    app = r.get_json()
    assert app["workflow"] == "hub_eoi" and app["state"] == "draft"
    submit = next(o for o in app["available_transitions"] if o["trigger"] == "submit")
    assert submit["allowed"], submit  # no concept-note, firm or agreement conditions

    r = api_firm.post("/applications", json={"call_id": hub_call.id, "title": "A firm"})
    firm_app = r.get_json()
    r = api_firm.post(f"/applications/{firm_app['id']}/transitions", json={"trigger": "submit"})
    assert r.status_code == 422
    assert unmet_conditions(r) == {
        "lead_is_public_research": "Fonderia Rossi S.r.l. is not a university or research "
        "centre: only these may lead."
    }

    aid = app["id"]
    steps = [
        (api_uni, "submit", {}),
        (api_officer, "declare_eligible", {}),
        (api_officer, "select", {}),
    ]
    for client, trigger, body in steps:
        r = client.post(f"/applications/{aid}/transitions", json={"trigger": trigger, **body})
        assert r.status_code == 200, r.get_json()
    r = api_officer.post(f"/applications/{aid}/transitions", json={"trigger": "sign_agreement"})
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["agreement_reference"]
    r = api_uni.post(f"/applications/{aid}/transitions", json={"trigger": "sign_agreement", "data": {"agreement_reference": "A"}})  # fmt: skip
    assert r.status_code == 403
    # the reference names the one shared agreement, which must be recorded first (0015_afil)
    sign = {"trigger": "sign_agreement", "data": {"agreement_reference": "Accordo HUB 2021"}}
    r = api_officer.post(f"/applications/{aid}/transitions", json=sign)
    assert r.status_code == 422 and list(unmet_conditions(r)) == ["agreement_reference"]
    r = api_officer.post("/agreements", json={
        "reference": "Accordo HUB 2021", "title": "HUB", "call_id": hub_call.id,
        "concluded_on": "2021-05-17", "total_amount": "10000000", "regional_amount": "5000000",
        "party_ids": [uni.organisation_id],
    })  # fmt: skip
    assert r.status_code == 201, r.get_json()
    r = api_officer.post(f"/applications/{aid}/transitions", json=sign)
    assert r.status_code == 200 and r.get_json()["state"] == "agreement_signed"
    history = api_uni.get(f"/applications/{aid}/history").get_json()
    assert history[-1]["data"] == {"agreement_reference": "Accordo HUB 2021"}

    # a HUB call needs no criteria; a value-chain call still does
    r = api_officer.post("/calls", json={"title": "HUB 2", "workflow": "hub_eoi", "opens_at": "2026-01-01", "deadline": "2026-02-01"})  # fmt: skip
    assert r.status_code == 201 and r.get_json()["criteria"] == []
    r = api_officer.post("/calls", json={"title": "EOI", "opens_at": "2026-01-01", "deadline": "2026-02-01"})  # fmt: skip
    assert r.status_code == 422 and "criteria" in error_of(r)["details"]["fields"]
    r = api_officer.post("/calls", json={"title": "X", "workflow": "community_proposal", "opens_at": "2026-01-01", "deadline": "2026-02-01"})  # fmt: skip
    assert r.status_code == 422 and "workflow" in error_of(r)["details"]["fields"]


def test_workflows_api_describes_the_new_workflows(api):
    r = api["member"].get("/workflows/community_proposal")
    wf = r.get_json()
    follow = next(t for t in wf["transitions"] if t["trigger"] == "start_follow_up")
    assert sorted(follow["roles"]) == ["coordinator", "officer"]
    assert {f["name"]: f["one_of"] for f in follow["data"]} == {
        "application_id": "follow_up_link",
        "call_id": "follow_up_link",
        "reference": "follow_up_link",
    }
    hub = api["member"].get("/workflows/hub_eoi").get_json()
    submit = next(t for t in hub["transitions"] if t["trigger"] == "submit")
    assert [c["name"] for c in submit["conditions"]] == ["call_open", "lead_is_public_research"]
    assert submit["conditions"][1]["description"] == (
        "Only public universities and research centres may lead."
    )
