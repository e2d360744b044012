"""What the pages do when something is refused: clear messages, and nothing typed is lost."""

from __future__ import annotations

import re

from pagetools import text_of

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.extensions import db
from tracker.organisations.models import Organisation


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_an_applicant_cannot_see_another_partnerships_draft(make, world, login):
    draft = make.application(world.call, world.lead)
    outsider = make.user("applicant", organisation=make.organisation("Outsider Srl"))
    client = login(outsider)
    response = client.get(f"/applications/{draft.id}")
    assert response.status_code == 403
    page = text_of(response)
    assert "Not allowed" in page and "You may not see this application." in page
    assert "Steel value chain" not in page
    assert "Registry" in page  # a whole page, with the site's navigation
    assert "Steel value chain" not in text_of(client.get("/applications"))
    assert client.get("/applications/99999").status_code == 404
    # nor may they act on it
    response = client.post(
        f"/applications/{draft.id}/transitions", data={"trigger": "withdraw", "confirm": "y"}
    )
    assert response.status_code == 403
    assert fresh(Application, draft.id).state == "draft"


def test_a_conflicted_reviewer_sees_no_review_form(make, world, login):
    own_org = make.organisation("Politecnico di Milano", kind="university")
    conflicted = make.user("reviewer", organisation=own_org)
    make.appoint(world.call, conflicted)
    application = make.application(world.call, world.lead)
    from tracker.applications.operations import add_partner
    from tracker.database import commit
    from tracker.documents.operations import upload_agreement
    from tracker.documents.samples import MINIMAL_PDF

    add_partner(world.lead, application, own_org.id, "Research partner", "Lab tests")
    upload_agreement(world.lead, application, "agreement.pdf", MINIMAL_PDF)
    commit()
    make.fire(application, world.lead, "submit")
    make.fire(application, world.officer, "admit")

    client = login(conflicted)
    response = client.get(f"/applications/{application.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "Your organisation is a partner of this application: conflict of interest." in page
    assert 'name="score_coherence"' not in html
    assert "Your review" not in page
    assert 'value="close_evaluation"' not in html  # may not advance it either
    assert "Average score" not in page
    # and the operation refuses it even when posted
    response = client.post(
        f"/applications/{application.id}/reviews",
        data={"score_coherence": "10", "score_impact": "10", "recommendation": "favourable"},
    )
    assert response.status_code == 403
    assert fresh(Application, application.id).reviews == []

    # a member without conflict is asked to declare first (issue 14), then gets the form
    member = login(world.reviewers[0])
    page = member.get(f"/applications/{application.id}").get_data(as_text=True)
    assert 'name="conflict"' in page and 'name="score_coherence"' not in page
    make.declare(application, world.reviewers[0])
    page = member.get(f"/applications/{application.id}").get_data(as_text=True)
    assert 'name="score_coherence"' in page and 'name="conflict"' not in page


def _edit_form(client, application_id):
    html = client.get(f"/applications/{application_id}/edit").get_data(as_text=True)
    return re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)


