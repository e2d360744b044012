"""What trying the app in a browser found (issue 14, item 7), each held by a page test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pagetools import text_of, text_of_html
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.extensions import db


def test_the_login_form_focuses_one_field_and_never_writes_autofocus_none(make, client):
    html = client.get("/login").get_data(as_text=True)
    assert "None" not in html
    assert re.search(r'<input[^>]*autofocus[^>]*name="email"', html)
    assert not re.search(r'<input[^>]*autofocus[^>]*name="password"', html)

    user = make.user("applicant", email="giulia@example.org")
    refused = client.post("/login", data={"email": user.email, "password": "wrong"})
    html = refused.get_data(as_text=True)
    assert "None" not in html and "Wrong email or password." in text_of(refused)
    assert re.search(r'<input[^>]*autofocus[^>]*name="password"', html)
    assert not re.search(r'<input[^>]*autofocus[^>]*name="email"', html)


# --- amounts typed as the page writes them ------------------------------------------------------

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}


def _measure(make, officer, **fields):
    today = dt.date.today()
    return make.call(
        officer,
        **{
            "title": "Bando Filiere (test)",
            "workflow": "support_application",
            "opens_at": (today - dt.timedelta(days=10)).isoformat(),
            "deadline": (today + dt.timedelta(days=60)).isoformat(),
            "min_smes": 0,
            "budget": "1000000",
            "max_grant": "500000",
            "label_bonus": 10,
        }
        | fields,
    )


@pytest.mark.parametrize(
    ("headers", "typed", "stored", "shown"),
    [
        (ITALIAN, "450.000,00", "450000.00", "450.000"),
        (ITALIAN, "450000,5", "450000.50", "450.000,50"),
        (ITALIAN, "EUR 450.000,25", "450000.25", "450.000,25"),
        (ITALIAN, "450000.50", "450000.50", "450.000,50"),  # the API's own way, in any language
        ({}, "450,000.00", "450000.00", "450,000"),
        ({}, "450000.5", "450000.50", "450,000.50"),
    ],
)
def test_an_amount_is_typed_as_the_page_writes_it(
    make, world, login, headers, typed, stored, shown
):
    measure = _measure(make, world.officer)
    client = login(world.lead)
    client.get("/", headers=headers)
    created = client.post(
        f"/applications/new?call_id={measure.id}",
        data={"title": "Slag binders", "requested_amount": typed},
        headers=headers,
    )
    assert created.status_code == 302, text_of(created)
    app = db.session.scalar(select(Application).where(Application.title == "Slag binders"))
    assert str(app.requested_amount) == stored
    edit = client.get(f"/applications/{app.id}/edit", headers=headers)
    assert f'value="{shown}"' in edit.get_data(as_text=True)  # redisplayed as the page writes it


@pytest.mark.parametrize(
    ("headers", "typed", "message"),
    [
        ({}, "450.000,00", "Requested amount must be a number."),
        (ITALIAN, "450,000.00", "Importo richiesto"),
        (ITALIAN, "450 mila", "Importo richiesto"),
    ],
)
def test_an_amount_in_another_format_is_refused_and_kept(
    make, world, login, headers, typed, message
):
    measure = _measure(make, world.officer)
    client = login(world.lead)
    refused = client.post(
        f"/applications/new?call_id={measure.id}",
        data={"title": "Slag binders", "requested_amount": typed},
        headers=headers,
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(r'id="requested_amount-error">[^<]*' + re.escape(message), html), text_of(
        refused
    )
    assert f'value="{typed}"' in html  # as typed, to correct
    assert db.session.scalar(select(Application).where(Application.title == "Slag binders")) is None


def test_an_officer_types_a_measure_and_a_grant_in_italian(make, world, login):
    officer = login(world.officer)
    today = dt.date.today()
    form = {
        "title": "Bando Filiere 2022",
        "workflow": "support_application",
        "opens_at": (today - dt.timedelta(days=3)).isoformat(),
        "deadline": (today + dt.timedelta(days=60)).isoformat(),
        "min_firms": "3",
        "min_reviews": "1",
        "score_threshold": "65,5",
        "budget": "4.000.000,00",
        "max_grant": "400.000",
        "min_smes": "0",
        "label_bonus": "2,5",
        "criteria-0-key": "quality",
        "criteria-0-label": "Quality",
        "criteria-0-max": "100",
    }
    page = officer.get("/calls/new", headers=ITALIAN).get_data(as_text=True)
    assert not re.search(r'<input[^>]*name="budget"[^>]*type="number"', page)
    assert re.search(r'<input[^>]*inputmode="decimal"[^>]*name="budget"', page)
    created = officer.post("/calls/new", data=form, headers=ITALIAN)
    assert created.status_code == 302, text_of(created)
    call = db.session.scalar(select(Call).where(Call.title == "Bando Filiere 2022"))
    assert (str(call.budget), str(call.max_grant)) == ("4000000.00", "400000.00")
    assert (str(call.score_threshold), str(call.label_bonus)) == ("65.50", "2.50")


def api_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_api_takes_plain_numbers_only(make, world):
    measure = _measure(make, world.officer)
    token = make.token(world.lead)
    client = make.app.test_client()
    refused = client.post(
        "/api/v1/applications",
        json={"call_id": measure.id, "title": "Slag binders", "requested_amount": "450.000,00"},
        headers=api_headers(token),
    )
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert "requested_amount" in error["details"]["fields"]
    created = client.post(
        "/api/v1/applications",
        json={"call_id": measure.id, "title": "Slag binders", "requested_amount": "450000.00"},
        headers=api_headers(token),
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["requested_amount"] == "450000.00"


# --- drafts: created once, deleted by their lead ---------------------------------------------------


def test_create_is_a_post_redirect_get_and_sending_it_again_makes_no_twin(make, world, login):
    client = login(world.lead)
    body = {"title": "Como silk chain", "thematic_area": "sustainability", "challenges": "Dyes."}
    first = client.post(f"/applications/new?call_id={world.call.id}", data=body)
    assert first.status_code == 302  # the browser GETs the draft's page: reloading posts nothing
    again = client.post(f"/applications/new?call_id={world.call.id}", data=body)  # Back, Create
    assert again.status_code == 302 and again.location == first.location
    assert "This draft was already created: here it is." in text_of(client.get(again.location))
    drafts = db.session.scalars(select(Application).where(Application.title == body["title"]))
    assert len(drafts.all()) == 1
    # a different draft is a new one
    other = client.post(
        f"/applications/new?call_id={world.call.id}", data=body | {"challenges": "Water."}
    )
    assert other.status_code == 302 and other.location != first.location


def test_a_lead_deletes_a_draft_after_confirming_and_the_deletion_is_recorded(make, world, login):
    from tracker.applications.models import DeletedDraft
    from tracker.audit.verify import verify
    from tracker.dashboards import tallies

    draft = make.application(world.call, world.lead, title="Draft to drop")
    submitted = make.application(world.call, world.lead, title="Handed in")
    make.fire(submitted, world.lead, "submit")
    client = login(world.lead)
    page = client.get(f"/applications/{draft.id}")
    assert f'href="/applications/{draft.id}/delete"' in page.get_data(as_text=True)
    assert "/delete" not in client.get(f"/applications/{submitted.id}").get_data(as_text=True)

    confirm = client.get(f"/applications/{draft.id}/delete")
    assert confirm.status_code == 200
    assert "Delete the draft “Draft to drop”?" in text_of(confirm)
    assert db.session.get(Application, draft.id) is not None  # asking deletes nothing

    draft_id = draft.id
    done = client.post(f"/applications/{draft_id}/delete")
    assert done.status_code == 303 and done.location == "/applications"
    assert "Draft “Draft to drop” deleted." in text_of(client.get(done.location))
    db.session.expire_all()
    assert db.session.get(Application, draft_id) is None
    record = db.session.scalar(select(DeletedDraft).where(DeletedDraft.application_id == draft_id))
    assert (record.title, record.deleted_by_id) == ("Draft to drop", world.lead.id)
    assert client.get(f"/applications/{draft_id}").status_code == 404
    assert verify(db.session.connection()).intact  # no history chain was touched
    assert tallies.differences() == []  # the dashboards no longer count it

    refused = client.post(f"/applications/{submitted.id}/delete")
    assert refused.status_code == 409
    assert "Only a draft never submitted can be deleted; this application is" in text_of(refused)


def test_the_api_deletes_a_draft_of_its_lead_only(make, world):
    draft = make.application(world.call, world.lead, title="API draft")
    partner_staff = make.user("applicant", organisation=draft.partners[1].organisation)
    client = make.app.test_client()
    url = f"/api/v1/applications/{draft.id}"
    assert client.delete(url, headers=api_headers(make.token(partner_staff))).status_code == 403
    assert client.delete(url, headers=api_headers(make.token(world.officer))).status_code == 403
    lead = api_headers(make.token(world.lead))
    gone = client.delete(url, headers=lead)
    assert gone.status_code == 204 and gone.get_data() == b""
    assert client.get(url, headers=lead).status_code == 404

    submitted = make.application(world.call, world.lead)
    make.fire(submitted, world.lead, "submit")
    refused = client.delete(f"/api/v1/applications/{submitted.id}", headers=lead)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "not_deletable"


# --- dashboards ---------------------------------------------------------------------------------


def _recognised(make, world, title="Steel chain"):
    app = make.application(world.call, world.lead, title=title)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    for r in world.reviewers:
        make.review(app, r)
    make.fire(app, world.officer, "close_evaluation")
    make.fire(app, world.officer, "grant_label", decree_number="1", decree_date="2022-11-10")
    return app


def test_the_states_csv_says_what_the_page_says_about_drafts(make, world, login):
    for n in range(4):
        make.application(world.call, world.lead, title=f"Draft {n}")
    client = login(world.officer)
    page = text_of(client.get(f"/dashboard/calls/{world.call.id}"))
    assert "4 in preparation" in page
    csv = client.get(f"/dashboard/calls/{world.call.id}?format=csv&table=states")
    rows = [line.split(",") for line in csv.get_data(as_text=True).splitlines()]
    draft = next(r for r in rows if r[1] == "Draft")
    assert draft[3] == "4"  # the page's 4, never 0


def test_the_duration_chart_draws_only_the_states_with_a_service_time(make, world, login):
    _recognised(make, world)
    client = login(world.officer)
    html = client.get(f"/dashboard/calls/{world.call.id}").get_data(as_text=True)
    chart = re.search(r'<svg[^>]*aria-labelledby="time-value_chain-title".*?</svg>', html, re.S)
    assert chart, "the duration chart is drawn"
    bars = re.findall(r"<title>([^<:]+):", chart.group(0))
    assert "Under evaluation" in bars and "Submitted" in bars
    assert "Quality label granted" not in bars and "Support active" not in bars


def test_breakdown_and_state_rows_link_to_the_matching_list(make, world, login):
    _recognised(make, world)
    client = login(world.officer)
    html = client.get(f"/dashboard/calls/{world.call.id}").get_data(as_text=True)
    call = world.call.id
    assert f'href="/applications?call_id={call}&amp;province=BS"' in html
    assert f'href="/applications?call_id={call}&amp;thematic_area=sustainability"' in html
    assert f'href="/applications?state=label_granted&amp;call_id={call}"' in html
    listed = text_of(client.get(f"/applications?call_id={call}&province=BS"))
    assert "Steel chain" in listed
    assert client.get("/applications?s3_ecosystem=nonsense").status_code == 400


def test_the_applicant_dashboard_tells_phase_one_from_phase_two(make, world, login):
    make.application(world.call, world.lead, title="Phase one draft")
    measure = _measure(make, world.officer)
    make.application(measure, world.lead, title="Phase two draft", requested_amount="1000")
    html = login(world.lead).get("/dashboard/applicant").get_data(as_text=True)
    counts = re.search(r'aria-labelledby="counts-h">.*?</section>', html, re.S).group(0)
    items = [text_of_html(li) for li in re.findall(r"<li>.*?</li>", counts, re.S)]
    assert items == ["Draft Phase 1 1", "Draft Phase 2 1"], items
    assert 'href="/applications?state=draft&amp;phase=2"' in counts


def test_italian_dashboards_speak_naturally(make, world, login):
    _recognised(make, world)
    client = login(world.officer)
    client.get("/", headers=ITALIAN)
    page = text_of(client.get(f"/dashboard/calls/{world.call.id}", headers=ITALIAN))
    assert "Termine previsto, giorni" in page and "Casi misurati" in page
    assert "tempo di servizio" not in page.lower() and "Permanenze contate" not in page


def test_the_partner_search_says_an_organisation_is_already_a_partner(make, world, login):
    draft = make.application(world.call, world.lead, title="Search draft")
    partner = draft.partners[1].organisation
    page = login(world.lead).get(
        f"/applications/{draft.id}", query_string={"partner_q": partner.name}
    )
    text = text_of(page)
    assert f"Already a partner: {partner.name}" in text
    assert "No organisation matches" not in text


# --- labels that are data, in Italian --------------------------------------------------------------


def test_every_demo_criterion_reads_in_italian(app):
    from pathlib import Path

    import yaml
    from flask_babel import force_locale

    from tracker.calls.criteria_labels import KNOWN_CRITERIA
    from tracker.i18n import translate

    data = Path(__file__).parents[2] / "tracker" / "demo" / "data"
    eoi = yaml.safe_load((data / "eoi_call.yaml").read_text())
    labels = {c["label"] for c in eoi["call"]["criteria"]} if "call" in eoi else set()
    labels |= {c["label"] for c in eoi.get("criteria", [])}
    for measure in yaml.safe_load((data / "measures.yaml").read_text())["measures"]:
        labels |= {c["label"] for c in measure["criteria"]}
    assert labels and labels <= set(KNOWN_CRITERIA), labels - set(KNOWN_CRITERIA)
    with app.test_request_context("/"), force_locale("it"):
        untranslated = [label for label in labels if translate(label) == label]
    assert not untranslated, untranslated


def test_a_reviewer_reads_the_criteria_in_italian(make, world, login):
    call = make.call(
        world.officer,
        criteria=[
            {"key": "concept_note", "label": "Quality of the project proposal", "max": 60},
            {"key": "own", "label": "Our own criterion", "max": 40},
        ],
    )
    reviewer = world.reviewers[0]
    make.appoint(call, reviewer)
    app = make.application(call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    make.declare(app, reviewer)  # the review form comes after the declaration (issue 14)
    client = login(reviewer)
    client.get("/", headers=ITALIAN)
    page = text_of(client.get(f"/applications/{app.id}", headers=ITALIAN))
    assert "Qualità della proposta progettuale" in page
    assert "Quality of the project proposal" not in page
    assert "Our own criterion" in page  # typed by the officer: as typed


def test_a_stale_form_with_a_long_comment_says_it_was_not_kept(make, world, login):
    from tracker.applications.models import Application as App

    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    stale = db.session.get(App, application.id).version
    make.fire(application, world.officer, "admit")
    client = login(world.reviewers[0])
    long_comment = "Perché è così? " * 200  # far beyond what a session cookie may carry
    response = client.post(
        f"/applications/{application.id}/transitions",
        data={"trigger": "request_integration", "version": str(stale), "comment": long_comment},
    )
    assert response.status_code == 303
    page = client.get(response.location)
    text = text_of(page)
    assert "your comment was too long to keep: press Back to copy it." in text
    assert "Perché è così?" not in text
    assert len(response.headers.get("Set-Cookie", "")) < 4000


def test_italian_never_assumes_the_readers_gender():
    """Words addressed to a person (appointed, invited, logged in, welcome) agree with no one:
    the catalogues phrase them neutrally."""
    from pathlib import Path

    catalogues = Path(__file__).parents[2] / "tracker" / "translations" / "it" / "LC_MESSAGES"
    said = "\n".join(
        line
        for name in ("pages.po", "code.po")
        for line in (catalogues / name).read_text().splitlines()
        if line.startswith("msgstr")
    )
    for word in ("nominato", "Benvenuto", "sei invitato", "Sei invitato", "è invitato",
                 "resti collegato", "sei collegato", "ti ha invitato"):  # fmt: skip
        assert word not in said, word
