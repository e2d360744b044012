"""POST /api/v1/applications/transitions: one trigger on several applications, one result each."""

from __future__ import annotations

from bulkworld import DECREE
from sqlalchemy import func, select

from tracker.applications.models import Application, HistoryEntry
from tracker.audit.verify import verify
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.mail.models import OutboxEmail

PATH = "/applications/transitions"


def test_grants_several_labels_under_one_decree(desk, api, make):
    staff = make.user("applicant", organisation=desk.lead_org)  # told of each label by email
    apps = desk.evaluated(3)
    answer = api(desk.officer).post(
        PATH, {"ids": [a.id for a in apps], "trigger": "grant_label", "data": DECREE}
    )
    assert answer.status_code == 200
    results = answer.get_json()["results"]
    assert results == [
        {"id": a.id, "status": 200, "state": "label_granted", "error": None} for a in apps
    ]
    labels = db.session.scalars(select(QualityLabel).order_by(QualityLabel.id)).all()
    assert [(lab.application_id, lab.decree_number) for lab in labels] == [
        (a.id, "15907") for a in apps
    ]
    for a in apps:  # each its own history row, with the decree, chained
        entry = db.session.scalars(
            select(HistoryEntry).where(HistoryEntry.application_id == a.id)
            .order_by(HistoryEntry.seq.desc())
        ).first()  # fmt: skip
        assert entry.trigger == "grant_label" and entry.data == DECREE
    emails = db.session.scalars(
        select(OutboxEmail.object_id).where(
            OutboxEmail.kind == "label_granted", OutboxEmail.user_id == staff.id
        )
    ).all()
    assert sorted(emails) == sorted(a.id for a in apps)
    db.session.flush()
    assert verify(db.session.connection()).intact  # each item's row continues its own chain


def test_one_refused_item_undoes_none_of_the_others(desk, api, make):
    """One below the threshold (422 naming its condition), one changed since the version the
    officer saw (409 stale_version), one of a draft the officer may not see (404), one that
    does not exist (404): the others are granted."""
    good = desk.evaluated(2)
    low = desk.evaluated(1, scores={"coherence": 10, "impact": 10}, title="Low")[0]
    stale = desk.evaluated(1, title="Stale")[0]
    draft = make.application(desk.call, desk.lead, title="Private draft")
    ids = [good[0].id, low.id, stale.id, draft.id, 999999, good[1].id]
    answer = api(desk.officer).post(
        PATH,
        {"ids": ids, "trigger": "grant_label", "data": DECREE,
         "versions": {str(stale.id): stale.version - 1}},
    )  # fmt: skip
    assert answer.status_code == 200
    results = {r["id"]: r for r in answer.get_json()["results"]}
    assert [r["id"] for r in answer.get_json()["results"]] == ids
    assert results[good[0].id]["status"] == results[good[1].id]["status"] == 200
    assert results[low.id]["status"] == 422 and results[low.id]["state"] == "evaluated"
    unmet = results[low.id]["error"]["details"]["unmet"]
    assert unmet[0]["condition"] == "score_threshold"
    assert "below the threshold of 60.00" in unmet[0]["message"]
    assert results[stale.id]["status"] == 409
    assert results[stale.id]["error"]["code"] == "stale_version"
    assert results[draft.id] == {
        "id": draft.id, "status": 404, "state": None,
        "error": {"code": "not_found", "message": f"No application {draft.id}.", "details": None},
    }  # fmt: skip
    assert results[999999]["error"]["message"] == "No application 999999."  # the same answer
    db.session.expire_all()
    states = dict(db.session.execute(select(Application.id, Application.state)).all())
    assert states[good[0].id] == states[good[1].id] == "label_granted"
    assert states[low.id] == states[stale.id] == "evaluated" and states[draft.id] == "draft"
    assert db.session.scalar(select(func.count()).select_from(QualityLabel)) == 2


def test_roles_and_states_answer_per_item(desk, api, make):
    evaluated = desk.evaluated(1)[0]
    submitted = desk.submitted(1, "Waiting")[0]
    # a committee member may not grant: 403, with the role named
    answer = api(desk.reviewer).post(
        PATH, {"ids": [evaluated.id], "trigger": "grant_label", "data": DECREE}
    )
    (result,) = answer.get_json()["results"]
    assert result["status"] == 403 and result["error"]["code"] == "role_not_allowed"
    # a label is not granted from 'submitted': 409
    answer = api(desk.officer).post(
        PATH, {"ids": [submitted.id, evaluated.id], "trigger": "grant_label", "data": DECREE}
    )
    first, second = answer.get_json()["results"]
    assert first["status"] == 409 and first["error"]["code"] == "invalid_transition"
    assert first["state"] == "submitted" and second["status"] == 200


