"""What the Python says, in Italian on pages and unchanged in English and in the API.

The ``code`` catalogue's completeness is checked with the pages one (test_catalogues.py); here:
the refusal reasons with their numbers, the workflow's words on its page and diagram, the form
labels and the reference data, and the English and the JSON left exactly as they were.
"""

from __future__ import annotations

import html as markup
import re
from decimal import Decimal

import pytest
from flask_babel import force_locale

from tracker.applications.models import Application
from tracker.extensions import db
from tracker.i18n import extract, translate
from workflows import get_workflow
from workflows.diagram import mermaid
from workflows.engine import role_unmet
from workflows.i18n import N_, Amount, Series, Text, either

PASSWORD = "secret-pass"
ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB"}


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&#39;", "'"), ("&#34;", '"'), ("&quot;", '"'), ("&amp;", "&")):
        html = html.replace(entity, char)
    return re.sub(r"\s+", " ", html).strip()


def logged_in(app, user, headers):
    client = app.test_client()
    data = {"email": user.email, "password": PASSWORD}
    assert client.post("/login", data=data, headers=headers).status_code == 302
    return client


def submit(client, application_id: int, headers):
    db.session.expire_all()
    version = db.session.get(Application, application_id).version
    form = {"trigger": "submit", "version": str(version), "comment": "", "confirm": "y"}
    return client.post(f"/applications/{application_id}/transitions", data=form, headers=headers)


@pytest.fixture
def short_of_firms(make):
    """A complete draft with 9 of the 10 Lombard firms its call asks for."""
    officer = make.user("officer")
    call = make.call(officer, min_firms=10)
    lead = make.user("applicant", organisation=make.organisation("Acciaierie Bresciane"))
    application = make.application(call, lead, firms=9, title="Filiera dell'acciaio")
    return lead, application


def test_a_refusal_reads_in_italian_with_its_numbers_and_unchanged_in_english(app, short_of_firms):
    lead, application = short_of_firms
    italian = logged_in(app, lead, ITALIAN)
    page = text_of(italian.get(f"/applications/{application.id}", headers=ITALIAN))
    # the actions panel says it before anyone tries
    assert "Presenta la proposta progettuale" in page
    assert "9 delle 10 imprese richieste con sede in Lombardia." in page
    assert "required firms" not in page

    refused = submit(italian, application.id, ITALIAN)
    assert refused.status_code == 422
    assert "9 delle 10 imprese richieste con sede in Lombardia." in text_of(refused)

    english = logged_in(app, lead, ENGLISH)
    refused = submit(english, application.id, ENGLISH)
    assert refused.status_code == 422
    text = text_of(refused)
    assert "9 of the 10 required firms with a seat in Lombardy." in text
    assert "imprese" not in text
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == "draft"