def test_a_stale_edit_keeps_the_typed_text_and_says_why(make, world, login):
    application = make.application(world.call, world.lead, complete=False)
    partner_org = make.organisation("Ferriera Lombarda", province="BS")
    from tracker.applications.operations import add_partner
    from tracker.database import commit

    add_partner(world.lead, application, partner_org.id, "Supplier")
    commit()
    colleague = make.user("applicant", organisation=partner_org)
    lead, other = login(world.lead), login(colleague)

    old_version = _edit_form(lead, application.id)
    # the colleague saves first
    response = other.post(
        f"/applications/{application.id}/edit",
        data={
            "version": _edit_form(other, application.id),
            "title": "Steel value chain",
            "challenges": "Their challenges, saved first.",
        },
    )
    assert response.status_code == 302

    response = lead.post(
        f"/applications/{application.id}/edit",
        data={
            "version": old_version,
            "title": "Steel value chain",
            "thematic_areas": "innovation",
            "challenges": "My long text about white slag.",
            "objectives": "My objectives.",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert (
        "Someone else changed this application meanwhile: your changes are not saved yet." in page
    )
    assert "Your text is kept below." in page
    assert "My long text about white slag." in html and "My objectives." in html
    assert "Their challenges, saved first." in page  # shown as "saved meanwhile"
    assert re.search(r'<input checked[^>]*name="thematic_areas"[^>]*value="innovation"', html)
    assert fresh(Application, application.id).challenges == "Their challenges, saved first."
    # the form now carries the current version: saving again is a deliberate overwrite
    new_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    assert int(new_version) == fresh(Application, application.id).version
    response = lead.post(
        f"/applications/{application.id}/edit",
        data={
            "version": new_version,
            "title": "Steel value chain",
            "challenges": "My long text about white slag.",
        },
    )
    assert response.status_code == 302
    assert fresh(Application, application.id).challenges == "My long text about white slag."


def test_a_stale_transition_keeps_the_comment(make, world, login):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    stale = fresh(Application, application.id).version
    make.fire(application, world.officer, "admit")
    make.declare(application, world.reviewers[0])
    client = login(world.reviewers[0])
    response = client.post(
        f"/applications/{application.id}/transitions",
        data={
            "trigger": "request_integration",
            "version": str(stale),
            "comment": "Please attach the letters.",
        },
    )
    # issue 14: one message, and the application's page (a redirect, never the POST route)
    assert response.status_code == 303
    assert response.location == f"/applications/{application.id}"
    page = client.get(response.location)
    text = text_of(page)
    assert text.count("meanwhile") == 1, text
    assert (
        "Nothing was done: someone else changed this application meanwhile, and it is now "
        "“Under evaluation”." in text
    )
    assert "Reload it and try again" not in text and "This page now shows it" not in text
    html = page.get_data(as_text=True)
    # the comment is back in the same form, ready to send again
    assert re.search(
        r'id="t-request_integration-comment"[^>]*>Please attach the letters\.</textarea>', html
    ), "the typed comment refills its form"
    assert fresh(Application, application.id).state == "under_evaluation"
    assert "Please attach the letters." not in text_of(client.get(response.location))  # once


def test_a_transition_from_the_wrong_state_is_a_conflict_that_keeps_the_comment(make, world, login):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    make.fire(application, world.officer, "admit")
    response = login(world.officer).post(
        f"/applications/{application.id}/transitions",
        data={"trigger": "declare_inadmissible", "comment": "Missing the statute.", "confirm": "y"},
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Not done:" in page and "Missing the statute." in page


def test_the_organisation_form_keeps_input_and_puts_the_vat_error_on_its_field(make, login):
    client = login(make.user("applicant", organisation=make.organisation()))
    response = client.post(
        "/organisations/new",
        data={
            "name": "Tessitura Comasca",
            "vat_number": "12345678901",
            "kind": "firm",
            "size": "small",
            "province": "CO",
            "city": "Como",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="vat_number-error">[^<]*check digit is wrong', html), (
        "the VAT problem sits under the VAT field"
    )
    assert 'value="Tessitura Comasca"' in html and 'value="Como"' in html
    assert '<option selected value="small">' in html
    assert db.session.query(Organisation).filter_by(name="Tessitura Comasca").count() == 0

    existing = make.organisation("Known Srl")
    response = client.post(
        "/organisations/new",
        data={"name": "Copy", "vat_number": existing.vat_number, "kind": "firm", "size": "micro"},
    )
    assert response.status_code == 409
    assert re.search(
        r'id="vat_number-error">[^<]*already registered', response.get_data(as_text=True)
    )


def test_the_new_application_form_keeps_what_was_typed(make, world, login):
    client = login(world.lead)
    response = client.post(
        f"/applications/new?call_id={world.call.id}",
        data={
            "title": "  ",
            "thematic_areas": ["credit", "innovation"],
            "ateco_section": "C",
            "challenges": "Typed before the error.",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="title-error">Title is required\.', html)
    assert "Typed before the error." in html
    for area in ("credit", "innovation"):  # both areas checked, and the sector kept
        assert re.search(rf'<input checked[^>]*name="thematic_areas"[^>]*value="{area}"', html)
    assert '<option selected value="C">' in html
    assert db.session.query(Application).count() == 0


def test_a_closed_call_refuses_new_applications_on_the_form(make, world, login):
    closed = make.call(world.officer, opens_at="2022-03-01", deadline="2022-12-31")
    client = login(world.lead)
    assert "Apply to this call" not in text_of(client.get(f"/calls/{closed.id}"))
    response = client.post(
        f"/applications/new?call_id={closed.id}", data={"title": "Late", "needs": "Kept."}
    )
    assert response.status_code == 422
    assert "The call is not open." in text_of(response)
    assert "Kept." in response.get_data(as_text=True)


def test_partner_management_is_the_leads_alone(make, world, login):
    application = make.application(world.call, world.lead)
    partner = application.partners[1]
    colleague = make.user("applicant", organisation=partner.organisation)
    html = login(colleague).get(f"/applications/{application.id}").get_data(as_text=True)
    assert "Add a partner" not in html and "Record the signed agreement" not in html
    assert f"/applications/{application.id}/edit" in html  # partners may edit the note
    response = login(colleague).post(
        f"/applications/{application.id}/partners/{partner.organisation_id}/remove"
    )
    assert response.status_code == 403

    lead = login(world.lead)
    assert fresh(Application, application.id).agreement_signed
    response = lead.post(
        f"/applications/{application.id}/partners/{partner.organisation_id}/remove"
    )
    assert response.status_code == 302
    application = fresh(Application, application.id)
    assert partner.organisation_id not in [p.organisation_id for p in application.partners]
    assert not application.agreement_signed  # cleared: the agreement no longer covers everyone
    # the lead cannot be removed; the page says why
    response = lead.post(
        f"/applications/{application.id}/partners/{application.lead_organisation_id}/remove"
    )
    assert response.status_code == 422
    assert "The lead partner cannot be removed." in text_of(response)
    # adding without a role: the error sits on the field, the choice is kept
    other = make.organisation("Bergamo Metalli", province="BG")
    response = lead.post(
        f"/applications/{application.id}/partners",
        data={"organisation_id": str(other.id), "role": "", "commitments": "Kept commitments"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="role-error">Role is required\.', html)
    assert f'<option selected value="{other.id}">' in html and "Kept commitments" in html


def test_a_disallowed_transition_is_shown_disabled_with_its_reasons(make, world, login):
    application = make.application(world.call, world.lead, complete=False)
    html = login(world.lead).get(f"/applications/{application.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="t-submit".*?</form>', html, re.S).group(0)
    assert re.search(r"<button[^>]*disabled", form)
    assert "1 of the 3 required firms with a seat in Lombardy." in form
    assert "The project agreement signed by all partners has not been uploaded as a PDF" in form
    withdraw = re.search(r'<form[^>]*id="t-withdraw".*?</form>', html, re.S).group(0)
    assert "disabled" not in withdraw and 'name="confirm"' in withdraw


def criterion_rows(*rows):
    """The five criterion rows as a browser posts them, blanks included."""
    out = {}
    for i in range(5):
        key, label, maximum = rows[i] if i < len(rows) else ("", "", "")
        out |= {
            f"criteria-{i}-key": key,
            f"criteria-{i}-label": label,
            f"criteria-{i}-max": maximum,
        }
    return out


def test_officer_forms_on_calls(make, world, login):
    officer = login(world.officer)
    assert login(world.lead).get("/calls/new").status_code == 403

    response = officer.post(
        "/calls/new",
        data={
            "title": "Bando Filiere 2022",
            "workflow": "value_chain",
            "opens_at": "2022-03-01",
            "deadline": "2022-12-31",
            "min_firms": "10",
            "min_reviews": "3",
            "score_threshold": "65",
            "act_reference": "Decree 2338 of 24/02/2022",
            **criterion_rows(
                ("coherence", "Coherence", "10"), ("", "", ""), ("Bad Key", "Innovativeness", "20")
            ),
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # the error sits in row 3, where it was typed; the other rows keep their values
    row3 = re.search(r'id="criteria-2-key".*?</td>', html, re.S).group(0)
    assert "lower-case letters" in row3
    assert 'value="Bad Key"' in html and 'value="Coherence"' in html
    assert re.search(
        r'id="score_threshold-error">The threshold is above the highest possible score \(30\)', html
    )

    response = officer.post(
        "/calls/new",
        data={
            "title": "Bando Filiere 2022",
            "workflow": "value_chain",
            "opens_at": "2022-03-01",
            "deadline": "2022-12-31",
            "min_firms": "10",
            "min_reviews": "3",
            "score_threshold": "20",
            **criterion_rows(
                ("coherence", "Coherence", "10"),
                ("", "", ""),
                ("innovativeness", "Innovativeness", "20"),
            ),
        },
    )
    assert response.status_code == 302
    call_id = int(response.location.rsplit("/", 1)[1])
    call = fresh(Call, call_id)
    assert [(c.key, c.max_score) for c in call.criteria] == [
        ("coherence", 10),
        ("innovativeness", 20),
    ]

    # the deadline: an earlier date is refused on its field, a later one recorded with its reason
    response = officer.post(
        f"/calls/{call_id}/deadline", data={"deadline": "2022-06-30", "reason": "Typo"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(
        r'id="deadline-error">An extension must move the deadline after 31/12/2022', html
    )
    assert 'value="Typo"' in html
    response = officer.post(
        f"/calls/{call_id}/deadline", data={"deadline": "2023-12-31", "reason": "DGR 7200/2022"}
    )
    assert response.status_code == 302
    page = text_of(officer.get(f"/calls/{call_id}"))
    assert "31/12/2022 31/12/2023 DGR 7200/2022" in page
    assert "extended 1 time" in text_of(officer.get("/calls"))

    # the committee: the select offers reviewers only
    reviewer = make.user("reviewer", email="nucleo@example.org")
    html = officer.get(f"/calls/{call_id}").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="user_id".*?</select>', html, re.S).group(0)
    assert "nucleo@example.org" in select and world.lead.email not in select
    response = officer.post(f"/calls/{call_id}/committee", data={"user_id": str(reviewer.id)})
    assert response.status_code == 302
    assert reviewer.name in text_of(officer.get(f"/calls/{call_id}"))
    response = officer.post(f"/calls/{call_id}/committee", data={"user_id": str(world.lead.id)})
    assert response.status_code == 422
    assert "does not hold the reviewer role" in text_of(response)
