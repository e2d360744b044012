"""The search finds only what the person may see: applicants their partnerships' applications
(drafts included), committee members and officers submitted ones, the public the registry's
chains by title and their organisations. Pages and API agree; no query makes them fail."""

from __future__ import annotations

import pytest
from pagetools import text_of

from tracker.pagination import PageRequest
from tracker.search import queries as search

PAGE = PageRequest(1, 50)


def _ids(user, text):
    return {hit.id for hit in search.search_applications(user, text, PAGE)[0]}


@pytest.fixture
def chains(cw, make, world):
    """The recognised chain (title 'Steel value chain'), another partnership's draft, and a
    submitted application, all about slag."""
    other_org = make.organisation("Scorie Riciclate Srl", province="BG")
    other_lead = make.user("applicant", organisation=other_org)
    draft = make.application(world.call, other_lead, title="Slag draft of another firm")
    submitted = make.application(world.call, other_lead, title="Slag recovery chain")
    make.fire(submitted, other_lead, "submit")
    return cw, draft, submitted, other_lead


def test_each_person_finds_what_they_may_see(chains, world):
    cw, draft, submitted, other_lead = chains
    assert _ids(cw.lead, "slag") == set()  # none of theirs is about slag by title or note
    assert _ids(cw.lead, "steel") == {cw.chain.id}
    assert _ids(other_lead, "slag") == {draft.id, submitted.id}  # its own draft included
    assert _ids(world.officer, "slag") == {submitted.id}  # never someone else's draft
    assert _ids(world.reviewers[0], "slag chain") == {submitted.id}
    assert _ids(None, "slag") == set()  # the public: the registry only
    assert _ids(None, "steel") == {cw.chain.id}
    assert _ids(None, "challenges") == set()  # ...by title: its concept note is not public
    assert _ids(world.officer, "challenges") >= {cw.chain.id}


def test_the_public_finds_only_the_registry_s_organisations(chains, world):
    cw, *_ = chains
    found = {h.id for h in search.search_organisations(None, "firm scorie duferco", PAGE)[0]}
    assert found == set()
    public = {h.id for h in search.search_organisations(None, "duferco", PAGE)[0]}
    assert public == {world.lead_org.id}
    assert {h.id for h in search.search_organisations(None, "scorie", PAGE)[0]} == set()
    assert {h.id for h in search.search_organisations(world.officer, "scorie", PAGE)[0]}


def test_search_page_groups_marks_and_pages(app, chains, login, world):
    cw, draft, submitted, other_lead = chains
    client = login(other_lead)
    page = client.get("/search?q=slag")
    body = page.get_data(as_text=True)
    assert page.status_code == 200, text_of(page)[:2000]
    assert (
        "<mark>Slag</mark> draft of another firm" in body
        and "<mark>Slag</mark> recovery chain" in body
    )
    assert 'id="organisations"' in body
    one = client.get("/search?q=slag&in=applications&per_page=1&page=2")
    assert one.status_code == 200 and "Showing 2–2 of 2" in text_of(one)
    assert client.get("/search?q=slag&in=nothing").status_code == 400
    public = app.test_client().get("/search?q=steel")
    assert public.status_code == 200
    assert f"/registry/{cw.chain.label.code}" in public.get_data(as_text=True)
    empty = app.test_client().get("/search?q=%22%27%28")
    assert empty.status_code == 200 and "has no word to look for" in text_of(empty)
    assert "Type the words" in text_of(app.test_client().get("/search"))


@pytest.mark.parametrize(
    "q", ['"', 'steel"', "NEAR(steel", "title:steel", "steel*", "AND OR NOT", "ü", "%", "_"]
)
def test_api_answers_any_query(app, chains, make, world, q):
    token = make.token(world.officer)
    answer = app.test_client().get(
        "/api/v1/search", query_string={"q": q}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.get_json()


def test_api_groups_and_tokens(app, chains, make, world):
    cw, draft, submitted, other_lead = chains
    client = app.test_client()
    token = make.token(other_lead)
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.get("/api/v1/search?q=slag", headers=headers).get_json()
    assert answer["words"] == ["slag"]
    assert {i["id"] for i in answer["applications"]["items"]} == {draft.id, submitted.id}
    assert answer["applications"]["total"] == 2 and answer["organisations"]["total"] == 0
    only = client.get("/api/v1/search?q=scorie&in=organisations", headers=headers).get_json()
    assert only["applications"] is None and only["organisations"]["total"] == 1
    public = client.get("/api/v1/search?q=steel").get_json()
    [hit] = public["applications"]["items"]
    assert hit["label_code"] == cw.chain.label.code and hit["snippet"] == ""
    assert "<mark>Steel</mark>" in hit["title"]
    bad = client.get("/api/v1/search?q=steel", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    assert client.get("/api/v1/search?q=steel&in=x").status_code == 400
    assert client.get("/api/v1/search?q=steel&page=0").status_code == 400


def test_applications_list_q_uses_the_index(app, chains, login, make, world):
    cw, draft, submitted, other_lead = chains
    token = make.token(world.officer)
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()

    def listed(q):
        answer = client.get("/api/v1/applications", query_string={"q": q}, headers=headers)
        assert answer.status_code == 200
        return {item["id"] for item in answer.get_json()["items"]}

    assert listed("slag recov") == {submitted.id}
    assert listed("scorie riciclate") == {submitted.id}  # the lead partner's name
    assert listed("duferco") == {cw.chain.id}
    assert listed("Our challenges") >= {cw.chain.id}  # the concept note too
    assert listed('"(') == set()
    page = login(world.officer).get("/applications?q=slag")
    assert page.status_code == 200 and "Slag recovery chain" in text_of(page)