def test_the_api_answers_in_english_whatever_the_browser_says(app, make, short_of_firms):
    lead, application = short_of_firms
    headers = {"Authorization": f"Bearer {make.token(lead)}", **ITALIAN}
    response = app.test_client().post(
        f"/api/v1/applications/{application.id}/transitions",
        json={"trigger": "submit"},
        headers=headers,
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "conditions_unmet"
    assert (
        error["message"]
        == "Conditions not met: 9 of the 10 required firms with a seat in Lombardy."
    )
    assert error["details"]["unmet"] == [
        {
            "condition": "min_lombardy_firms",
            "message": "9 of the 10 required firms with a seat in Lombardy.",
        }
    ]


def test_the_workflow_page_and_its_diagram_read_in_italian(client):
    italian = client.get("/workflows/value_chain", headers=ITALIAN)
    text, html = text_of(italian), markup.unescape(italian.get_data(as_text=True))
    for words in (
        "Manifestazione di interesse per le filiere",
        "Soccorso istruttorio",
        "Riconosci la filiera",
        "il capofila",
        "Il bando è aperto (tra l'apertura e la scadenza).",
        "Numero del decreto",
    ):
        assert words in text, words
    assert "Grant the quality label" not in text and "Quality label granted" not in text
    # the mermaid text the page draws: states by their Italian titles, arrows by the Italian
    # labels of their transitions, never trigger codes (issue 14)
    assert 'state "Filiera riconosciuta" as label_granted' in html
    assert "evaluated --> label_granted: Riconosci la filiera" in html
    assert ": grant_label" not in html and "[score_threshold]" not in html

    english = text_of(client.get("/workflows/value_chain", headers=ENGLISH))
    assert "Grant the quality label" in english and "Concedi" not in english


def test_the_diagram_is_drawn_with_the_titles_it_is_given(app):
    workflow = get_workflow("value_chain")
    english = mermaid(workflow, current="submitted")
    assert "Quality label granted" in english
    with app.test_request_context("/"), force_locale("it"):
        italian = mermaid(workflow, current="submitted", say=translate)
    assert "Filiera riconosciuta" in italian and "Quality label granted" not in italian
    assert "Manifestazione di interesse per le filiere" in italian.splitlines()[1]

    # the same drawing otherwise: states, transitions and the current one
    def drawing(text):
        return re.sub(r'"[^"]*"', '""', "\n".join(text.splitlines()[2:]))

    assert drawing(italian) == drawing(english)


def test_an_application_page_names_its_state_and_history_in_italian(app, make, world):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    client = logged_in(app, world.lead, ITALIAN)
    page = client.get(f"/applications/{application.id}", headers=ITALIAN)
    text = text_of(page)
    assert "Presentata" in text and 'state "Presentata" as submitted' in markup.unescape(
        page.get_data(as_text=True)
    )
    assert "Presentata nei termini del bando; in attesa della verifica di ammissibilità." in text
    assert "Submitted in the call window" not in text


def test_forms_and_reference_data_read_in_italian(app, make):
    officer = make.user("officer")
    client = logged_in(app, officer, ITALIAN)
    text = text_of(client.get("/organisations/new", headers=ITALIAN))
    for words in ("Partita IVA", "Impresa", "Università", "Centro di ricerca", "Piccola"):
        assert words in text, words
    assert "VAT number" not in text and "Research centre" not in text

    refused = client.post(
        "/organisations/new",
        data={"name": "", "vat_number": "123", "kind": "firm", "size": "small"},
        headers=ITALIAN,
    )
    assert refused.status_code == 422
    text = text_of(refused)
    assert "Nome: campo obbligatorio." in text
    assert "Una partita IVA ha esattamente 11 cifre." in text
    assert "123" in refused.get_data(as_text=True)  # what was typed is kept


def test_texts_keep_the_english_and_translate_their_template_then_their_values(app):
    reason = N_(
        "Remaining budget %(left)s is less than %(amount)s.",
        left=Amount(Decimal("1234.56")),
        amount=Amount(Decimal("2000")),
    )
    assert isinstance(reason, Text) and isinstance(reason, str)
    assert reason == "Remaining budget EUR 1,234.56 is less than EUR 2,000.00."
    score = N_(
        "Average score %(score)s is below the threshold of %(threshold)s.",
        score=Decimal("58.33"),
        threshold=Decimal("60.00"),
    )
    with app.test_request_context("/"):
        with force_locale("it"):
            assert translate(reason) == (
                "La dotazione residua di EUR 1.234,56 è inferiore a EUR 2.000,00."
            )
            assert translate(score) == "Il punteggio medio 58,33 è sotto la soglia di 60,00."
            assert translate("Draft") == "Bozza"
            assert translate("Acciaierie Bresciane") == "Acciaierie Bresciane"  # names stay
            missing = N_(
                "The concept note lacks: %(missing)s.", missing=Series(["Challenges", "Needs"])
            )
            assert translate(missing) == "Proposta progettuale incompleta: Sfide, Fabbisogni."
        with force_locale("en"):
            assert translate(reason) is reason
            assert translate(score) == "Average score 58.33 is below the threshold of 60.00."


def test_who_may_act_reads_in_italian(app):
    submit = get_workflow("value_chain").transition("submit")
    unmet = role_unmet(submit)
    assert unmet.message == "Only the lead partner may submit the concept note."
    committee = either(["a committee member without conflict of interest", "a Region officer"])
    with app.test_request_context("/"), force_locale("it"):
        assert translate(unmet.message) == (
            "Solo il capofila può eseguire «Presenta la proposta progettuale»."
        )
        assert translate(committee) == (
            "un componente del nucleo di valutazione senza conflitto di interessi o un funzionario regionale"
        )


def test_the_code_catalogue_reads_markers_lazy_strings_refusals_and_field_labels():
    ids = {m.id for m in extract("code") if m.id}
    assert "Quality label granted" in ids  # N_ in a workflow definition
    assert "%(have)s of the %(need)s required firms with a seat in Lombardy." in ids
    assert "Sector (ATECO 2025 section)" in ids  # _l in a form
    assert "This call is not open for applications." in ids  # Conflict("...") in an operation
    assert "Opening date" in ids  # a Problems check's field label
    # keys and codes are not messages
    assert not {"challenges", "draft", "label_granted", "value_chain"} & ids


def test_a_trigger_no_longer_possible_is_named_by_its_title_in_italian(app, make, world):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    italian = logged_in(app, world.lead, ITALIAN)
    refused = submit(italian, application.id, ITALIAN)  # the current version, a past state
    assert refused.status_code == 409
    assert (
        "«Presenta la proposta progettuale» non è possibile mentre la domanda è «Presentata»."
        in text_of(refused)
    )
    english = logged_in(app, world.lead, ENGLISH)
    refused = submit(english, application.id, ENGLISH)
    assert "'submit' cannot be done while the application is 'submitted'." in text_of(refused)
