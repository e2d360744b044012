"""Work queues (issue 14, item 3): what waits for each person across every workflow, longest
waiting first, with days waiting and overdue badges; the same through ``GET /me/queue``; the
proposals' dashboard of coordinators and of the AFIL board; a number of queries that does not
grow with the items."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from pagetools import counting_queries, text_of
from sqlalchemy import update

from tracker.columns import utcnow
from tracker.communities.models import Proposal
from tracker.database import commit
from tracker.extensions import db
from tracker.integrations.models import IntegrationRequest
from workflows.conditions import local_date

sys.path.insert(0, str(Path(__file__).parents[1] / "changes"))
from changeworld import ChangeWorld  # noqa: E402
from dashworld import Communities  # noqa: E402


def api_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def login(app):
    def _login(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert response.status_code == 302
        return client

    return _login


def backdate(subject, days: float) -> None:
    """``subject`` entered its state ``days`` ago."""
    model = type(subject)
    db.session.execute(
        update(model)
        .where(model.id == subject.id)
        .values(state_entered_at=utcnow() - dt.timedelta(days=days))
    )
    commit()
    db.session.expire_all()


class QueueWorld:
    """One of everything: a lead's draft, a chain asked for an integration, one submitted, one
    evaluated; a recognised chain whose lead asked to hand over to a partner; proposals waiting
    for a coordinator, the board and the Region."""

    def __init__(self, make, world) -> None:
        self.make, self.world = make, world
        self.officer, self.lead, self.call = world.officer, world.lead, world.call
        self.reviewer = world.reviewers[0]
        self.changes = ChangeWorld(make, world)  # a recognised chain, its partner's staff
        self.partner = self.changes.partner
        self.handover = self.changes.ask(self.lead, "change_lead", self.changes.partner_org)
        self.draft = make.application(self.call, self.lead, title="Draft chain")
        self.asked = make.application(self.call, self.lead, title="Asked chain")
        make.fire(self.asked, self.lead, "submit")
        make.fire(self.asked, self.reviewer, "request_integration", "Attach the letters.")
        self.submitted = make.application(self.call, self.lead, title="Submitted chain")
        make.fire(self.submitted, self.lead, "submit")
        self.evaluated = make.application(self.call, self.lead, title="Evaluated chain")
        make.fire(self.evaluated, self.lead, "submit")
        make.fire(self.evaluated, self.reviewer, "admit")
        for r in world.reviewers:
            make.review(self.evaluated, r)
        make.fire(self.evaluated, self.reviewer, "close_evaluation")
        self.c = Communities(make, self.officer)
        self.board, self.coordinator, self.member = self.c.board, self.c.coordinator, self.c.member
        self.idea = self.c.proposal("Idea proposal")
        self.at_board = self.c.proposal("Board proposal")
        self.c.drive(self.at_board, "board_review")
        self.at_region = self.c.proposal("Region proposal", community=self.c.other)
        self.c.drive(self.at_region, "submitted_to_region")
        self.admin = make.user("admin")
        self.nobody = make.user("applicant", organisation=make.organisation("Idle firm"))


@pytest.fixture
def qw(make, world) -> QueueWorld:
    return QueueWorld(make, world)


def queue_of(app, make, user, **params) -> dict:
    response = app.test_client().get(
        "/api/v1/me/queue", headers=api_headers(make.token(user)), query_string=params
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def titles(body: dict) -> list[str]:
    return [i["title"] for i in body["items"]]


EVERYTHING = {
    "Draft chain", "Asked chain", "Submitted chain", "Evaluated chain", "Idea proposal",
    "Board proposal", "Region proposal",
}  # fmt: skip


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        # the lead partner's staff: their draft to submit, the integration to answer
        ("lead", {"Draft chain", "Asked chain"}),
        # the partner named to take over as lead: the change is theirs to accept
        ("partner", {"handover"}),
        # a committee member: to admit (once declared); never a draft, nor a chain whose
        # applicants are asked for an integration (until its reply date has passed)
        ("reviewer", {"Submitted chain"}),
        # an officer: the Region's moves on applications, proposals and changes (refusing the
        # handover included); not the chain whose applicants are asked for an integration
        ("officer", {"Submitted chain", "Evaluated chain", "Region proposal", "handover"}),
        # a coordinator: their communities' proposals at the coordinators' step
        ("coordinator", {"Idea proposal"}),
        # the AFIL board: what is in board review
        ("board", {"Board proposal"}),
        ("member", set()),
        ("admin", set()),
        ("nobody", set()),
    ],
)
def test_each_person_sees_what_waits_for_them_and_nothing_else(app, make, qw, who, shown):
    body = queue_of(app, make, getattr(qw, who))
    got = {"handover" if i["kind"] == "change" else i["title"] for i in body["items"]}
    assert got == shown
    assert not (EVERYTHING - shown) & set(titles(body))
    assert body["total"] == len(body["items"]) and body["capped"] is False


def test_the_lead_does_not_wait_on_the_change_it_asked_and_a_stranger_sees_none(app, make, qw):
    lead = queue_of(app, make, qw.lead)
    assert all(i["kind"] != "change" for i in lead["items"])  # the named partner answers
    assert queue_of(app, make, qw.changes.stranger)["items"] == []


def test_a_member_with_a_declared_conflict_does_not_wait_on_that_application(app, make, qw):
    other = qw.world.reviewers[1]
    assert "Submitted chain" in titles(queue_of(app, make, other))
    make.declare(qw.submitted, other, conflict=True, reason="My university is a partner.")
    assert "Submitted chain" not in titles(queue_of(app, make, other))


def test_each_source_gathers_its_oldest_and_says_when_it_left_some_out(app, qw):
    from tracker.dashboards.queue import queue_for

    backdate(qw.submitted, 9)
    with app.test_request_context():
        capped = queue_for(qw.officer, per_source=1)
        whole = queue_for(qw.officer)
    assert capped.capped is True and whole.capped is False
    # one application (the oldest of the candidates), one proposal, one change
    assert sorted(i.kind for i in capped.items) == ["application", "change", "proposal"]
    assert capped.items[0].title == "Submitted chain"  # 9 days: the longest waiting


# --- order, days and overdue ------------------------------------------------------------------


def test_longest_waiting_first_across_workflows_with_days_and_overdue(app, make, qw):
    backdate(qw.evaluated, 45)  # the Region's decree: 30 days, overdue
    backdate(qw.at_region, 60)  # proposals have no service time
    backdate(qw.submitted, 5)
    backdate(qw.handover, 31)  # a change: 30 days
    body = queue_of(app, make, qw.officer)
    order = [("change" if i["kind"] == "change" else i["title"]) for i in body["items"]]
    assert order[:4] == ["Region proposal", "Evaluated chain", "change", "Submitted chain"]
    by = {("change" if i["kind"] == "change" else i["title"]): i for i in body["items"]}
    region, evaluated = by["Region proposal"], by["Evaluated chain"]
    assert region["days_waiting"] == 60 and region["due"] is None and not region["overdue"]
    assert region["kind"] == "proposal" and region["workflow"] == "community_proposal"
    assert region["next_trigger"] == "acknowledge" and region["state"] == "submitted_to_region"
    assert region["link"] == f"/proposals/{qw.at_region.id}"
    assert region["resource"] == f"/api/v1/proposals/{qw.at_region.id}"
    entered = local_date(utcnow() - dt.timedelta(days=45))
    assert evaluated["days_waiting"] == 45 and evaluated["overdue"] is True
    assert evaluated["due"] == (entered + dt.timedelta(days=30)).isoformat()
    assert evaluated["next_trigger"] == "grant_label"
    assert by["change"]["overdue"] is True and by["change"]["workflow"] == "partnership_change"
    assert by["Submitted chain"]["overdue"] is False  # 5 of its 30 days


def test_the_applicants_time_is_due_by_the_reply_date_never_a_service_time(app, make, qw):
    backdate(qw.asked, 400)  # the clock is suspended: no service time can make it overdue
    item = next(i for i in queue_of(app, make, qw.lead)["items"] if i["title"] == "Asked chain")
    request = db.session.query(IntegrationRequest).filter_by(application_id=qw.asked.id).one()
    assert item["reply_awaited"] is True and item["due"] == request.reply_by.isoformat()
    assert item["overdue"] is False and item["next_trigger"] is None  # reply with the concept note
    db.session.execute(
        update(IntegrationRequest)
        .where(IntegrationRequest.id == request.id)
        .values(reply_by=local_date(utcnow()) - dt.timedelta(days=2))
    )
    commit()
    item = next(i for i in queue_of(app, make, qw.lead)["items"] if i["title"] == "Asked chain")
    assert item["overdue"] is True
    home = text_of(login_as(app, qw.lead).get("/"))
    row = re.search(r"Application Asked chain .*?(?=Application |Your applications)", home)
    assert "reply overdue" in row.group(0) and "400 days" in row.group(0)


def login_as(app, user):
    client = app.test_client()
    assert (
        client.post("/login", data={"email": user.email, "password": "secret-pass"}).status_code
        == 302
    )
    return client


# --- the pages --------------------------------------------------------------------------------


def test_the_home_page_lists_the_queue_in_english_and_italian(qw, login):
    backdate(qw.evaluated, 45)
    officer = login(qw.officer)
    home = text_of(officer.get("/"))
    waiting = home.split("What waits for you")[1]
    assert "Community proposal Region proposal" in waiting and "Evaluated chain" in waiting
    assert "45 days" in waiting and "overdue" in waiting and "Your move" in waiting
    assert "Board proposal" not in waiting and "Idea proposal" not in waiting
    italian = text_of(officer.get("/", headers={"Accept-Language": "it"}))
    assert "Proposta di comunità" in italian and "45 giorni" in italian
    assert "in ritardo" in italian
    coordinator_home = text_of(login(qw.coordinator).get("/"))
    assert "Nothing waits for you right now." not in coordinator_home
    assert "Idea proposal" in coordinator_home and "Start concept validation." in coordinator_home
    board_home = text_of(login(qw.board).get("/"))
    assert "Board proposal" in board_home and "Approve (board)." in board_home
    assert "Nothing waits for you right now." in text_of(login(qw.nobody).get("/"))


def test_the_home_page_caps_the_queue_and_links_the_whole_of_it(qw, login, make, monkeypatch):
    from tracker.dashboards import pages

    monkeypatch.setattr(pages, "SHOWN", 2)
    officer = login(qw.officer)
    home = text_of(officer.get("/"))
    assert "And 2 more: see the whole queue" in home  # 4 items, 2 shown
    whole = officer.get("/dashboard/queue?per_page=3")
    assert whole.status_code == 200
    assert "Showing 1–3 of 4" in text_of(whole)
    assert "Showing 4–4 of 4" in text_of(officer.get("/dashboard/queue?per_page=3&page=2"))
    assert officer.get("/dashboard/queue?page=0").status_code == 400


# --- the API ----------------------------------------------------------------------------------


def test_the_api_pages_the_queue(app, make, qw):
    whole = queue_of(app, make, qw.officer)
    first = queue_of(app, make, qw.officer, per_page=1)
    second = queue_of(app, make, qw.officer, per_page=1, page=2)
    assert first["total"] == whole["total"] == 4 and first["per_page"] == 1
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [
        i["id"] for i in whole["items"][:2]
    ]
    keys = {"kind", "id", "title", "workflow", "state", "waiting_since", "days_waiting", "due",
            "overdue", "reply_awaited", "link", "resource", "next_trigger", "next_step"}  # fmt: skip
    assert set(whole["items"][0]) == keys
    client = app.test_client()
    bad = client.get("/api/v1/me/queue?page=0", headers=api_headers(make.token(qw.officer)))
    assert bad.status_code == 400 and bad.get_json()["error"]["code"]
    assert client.get("/api/v1/me/queue").status_code == 401


def test_a_trigger_the_queue_names_can_be_fired_at_its_resource(app, make, qw):
    token = make.token(qw.board)
    item = queue_of(app, make, qw.board)["items"][0]
    response = app.test_client().post(
        item["resource"] + "/transitions",
        json={"trigger": item["next_trigger"]},
        headers=api_headers(token),
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert queue_of(app, make, qw.board)["items"] == []


# --- bounded ----------------------------------------------------------------------------------


def _queue_queries(app, token) -> int:
    db.session.expire_all()
    client = app.test_client()
    with counting_queries() as counter:
        assert client.get("/api/v1/me/queue", headers=api_headers(token)).status_code == 200
    return counter["n"]


@pytest.mark.parametrize("who", ["officer", "lead", "coordinator"])
def test_the_queue_costs_a_fixed_number_of_queries(app, make, qw, who):
    user = getattr(qw, who)
    token = make.token(user)
    _queue_queries(app, token)  # the first request of a process reads some settings once
    few = _queue_queries(app, token)
    before = queue_of(app, make, user)["total"]
    for n in range(3):
        draft = make.application(qw.call, qw.lead, title=f"More {n}")
        make.fire(make.application(qw.call, qw.lead, title=f"Sent {n}"), qw.lead, "submit")
        asked = make.application(qw.call, qw.lead, title=f"Asked {n}")
        make.fire(asked, qw.lead, "submit")
        make.fire(asked, qw.reviewer, "request_integration", "Why?")
        qw.c.drive(qw.c.proposal(f"Idea {n}"), "idea")
        qw.c.drive(qw.c.proposal(f"Region {n}", community=qw.c.other), "submitted_to_region")
        assert draft.id
    qw.changes.ask(qw.changes.joiner, "join", qw.changes.joiner_org)  # the lead answers
    assert queue_of(app, make, user)["total"] >= before + 3
    assert _queue_queries(app, token) == few


# --- the proposals' dashboard -----------------------------------------------------------------


def test_coordinators_see_their_communities_open_proposals_with_days_waiting(qw, login):
    backdate(qw.idea, 12)
    text = text_of(login(qw.coordinator).get("/dashboard/communities"))
    assert "Open proposals, longest waiting first" in text and "you coordinate it" in text
    assert re.search(r"Idea proposal Idea 12 since .*? a coordinator", text)
    assert re.search(r"Board proposal Board review 0 since .*? an AFIL board member", text)
    assert "Waiting for the AFIL board" not in text  # not a board member
    member = text_of(login(qw.member).get("/dashboard/communities"))
    assert "Idea proposal" in member and "Region proposal" not in member  # another community
    csv_text = login(qw.coordinator).get("/dashboard/communities?format=csv&table=open")
    assert "Idea proposal" in csv_text.get_data(as_text=True)


def test_the_board_sees_every_proposal_that_waits_for_it(qw, login):
    elsewhere = qw.c.proposal("Polymer proposal", community=qw.c.other)
    qw.c.drive(elsewhere, "board_review")
    board = login(qw.board)
    assert board.get("/dashboard").headers["Location"].endswith("/dashboard/communities")
    text = text_of(board.get("/dashboard/communities"))
    section = text.split("Waiting for the AFIL board")[1]
    assert "2 proposals" in section
    # by community: Advanced Polymers before De- and Remanufacturing
    assert re.search(
        r"Advanced Polymers Polymer proposal .*De- and Remanufacturing Board proposal", section
    )
    assert "Idea proposal" not in text and "Region proposal" not in text
    italian = text_of(board.get("/dashboard/communities", headers={"Accept-Language": "it"}))
    assert "In attesa del consiglio direttivo di AFIL" in italian and "Giorni di attesa" in italian
    proposal = db.session.get(Proposal, elsewhere.id)
    assert proposal.state == "board_review"
