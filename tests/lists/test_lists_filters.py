"""The applications list: every filter, the orders, stable page links, bad parameters (400,
never 500), and a number of queries that does not grow with the rows."""

from __future__ import annotations

import pytest
from listtools import counted_queries, links, visible_text

from tracker.extensions import db

TITLES = (
    "Steel slag value chain", "Brescia draft chain", "Foundry value chain", "Silk value chain",
    "Natural dyes chain", "Late chain",
)  # fmt: skip


def shown(response) -> list[str]:
    """The titles of the list's rows, in order."""
    text = visible_text(response)
    return sorted((t for t in TITLES if t in text), key=text.index)


def test_each_filter_narrows_the_officers_list(spread, world, login):
    officer = login(world.officer)
    # the officer never sees a draft
    assert set(shown(officer.get("/applications"))) == set(TITLES) - {"Brescia draft chain"}
    assert shown(officer.get(f"/applications?call_id={spread.other_call.id}&sort=title")) == [
        "Late chain", "Natural dyes chain", "Silk value chain",
    ]  # fmt: skip
    assert shown(officer.get("/applications?state=label_granted&sort=title")) == [
        "Natural dyes chain", "Steel slag value chain",
    ]  # fmt: skip
    assert shown(officer.get("/applications?phase=1&sort=title")) == [
        "Foundry value chain",
        "Late chain",
        "Natural dyes chain",
        "Silk value chain",
        "Steel slag value chain",
    ]  # fmt: skip  (label_granted is the end of phase 1)
    assert shown(officer.get("/applications?phase=2")) == []
    assert shown(officer.get("/applications?province=CO&sort=title")) == [
        "Late chain", "Natural dyes chain", "Silk value chain",
    ]  # fmt: skip
    assert shown(officer.get("/applications?province=bs&sort=title")) == [
        "Foundry value chain", "Steel slag value chain",
    ]  # fmt: skip
    assert shown(officer.get("/applications?thematic_area=innovation&sort=title")) == [
        "Foundry value chain", "Late chain", "Silk value chain",
    ]  # fmt: skip
    # the text matches the title or the lead partner's name
    assert shown(officer.get("/applications?q=SILK")) == ["Silk value chain"]
    assert shown(officer.get("/applications?q=lariano&sort=title")) == [
        "Late chain", "Natural dyes chain", "Silk value chain",
    ]  # fmt: skip
    combined = officer.get(
        "/applications?province=CO&thematic_area=sustainability&state=label_granted"
    )
    assert shown(combined) == ["Natural dyes chain"]
    assert "Showing 1–1 of 1" in visible_text(combined)


def test_totals_follow_the_filters_for_officers_and_applicants(spread, world, login):
    officer = login(world.officer)
    assert "Showing 1–5 of 5" in visible_text(officer.get("/applications"))
    assert "Showing 1–2 of 2" in visible_text(officer.get("/applications?province=BS"))
    assert "Showing 1–3 of 3" in visible_text(officer.get("/applications?phase=1&province=CO"))
    # an applicant sees their partnerships' applications, drafts included, and nobody else's
    lead = login(world.lead)
    assert set(shown(lead.get("/applications"))) == {
        "Steel slag value chain", "Brescia draft chain", "Foundry value chain",
    }  # fmt: skip
    assert "Showing 1–2 of 2" in visible_text(
        lead.get("/applications?thematic_area=sustainability")
    )
    # a committee member sees the submitted applications of the calls they sit on
    reviewer = login(world.reviewers[0])
    assert "Showing 1–5 of 5" in visible_text(reviewer.get("/applications"))


def test_orders(spread, world, login):
    officer = login(world.officer)
    newest = shown(officer.get("/applications?sort=newest"))
    assert newest == list(reversed(shown(officer.get("/applications?sort=oldest"))))
    assert newest[0] == "Late chain"
    assert shown(officer.get("/applications?sort=title")) == sorted(newest)
    by_state = shown(officer.get("/applications?sort=state"))
    assert by_state[-1] in {"Foundry value chain", "Late chain"}  # under_evaluation sorts last
    scored = shown(officer.get("/applications?sort=score"))
    assert set(scored[:2]) == {"Steel slag value chain", "Natural dyes chain"}  # unscored last
    page = officer.get("/applications?sort=score")
    assert '<option value="score" selected>' in page.get_data(as_text=True)


def test_page_links_keep_every_filter_and_the_order(spread, world, login):
    officer = login(world.officer)
    first = officer.get("/applications?thematic_area=innovation&sort=title&per_page=2")
    assert "Showing 1–2 of 3" in visible_text(first)
    assert "/applications?thematic_area=innovation&sort=title&per_page=2&page=2" in links(first)
    second = officer.get("/applications?thematic_area=innovation&sort=title&per_page=2&page=2")
    assert shown(second) == ["Silk value chain"]
    # the downloads keep the filters too, without the page
    assert "/applications?thematic_area=innovation&sort=title&per_page=2&format=csv" in links(
        second
    )
    past = officer.get("/applications?thematic_area=innovation&per_page=2&page=7")
    assert past.status_code == 200
    assert "Page 7 is past the end (3 in all)." in visible_text(past)
    assert "/applications?thematic_area=innovation&per_page=2" in links(past)


@pytest.mark.parametrize(
    "query, says",
    [
        ("sort=cheapest", "Unknown sort 'cheapest'"),
        ("phase=3", "The phase is 1 or 2."),
        ("province=Brescia", "A province is its two-letter code"),
        ("province=1%3B", "A province is its two-letter code"),
        ("thematic_area=space", "Unknown thematic area 'space'."),
        ("call_id=-1", "call_id must be a positive whole number"),
        ("page=abc", "page and per_page must be whole numbers."),
        ("format=pdf", "Unknown export format 'pdf'"),
        ("q=" + "x" * 201, "must be text of at most 200 characters"),
    ],
)
def test_bad_parameters_get_a_400_page_saying_why(world, login, query, says):
    response = login(world.officer).get(f"/applications?{query}")
    assert response.status_code == 400
    assert says in visible_text(response)


def test_an_unknown_state_or_call_matches_nothing(spread, world, login):
    officer = login(world.officer)
    for query in ("state=flying", "call_id=999999"):
        response = officer.get(f"/applications?{query}")
        assert response.status_code == 200
        assert "No application matches these filters." in visible_text(response)


def _submitted(make, world, n):
    for i in range(n):
        make.fire(
            make.application(world.call, world.lead, title=f"Chain {i}"), world.lead, "submit"
        )


def cost(client, url: str) -> tuple[int, object]:
    """Queries of a request with a fresh session (what a new request of that person costs)."""
    db.session.expire_all()
    with counted_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter["n"], response


@pytest.mark.parametrize(
    "query", ["", "?state=submitted", "?province=BS&sort=title&page=2&per_page=3", "?q=chain"]
)
def test_the_list_costs_the_same_queries_for_5_and_50_rows(make, world, login, query):
    _submitted(make, world, 5)
    officer, lead = login(world.officer), login(world.lead)
    few_officer, _ = cost(officer, f"/applications{query}")
    few_lead, _ = cost(lead, f"/applications{query}")
    _submitted(make, world, 45)
    many_officer, page = cost(officer, f"/applications{query}")
    assert page.get_data(as_text=True).count('class="stack-title"') >= 3
    many_lead, _ = cost(lead, f"/applications{query}")
    assert few_officer == many_officer <= 8
    assert few_lead == many_lead <= 8
