"""The integration on the application page: the question on top with the days left (or how
late), the lead's reply and documents, the resubmission, what changed, and the versions page."""

from __future__ import annotations

import io

from integrationtools import PDF, QUESTION, make_overdue
from pagetools import text_of

from tracker.database import commit
from tracker.extensions import db
from tracker.integrations.models import IntegrationRequest


def fire(client, application, trigger, **form):
    version = str(db.session.get(type(application), application.id).version)
    data = {"trigger": trigger, "version": version, "confirm": "y", **form}
    return client.post(f"/applications/{application.id}/transitions", data=data)


def test_the_lead_sees_the_question_on_top_replies_and_resubmits(login, world, asked):
    lead = login(world.lead)
    page = text_of(lead.get(f"/applications/{asked.id}"))
    assert "The committee asks for an integration" in page and QUESTION in page
    assert page.index(QUESTION) < page.index("Partnership")  # at the top
    assert "30 days left to reply" in page
    # resubmitting waits for the reply, and says why
    assert "Reply to the committee's question before resubmitting" in page

    refused = lead.post(f"/applications/{asked.id}/integration/reply", data={"reply": " "})
    assert refused.status_code == 422
    assert "Reply is required." in text_of(refused)
    saved = lead.post(
        f"/applications/{asked.id}/integration/reply", data={"reply": "12,000 t a year."}
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#integration")
    uploaded = lead.post(
        f"/applications/{asked.id}/integration/documents",
        data={"file": (io.BytesIO(PDF), "letters.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    not_pdf = lead.post(
        f"/applications/{asked.id}/integration/documents",
        data={"file": (io.BytesIO(b"<html>"), "fake.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert not_pdf.status_code == 422 and "The file is not a PDF." in text_of(not_pdf)
    page = text_of(lead.get(f"/applications/{asked.id}"))
    assert "letters.pdf" in page and "12,000 t a year." in page

    assert fire(lead, asked, "resubmit").status_code == 302
    request = db.session.scalars(db.select(IntegrationRequest)).one()
    assert request.closed_by == "resubmit" and request.reply == "12,000 t a year."


def test_the_committee_waits_then_reads_the_reply_and_what_changed(login, make, world, asked):
    from tracker.applications.operations import update_application
    from tracker.integrations.operations import save_reply

    reviewer = login(world.reviewers[0])
    save_reply(world.lead, asked, "A reply being written.")
    update_application(world.lead, asked, {"concept_note": {"needs": "A hub in Brescia."}})
    commit()
    page = text_of(reviewer.get(f"/applications/{asked.id}"))
    assert QUESTION in page and "A reply being written." not in page
    assert "reaches the committee with their resubmission" in page
    make.fire(asked, world.lead, "resubmit")
    page = text_of(reviewer.get(f"/applications/{asked.id}"))
    assert "What changed since the last round" in page
    assert "Needs [removed: Our needs. ] [added: A hub in Brescia. ] 6 fields unchanged" in page
    assert "A reply being written." in page  # answered: the committee reads it
    versions = reviewer.get(f"/applications/{asked.id}/versions")
    assert versions.status_code == 200
    assert "Round 2" in text_of(versions) and "Round 1" in text_of(versions)


def test_past_the_date_an_overdue_badge_and_the_committee_may_declare(login, world, asked):
    make_overdue(asked)
    assert "Reply overdue by 2 days" in text_of(login(world.lead).get(f"/applications/{asked.id}"))
    reviewer = login(world.reviewers[0])
    response = fire(reviewer, asked, "declare_inadmissible", comment="No reply came.")
    assert response.status_code == 302
    assert db.session.get(type(asked), asked.id).state == "inadmissible"


def test_before_the_date_declaring_says_why_not(login, world, asked):
    page = text_of(login(world.reviewers[0]).get(f"/applications/{asked.id}"))
    day = asked.pending_integration.reply_by.strftime("%d/%m/%Y")
    assert f"The applicants may reply until {day}" in page


def test_in_italian(login, world, asked):
    lead = login(world.lead)
    lead.post("/language", data={"language": "it", "next": "/"})
    page = text_of(lead.get(f"/applications/{asked.id}"))
    assert "Il nucleo di valutazione chiede un'integrazione" in page
    assert "30 giorni rimasti per rispondere" in page


def test_the_request_form_offers_the_calls_date(login, make, world):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    make.declare(application, world.reviewers[0])  # the committee's actions come after it
    html = login(world.reviewers[0]).get(f"/applications/{application.id}").get_data(as_text=True)
    import datetime as dt

    from integrationtools import today

    default = (today() + dt.timedelta(days=30)).isoformat()
    assert f'name="data-reply_by" type="date" value="{default}"' in html
