"""The API's list of applications answers a page in a fixed number of queries whoever asks and
however full the page is: the page's rows are read once with what judging each viewer's options
and writing the answers read (``tracker.applications.queries.judging_options``), and each item is
the answer the application's own route gives."""

from __future__ import annotations

from pagetools import counting_queries
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import available_transitions
from tracker.applications.queries import judging_options, load_judged
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


STATES = ("draft", "submitted", "integration_requested", "under_evaluation", "evaluated")


def _queries(api, query: str = "") -> int:
    db.session.expire_all()  # as cold as a request in its own session
    with counting_queries() as counter:
        answer = api.get(f"/applications?per_page=200{query}")
    assert answer.status_code == 200
    return counter["n"]


def _costs(viewers) -> dict:
    return {
        (who, state): _queries(api, f"&state={state}" if state else "")
        for who, api in viewers.items()
        for state in (None, *STATES)
    }


def test_a_page_costs_the_same_queries_for_every_viewer_however_full(make, world, people):
    """Unfiltered (every state on one page) and filtered by each state, which loads only what
    the transitions from that state check."""
    annex = define_annex(
        world.officer, world.call, {"name": "Letters", "required": False, "max_mb": 1}
    )
    viewers = {"lead": people.lead, "officer": people.officer, "member": people.reviewers[0]}
    for api in viewers.values():
        api.get("/me")  # a token's first use is recorded: not the list's cost
    _spread(make, world, annex)
    before = _costs(viewers)
    for _ in range(2):
        _spread(make, world, annex)
    assert people.officer.get("/applications").get_json()["total"] == 12  # drafts unseen
    assert {s: people.lead.get(f"/applications?state={s}").get_json()["total"] for s in STATES} == {
        s: 3 for s in STATES
    }
    assert _costs(viewers) == before


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


def _loaded_for(viewer, query) -> tuple[dict[str, set[str]], int, list[Application]]:
    """Which of the state-bound collections ``load_judged`` read, for the applications of each
    state, and the statements it took."""
    db.session.expire_all()  # as cold as a request in its own session
    with counting_queries() as counter:
        apps = load_judged(query, viewer)
    loaded: dict[str, set[str]] = {}
    for app in apps:
        held = {"reviews", "integration_requests", "annex_documents"} & set(vars(app))
        loaded.setdefault(app.state, set()).update(held)
    return loaded, counter["n"], apps


def test_a_mixed_page_reads_what_some_states_need_for_the_applications_in_them_alone(
    make, world, people
):
    """The reviews of those under evaluation or evaluated, the requests of the one asked for an
    integration, the annexes where the lead submits; nothing for the others, no statement for
    them when no application needs it. Each is then judged without a query."""
    annex = define_annex(
        world.officer, world.call, {"name": "Letters", "required": False, "max_mb": 1}
    )
    _spread(make, world, annex)
    officer, lead = world.officer, world.lead
    loaded, statements, apps = _loaded_for(officer, select(Application))
    assert loaded["draft"] == loaded["submitted"] == set()
    assert "reviews" in loaded["under_evaluation"] & loaded["evaluated"]
    assert "integration_requests" in loaded["integration_requested"]
    with counting_queries() as counter:
        judged = {a.state: [o.trigger for o in available_transitions(officer, a)] for a in apps}
    assert counter["n"] == 0
    assert "close_evaluation" in judged["under_evaluation"]

    loaded, _, _ = _loaded_for(lead, select(Application))
    assert loaded["submitted"] == set()
    assert "annex_documents" in loaded["draft"] & loaded["integration_requested"]

    calm = select(Application).where(Application.state == "submitted")
    loaded, fewer, _ = _loaded_for(officer, calm)
    assert loaded == {"submitted": set()}
    assert fewer < statements  # no read of the others' collections at all


#: what each condition of the applications' workflows reads beyond what judging always loads
#: (columns, call, window, areas, label, lead partner, partners and their organisations): a new
#: condition is added here, and to ``judging_options`` if it reads another relationship
READS = {
    "required_annexes_present": "annex_documents",
    "min_reviews": "reviews",
    "score_threshold": "reviews",
    "integration_answered": "integration_requests",  # pending_integration
    "reply_overdue": "integration_requests",
    "conflict_not_declared": "declarations",
}
READS_NOTHING_MORE = {
    "agreement_signed", "budget_available", "call_open", "concept_note_complete", "cup_recorded",
    "cup_well_formed", "final_report_accepted", "first_in_line", "funds_available",
    "grant_within_request", "lead_is_firm", "lead_is_public_research", "min_lombardy_firms",
    "min_lombardy_smes", "one_project_per_firm", "partners_verified", "reply_within_period",
    "spend_in_range", "threshold_before_bonus", "within_max_grant",
}  # fmt: skip
#: a person holding each object role, as the roles of their account give it
HOLDER = {"lead": "applicant", "partner": "applicant", "reviewer": "reviewer", "officer": "officer"}


class _Person:
    is_authenticated = True
    organisation_id = 1

    def __init__(self, role: str) -> None:
        self.role = role

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


def _loaded(options) -> set[str]:
    return {
        str(o.path).split("Application.")[1].split(" ")[0]
        for o in options
        if "Application." in str(o.path)
    }


def test_judging_loads_what_the_conditions_a_viewer_faces_in_a_state_read():
    """For every transition, from each of its states, a person who may fire it gets what its
    conditions read loaded with the page (else one query per application)."""
    wfs = APPLICATION_WORKFLOWS.values()
    names = {c.name for wf in wfs for t in wf.transitions for c in t.conditions}
    assert names == set(READS) | READS_NOTHING_MORE
    for wf in wfs:
        for t in wf.transitions:
            for source in t.sources:
                suspended = wf.state(source).clock_suspended
                for role in t.roles:
                    loaded = _loaded(judging_options(_Person(HOLDER[role]), (source,)))
                    for c in t.conditions:
                        what = READS.get(c.name)
                        if what == "integration_requests" and not suspended:
                            continue  # pending_integration reads them only while suspended
                        if what == "declarations" and role != "reviewer":
                            continue  # the condition asks committee members only
                        assert what is None or what in loaded, (wf.name, t.trigger, role, c.name)
    everything = _loaded(judging_options())
    assert set(READS.values()) <= everything  # no viewer, no state: all of it
