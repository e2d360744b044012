"""The partnership changes API: ask, read, move, the warning before acknowledging, the time a
chain below the minimum is given, the figures; and the refusals with their error shapes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from apiclient import Api, error_of, unmet_conditions  # noqa: E402


@pytest.fixture
def api(cw, make):
    people = {"lead": cw.lead, "partner": cw.partner, "joiner": cw.joiner,
              "officer": cw.officer, "stranger": cw.stranger}  # fmt: skip
    return {who: Api(make.app, make.token(user)) for who, user in people.items()}


def fire(client, cid, trigger, **body):
    return client.post(f"/changes/{cid}/transitions", json={"trigger": trigger, **body})


def test_a_join_through_the_api(cw, api):
    r = api["joiner"].post(
        f"/applications/{cw.chain.id}/changes",
        json={"kind": "join", "organisation_id": cw.joiner_org.id, "reason": "We supply slag."},
    )
    assert r.status_code == 201, r.get_json()
    change = r.get_json()
    assert (change["kind"], change["state"], change["organisation"]) == (
        "join", "requested", "Joining firm",
    )  # fmt: skip
    assert [o["trigger"] for o in change["available_transitions"] if o["allowed"]] == ["withdraw"]
    cid = change["id"]
    # who asked reads it, not the application's list of changes
    assert api["joiner"].get(f"/changes/{cid}").status_code == 200
    assert api["joiner"].get(f"/applications/{cw.chain.id}/changes").status_code == 403
    assert api["stranger"].get(f"/changes/{cid}").status_code == 403
    listed = api["lead"].get(f"/applications/{cw.chain.id}/changes").get_json()
    assert [c["id"] for c in listed["items"]] == [cid] and listed["total"] == 1
    assert fire(api["lead"], cid, "accept").status_code == 200
    r = fire(api["officer"], cid, "acknowledge")
    assert r.status_code == 200 and r.get_json()["state"] == "in_force"
    history = api["joiner"].get(f"/changes/{cid}/history").get_json()
    assert [h["trigger"] for h in history] == ["accept", "acknowledge"]
    registry = api["officer"].get("/registry").get_json()
    row = next(i for i in registry["items"] if i["application_id"] == cw.chain.id)
    assert row["partners_count"] == 4
    figures = api["officer"].get("/changes/figures").get_json()
    counts = {(c["kind"], c["state"]): c["count"] for c in figures["changes"]}
    assert counts[("join", "in_force")] == 1 and figures["below_minimum"] == 0
    assert api["lead"].get("/changes/figures").status_code == 403


def test_a_leave_warns_then_the_officer_gives_time(cw, api):
    r = api["lead"].post(
        f"/applications/{cw.chain.id}/changes",
        json={"kind": "leave", "organisation_id": cw.partner_org.id},
    )
    assert r.status_code == 201
    change = r.get_json()
    assert change["state"] == "accepted"  # asked by the lead
    assert [w["code"] for w in change["warnings"]] == ["below_minimum"]
    assert fire(api["officer"], change["id"], "acknowledge").status_code == 200
    shortfall = api["lead"].get(f"/applications/{cw.chain.id}/shortfall").get_json()
    assert (shortfall["firms"], shortfall["required"], shortfall["deadline"]) == (2, 3, None)
    later = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    body = {"deadline": later, "reason": "Two firms are joining."}
    assert (
        api["lead"].request("PUT", f"/applications/{cw.chain.id}/shortfall", json=body).status_code
        == 403
    )
    past = api["officer"].request(
        "PUT", f"/applications/{cw.chain.id}/shortfall", json=body | {"deadline": "2020-01-01"}
    )
    assert past.status_code == 422 and "deadline" in error_of(past)["details"]["fields"]
    r = api["officer"].request("PUT", f"/applications/{cw.chain.id}/shortfall", json=body)
    assert r.status_code == 200 and r.get_json()["deadline"] == later
    figures = api["officer"].get("/changes/figures").get_json()
    assert (figures["below_minimum"], figures["overdue"]) == (1, 0)


def test_refusals_and_their_shapes(cw, api, make):
    url = f"/applications/{cw.chain.id}/changes"
    r = api["stranger"].post(url, json={"kind": "join", "organisation_id": cw.joiner_org.id})
    assert r.status_code == 403
    r = api["lead"].post(url, json={"kind": "join", "organisation_id": cw.partner_org.id})
    assert r.status_code == 409 and error_of(r)["code"] == "duplicate"
    r = api["lead"].post(url, json={"kind": "merge", "organisation_id": cw.partner_org.id})
    assert r.status_code == 422
    r = api["lead"].post(
        "/applications/987654/changes", json={"kind": "join", "organisation_id": 1}
    )
    assert r.status_code == 404
    declared = make.organisation("Declared", verified=False, declared_by=cw.lead)
    r = api["lead"].post(url, json={"kind": "join", "organisation_id": declared.id})
    cid = r.get_json()["id"]
    r = fire(api["officer"], cid, "acknowledge")
    assert r.status_code == 422
    assert list(unmet_conditions(r)) == ["joining_organisation_verified"]
    assert fire(api["officer"], cid, "accept").status_code in (403, 409)
    r = fire(api["officer"], cid, "refuse")
    assert r.status_code == 422  # a comment is required
    assert fire(api["officer"], cid, "refuse", comment="Not a fit.").status_code == 200
    assert fire(api["officer"], cid, "withdraw").status_code == 409
