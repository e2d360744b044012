"""The API's list of applications answers a page in a fixed number of queries whoever asks and
however full the page is: the page's rows are read once with what judging each viewer's options
and writing the answers read (``tracker.applications.queries.judging_options``), and each item is
the answer the application's own route gives."""

from __future__ import annotations

from pagetools import counting_queries

from tracker.documents.annexes import define_annex, upload_annex
from tracker.documents.samples import MINIMAL_PDF
from tracker.extensions import db
from workflows import APPLICATION_WORKFLOWS


def _spread(make, world, annex) -> None:
    """One application in each kind of state a page mixes: a draft with an annex uploaded, one
    submitted, one asked for an integration, one under evaluation with a review, one evaluated
    (every review in), each with a partner more than the call needs."""
    lead, officer, (first, second) = world.lead, world.officer, world.reviewers

    def application(*moves):
        app = make.application(world.call, lead, firms=world.call.min_firms + 1)
        for who, trigger, *comment in moves:
            make.fire(app, who, trigger, *comment)
        return app

    draft = application()
    upload_annex(lead, draft, annex.id, "letter.pdf", MINIMAL_PDF)
    application((lead, "submit"))
    application((lead, "submit"), (first, "request_integration", "Which slag?"))
    reviewing = application((lead, "submit"), (officer, "admit"))
    make.review(reviewing, first)
    evaluated = application((lead, "submit"), (officer, "admit"))
    make.review(evaluated, first)
    make.review(evaluated, second)
    make.fire(evaluated, officer, "close_evaluation")


def _queries(api) -> int:
    db.session.expire_all()  # as cold as a request in its own session
    with counting_queries() as counter:
        answer = api.get("/applications?per_page=200")
    assert answer.status_code == 200
    return counter["n"]


def test_a_page_costs_the_same_queries_for_every_viewer_however_full(make, world, people):
    annex = define_annex(
        world.officer, world.call, {"name": "Letters", "required": False, "max_mb": 1}
    )
    viewers = {"lead": people.lead, "officer": people.officer, "member": people.reviewers[0]}
    for api in viewers.values():
        api.get("/me")  # a token's first use is recorded: not the list's cost
    _spread(make, world, annex)
    before = {who: _queries(api) for who, api in viewers.items()}
    for _ in range(2):
        _spread(make, world, annex)
    assert people.officer.get("/applications").get_json()["total"] == 12  # drafts unseen
    assert {who: _queries(api) for who, api in viewers.items()} == before


def test_each_item_is_the_answer_of_its_own_route(make, world, people):
    annex = define_annex(
        world.officer, world.call, {"name": "Letters", "required": False, "max_mb": 1}
    )
    _spread(make, world, annex)
    for api in (people.lead, people.officer, *people.reviewers):
        items = api.get("/applications?per_page=200").get_json()["items"]
        assert items
        for item in items:
            assert item == api.get(f"/applications/{item['id']}").get_json()
            assert [p["lead"] for p in item["partners"]].count(True) == 1


def test_the_workflows_check_annexes_and_reviews_only_where_judging_options_loads_them():
    """``judging_options(viewer)`` loads the annexes for applicants only, the reviews for officers
    and committee members only, the declarations for committee members only: a transition
    checking them for anyone else would read them one query per application."""
    checked_by = {
        "required_annexes_present": {"lead", "partner"},
        "min_reviews": {"officer", "reviewer"},
        "score_threshold": {"officer", "reviewer"},
        "conflict_not_declared": {"officer", "reviewer"},  # and it reads them for members only
    }
    for wf in APPLICATION_WORKFLOWS.values():
        for t in wf.transitions:
            for c in t.conditions:
                if c.name in checked_by:
                    assert t.roles <= checked_by[c.name], (wf.name, t.trigger, c.name)
