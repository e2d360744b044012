"""One text rule for the API and every form: a control character is refused on its field with
what was typed kept, never a 500 (PostgreSQL refuses NUL; XML refuses the C0 controls)."""

from __future__ import annotations

import re

import pytest
from pagetools import text_of

from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.validation import text_problem


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x1f", "\x7f", "\x85"])
def test_the_rule_refuses_control_characters(char):
    assert text_problem(f"Fonderia{char}Uno") is not None


@pytest.mark.parametrize("text", ["Fonderia Uno", "Riga 1\nRiga 2\r\n\tfine", "Città €", ""])
def test_the_rule_lets_text_people_type_through(text):
    assert text_problem(text) is None


def test_an_organisation_name_with_a_control_character_is_refused_on_its_field(make, login):
    client = login(make.user("applicant", organisation=make.organisation()))
    response = client.post(
        "/organisations/new",
        data={"name": "Tessitura\x01 Comasca", "vat_number": make.vat(), "kind": "firm",
              "size": "small", "province": "CO", "city": "Como"},
    )  # fmt: skip
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="name-error">[^<]*control characters \(found U\+0001\)', html)
    assert 'value="Como"' in html  # what was typed stays
    assert db.session.query(Organisation).filter(Organisation.city == "Como").count() == 0


def test_a_nul_in_the_login_email_is_a_form_error_on_every_database(make, login, client):
    response = client.post("/login", data={"email": "lead\x00@example.org", "password": "x"})
    assert response.status_code == 422, text_of(response)
    assert "control characters" in text_of(response)


def test_a_comment_with_a_control_character_is_refused_and_kept(make, world, login):
    application = make.application(world.call, world.lead)
    client = login(world.lead)
    response = client.post(
        f"/applications/{application.id}/transitions",
        data={
            "trigger": "submit",
            "comment": "Ready\x07 to go",
            "confirm": "y",
            "version": application.version,
        },  # fmt: skip
    )
    assert response.status_code == 422, text_of(response)
    assert "control characters" in text_of(response)
    db.session.refresh(application)
    assert application.state == "draft"


def test_a_search_with_a_control_character_is_a_400(make, world, login):
    client = login(world.lead)
    assert client.get("/organisations?q=abc%01").status_code == 400
