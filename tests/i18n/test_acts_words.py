"""The Italian uses the acts' words (issue 15, README "True to the acts"): no translation, in the
pages, the code or the emails, falls back on the words they replaced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).parents[2] / "tracker" / "translations" / "it" / "LC_MESSAGES"
#: retired word -> the acts' word that replaced it
RETIRED = {
    r"marchio? di qualità": "riconoscimento / filiera riconosciuta",
    r"\bmarchio?\b": "riconoscimento",
    r"nota concettuale|note concettuali": "proposta progettuale",
    r"\bcomitato\b": "nucleo di valutazione",
    r"lista d'attesa": "ammissibile e non finanziata",
    r"registro pubblico|registro delle filiere": "elenco delle filiere riconosciute",
    r"accordo di partenariato": "accordo di progetto",
}


def translations():
    for domain in ("pages", "code"):
        with (CATALOGUES / f"{domain}.po").open("rb") as f:
            for message in read_po(f):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    if message.id and text:
                        yield domain, message.id, text


@pytest.mark.parametrize("retired", sorted(RETIRED))
def test_no_translation_uses_a_retired_word(retired):
    found = [
        (domain, msgid)
        for domain, msgid, text in translations()
        if re.search(retired, text, flags=re.IGNORECASE)
    ]
    assert found == [], f"use {RETIRED[retired]!r}: {found}"


@pytest.mark.parametrize(
    ("english", "italian"),
    [
        ("Quality label granted", "Filiera riconosciuta"),
        ("Grant the quality label", "Riconosci la filiera"),
        ("Registry of recognised value chains", "Elenco delle filiere riconosciute"),
        ("Concept note", "Proposta progettuale"),
        ("Evaluation committee", "Nucleo di valutazione"),
        ("Integration requested", "Soccorso istruttorio"),
        ("Waitlisted", "Ammissibile e non finanziata"),
        ("Waitlisted: %(title)s", "Ammissibile e non finanziata: %(title)s"),
        ("Integration requested: %(title)s", "Soccorso istruttorio: %(title)s"),
    ],
)
def test_the_acts_words(english, italian):
    said = {msgid: text for _domain, msgid, text in translations()}
    assert said[english] == italian
