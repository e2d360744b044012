"""Lists, filters, pagination, public pages, the home page, and how many queries they cost."""

from __future__ import annotations

import re

import pytest
from pagetools import counting_queries, text_of

from tracker.extensions import db
from tracker.reports.queries import KEPT


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def test_application_list_filters_and_pages_with_stable_links(make, world, login):
    for i in range(7):
        make.application(world.call, world.lead, complete=False, title=f"Chain {i:02d}")
    make.application(world.call, world.lead, complete=False, title="Other thing")
    client = login(world.lead)

    page1 = client.get("/applications?q=chain&per_page=3")
    html = page1.get_data(as_text=True)
    text = text_of(page1)
    assert "Showing 1–3 of 7" in text
    assert "Other thing" not in text
    assert "Chain 06" in text and "Chain 04" in text and "Chain 03" not in text  # newest first
    links = hrefs(html)
    assert "/applications?q=chain&per_page=3&page=2" in links
    assert "/applications?q=chain&per_page=3&page=3" in links

    page3 = client.get("/applications?q=chain&per_page=3&page=3")
    assert "Showing 7–7 of 7" in text_of(page3)
    assert "Chain 00" in text_of(page3)
    assert "/applications?q=chain&per_page=3&page=2" in hrefs(page3.get_data(as_text=True))

    past = client.get("/applications?q=chain&per_page=3&page=9")
    assert "Page 9 is past the end (7 in all)." in text_of(past)
    assert client.get("/applications?page=0").status_code == 400
    assert client.get("/applications?call_id=abc").status_code == 400

    by_state = text_of(client.get(f"/applications?state=submitted&call_id={world.call.id}"))
    assert "No application matches these filters." in by_state


def test_an_empty_list_says_so(make, world, login):
    text = text_of(login(world.lead).get("/applications"))
    assert "No applications you can see yet." in text
    assert "See the open calls" in text


def test_the_list_shows_badge_phase_and_lead(make, world, login):
    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    html = login(world.officer).get("/applications").get_data(as_text=True)
    assert re.search(r'class="badge tone-waiting"[^>]*>Submitted<', html)
    assert '<span class="phase">Phase 1</span>' in html
    assert "Duferco Travi e Profilati" in text_of_html_row(html, "Steel value chain")


def text_of_html_row(html, title):
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(title)}.*?</tr>", html, re.S).group(0)
    return re.sub(r"<[^>]+>", " ", row)


def _queries_for(client, url) -> int:
    db.session.expire_all()  # as a fresh request would: nothing loaded beforehand
    client.application.extensions.pop(KEPT, None)  # the overdue reports counted afresh
    with counting_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200
    return counter["n"]


@pytest.mark.parametrize("url", ["/applications", "/"])
def test_list_pages_cost_a_fixed_number_of_queries(make, world, login, url):
    def add(n):
        for _ in range(n):
            application = make.application(world.call, world.lead)
            make.fire(application, world.lead, "submit")

    add(2)
    officer = login(world.officer)
    officer.get(url)  # the first page of a process also asks once whether the demo is loaded
    few = _queries_for(officer, url)
    add(4)
    db.session.expire_all()
    assert _queries_for(officer, url) == few


def test_the_application_page_costs_a_fixed_number_of_queries(make, world, login):
    """More partners, reviews and history rows do not mean more queries."""

    def evaluated(extra_firms):
        application = make.application(world.call, world.lead, firms=3 + extra_firms)
        make.fire(application, world.lead, "submit")
        make.fire(application, world.officer, "admit")
        for reviewer in world.reviewers:
            make.review(application, reviewer)
        make.fire(application, world.officer, "close_evaluation")
        return application

    small, large = evaluated(0), evaluated(6)
    make.fire(large, world.lead, "withdraw")
    officer = login(world.officer)
    db.session.expire_all()
    few = _queries_for(officer, f"/applications/{small.id}")
    db.session.expire_all()
    assert _queries_for(officer, f"/applications/{large.id}") <= few


def test_home_says_what_waits_for_each_person(make, world, login, client):
    anonymous = text_of(client.get("/"))
    assert "Lombardy's value chains, step by step" in anonymous
    assert "See the recognised value chains" in anonymous

    draft = make.application(world.call, world.lead, complete=False, title="Half-done chain")
    ready = make.application(world.call, world.lead, title="Ready chain")
    lead_home = text_of(login(world.lead).get("/"))
    assert "What waits for you" in lead_home and "Your applications" in lead_home
    assert "Submit the concept note: not yet" in lead_home
    assert "1 of the 3 required firms with a seat in Lombardy." in lead_home
    assert "Submit the concept note." in lead_home  # the ready one can go

    reviewer = login(world.reviewers[0])
    assert "Nothing waits for you right now." in text_of(reviewer.get("/"))
    make.fire(ready, world.lead, "submit")
    reviewer_home = text_of(reviewer.get("/"))
    # a committee member declares about a conflict of interest before acting (issue 14)
    assert (
        "Ready chain" in reviewer_home and "declare about a conflict of interest" in reviewer_home
    )
    assert "Then: admit to evaluation." in reviewer_home
    make.declare(ready, world.reviewers[0])
    reviewer_home = text_of(reviewer.get("/"))
    assert "Ready chain" in reviewer_home and "Admit to evaluation." in reviewer_home
    assert "Half-done chain" not in reviewer_home  # a draft is nobody else's business

    # once submitted, the lead waits for the committee: it leaves the lead's worklist
    lead_home = text_of(login(world.lead).get("/"))
    waiting_part = lead_home.split("Your applications")[0]
    assert "Ready chain" not in waiting_part and "Half-done chain" in waiting_part
    assert "Waiting for others" in lead_home
    assert draft.id != ready.id


