"""The dossier (issue 14, item 5): one PDF of the application for whoever may see its
documents, made with ReportLab in a Unicode font; the reviews in it follow the reviews' own
rule, so a member's comment never reaches the applicants."""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader

from tracker.applications.operations import update_application
from tracker.database import commit
from tracker.documents.annexes import define_annex, upload_annex
from tracker.documents.samples import MINIMAL_PDF

API = "/api/v1"


def text_of_pdf(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def reviewed(make, world):
    """A submitted, admitted application reviewed by the first member, with an accented,
    euro-priced concept note and an annex."""
    annex = define_annex(world.officer, world.call,
                         {"name": "Dichiarazione sostitutiva", "max_bytes": 10_000})  # fmt: skip
    app = make.application(world.call, world.lead)
    update_application(world.lead, app, {"concept_note": {
        "investments": "Un impianto pilota a Brescia: 450.000 € di investimenti, più qualità."}})  # fmt: skip
    upload_annex(world.lead, app, annex.id, "dichiarazione.pdf", MINIMAL_PDF)
    commit()
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    make.review(app, world.reviewers[0])  # its comment: "Solid partnership."
    return app


def dossier(client, app, headers=None):
    return client.get(f"{API}/applications/{app.id}/dossier.pdf", headers=headers or {})


def test_the_dossier_holds_the_application_and_hides_the_reviews_from_the_applicants(
    app, make, world
):
    application = reviewed(make, world)
    client = app.test_client()
    answer = dossier(client, application, {"Authorization": f"Bearer {make.token(world.lead)}"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert "attachment" in answer.headers["Content-Disposition"]
    text = text_of_pdf(answer.data)
    assert application.title in text
    assert application.partners[1].organisation.name in text
    assert "(submit)" in text and "(admit)" in text  # the history, trigger by trigger
    assert "450.000 € di investimenti, più qualità." in text  # accents and the euro sign
    assert "Dichiarazione sostitutiva" in text and "dichiarazione.pdf" in text
    assert hashlib.sha256(MINIMAL_PDF).hexdigest() in text.replace("\n", "")
    assert "Solid partnership." not in text and "Reviews" not in text


def test_the_reviews_in_it_follow_who_may_see_them(app, make, world):
    application = reviewed(make, world)
    client = app.test_client()
    member = dossier(client, application,
                     {"Authorization": f"Bearer {make.token(world.reviewers[0])}"})  # fmt: skip
    assert "Solid partnership." in text_of_pdf(member.data)  # their own review is in
    # the officer, while the evaluation is open, sees no member's review
    officer = dossier(client, application, {"Authorization": f"Bearer {make.token(world.officer)}"})
    officer_text = text_of_pdf(officer.data)
    assert "Reviews" in officer_text and "Solid partnership." not in officer_text
    # someone of another partnership: refused, and nobody anonymous
    stranger = make.user("applicant", organisation=make.organisation("Altra Srl"))
    assert (
        dossier(
            client, application, {"Authorization": f"Bearer {make.token(stranger)}"}
        ).status_code
        == 403
    )
    assert dossier(client, application).status_code == 401


def test_the_page_links_it_and_it_speaks_italian(app, make, world):
    application = reviewed(make, world)
    client = app.test_client()
    assert (
        client.post(
            "/login", data={"email": world.lead.email, "password": "secret-pass"}
        ).status_code
        == 302
    )
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert f"/applications/{application.id}/dossier.pdf" in page
    client.post("/language", data={"language": "it", "next": "/"})
    italian = client.get(f"/applications/{application.id}/dossier.pdf")
    assert italian.status_code == 200
    text = text_of_pdf(italian.data)
    assert "Cronologia" in text and "Fascicolo" in text and "(submit)" in text
