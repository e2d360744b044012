"""Phase 1 of the value-chain EOI walked through the pages, by each person in turn."""

from __future__ import annotations

import io
import re

from pagetools import text_of, text_of_html

from tracker.applications.models import Application
from tracker.extensions import db
from tracker.labels.models import QualityLabel


def version_of(application_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Application, application_id).version


def fire(client, application_id, trigger, comment="", confirm=True, **data):
    form = {"trigger": trigger, "version": str(version_of(application_id)), "comment": comment}
    if confirm:
        form["confirm"] = "y"
    form |= {f"data-{k}": v for k, v in data.items()}
    return client.post(f"/applications/{application_id}/transitions", data=form)


def state_of(application_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Application, application_id).state


def test_phase_one_through_the_pages(make, world, login, client):
    lead = login(world.lead)
    reviewer_a, reviewer_b = (login(r) for r in world.reviewers)
    officer = login(world.officer)

    # --- the lead opens a draft from the call's page
    call_page = text_of(lead.get(f"/calls/{world.call.id}"))
    assert "Apply to this call" in call_page
    response = lead.post(
        f"/applications/new?call_id={world.call.id}",
        data={
            "title": "Steel value chain",
            "thematic_areas": "sustainability",
            "challenges": "Reuse white slag from electric-arc furnaces.",
            "needs": "A shared logistics hub.",
        },
    )
    assert response.status_code == 302
    application_id = int(re.search(r"/applications/(\d+)$", response.location).group(1))
    page = text_of(lead.get(f"/applications/{application_id}"))
    assert "Draft" in page and "Duferco Travi e Profilati" in page
    # the lead (a firm in BS) is the only Lombard firm so far: submitting is refused, and why
    assert "1 of 3 required firms with a seat in Lombardy" in page
    assert "1 of the 3 required firms with a seat in Lombardy." in page
    assert "The concept note lacks: Objectives, Planned actions, Planned investments." in page

    refused = fire(lead, application_id, "submit")
    assert refused.status_code == 422
    assert "1 of the 3 required firms with a seat in Lombardy." in text_of(refused)
    assert state_of(application_id) == "draft"

    # --- partners: one registered on the way, through the organisation form and back
    response = lead.post(
        "/organisations/new",
        data={
            "name": "Scorie Verdi Srl",
            "vat_number": make.vat(),
            "kind": "firm",
            "size": "small",
            "province": "BG",
            "lombardy_seat": "auto",
            "next": f"/applications/{application_id}",
        },
    )
    assert response.status_code == 302
    assert response.location.startswith(f"/applications/{application_id}?organisation_id=")
    new_org_id = int(re.search(r"organisation_id=(\d+)", response.location).group(1))
    preselected = lead.get(response.location).get_data(as_text=True)
    assert f'<option selected value="{new_org_id}">' in preselected

    other = make.organisation("Ferriera Lombarda", province="BS")
    for org_id, role in ((new_org_id, "Slag treatment"), (other.id, "Steel supplier")):
        response = lead.post(
            f"/applications/{application_id}/partners",
            data={"organisation_id": str(org_id), "role": role, "commitments": "Pilot plant"},
        )
        assert response.status_code == 302
    page = text_of(lead.get(f"/applications/{application_id}"))
    assert "3 firms with a seat in Lombardy (3 required)" in page
    assert "Scorie Verdi Srl" in page and "Slag treatment" in page

    # --- the concept note, completed through the edit form
    edit = lead.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)
    response = lead.post(
        f"/applications/{application_id}/edit",
        data={
            "version": version,
            "title": "Innovative and Sustainable Supply Chain in the Steel Industry",
            "thematic_areas": "sustainability",
            "challenges": "Reuse white slag from electric-arc furnaces.",
            "needs": "A shared logistics hub.",
            "objectives": "Zero slag to landfill by 2027.",
            "actions": "Pilot plant in Brescia.",
            "investments": "EUR 2M over three years.",
        },
    )
    assert response.status_code == 302
    page = text_of(lead.get(f"/applications/{application_id}"))
    assert "Zero slag to landfill by 2027." in page
    assert "The project agreement signed by all partners has not been uploaded as a PDF" in page

    # --- the signed agreement: marking it signed without its PDF is refused (issue 14); the
    # upload records it; then the submission (which asks for confirmation)
    refused = lead.post(f"/applications/{application_id}/agreement", data={"signed": "yes"})
    assert refused.status_code == 422
    assert "Upload the project agreement signed by all partners as a PDF" in text_of(refused)
    from tracker.documents.samples import MINIMAL_PDF

    uploaded = lead.post(
        f"/applications/{application_id}/agreement/documents",
        data={"file": (io.BytesIO(MINIMAL_PDF), "accordo.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    unconfirmed = fire(lead, application_id, "submit", confirm=False)
    assert unconfirmed.status_code == 422
    assert "Tick “I confirm”" in text_of(unconfirmed)
    assert state_of(application_id) == "draft"
    assert fire(lead, application_id, "submit").status_code == 302
    assert state_of(application_id) == "submitted"
    html = lead.get(f"/applications/{application_id}").get_data(as_text=True)
    assert "Submitted" in text_of_html(html)
    assert f"/applications/{application_id}/edit" not in html  # locked once submitted
    assert lead.get(f"/applications/{application_id}/edit").status_code == 403

    # --- a committee member sees it waiting, and asks for an integration (comment required)
    home = text_of(reviewer_a.get("/"))
    assert "What waits for you" in home and "declare about a conflict of interest" in home
    # first opened, the application asks the member's declaration (issue 14)
    page = text_of(reviewer_a.get(f"/applications/{application_id}"))
    assert "Before you act: conflict of interest" in page
    declared = reviewer_a.post(
        f"/applications/{application_id}/declaration", data={"conflict": "no"}
    )
    assert declared.status_code == 302
    page = text_of(reviewer_a.get(f"/applications/{application_id}"))
    assert "Before you act" not in page and "No conflict of interest" in page
    home = text_of(reviewer_a.get("/"))
    # the firm the lead registered on the way awaits verification of what it declared
    assert (
        "Admit to evaluation: not yet. Scorie Verdi Srl awaits verification of its declared data."
        in home
    )
    no_comment = fire(reviewer_a, application_id, "request_integration")
    assert no_comment.status_code == 422
    assert "A comment is required to request an integration." in text_of(no_comment)
    response = fire(
        reviewer_a, application_id, "request_integration", comment="Add the partners' letters."
    )
    assert response.status_code == 302
    assert state_of(application_id) == "integration_requested"

    # --- the lead edits again and resubmits
    page = text_of(lead.get(f"/applications/{application_id}"))
    assert "Integration requested" in page and "Add the partners' letters." in page
    edit = lead.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', edit).group(1)
    response = lead.post(
        f"/applications/{application_id}/edit",
        data={
            "version": version,
            "title": "Innovative and Sustainable Supply Chain in the Steel Industry",
            "thematic_areas": "sustainability",
            "challenges": "Reuse white slag from electric-arc furnaces.",
            "needs": "A shared logistics hub.",
            "objectives": "Zero slag to landfill by 2027.",
            "actions": "Pilot plant in Brescia; letters of every partner attached.",
            "investments": "EUR 2M over three years.",
        },
    )
    assert response.status_code == 302
    # issue 14: the reply to the question is saved first (the resubmission carries it)
    replied = lead.post(
        f"/applications/{application_id}/integration/reply",
        data={"reply": "The partners' letters are attached."},
    )
    assert replied.status_code == 302
    assert fire(lead, application_id, "resubmit").status_code == 302
    assert state_of(application_id) == "submitted"

    # --- the committee verifies that firm from the application's partners, then admits it
    back = f"/applications/{application_id}#partners"
    assert "Awaiting verification" in text_of(reviewer_b.get(back))
    response = reviewer_b.post(f"/organisations/{new_org_id}/verification", data={"next": back})
    assert response.status_code == 302 and response.location == back
    assert "Awaiting verification" not in text_of(reviewer_b.get(back))
    # --- admitted; both committee members score it through the review form
    declared = reviewer_b.post(
        f"/applications/{application_id}/declaration", data={"conflict": "no"}
    )
    assert declared.status_code == 302
    assert fire(reviewer_b, application_id, "admit", confirm=False).status_code == 302
    assert state_of(application_id) == "under_evaluation"
    page = reviewer_a.get(f"/applications/{application_id}").get_data(as_text=True)
    assert 'name="score_coherence"' in page and 'max="40"' in page
    out_of_range = reviewer_a.post(
        f"/applications/{application_id}/reviews",
        data={"score_coherence": "45", "score_impact": "50", "recommendation": "favourable"},
    )
    assert out_of_range.status_code == 422
    html = out_of_range.get_data(as_text=True)
    assert "Coherence must be between 0 and 40." in text_of(out_of_range)
    assert 'value="45"' in html and 'value="50"' in html  # what was typed is kept
    for client, scores in ((reviewer_a, ("38", "55")), (reviewer_b, ("30", "45"))):
        response = client.post(
            f"/applications/{application_id}/reviews",
            data={
                "score_coherence": scores[0],
                "score_impact": scores[1],
                "recommendation": "favourable",
                "comment": "Solid partnership.",
            },
        )
        assert response.status_code == 302
    page = text_of(reviewer_a.get(f"/applications/{application_id}"))
    assert "Average score: 84.00" in page
    assert "You have already reviewed this application." in page
    # the lead sees neither the reviews nor a review form
    lead_page = text_of(lead.get(f"/applications/{application_id}"))
    assert "Average score" not in lead_page and "Your review" not in lead_page

    # --- the evaluation is closed; the officer grants the label by decree
    assert fire(reviewer_a, application_id, "close_evaluation").status_code == 302
    assert state_of(application_id) == "evaluated"
    missing = fire(officer, application_id, "grant_label", decree_number="7788")
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "Decree date is required." in text_of(missing)
    assert 'value="7788"' in html  # the decree number typed is kept
    response = fire(
        officer, application_id, "grant_label", decree_number="7788", decree_date="2023-05-10"
    )
    assert response.status_code == 302
    assert state_of(application_id) == "label_granted"
    label = db.session.query(QualityLabel).filter_by(application_id=application_id).one()
    page = text_of(officer.get(f"/applications/{application_id}"))
    assert label.code in page and "no. 7788 of 10/05/2023" in page
    assert "Grant the quality label" in page  # in the history

    # --- the public registry lists it, without logging in
    registry = text_of(client.get("/registry"))
    assert label.code in registry
    assert "Innovative and Sustainable Supply Chain in the Steel Industry" in registry
    assert (
        "1 recognised value chain, with 3 organisations in 2 of Lombardy's 12 provinces."
        in registry
    )