def test_organisations_search_and_pages(make, login):
    user = make.user("applicant", organisation=make.organisation("Zeta Srl"))
    for i in range(5):
        make.organisation(f"Acciaieria {i}", province="BS")
    client = login(user)
    page = client.get("/organisations?q=acciai&per_page=2")
    text = text_of(page)
    assert "Showing 1–2 of 5" in text and "Acciaieria 0" in text and "Zeta Srl" not in text
    assert "/organisations?q=acciai&per_page=2&page=3" in hrefs(page.get_data(as_text=True))
    vat = make.organisation("Findable by VAT").vat_number
    assert "Findable by VAT" in text_of(client.get(f"/organisations?q=IT{vat}"))
    assert "No organisation matches “nothing-like-this”" in text_of(
        client.get("/organisations?q=nothing-like-this")
    )
    assert make.app.test_client().get("/organisations").status_code == 302  # login first


def test_registry_is_public_and_paginated(make, world, client):
    assert "No value chain has been recognised yet." in text_of(client.get("/registry"))
    for i in range(3):
        application = make.application(world.call, world.lead, title=f"Recognised {i}")
        make.fire(application, world.lead, "submit")
        make.fire(application, world.officer, "admit")
        for reviewer in world.reviewers:
            make.review(application, reviewer)
        make.fire(application, world.officer, "close_evaluation")
        make.fire(
            application,
            world.officer,
            "grant_label",
            decree_number=f"10{i}",
            decree_date=f"2023-0{i + 1}-15",
        )
    page = client.get("/registry?per_page=2")
    text = text_of(page)
    assert "3 recognised value chains" in text
    assert "Recognised 2" in text and "no. 102" in text and "15/03/2023" in text
    assert "FIL-2023-" in text
    assert "Recognised 0" not in text  # on page 2
    assert "Recognised 0" in text_of(client.get("/registry?per_page=2&page=2"))
    assert '<html lang="en">' in page.get_data(as_text=True)


def test_workflow_pages_describe_the_definition(client):
    index = text_of(client.get("/workflows"))
    assert "Value-chain Expression of Interest" in index
    page = client.get("/workflows/value_chain")
    text = text_of(page)
    assert "Integration requested" in text and "The committee asked for documents" in text
    assert "Grant the quality label" in text and "Decree date (a date)." in text
    assert "The average score reaches the call's threshold." in text
    assert "a Region officer or a committee member without conflict of interest" in text
    assert "stateDiagram-v2" in page.get_data(as_text=True)
    missing = client.get("/workflows/nope")
    assert missing.status_code == 404 and "No workflow named 'nope'." in text_of(missing)


def test_calls_pages(make, world, login, client):
    text = text_of(client.get("/calls"))
    assert "Value-chain EOI" in text and "Open" in text
    detail = text_of(client.get(f"/calls/{world.call.id}"))
    assert "Coherence" in detail and "Total 100" in detail
    assert "at least 3 firms with a seat in Lombardy" in detail
    assert "Evaluation committee" not in detail  # names for logged-in people only
    assert "Applications by state" not in detail

    application = make.application(world.call, world.lead)
    make.fire(application, world.lead, "submit")
    staff = text_of(login(world.officer).get(f"/calls/{world.call.id}"))
    assert "Applications by state" in staff and "Submitted 1" in staff
    assert world.reviewers[0].name in staff
    assert "Apply to this call" in text_of(login(world.lead).get(f"/calls/{world.call.id}"))
    assert client.get("/calls/999").status_code == 404


def test_organisation_search_takes_wildcards_literally(make, login):
    user = make.user("applicant", organisation=make.organisation("Zeta Srl"))
    make.organisation("100% Riciclo Srl")
    make.organisation("Ferro_Lombardo")
    client = login(user)
    assert "100% Riciclo Srl" in text_of(client.get("/organisations?q=100%25"))
    everything = text_of(client.get("/organisations?q=%25"))
    assert "100% Riciclo Srl" in everything and "Zeta Srl" not in everything
    underscore = text_of(client.get("/organisations?q=o_L"))
    assert "Ferro_Lombardo" in underscore and "Zeta Srl" not in underscore


def test_starting_an_application_without_a_call_offers_the_open_ones(make, world, login):
    make.call(world.officer, title="Closed measure", opens_at="2022-03-01", deadline="2022-12-31")
    page = text_of(login(world.lead).get("/applications/new"))
    assert "Choose the call you are applying to" in page
    assert "Value-chain EOI" in page and "Closed measure" not in page
