"""Every refusal the contract names, with the status, the code and what the details say."""

from __future__ import annotations

import datetime as dt

import pytest
from apiclient import Api, error_of, new_application_body, unmet_conditions

from tracker.columns import utcnow
from tracker.database import commit


def fire(api: Api, app_id: int, trigger: str, **body):
    return api.post(f"/applications/{app_id}/transitions", json={"trigger": trigger} | body)


# --- authentication ---------------------------------------------------------------------------


def test_no_token_is_401_with_a_bearer_challenge(anonymous):
    r = anonymous.get("/me")
    assert r.status_code == 401
    assert error_of(r)["code"] == "missing_token"
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="tracker"'
    assert anonymous.post("/organisations", json={"name": "X"}).status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer trk_not-a-token", "Bearer ", "Basic dXNlcjpwYXNz", "trk_missing_scheme",
     "Bearer " + "x" * 500],
)  # fmt: skip
def test_bad_token_is_401(anonymous, world, header):
    r = anonymous.get("/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert error_of(r)["code"] in {"invalid_token", "missing_token"}
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_and_inactive_user_are_401(make, app):
    from tracker.auth.models import ApiToken
    from tracker.extensions import db

    user = make.user("applicant")
    api = Api(app, make.token(user))
    assert api.get("/me").status_code == 200
    for row in db.session.query(ApiToken).filter_by(user_id=user.id):
        row.revoked_at = utcnow()
    commit()
    r = api.get("/me")
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["WWW-Authenticate"]

    other = make.user("applicant")
    api = Api(app, make.token(other))
    other.active = False
    commit()
    assert api.get("/me").status_code == 401


def test_only_registry_and_openapi_are_public(anonymous, world):
    assert anonymous.get("/registry").status_code == 200
    assert anonymous.get("/openapi.json").status_code == 200
    for path in ("/workflows", "/calls", "/applications", "/organisations", "/dashboard"):
        assert anonymous.get(path).status_code == 401, path


# --- organisations ----------------------------------------------------------------------------


def test_bad_vat_is_422_and_duplicate_vat_is_409(make, people):
    body = {"name": "Trafilerie Lecchesi Srl", "kind": "firm", "size": "small", "province": "LC"}
    r = people.lead.post("/organisations", json=body | {"vat_number": "12345678901"})
    assert r.status_code == 422
    assert "check digit" in error_of(r)["details"]["fields"]["vat_number"]
    r = people.lead.post("/organisations", json=body | {"vat_number": "1234"})
    assert r.status_code == 422 and "11 digits" in error_of(r)["details"]["fields"]["vat_number"]

    vat = make.vat()
    assert people.lead.post("/organisations", json=body | {"vat_number": vat}).status_code == 201
    r = people.lead.post("/organisations", json=body | {"vat_number": f"IT {vat}", "name": "Y"})
    assert r.status_code == 409 and error_of(r)["code"] == "duplicate"


def test_organisation_fields_are_checked_by_the_operation(make, people):
    r = people.lead.post(
        "/organisations",
        json={"name": "", "vat_number": make.vat(), "kind": "spaceship", "province": "Milano"},
    )
    assert r.status_code == 422
    assert set(error_of(r)["details"]["fields"]) == {"name", "kind", "province"}


def test_unknown_organisation_is_404(people):
    r = people.lead.get("/organisations/999999")
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"


# --- calls ------------------------------------------------------------------------------------


def call_body(**extra) -> dict:
    today = dt.date.today()
    return {
        "title": "Bando Filiere 2022",
        "opens_at": today.isoformat(),
        "deadline": (today + dt.timedelta(days=90)).isoformat(),
        "min_firms": 10,
        "min_reviews": 2,
        "score_threshold": 65,
        "criteria": [
            {"key": key, "label": key.replace("_", " ").capitalize(), "max": top}
            for key, top in (("coherence", 10), ("innovativeness", 20), ("added_value", 20),
                             ("representativeness", 15), ("investments", 20), ("employment", 15))
        ],
    } | extra  # fmt: skip


def test_only_officers_write_calls(world, people):
    assert people.lead.post("/calls", json=call_body()).status_code == 403
    r = people.reviewers[0].patch(f"/calls/{world.call.id}", json={"deadline": "2099-12-31"})
    assert r.status_code == 403
    r = people.lead.post(f"/calls/{world.call.id}/committee", json={"user_id": world.lead.id})
    assert r.status_code == 403

    r = people.officer.post("/calls", json=call_body())
    assert r.status_code == 201, r.get_json()
    call = r.get_json()
    assert call["score_threshold"] == "65.00" and call["workflow"] == "value_chain"
    assert [c["max"] for c in call["criteria"]] == [10, 20, 20, 15, 20, 15]
    assert people.lead.get(f"/calls/{call['id']}").get_json() == call
    listed = people.lead.get("/calls").get_json()
    assert listed["total"] == 2 and call["id"] in {c["id"] for c in listed["items"]}


def test_call_validation_is_422(people):
    r = people.officer.post(
        "/calls",
        json=call_body(
            deadline="2000-01-01", criteria=[{"key": "Bad Key", "label": "B", "max": 0}]
        ),
    )
    assert r.status_code == 422
    fields = error_of(r)["details"]["fields"]
    assert {"deadline", "criteria[0].key", "criteria[0].max"} <= set(fields)
    r = people.officer.post("/calls", json=call_body(criteria=[]))
    assert r.status_code == 422 and "criteria" in error_of(r)["details"]["fields"]
    r = people.officer.post("/calls", json=call_body(criteria=[{"key": "coherence", "max": 5}]))
    assert r.status_code == 422
    assert error_of(r)["details"]["fields"] == {"criteria[0].label": "label is required."}


def test_deadline_extension_is_kept_and_must_move_later(world, people):
    old = world.call.deadline
    new = old + dt.timedelta(days=365)
    r = people.officer.patch(
        f"/calls/{world.call.id}", json={"deadline": new.isoformat(), "reason": "DGR 1234/2023"}
    )
    assert r.status_code == 200
    call = r.get_json()
    assert call["deadline"] == new.isoformat()
    assert [(e["previous_deadline"], e["new_deadline"], e["reason"])
            for e in call["deadline_extensions"]] == [
        (old.isoformat(), new.isoformat(), "DGR 1234/2023")
    ]  # fmt: skip
    r = people.officer.patch(f"/calls/{world.call.id}", json={"deadline": old.isoformat()})
    assert r.status_code == 422 and "deadline" in error_of(r)["details"]["fields"]
    r = people.officer.patch(f"/calls/{world.call.id}", json={"deadline": "31/12/2027"})
    assert r.status_code == 422
    assert people.officer.patch("/calls/424242", json={"deadline": "2099-01-01"}).status_code == 404


def test_committee_appointment(make, world, people):
    reviewer = make.user("reviewer")
    r = people.officer.post(f"/calls/{world.call.id}/committee", json={"user_id": reviewer.id})
    assert r.status_code == 201
    assert r.get_json()["user_id"] == reviewer.id and r.get_json()["email"] == reviewer.email
    assert reviewer.id in people.officer.get(f"/calls/{world.call.id}").get_json()["committee"]
    r = people.officer.post(f"/calls/{world.call.id}/committee", json={"user_id": reviewer.id})
    assert r.status_code == 409
    r = people.officer.post(f"/calls/{world.call.id}/committee", json={"user_id": world.lead.id})
    assert r.status_code == 422 and "reviewer role" in error_of(r)["details"]["fields"]["user_id"]
    r = people.officer.post(f"/calls/{world.call.id}/committee", json={"user_id": 987654})
    assert r.status_code == 404


# --- applications -----------------------------------------------------------------------------


def test_applicant_cannot_read_another_partnerships_draft(make, world, people):
    app = make.application(world.call, world.lead)
    r = people.outsider.get(f"/applications/{app.id}")
    assert r.status_code == 403 and error_of(r)["code"] == "not_allowed"
    for path in ("history", "reviews"):
        assert people.outsider.get(f"/applications/{app.id}/{path}").status_code == 403
    r = people.outsider.patch(f"/applications/{app.id}", json={"title": "Mine now"})
    assert r.status_code == 403
    assert fire(people.outsider, app.id, "submit").status_code == 403
    # the committee does not see drafts either; nobody sees what does not exist
    assert people.reviewers[0].get(f"/applications/{app.id}").status_code == 403
    assert people.lead.get("/applications/777777").status_code == 404
    # and the list shows the outsider nothing of it
    assert people.outsider.get("/applications").get_json()["total"] == 0
    assert people.lead.get("/applications").get_json()["total"] == 1


def test_only_applicants_of_their_own_organisation_create(make, world, people):
    body = new_application_body(world.call.id)
    assert people.officer.post("/applications", json=body).status_code == 403
    other = make.organisation()
    r = people.lead.post("/applications", json=body | {"lead_organisation_id": other.id})
    assert r.status_code == 403
    r = people.lead.post("/applications", json=body | {"call_id": 424242})
    assert r.status_code == 422 and "call_id" in error_of(r)["details"]["fields"]
    r = people.lead.post("/applications", json=body | {"thematic_area": "astrology"})
    assert r.status_code == 422 and "thematic_area" in error_of(r)["details"]["fields"]
    r = people.lead.post("/applications", json=body | {"lead_role": "r" * 201})
    assert r.status_code == 422 and "lead_role" in error_of(r)["details"]["fields"]


def test_closed_call_refuses_new_applications(make, world, people):
    today = dt.date.today()
    closed = make.call(
        opens_at=(today - dt.timedelta(days=60)).isoformat(),
        deadline=(today - dt.timedelta(days=1)).isoformat(),
    )
    r = people.lead.post("/applications", json=new_application_body(closed.id))
    assert r.status_code == 422 and unmet_conditions(r).keys() == {"call_open"}


def test_wrong_role_is_403(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    r = fire(people.lead, app.id, "admit")
    assert r.status_code == 403
    err = error_of(r)
    assert err["code"] == "role_not_allowed"
    assert err["details"]["unmet"][0]["condition"] == "role"
    r = fire(people.officer, app.id, "withdraw")
    assert r.status_code == 403


def test_trigger_invalid_from_current_state_is_409(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    r = fire(people.officer, app.id, "grant_label", data={"decree_number": "1"})
    assert r.status_code == 409
    assert error_of(r)["code"] == "invalid_transition"
    assert error_of(r)["details"] == {"state": "submitted", "trigger": "grant_label"}
    r = fire(people.officer, app.id, "fly_to_the_moon")
    assert r.status_code == 422 and error_of(r)["code"] == "unknown_trigger"


def test_decree_data_is_checked_before_anything_is_stored(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    for reviewer in world.reviewers:
        make.review(app, reviewer)
    make.fire(app, world.officer, "close_evaluation")
    r = fire(people.officer, app.id, "grant_label",
             data={"decree_number": "9" * 101, "decree_date": "30/11/2023"})  # fmt: skip
    assert r.status_code == 422
    assert unmet_conditions(r) == {
        "decree_number": "Decree number must be at most 100 characters.",
        "decree_date": "Decree date must be a date (YYYY-MM-DD).",
    }
    assert people.officer.get(f"/applications/{app.id}").get_json()["state"] == "evaluated"


def test_unmet_conditions_are_422_naming_each(make, world, people):
    app = make.application(world.call, world.lead, complete=False)
    r = fire(people.lead, app.id, "submit")
    assert r.status_code == 422
    unmet = unmet_conditions(r)
    assert set(unmet) == {"min_lombardy_firms", "concept_note_complete", "agreement_signed"}
    assert unmet["min_lombardy_firms"] == "1 of the 3 required firms with a seat in Lombardy."
    assert "Challenges" in unmet["concept_note_complete"]
    # the same reasons are shown before trying, in the application's options
    submit = next(
        o
        for o in people.lead.get(f"/applications/{app.id}").get_json()["available_transitions"]
        if o["trigger"] == "submit"
    )
    assert {u["condition"]: u["message"] for u in submit["unmet"]} == unmet


def test_stale_version_is_409(make, world, people):
    app = make.application(world.call, world.lead)
    seen = people.lead.get(f"/applications/{app.id}").get_json()["version"]
    r = people.lead.patch(f"/applications/{app.id}", json={"title": "New title", "version": seen})
    assert r.status_code == 200 and r.get_json()["version"] == seen + 1
    r = people.lead.patch(f"/applications/{app.id}", json={"title": "Older", "version": seen})
    assert r.status_code == 409
    assert error_of(r)["code"] == "stale_version"
    assert error_of(r)["details"] == {"current_version": seen + 1}
    r = fire(people.lead, app.id, "submit", version=seen)
    assert r.status_code == 409 and error_of(r)["code"] == "stale_version"
    assert people.lead.get(f"/applications/{app.id}").get_json()["title"] == "New title"


def test_locked_after_submission(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    r = people.lead.patch(f"/applications/{app.id}", json={"title": "Too late"})
    assert r.status_code == 409 and error_of(r)["code"] == "not_editable"
    other = make.organisation()
    r = people.lead.post(
        f"/applications/{app.id}/partners", json={"organisation_id": other.id, "role": "Late"}
    )
    assert r.status_code == 409
    r = people.lead.post(f"/applications/{app.id}/agreement", json={"signed": False})
    assert r.status_code == 409


def test_partnership_rules(make, world, people):
    app = make.application(world.call, world.lead, complete=False)
    org = make.organisation()
    path = f"/applications/{app.id}/partners"
    assert people.lead.post(path, json={"organisation_id": org.id, "role": "R"}).status_code == 201
    r = people.lead.post(path, json={"organisation_id": org.id, "role": "Again"})
    assert r.status_code == 409 and error_of(r)["code"] == "duplicate"
    r = people.lead.post(path, json={"organisation_id": 999999, "role": "Ghost"})
    assert r.status_code == 422 and "organisation_id" in error_of(r)["details"]["fields"]
    r = people.lead.post(path, json={"organisation_id": org.id, "role": ""})
    assert r.status_code in (409, 422)
    r = people.lead.delete(f"{path}/{world.lead_org.id}")
    assert r.status_code == 422
    r = people.lead.delete(f"{path}/424242")
    assert r.status_code == 404
    r = people.lead.delete(f"{path}/{org.id}")
    assert r.status_code == 200
    assert [p["organisation_id"] for p in r.get_json()] == [world.lead_org.id]


# --- reviews ----------------------------------------------------------------------------------


@pytest.fixture
def under_evaluation(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    for member in world.reviewers:  # members declare before reviewing (issue 14)
        make.declare(app, member)
    return app


def review(api: Api, app_id: int, scores: dict, recommendation: str = "favourable"):
    return api.post(
        f"/applications/{app_id}/reviews",
        json={"scores": scores, "recommendation": recommendation, "comment": "ok"},
    )


def test_out_of_range_score_is_422(under_evaluation, people):
    r = review(people.reviewers[0], under_evaluation.id, {"coherence": 41, "impact": -1})
    assert r.status_code == 422
    fields = error_of(r)["details"]["fields"]
    assert fields == {
        "scores.coherence": "Coherence must be between 0 and 40.",
        "scores.impact": "Impact must be between 0 and 60.",
    }
    r = review(people.reviewers[0], under_evaluation.id, {"coherence": 10})
    assert r.status_code == 422 and "scores.impact" in error_of(r)["details"]["fields"]
    r = review(people.reviewers[0], under_evaluation.id, {"coherence": 1, "impact": 1}, "maybe")
    assert r.status_code == 422 and "recommendation" in error_of(r)["details"]["fields"]


def test_second_review_is_409(under_evaluation, people):
    scores = {"coherence": 30, "impact": 40}
    assert review(people.reviewers[0], under_evaluation.id, scores).status_code == 201
    r = review(people.reviewers[0], under_evaluation.id, scores)
    assert r.status_code == 409 and error_of(r)["code"] == "already_reviewed"


def test_conflicted_reviewer_is_403(make, world, people, app):
    """A committee member whose organisation is a partner may neither review nor advance it."""
    university = make.organisation("Politecnico di Milano", kind="university")
    conflicted_user = make.user("reviewer", organisation=university)
    make.appoint(world.call, conflicted_user)
    conflicted = Api(app, make.token(conflicted_user))
    application = make.application(world.call, world.lead, complete=True)
    from tracker.applications.operations import add_partner
    from tracker.documents.operations import upload_agreement
    from tracker.documents.samples import MINIMAL_PDF

    add_partner(world.lead, application, university.id, "Research partner")
    upload_agreement(world.lead, application, "agreement.pdf", MINIMAL_PDF)
    commit()
    make.fire(application, world.lead, "submit")
    r = fire(conflicted, application.id, "admit")
    assert r.status_code == 403 and error_of(r)["code"] == "role_not_allowed"
    make.fire(application, world.officer, "admit")
    r = review(conflicted, application.id, {"coherence": 40, "impact": 60})
    assert r.status_code == 403 and "conflict of interest" in error_of(r)["message"]
    assert conflicted.get(f"/applications/{application.id}/reviews").status_code == 403
    # a reviewer of another call's committee is refused too
    outsider = make.user("reviewer")
    r = review(Api(app, make.token(outsider)), application.id, {"coherence": 1, "impact": 1})
    assert r.status_code == 403


def test_review_outside_evaluation_is_409(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    r = review(people.reviewers[0], app.id, {"coherence": 1, "impact": 1})
    assert r.status_code == 409 and error_of(r)["code"] == "not_reviewable"


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_is_for_officers_and_reviewers(make, world, people):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.application(world.call, world.lead)  # a draft: the committee does not count it
    assert people.lead.get("/dashboard").status_code == 403
    board = people.reviewers[0].get("/dashboard").get_json()
    assert {k: board[k] for k in ("by_state", "total", "call_id")} == {
        "by_state": {"submitted": 1}, "total": 1, "call_id": None
    }  # fmt: skip
    board = people.officer.get(f"/dashboard?call_id={world.call.id}").get_json()
    assert board["by_state"]["submitted"] == 1 and board["total"] == 1
    assert set(board["by_state"]) >= {"draft", "label_granted", "withdrawn"}
    assert people.officer.get("/dashboard?call_id=999999").status_code == 404
    assert people.officer.get("/dashboard?call_id=abc").status_code == 400
