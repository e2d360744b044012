"""Pages in Italian and English: the browser's Accept-Language when nothing was chosen (English
by default), the switch on every page (a cookie, and the user's own choice kept on the user),
and dates, numbers and euros written as each language writes them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.i18n import LANGUAGE_COOKIE
from tracker.web.templating import fmt_date, fmt_money, fmt_number, fmt_points

PASSWORD = "secret-pass"
ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}


def lang_of(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page names no language"
    return match.group(1)


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def logged_in(app, user, **headers):
    client = app.test_client()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    ("path", "italian", "english"),
    [
        ("/", "Le filiere lombarde, passo dopo passo", "Lombardy's value chains, step by step"),
        ("/login", "Accedi", "Log in"),
        ("/registry", "Elenco delle filiere riconosciute", "Registry of recognised value chains"),
        ("/calls", "Ancora nessun bando.", "No calls yet."),
        (
            "/workflows",
            "Ogni processo seguito dal tracker è una procedura",
            "Every process the tracker follows is a workflow",
        ),
        ("/workflows/value_chain", "Passaggi di stato", "Transitions"),
        ("/no/such/page", "Non trovato", "Not found"),
    ],
)
def test_public_pages_follow_the_browser_and_default_to_english(client, path, italian, english):
    in_italian = client.get(path, headers=ITALIAN)
    assert lang_of(in_italian) == "it"
    assert italian in text_of(in_italian) and english not in text_of(in_italian)
    assert "Vai al contenuto" in text_of(in_italian)  # base.html too
    for headers in ({}, {"Accept-Language": "de-DE,fr;q=0.8"}, {"Accept-Language": "en-GB"}):
        in_english = client.get(path, headers=headers)
        assert lang_of(in_english) == "en"
        assert english in text_of(in_english) and italian not in text_of(in_english)
    assert "Accept-Language" in in_italian.headers.get("Vary", "")


def test_pages_of_every_role_read_in_italian(app, make, world):
    call, officer, reviewer = world.call, world.officer, world.reviewers[0]
    application = make.application(call, world.lead, title="Filiera dell'acciaio")
    make.fire(application, world.lead, "submit")
    make.fire(application, reviewer, "admit")
    coordinator = make.user("coordinator")

    lead = logged_in(app, world.lead, **ITALIAN)
    page = lead.get(f"/applications/{application.id}", headers=ITALIAN)
    assert lang_of(page) == "it"
    text = text_of(page)
    for italian in ("Partenariato", "Capofila:", "Accordo di progetto", "Cronologia", "Azioni"):
        assert italian in text, italian
    assert "Partnership" not in text and "History" not in text
    assert "Domande" in text_of(lead.get("/applications", headers=ITALIAN))
    assert "Avvia una domanda" in text_of(lead.get("/", headers=ITALIAN))

    judge = logged_in(app, reviewer)
    page = judge.get(f"/applications/{application.id}", headers=ITALIAN)
    assert lang_of(page) == "it" and "La tua valutazione" in text_of(page)

    official = logged_in(app, officer)
    page = text_of(official.get(f"/calls/{call.id}", headers=ITALIAN))
    assert "Nucleo di valutazione" in page and "Proroga la scadenza" in page
    assert "Criteri di valutazione" in page
    assert "Nuovo bando" in text_of(official.get("/calls/new", headers=ITALIAN))
    assert "Registra un'organizzazione" in text_of(
        official.get("/organisations/new", headers=ITALIAN)
    )

    afil = logged_in(app, coordinator)
    page = afil.get("/communities", headers=ITALIAN)
    assert lang_of(page) == "it" and "Comunità Strategiche di AFIL" in text_of(page)


def test_the_switch_sets_a_cookie_and_returns_to_the_same_page(client):
    page = client.get("/registry")
    html = page.get_data(as_text=True)
    assert 'action="/language"' in html and 'name="next" value="/registry"' in html
    assert 'value="it" lang="it"' in html  # the other language, named in its own words

    switched = client.post("/language", data={"language": "it", "next": "/registry?page=2"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/registry?page=2"
    cookie = switched.headers["Set-Cookie"]
    assert cookie.startswith(f"{LANGUAGE_COOKIE}=it;") and "Max-Age=31536000" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    # remembered on later requests, over what the browser says
    again = client.get("/registry", headers={"Accept-Language": "en"})
    assert lang_of(again) == "it" and "Elenco delle filiere riconosciute" in text_of(again)
    assert 'value="en" lang="en"' in again.get_data(as_text=True)

    back = client.post("/language", data={"language": "en", "next": "/"}, headers=ITALIAN)
    assert back.headers["Location"] == "/"
    assert lang_of(client.get("/", headers=ITALIAN)) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "", None])
def test_the_switch_never_sends_people_elsewhere(client, target):
    data = {"language": "it"} | ({"next": target} if target is not None else {})
    response = client.post("/language", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("choice", ["de", "", "IT", "it-IT"])
def test_an_unknown_language_is_refused_clearly(client, choice):
    response = client.post("/language", data={"language": choice, "next": "/"})
    assert response.status_code == 400
    assert "Choose Italian or English." in text_of(response)
    assert (
        "Set-Cookie" not in response.headers
        or LANGUAGE_COOKIE + "=" not in response.headers["Set-Cookie"]
    )


def test_a_user_keeps_the_language_chosen_in_any_browser(app, make):
    user = make.user("applicant", organisation=make.organisation())
    first = logged_in(app, user)
    assert first.post("/language", data={"language": "it", "next": "/"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User.language).where(User.id == user.id)) == "it"

    # another browser: no cookie, an English Accept-Language; the user's choice wins
    other = logged_in(app, user, **{"Accept-Language": "en"})
    home = other.get("/", headers={"Accept-Language": "en"})
    assert lang_of(home) == "it" and "Buongiorno" in text_of(home)

    assert other.post("/language", data={"language": "en", "next": "/"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User.language).where(User.id == user.id)) == "en"
    assert lang_of(first.get("/", headers=ITALIAN)) == "en"  # over its own older cookie too


def test_formats_follow_the_language(app):
    with app.test_request_context("/"):
        with force_locale("it"):
            assert fmt_money(Decimal("1234.56")) == "EUR 1.234,56"
            assert fmt_money("4000000") == "EUR 4.000.000,00"
            assert fmt_points(Decimal("61")) == "61,00"
            assert fmt_number(12345) == "12.345"
            assert fmt_date(dt.date(2027, 12, 31)) == "31/12/2027"
        with force_locale("en"):
            assert fmt_money(Decimal("1234.56")) == "EUR 1,234.56"
            assert fmt_money("4000000") == "EUR 4,000,000.00"
            assert fmt_points("61") == "61.00"
            assert fmt_number(Decimal("0.5")) == "0.5"
            assert fmt_date("2027-12-31") == "31/12/2027"  # dd/mm/yyyy in English too
        assert fmt_money(None) == "—" and fmt_money("n/a") == "n/a"


def test_a_measure_page_writes_amounts_and_scores_in_italian(app, make):
    officer = make.user("officer")
    call = make.call(
        officer,
        title="Bando Filiere 2022",
        workflow="support_application",
        budget="4000000",
        max_grant="400000",
        min_smes=2,
        label_bonus="10",
        score_threshold=65,
        deadline=dt.date(2027, 12, 31).isoformat(),
    )
    client = logged_in(app, officer)
    italian = text_of(client.get(f"/calls/{call.id}", headers=ITALIAN))
    assert "Dotazione EUR 4.000.000,00" in italian
    assert "Contributo massimo EUR 400.000,00 per progetto" in italian
    assert "+10,00 punti, aggiunti dopo la soglia" in italian
    assert "Scadenza 31/12/2027" in italian
    english = text_of(client.get(f"/calls/{call.id}", headers={"Accept-Language": "en"}))
    assert "Budget EUR 4,000,000.00" in english and "Deadline 31/12/2027" in english


def test_the_switch_works_with_csrf_as_in_production(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/workflows").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/language".*?</form>', html, flags=re.S).group(0)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    forged = client.post("/language", data={"language": "it", "next": "/workflows"})
    assert forged.status_code == 400 and LANGUAGE_COOKIE + "=it" not in forged.headers.get(
        "Set-Cookie", ""
    )
    switched = client.post(
        "/language", data={"csrf_token": token, "language": "it", "next": "/workflows"}
    )
    assert switched.status_code == 302 and switched.headers["Location"] == "/workflows"
    assert lang_of(client.get("/workflows")) == "it"


def test_the_log_in_first_message_is_italian(client):
    response = client.get("/dashboard", headers={"Accept-Language": "it"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Accedi per vedere questa pagina." in page and "Please log in" not in page
