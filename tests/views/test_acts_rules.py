"""True to the acts (issue 15): a call that admits only a firm as lead (``lead_is_firm``), and what
stands in for a fact the record does not give, marked "illustrative" from the data (criteria the
act does not publish, a decree the record does not name): pages, API and downloads, English and
Italian."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pagetools import text_of, text_of_html

from tracker.database import commit

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.fixture
def firm_only(make, world):
    """A call admitting only a firm as lead, and a complete draft led by an association."""
    call = make.call(world.officer, title="Firms lead", lead_must_be_firm=True)
    association = make.organisation("Confindustria Como", kind="association", province="CO")
    lead = make.user("applicant", organisation=association)
    return call, lead, make.application(call, lead)


# --- lead_is_firm ------------------------------------------------------------------------------


def test_the_submit_button_is_disabled_and_says_why_in_both_languages(firm_only, login):
    _call, lead, draft = firm_only
    client = login(lead)
    html = client.get(f"/applications/{draft.id}").get_data(as_text=True)
    form = re.search(r'<form[^>]*id="t-submit".*?</form>', html, re.S).group(0)
    assert re.search(r"<button[^>]*disabled", form)
    assert "Confindustria Como is not a firm: this call admits only a firm as lead partner." in form
    html = client.get(f"/applications/{draft.id}", headers=ITALIAN).get_data(as_text=True)
    form = text_of_html(re.search(r'<form[^>]*id="t-submit".*?</form>', html, re.S).group(0))
    assert (
        "Confindustria Como non è un'impresa: questo bando ammette come capofila solo "
        "un'impresa." in form
    )


def test_the_api_names_the_unmet_condition_and_refuses_the_submission(app, make, firm_only):
    _call, lead, draft = firm_only
    client, auth = app.test_client(), headers(make.token(lead))
    answer = client.get(f"/api/v1/applications/{draft.id}", headers=auth).get_json()
    submit = next(t for t in answer["available_transitions"] if t["trigger"] == "submit")
    assert submit["allowed"] is False
    assert submit["unmet"] == [
        {
            "condition": "lead_is_firm",
            "message": "Confindustria Como is not a firm: this call admits only a firm as lead "
            "partner.",
        }
    ]
    r = client.post(
        f"/api/v1/applications/{draft.id}/transitions", json={"trigger": "submit"}, headers=auth
    )
    assert r.status_code == 422
    assert [u["condition"] for u in r.get_json()["error"]["details"]["unmet"]] == ["lead_is_firm"]
    r = client.post(
        f"/api/v1/applications/{draft.id}/transitions",
        json={"trigger": "submit"},
        headers=auth | ITALIAN,
    )
    # the API speaks English whatever the browser says (CONTRACT.md)
    assert r.get_json()["error"]["details"]["unmet"][0]["message"].startswith(
        "Confindustria Como is not a firm"
    )


def test_a_firm_lead_submits_and_calls_without_the_rule_let_anyone_lead(make, world, firm_only):
    call, _lead, _draft = firm_only
    firm_led = make.application(call, world.lead)  # Duferco, a firm
    make.fire(firm_led, world.lead, "submit")
    assert firm_led.state == "submitted"
    association = make.organisation("Cluster Lombardo della Mobilità", kind="association")
    lead = make.user("applicant", organisation=association)
    open_call = make.application(world.call, lead)  # world.call leaves the rule off
    make.fire(open_call, lead, "submit")
    assert open_call.state == "submitted"


def test_the_call_states_the_rule_on_its_page_its_api_and_its_download(app, make, world, login):
    officer = login(world.officer)
    page = officer.get("/calls/new").get_data(as_text=True)
    assert 'name="lead_must_be_firm"' in page and 'name="criteria_illustrative"' in page
    token = headers(make.token(world.officer))
    client = app.test_client()
    body = {
        "title": "Firms lead",
        "opens_at": "2024-01-01",
        "deadline": "2030-12-31",
        "min_firms": 3,
        "criteria": [{"key": "quality", "label": "Quality", "max": 100}],
        "lead_must_be_firm": True,
    }
    r = client.post("/api/v1/calls", json=body, headers=token)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["lead_must_be_firm"] is True and created["criteria_illustrative"] is False
    r = client.post("/api/v1/calls", json=body | {"lead_must_be_firm": "yes"}, headers=token)
    assert r.status_code == 422
    assert "lead_must_be_firm" in str(r.get_json()["error"]["details"])
    assert client.get(f"/api/v1/calls/{world.call.id}", headers=token).get_json()[
        "lead_must_be_firm"
    ] is False  # fmt: skip
    text = text_of(officer.get(f"/calls/{created['id']}"))
    assert "a firm: this call admits only a firm as lead partner" in text
    assert "When the call requires it, the lead partner is a firm." in text  # to submit
    text = text_of(officer.get(f"/calls/{created['id']}", headers=ITALIAN))
    assert "un'impresa: questo bando ammette come capofila solo un'impresa" in text
    header, *rows = read_csv(officer.get("/calls?format=csv"))
    row = dict(zip(header, next(r for r in rows if r[0] == str(created["id"])), strict=True))
    assert row["Only a firm may lead"] == "Yes"
    row = dict(zip(header, next(r for r in rows if r[0] == str(world.call.id)), strict=True))
    assert row["Only a firm may lead"] == ""


def test_the_call_form_sets_the_rule(make, world, login):
    officer = login(world.officer)
    html = officer.get("/calls/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    response = officer.post(
        "/calls/new",
        data={
            "csrf_token": token, "title": "Firms lead by form", "workflow": "value_chain",
            "opens_at": "2024-01-01", "deadline": "2030-12-31", "min_firms": "3",
            "min_reviews": "2", "score_threshold": "60", "lead_must_be_firm": "y",
            "criteria_illustrative": "y", "criteria-0-key": "quality",
            "criteria-0-label": "Quality", "criteria-0-max": "100",
        },
    )  # fmt: skip
    assert response.status_code == 302, text_of(response)
    from sqlalchemy import select

    from tracker.calls.models import Call
    from tracker.extensions import db

    call = db.session.scalar(select(Call).where(Call.title == "Firms lead by form"))
    assert call.lead_must_be_firm is True and call.criteria_illustrative is True


# --- illustrative -------------------------------------------------------------------------------


@pytest.fixture
def illustrative(make, world):
    """A recognised value chain whose decree is illustrative, under illustrative criteria."""
    call = make.call(
        world.officer, title="Demo EOI", criteria_illustrative=True, opens_at_illustrative=True
    )
    for reviewer in world.reviewers:
        make.appoint(call, reviewer)
    app = make.application(call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.reviewers[0], "admit")
    for reviewer in world.reviewers:
        make.review(app, reviewer)
    make.fire(app, world.reviewers[0], "close_evaluation")
    make.fire(app, world.officer, "grant_label", decree_number="15907", decree_date="2022-11-10")
    app.label.decree_illustrative = True
    commit()
    return call, app


def test_an_illustrative_decree_is_marked_on_pages_api_and_download(
    app, make, world, login, illustrative
):
    _call, chain = illustrative
    client = app.test_client()
    registry = text_of(client.get("/registry"))
    assert "no. 15907" in registry and "Illustrative" in registry
    assert "Illustrativo" in text_of(client.get("/registry", headers=ITALIAN))
    page = text_of(login(world.lead).get(f"/applications/{chain.id}"))
    assert re.search(r"no\. 15907 of 10/11/2022 Illustrative", page)
    entry = client.get("/api/v1/registry").get_json()["items"][0]
    assert entry["decree_number"] == "15907" and entry["decree_illustrative"] is True
    answer = client.get(
        f"/api/v1/applications/{chain.id}", headers=headers(make.token(world.lead))
    ).get_json()
    assert answer["label"]["decree_illustrative"] is True
    header, row = read_csv(client.get("/registry?format=csv"))
    assert dict(zip(header, row, strict=True))["Decree illustrative"] == "Illustrative"
    header, row = read_csv(client.get("/registry?format=csv", headers=ITALIAN))
    assert "Illustrativo" in row


def test_a_real_decree_carries_no_mark(app, make, world, illustrative):
    _call, chain = illustrative
    chain.label.decree_illustrative = False
    commit()
    client = app.test_client()
    assert "Illustrative" not in text_of(client.get("/registry"))
    assert client.get("/api/v1/registry").get_json()["items"][0]["decree_illustrative"] is False


def test_illustrative_criteria_say_so_on_the_call_and_the_application(
    app, make, world, login, illustrative
):
    call, chain = illustrative
    officer = login(world.officer)
    note = "The call's act does not publish its evaluation criteria"
    text = text_of(officer.get(f"/calls/{call.id}"))
    assert note in text and "Evaluation criteria Illustrative" in text
    assert note in text_of(officer.get(f"/applications/{chain.id}"))
    assert note not in text_of(officer.get(f"/calls/{world.call.id}"))
    italian = text_of(officer.get(f"/calls/{call.id}", headers=ITALIAN))
    assert "L'atto del bando non pubblica i criteri di valutazione" in italian
    answer = (
        app.test_client()
        .get(f"/api/v1/calls/{call.id}", headers=headers(make.token(world.officer)))
        .get_json()
    )
    assert answer["criteria_illustrative"] is True
    header, *rows = read_csv(officer.get("/calls?format=csv"))
    row = dict(zip(header, next(r for r in rows if r[0] == str(call.id)), strict=True))
    assert row["Evaluation criteria"] == "Illustrative"
    other = dict(zip(header, next(r for r in rows if r[0] == str(world.call.id)), strict=True))
    assert other["Evaluation criteria"] == "" and other["Opening day"] == ""


def test_an_illustrative_opening_day_is_marked(app, make, world, login, illustrative):
    call, _chain = illustrative
    officer = login(world.officer)
    assert "Opening day illustrative" in text_of(officer.get(f"/calls/{call.id}"))
    assert "Opening day illustrative" not in text_of(officer.get(f"/calls/{world.call.id}"))
    assert "Giorno di apertura illustrativo" in text_of(
        officer.get(f"/calls/{call.id}", headers=ITALIAN)
    )
    listing = officer.get("/calls").get_data(as_text=True)
    assert listing.count("the day the call opened: this one is illustrative") == 1
    answer = (
        app.test_client()
        .get(f"/api/v1/calls/{call.id}", headers=headers(make.token(world.officer)))
        .get_json()
    )
    assert answer["opens_at_illustrative"] is True
    header, *rows = read_csv(officer.get("/calls?format=csv"))
    row = dict(zip(header, next(r for r in rows if r[0] == str(call.id)), strict=True))
    assert row["Opening day"] == "Illustrative"


# --- migrations 0011 and 0012 --------------------------------------------------------------------


@pytest.mark.fresh_database
def test_calls_and_labels_before_the_rules_keep_their_rows_and_migrate_without_them(
    empty_database,
):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from tracker.extensions import db

    upgrade(revision="0010_verification")
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO calls (id, title, workflow, description, act_reference, opens_at, "
            "deadline, min_firms, min_reviews, score_threshold, committed, created_at) VALUES "
            "(7, 'EOI', 'value_chain', '', 'DGR 5899/2022', '2022-03-01', '2027-12-31', 10, 2, "
            "6000, 0, '2022-02-24 15:00:00')"
        ))  # fmt: skip
    upgrade()
    with db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT id, title, min_firms, lead_must_be_firm, criteria_illustrative FROM calls"
        )).one()  # fmt: skip
    assert tuple(row) == (7, "EOI", 10, False, False)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT opens_at_illustrative FROM calls")).scalar() in (0, False)
    columns = {c["name"] for c in inspect(db.engine).get_columns("quality_labels")}
    assert "decree_illustrative" in columns
    db.session.remove()
    downgrade(revision="0010_verification")
    assert "lead_must_be_firm" not in {c["name"] for c in inspect(db.engine).get_columns("calls")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT title FROM calls")).scalar() == "EOI"
    upgrade()
