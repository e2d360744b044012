"""The integration through the API: the application's ``integration``, the reply and its
documents, the requests and the versions."""

from __future__ import annotations

import io

from apiclient import Api, error_of, unmet_conditions
from integrationtools import PDF, QUESTION, make_overdue

from tracker.extensions import db
from tracker.integrations.models import IntegrationDocument


def download(app, token: str, path: str):
    """A file: not JSON, so not through ``Api`` (which checks JSON shapes)."""
    return app.test_client().get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})


def test_the_pending_integration_and_its_reply(app, make, world, asked):
    lead_token, reviewer_token = make.token(world.lead), make.token(world.reviewers[0])
    lead, reviewer = Api(app, lead_token), Api(app, reviewer_token)
    seen = reviewer.get(f"/applications/{asked.id}").get_json()
    integration = seen["integration"]
    assert integration["question"] == QUESTION and integration["overdue"] is False
    assert set(integration) == {"question", "requested_at", "reply_by", "overdue"}

    r = lead.put(f"/applications/{asked.id}/integration/reply", json={"reply": ""})
    assert r.status_code == 422 and "reply" in error_of(r)["details"]["fields"]
    r = reviewer.put(f"/applications/{asked.id}/integration/reply", json={"reply": "Mine"})
    assert r.status_code == 403
    r = lead.put(f"/applications/{asked.id}/integration/reply", json={"reply": "See the letters."})
    assert r.status_code == 200 and r.get_json()["reply"] == "See the letters."
    r = lead.post(
        f"/applications/{asked.id}/integration/documents",
        data={"file": (io.BytesIO(PDF), "letters.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 201, r.get_json()
    document = r.get_json()
    # while being written, the reply is the partners' own
    [request] = reviewer.get(f"/applications/{asked.id}/integration-requests").get_json()
    assert request["reply"] is None and request["documents"] == []
    path = f"/applications/{asked.id}/integration/documents/{document['id']}"
    assert download(app, reviewer_token, path).status_code == 404
    assert download(app, lead_token, path).data == PDF

    r = lead.post(f"/applications/{asked.id}/transitions", json={"trigger": "resubmit"})
    assert r.status_code == 200 and r.get_json()["integration"] is None
    [request] = reviewer.get(f"/applications/{asked.id}/integration-requests").get_json()
    assert request["reply"] == "See the letters." and request["closed_by"] == "resubmit"
    assert [d["filename"] for d in request["documents"]] == ["letters.pdf"]
    assert download(app, reviewer_token, path).data == PDF
    # answered: nothing pending to reply to any more
    r = lead.put(f"/applications/{asked.id}/integration/reply", json={"reply": "More"})
    assert r.status_code == 409 and error_of(r)["code"] == "no_pending_integration"
    assert lead.delete(path).status_code == 409


def test_a_document_that_is_not_a_pdf_is_refused(app, make, world, asked):
    lead = Api(app, make.token(world.lead))
    r = lead.post(
        f"/applications/{asked.id}/integration/documents",
        data={"file": (io.BytesIO(b"<html>"), "x.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert (
        r.status_code == 422
        and error_of(r)["details"]["fields"]["file"] == "The file is not a PDF."
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(IntegrationDocument)) == 0


def test_versions_name_what_changed(app, make, world, asked):
    lead = Api(app, make.token(world.lead))
    current = lead.get(f"/applications/{asked.id}").get_json()
    lead.patch(f"/applications/{asked.id}",
               json={"concept_note": {"needs": "A logistics hub in Brescia."},
                     "version": current["version"]})  # fmt: skip
    r = lead.post(f"/applications/{asked.id}/transitions",
                  json={"trigger": "resubmit", "comment": "Needs rewritten."})  # fmt: skip
    assert r.status_code == 200
    versions = Api(app, make.token(world.officer)).get(f"/applications/{asked.id}/versions")
    assert [(v["round"], v["changed"]) for v in versions.get_json()] == [
        (1, None), (2, ["needs"])
    ]  # fmt: skip
    assert versions.get_json()[1]["concept_note"]["needs"] == "A logistics hub in Brescia."


def test_reply_by_in_the_past_is_a_422_naming_the_field(app, make, world):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    make.declare(application, world.reviewers[0])
    reviewer = Api(app, make.token(world.reviewers[0]))
    r = reviewer.post(f"/applications/{application.id}/transitions",
                      json={"trigger": "request_integration", "comment": "Q?",
                            "data": {"reply_by": "2020-01-01"}})  # fmt: skip
    assert r.status_code == 422 and set(unmet_conditions(r)) == {"reply_by"}


def test_overdue_shows_in_the_answer(app, make, world, asked):
    make_overdue(asked)
    seen = Api(app, make.token(world.officer)).get(f"/applications/{asked.id}").get_json()
    assert seen["integration"]["overdue"] is True
    options = {o["trigger"]: o for o in seen["available_transitions"]}
    assert options["declare_inadmissible"]["allowed"] is True
