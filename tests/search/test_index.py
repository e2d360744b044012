"""The full-text indexes follow every insert, update and delete, on SQLite (triggers) and
PostgreSQL (expression indexes); any text is a query, none fails."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from tracker.applications.models import Application
from tracker.database import commit
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pagination import PageRequest
from tracker.search import queries as search

PAGE = PageRequest(1, 50)


def found_applications(text: str) -> set[int]:
    return set(db.session.scalars(search.application_ids(search.terms(text))))


def found_organisations(text: str) -> set[int]:
    return set(db.session.scalars(search.organisation_ids(search.terms(text))))


def test_terms_are_words_folded_and_bounded():
    assert search.terms("  Qualità  dell'ACCIAIO ") == ("qualita", "dell", "acciaio")
    assert search.terms('"steel" OR NEAR(x) AND *:-^') == ("steel", "or", "near", "x", "and")
    assert search.terms("") == () and search.terms("!!! ???") == () and search.terms(None) == ()
    assert len(search.terms(" ".join(f"w{i}" for i in range(40)))) == search.MAX_TERMS
    assert search.terms("a_b") == ("a", "b")


def test_insert_update_delete_keep_the_application_index_in_step(world, make):
    app = make.application(world.call, world.lead, title="Filiera della qualità tessile")
    assert found_applications("qualita tess") == {app.id}
    assert found_applications("QUALITÀ") == {app.id}
    assert found_applications("Duferco") == set()  # the lead's name is the organisations' index
    app.title = "Filiera del legno"
    app.objectives = "Riciclo del truciolato"
    commit()
    assert found_applications("tessile") == set()
    assert found_applications("legno") == {app.id}
    assert found_applications("truciol") == {app.id}
    db.session.execute(
        update(Application).where(Application.id == app.id).values(needs="Formazione digitale")
    )
    assert found_applications("digitale") == {app.id}
    db.session.execute(delete(Application).where(Application.id == app.id))
    assert found_applications("legno") == set()
    assert found_applications("digitale") == set()


def test_insert_update_delete_keep_the_organisation_index_in_step(make):
    org = make.organisation("Acciaierie Venete Spa")
    assert found_organisations("acciaierie ven") == {org.id}
    org.name = "Fonderie Lombarde Srl"
    commit()
    assert found_organisations("acciaierie") == set()
    assert found_organisations("fonderie lomb") == {org.id}
    db.session.execute(delete(Organisation).where(Organisation.id == org.id))
    assert found_organisations("fonderie") == set()


@pytest.mark.parametrize(
    "query",
    ['"', "'", 'steel"', "NEAR(", "title:", "a AND", "OR", "*", "^steel", "-steel",
     "steel:*", "!&|", "(", "{title}: x", "é", "ß", "العربية", "😀", "x" * 200, "  "],
)  # fmt: skip
def test_any_text_is_a_query(world, make, query):
    make.application(world.call, world.lead, title="Steel value chain")
    hits, total = search.search_applications(world.officer, query, PAGE)
    assert total == len(hits)
    hits, total = search.search_organisations(world.officer, query, PAGE)
    assert total == len(hits)
    found_applications(query)


def test_snippets_are_escaped_and_marked(world, make):
    app = make.application(
        world.call, world.lead, title="<b>Steel</b> & friends",
        concept_note={"challenges": "<script>x</script> steel slag", "needs": "n",
                      "objectives": "o", "actions": "a", "investments": "i"},
    )  # fmt: skip
    make.fire(app, world.lead, "submit")
    [hit], total = search.search_applications(world.officer, "steel", PAGE)
    assert total == 1 and hit.id == app.id
    assert "<mark>Steel</mark>" in hit.title and "&lt;b&gt;" in hit.title
    assert "<script>" not in hit.snippet  # escaped (SQLite), or dropped as a tag (PostgreSQL)
    assert "<mark>steel</mark>" in hit.snippet
