"""The applications list's text search: it counts at most ``SEARCH_COUNT_LIMIT`` matches and
says "more than" beyond (page and API), lists the same rows in the same order whichever way it
reads them (walking the order for many matches, reading the few), and costs the same queries
for few and many matches. The limit is lowered here so that a handful of rows crosses it."""

from __future__ import annotations

import pytest
from listtools import counted_queries, visible_text

from tracker.applications import queries
from tracker.applications.queries import SORTS, ApplicationFilters, list_applications
from tracker.extensions import db
from tracker.pagination import PageRequest

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9"}


@pytest.fixture
def chains(make, world):
    """Nine submitted applications: six "Steel ..." titles by the world's lead, three by a lead
    whose name holds "Steel" (their titles do not), two of them admitted; one draft."""
    steelworks = make.user(
        "applicant", organisation=make.organisation("Acciaierie Steel Bresciane")
    )
    made = []
    for i in range(6):
        made.append(make.application(world.call, world.lead, title=f"Steel chain {i}"))
    for i in range(3):
        made.append(make.application(world.call, steelworks, title=f"Forge chain {i}"))
    for app in made:
        make.fire(app, world.lead if app.lead_organisation_id == world.lead_org.id else steelworks,
                  "submit")  # fmt: skip
    for app in made[2], made[7]:
        make.fire(app, world.officer, "admit")
    make.application(world.call, world.lead, title="Steel draft")  # the officer never sees it
    return made


def _ids(user, q, sort="updated", page=1, per_page=50):
    listed = list_applications(
        user, ApplicationFilters(q=q, sort=sort), PageRequest(page, per_page)
    )
    return [a.id for a in listed.items], listed.total, listed.more


def _exact(user, q, sort):
    """Every match in the list's order, read the way the export reads them (no bound)."""
    return [row[0] for row in queries.export_rows(user, ApplicationFilters(q=q, sort=sort))]


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_both_ways_of_reading_list_the_exact_order(chains, world, monkeypatch, sort):
    exact = _exact(world.officer, "steel", sort)
    assert len(exact) == 9  # the title's six and the lead partner's three, not the draft
    # few matches (under the limit): read them all and order them
    assert _ids(world.officer, "steel", sort) == (exact, 9, False)
    assert _ids(world.officer, "steel", sort, page=2, per_page=4) == (exact[4:8], 9, False)
    # many (over the limit): walk the order, test each row; only the first ``limit`` are paged
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 5)
    assert _ids(world.officer, "steel", sort) == (exact[:5], 5, True)
    assert _ids(world.officer, "steel", sort, page=1, per_page=3) == (exact[:3], 5, True)
    assert _ids(world.officer, "steel", sort, page=2, per_page=3) == (exact[3:5], 5, True)
    assert _ids(world.officer, "steel", sort, page=3, per_page=3) == ([], 5, True)
    # the lead partner's name alone, and two words (all required), either way
    assert _ids(world.officer, "acciaierie", sort)[0] == _exact(world.officer, "acciaierie", sort)
    assert _ids(world.officer, "steel forge", sort)[0] == _exact(world.officer, "steel forge", sort)


def test_exactly_the_limit_is_an_exact_total(chains, world, monkeypatch):
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 9)
    assert _ids(world.officer, "steel")[1:] == (9, False)
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 8)
    assert _ids(world.officer, "steel")[1:] == (8, True)


def test_whole_words_prefixes_and_lead_partners_each_count_toward_the_limit(
    chains, world, make, monkeypatch
):
    """The count reads the whole words first and stops there when they alone pass the limit;
    otherwise prefixes ("Steelworks") and the lead partners' names still count."""
    for i in range(3):
        make.fire(make.application(world.call, world.lead, title=f"Steelworks line {i}"),
                  world.lead, "submit")  # fmt: skip
    everything = len(_exact(world.officer, "steel", "updated"))
    assert everything == 12  # six "Steel", three "Steelworks", three led by "... Steel ..."
    for limit, answer in ((5, (5, True)), (7, (7, True)), (11, (11, True)), (12, (12, False))):
        monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", limit)
        assert _ids(world.officer, "steel")[1:] == answer, limit
    # a prefix no word has whole: the prefixes are counted
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 2)
    assert _ids(world.officer, "steelw")[1:] == (2, True)
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 3)
    assert _ids(world.officer, "steelw")[1:] == (3, False)


def test_the_page_says_more_than_the_limit_in_english_and_italian(
    chains, world, login, monkeypatch
):
    officer = login(world.officer)
    exact = visible_text(officer.get("/applications?q=steel"))
    assert "Showing 1–9 of 9" in exact and "More than" not in exact
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 5)
    text = visible_text(officer.get("/applications?q=steel&per_page=3"))
    assert (
        "More than 5 applications match these words: the list shows the first 5 in this "
        "order. Add words to narrow the search." in text
    )
    assert "Showing 1–3 of more than 5" in text
    assert "Showing 4–5 of more than 5" in visible_text(
        officer.get("/applications?q=steel&per_page=3&page=2")
    )
    italian = visible_text(officer.get("/applications?q=steel&per_page=3", headers=ITALIAN))
    assert (
        "Più di 5 domande contengono queste parole: l'elenco mostra le prime 5 in questo "
        "ordine. Aggiungi parole per restringere la ricerca." in italian
    )
    assert "Da 1 a 3 di oltre 5" in italian
    # other filters keep their exact totals
    assert "More than" not in visible_text(officer.get("/applications?state=submitted"))


def test_the_api_flags_a_total_that_is_a_lower_bound(chains, world, make, client, monkeypatch):
    headers = {"Authorization": f"Bearer {make.token(world.officer)}"}
    body = client.get("/api/v1/applications?q=steel", headers=headers).get_json()
    assert (body["total"], body["total_is_lower_bound"], len(body["items"])) == (9, False, 9)
    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 5)
    body = client.get("/api/v1/applications?q=steel&per_page=3", headers=headers).get_json()
    assert (body["total"], body["total_is_lower_bound"], len(body["items"])) == (5, True, 3)
    body = client.get("/api/v1/applications?q=steel&per_page=3&page=2", headers=headers)
    assert len(body.get_json()["items"]) == 2  # the 4th and 5th: paging stops at the count
    # without a text search the total is exact and the flag false
    body = client.get("/api/v1/applications?state=submitted", headers=headers).get_json()
    assert (body["total"], body["total_is_lower_bound"]) == (7, False)
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "lower" in schema["ApplicationPage"]["properties"]["total_is_lower_bound"]["description"]


def test_few_and_many_matches_cost_the_same_queries(chains, world, login, monkeypatch):
    officer = login(world.officer)

    def cost(url):
        db.session.expire_all()
        with counted_queries() as counter:
            assert officer.get(url).status_code == 200
        return counter["n"]

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 5)
    many = cost("/applications?q=steel")  # 9 matches: walks the order
    few = cost("/applications?q=forge")  # 3 matches: reads them
    none = cost("/applications?q=nowhere")  # counted: nothing to read
    assert many == few == none + 2