def test_a_committee_member_admits_only_their_calls_applications(desk, api, make):
    mine = desk.submitted(2, "Mine")
    other_call = make.call(desk.officer, title="Another call", min_firms=1)
    other = make.application(other_call, desk.lead, title="Elsewhere")
    make.fire(other, desk.lead, "submit")
    make.declare(mine[0], desk.reviewer)
    ids = [a.id for a in mine] + [other.id]
    results = api(desk.reviewer).post(PATH, {"ids": ids, "trigger": "admit"}).get_json()["results"]
    assert [r["status"] for r in results] == [200, 422, 404]
    assert results[1]["error"]["details"]["unmet"][0]["condition"] == "conflict_not_declared"
    assert results[2]["error"]["message"] == f"No application {other.id}."


def test_the_request_is_refused_whole_when_malformed(desk, api):
    officer = api(desk.officer)
    app = desk.evaluated(1)[0]

    def refused(body, status=422):
        answer = officer.post(PATH, body)
        assert answer.status_code == status, answer.get_json()
        return answer.get_json()["error"]

    assert "Select at least one" in refused({"ids": [], "trigger": "grant_label"})["message"]
    too_many = refused({"ids": list(range(1, 502)), "trigger": "grant_label", "data": DECREE})
    assert too_many["details"]["fields"]["ids"] == (
        "At most 500 applications at once; 501 were selected."
    )
    twice = refused({"ids": [app.id, app.id], "trigger": "grant_label", "data": DECREE})
    assert twice["details"]["fields"]["ids"] == f"Application {app.id} is selected twice."
    assert refused({"ids": ["x"], "trigger": "grant_label"})["details"]["fields"]
    assert refused({"ids": [app.id], "trigger": "fly"})["code"] == "unknown_trigger"
    # what is typed once is checked once: no decree date is one refusal, nothing done
    typed = refused({"ids": [app.id], "trigger": "grant_label", "data": {"decree_number": "1"}})
    assert typed["details"]["unmet"] == [
        {"condition": "decree_date", "message": "Decree date is required."}
    ]
    future = refused(
        {"ids": [app.id], "trigger": "grant_label",
         "data": {"decree_number": "1", "decree_date": "2999-01-01"}}
    )  # fmt: skip
    assert future["details"]["unmet"][0]["condition"] == "decree_date"
    versions = refused(
        {"ids": [app.id], "trigger": "grant_label", "data": DECREE, "versions": {"77": 1}}
    )
    assert "versions.77" in versions["details"]["fields"]
    assert refused("not an object", 400)["code"] == "malformed_body"
    db.session.expire_all()
    assert db.session.get(Application, app.id).state == "evaluated"


def test_documented_in_openapi(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = doc["paths"]["/applications/transitions"]["post"]
    assert operation["summary"] == "Fire one trigger on several applications"
    assert "200" in operation["responses"] and "422" in operation["responses"]


def test_a_race_lost_mid_run_rolls_back_that_item_alone(desk, monkeypatch):
    """Someone else changes the second application after the batch was read: its versioned
    UPDATE loses (409, rolled back), and the items after it are read again and decided."""
    from sqlalchemy import text

    from tracker.applications import bulk

    apps = desk.evaluated(3)
    ids = [a.id for a in apps]
    read_heads = bulk.chain_heads

    def meanwhile(selected):
        heads = read_heads(selected)
        db.session.execute(
            text("UPDATE applications SET version = version + 1 WHERE id = :id"), {"id": ids[1]}
        )
        return heads

    monkeypatch.setattr(bulk, "chain_heads", meanwhile)
    results = bulk.fire_in_bulk(desk.officer, ids, "grant_label", data=DECREE)
    assert [r.status for r in results] == [200, 409, 200]
    assert results[1].error.code == "stale_version" and results[1].state == "evaluated"
    db.session.expire_all()
    assert [db.session.get(Application, i).state for i in ids] == [
        "label_granted", "evaluated", "label_granted",
    ]  # fmt: skip
    assert db.session.scalar(select(func.count()).select_from(QualityLabel)) == 2
    assert verify(db.session.connection()).intact
