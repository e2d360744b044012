"""Logging in and out through the pages; CSRF on in a real configuration."""

from __future__ import annotations

import re

import pytest
from pagetools import text_of


def test_login_with_a_wrong_password_keeps_the_email(make, client):
    user = make.user("applicant", email="giulia@example.org")
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Wrong email or password." in text_of(response)
    assert 'value="giulia@example.org"' in html
    assert "wrong" not in re.findall(r'value="([^"]*)"', html)  # never the password
    assert client.get("/applications").status_code == 302  # still anonymous


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/calls", "/calls"),
        ("/applications?state=draft", "/applications?state=draft"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_login_follows_next_only_to_local_paths(make, client, next_url, lands_on):
    user = make.user("officer")
    page = client.get("/login", query_string={"next": next_url}).get_data(as_text=True)
    kept = re.search(r'name="next" type="hidden" value="([^"]*)"', page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": "secret-pass", "next": next_url}
    )
    assert response.status_code == 302
    assert response.location == lands_on
    assert kept == ("" if lands_on == "/" else next_url)  # a foreign next is not even kept


def test_pages_that_need_a_login_send_there_and_back(client, make):
    response = client.get("/applications?state=draft")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    user = make.user("applicant", organisation=make.organisation())
    login_page = client.get(response.location).get_data(as_text=True)
    next_value = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page).group(1)
    response = client.post(
        "/login", data={"email": user.email, "password": "secret-pass", "next": next_value}
    )
    assert response.location == "/applications?state=draft"


def test_header_shows_the_user_and_logout_is_a_post(make, login):
    officer = make.user("officer", "reviewer", email="anna@example.org")
    client = login(officer)
    page = text_of(client.get("/"))
    assert officer.name in page and "Region officer" in page and "Committee member" in page
    assert "Log out" in page
    assert client.get("/logout").status_code == 405
    response = client.post("/logout")
    assert response.status_code == 302
    assert "Log in" in text_of(client.get("/"))
    assert client.get("/applications").status_code == 302


def test_demo_accounts_are_listed_only_when_they_exist(make, client):
    assert "Demo accounts" not in text_of(client.get("/login"))
    make.user("officer", email="officer@demo.example.org", password="demo")
    page = text_of(client.get("/login"))
    assert "Demo accounts demo only" in page
    assert "officer@demo.example.org" in page
    assert "reviewer1@demo.example.org" not in page  # not in this database


def test_no_invented_data_notice_on_a_real_install(client):
    assert "invented" not in text_of(client.get("/"))


def test_invented_data_notice_where_the_demo_world_is_loaded(make, client):
    make.user("officer", email="officer@demo.example.org")
    assert "invented for demonstration" in text_of(client.get("/"))


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_csrf_is_on_outside_tests_and_every_form_carries_its_token(app, make, world):
    """The fixture turns CSRF off; the real setting refuses a form posted without its token."""
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    make.fire(application, world.officer, "admit")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    refused = client.post("/login", data={"email": world.officer.email, "password": "secret-pass"})
    assert refused.status_code == 400
    assert "The CSRF token is missing." in text_of(refused)
    response = client.post(
        "/login",
        data={
            "email": world.officer.email,
            "password": "secret-pass",
            "csrf_token": _token(client.get("/login").get_data(as_text=True)),
        },
    )
    assert response.status_code == 302

    for url in (f"/applications/{application.id}", f"/calls/{world.call.id}", "/calls/new"):
        html = client.get(url).get_data(as_text=True)
        forms = re.findall(r'<form[^>]*method="post".*?</form>', html, re.S)
        assert forms, url
        for form in forms:
            assert 'name="csrf_token"' in form, (url, form[:200])

    # an action without the token changes nothing
    refused = client.post(
        f"/applications/{application.id}/transitions",
        data={"trigger": "request_integration", "comment": "Forged"},
    )
    assert refused.status_code == 400
    assert client.post("/logout").status_code == 400  # no token: still logged in
    assert "Log out" in text_of(client.get("/"))
