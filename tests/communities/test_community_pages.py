"""Communities, proposals and the HUB call walked through the pages, by each person in turn,
with the refusals a person meets on the way."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "views"))
from pagetools import text_of  # noqa: E402

from tracker.communities.models import Proposal  # noqa: E402
from tracker.extensions import db  # noqa: E402


@pytest.fixture
def login(app):
    def _login(user):
        client = app.test_client()
        r = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert r.status_code == 302
        return client

    return _login


def proposal(pid: int) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, pid)


def fire(client, pid, trigger, comment="", confirm=True, **data):
    form = {"trigger": trigger, "version": str(proposal(pid).version), "comment": comment}
    if confirm:
        form["confirm"] = "y"
    form |= {f"data-{k}": v for k, v in data.items()}
    return client.post(f"/proposals/{pid}/transitions", data=form)


def test_a_proposal_through_the_pages(cw, login):
    member, coordinator = login(cw.member), login(cw.coordinator)
    board, officer, stranger = login(cw.board), login(cw.officer), login(cw.stranger)

    # the communities list and the community's page
    page = text_of(member.get("/communities"))
    assert "De- and Remanufacturing for Circular Economy" in page and "Advanced Polymers" in page
    page = text_of(member.get(f"/communities/{cw.community.id}"))
    assert "you are a member" in page and "Raise an idea" in page
    assert "Add a member" not in page
    assert stranger.get(f"/proposals/new?community_id={cw.community.id}").status_code == 403

    # a member raises an idea; a missing title is refused with what was typed kept
    r = member.post(f"/proposals/new?community_id={cw.community.id}", data={"summary": "Kept."})
    assert r.status_code == 422 and "Title is required." in text_of(r) and "Kept." in r.text
    r = member.post(
        f"/proposals/new?community_id={cw.community.id}",
        data={"title": "Lombardy Roadmap for R&I on Circular Economy", "summary": "Priorities."},
    )
    assert r.status_code == 302
    pid = int(re.search(r"/proposals/(\d+)$", r.location).group(1))
    page = text_of(member.get(f"/proposals/{pid}"))
    assert "Idea" in page and "Nothing you can do at this stage." in page
    assert "Start concept validation: a coordinator of the community" in page
    assert 'data-current="idea"' in member.get(f"/proposals/{pid}").text
    assert stranger.get(f"/proposals/{pid}").status_code == 403
    assert board.get(f"/proposals/{pid}").status_code == 403

    # the member edits the summary while it is an idea
    r = member.post(f"/proposals/{pid}/edit", data={"title": "Roadmap for R&I on Circular Economy", "summary": "Five priorities.", "version": "1"})  # fmt: skip
    assert r.status_code == 302 and proposal(pid).summary == "Five priorities."
    r = member.post(f"/proposals/{pid}/edit", data={"title": "Late", "version": "1"})
    assert r.status_code == 409 and "Someone else changed this proposal" in text_of(r)

    # coordinators move it; a member trying is refused with the reason
    r = fire(member, pid, "start_validation")
    assert r.status_code == 403
    assert fire(coordinator, pid, "start_validation").status_code == 302
    assert fire(coordinator, pid, "request_board_review").status_code == 302

    # the board returns it: a comment is required, and the page says so
    page = text_of(board.get(f"/proposals/{pid}"))
    assert "Return to the coordinators (board)" in page and "Approve (board)" in page
    r = fire(board, pid, "board_return")
    assert r.status_code == 422 and "A comment is required to return to the coordinators (board)." in text_of(r)  # fmt: skip
    r = fire(board, pid, "board_approve", confirm=False)
    assert r.status_code == 422 and "Tick “I confirm”" in text_of(r)
    assert fire(board, pid, "board_return", comment="Name the plants.").status_code == 302
    assert proposal(pid).state == "concept_validation"
    fire(coordinator, pid, "request_board_review")
    assert fire(board, pid, "board_approve").status_code == 302
    assert fire(coordinator, pid, "submit_to_region").status_code == 302

    # the Region: a stale form is refused, the act's reference is required to endorse
    stale = {"trigger": "acknowledge", "version": "1", "comment": ""}
    r = officer.post(f"/proposals/{pid}/transitions", data=stale)
    # issue 14: one message, on the proposal's page (a redirect, never the POST route)
    assert r.status_code == 303 and r.location == f"/proposals/{pid}"
    assert "someone else changed this proposal meanwhile" in text_of(officer.get(r.location))
    assert fire(officer, pid, "acknowledge").status_code == 302
    r = fire(officer, pid, "endorse")
    assert r.status_code == 422 and "Act reference (e.g. DGR 3098/2020) is required." in text_of(r)
    assert fire(officer, pid, "endorse", act_reference="DGR 3098/2020").status_code == 302

    # the follow-up form offers the calls; nothing chosen is refused
    page = officer.get(f"/proposals/{pid}").text
    assert f'<option value="{cw.call.id}">Circular Economy HUB call</option>' in page
    # applications are searched for (thousands), never all listed (issue 14)
    assert 'name="followup_q"' in page and "Search first, then choose" in page
    found = officer.get(f"/proposals/{pid}?followup_q=zzz-nothing").text
    assert "Nothing matches “zzz-nothing”" in found
    r = fire(officer, pid, "start_follow_up")
    assert r.status_code == 422 and "Give at least one of: Application that followed" in text_of(r)
    assert fire(officer, pid, "start_follow_up", call_id=str(cw.call.id)).status_code == 302
    page = text_of(member.get(f"/proposals/{pid}"))
    assert "Endorsed by DGR 3098/2020" in page and "Followed by the call Circular Economy HUB call" in page  # fmt: skip
    assert fire(coordinator, pid, "complete").status_code == 302
    html = member.get(f"/proposals/{pid}").text
    assert 'data-current="completed"' in html
    # arrows say their transitions' labels, never trigger codes (issue 14)
    assert "Start concept validation (1)" in html and "Ask the board to review (2, 4)" in html
    assert "Nothing more to do: completed." in text_of_page(html)

    # the community page lists it by state; the list filters
    page = text_of(coordinator.get(f"/communities/{cw.community.id}"))
    assert "Completed 1" in page and "DGR 3098/2020" in page
    assert "Roadmap for R&I" in text_of(officer.get("/proposals?state=completed"))
    assert "No proposal matches." in text_of(officer.get("/proposals?state=idea"))


def text_of_page(html: str) -> str:
    from pagetools import text_of_html

    return text_of_html(html)


def test_coordinators_manage_members_and_open_communities(cw, login, make):
    coordinator, member = login(cw.coordinator), login(cw.member)
    newcomer = make.user("applicant", organisation=make.organisation("Fonderia Bonetti S.r.l."))
    page = coordinator.get(f"/communities/{cw.community.id}").text
    # issue 14: people are searched for, never all listed; a member already in is said so
    assert "Add a member" in page and newcomer.email not in page
    page = coordinator.get(f"/communities/{cw.community.id}?member_q=Bonetti").text
    assert "Add a member" in page and newcomer.email not in page  # names and emails, not firms
    page = coordinator.get(f"/communities/{cw.community.id}?member_q={newcomer.email}").text
    assert f'<option value="{newcomer.id}">' in page and f"1 match for “{newcomer.email}”" in page
    page = text_of(coordinator.get(f"/communities/{cw.community.id}?member_q={cw.member.name}"))
    assert f"Already in: {cw.member.name}" in page
    r = coordinator.post(f"/communities/{cw.community.id}/members", data={"user_id": str(newcomer.id), "role": "coordinator"})  # fmt: skip
    assert r.status_code == 422 and "does not hold the coordinator role" in text_of(r)
    r = coordinator.post(f"/communities/{cw.community.id}/members", data={"user_id": str(newcomer.id), "role": "member"})  # fmt: skip
    assert r.status_code == 302
    assert newcomer.name in text_of(coordinator.get(f"/communities/{cw.community.id}"))
    r = member.post(f"/communities/{cw.community.id}/members", data={"user_id": str(cw.stranger.id), "role": "member"})  # fmt: skip
    assert r.status_code == 403

    assert member.get("/communities/new").status_code == 403
    r = coordinator.post("/communities/new", data={"name": "Advanced Polymers"})
    assert r.status_code == 409 and "already exists" in text_of(r)
    r = coordinator.post("/communities/new", data={"name": "Additive Manufacturing", "topic": "3D printing"})  # fmt: skip
    assert r.status_code == 302
    assert "you are a coordinator" in text_of(coordinator.get(r.location))


def test_a_hub_application_through_the_pages(make, hub_call, login):
    uni = make.user("applicant", organisation=make.organisation("Università degli Studi di Pavia", kind="university", province="PV"))  # fmt: skip
    officer = make.user("officer")
    lead, region = login(uni), login(officer)
    form = lead.get(f"/applications/new?call_id={hub_call.id}").text
    assert "Research areas and competences" in form and "Thematic area" not in form
    r = lead.post(
        f"/applications/new?call_id={hub_call.id}",
        data={
            "title": "UniPv for the HUB",
            "challenges": "Battery chemistry.",
            "needs": "Pilot line.",
        },
    )
    assert r.status_code == 302
    aid = int(re.search(r"/applications/(\d+)$", r.location).group(1))
    page = text_of(lead.get(f"/applications/{aid}"))
    assert "Expression of interest" in page and "Pilot plants and demonstrators Pilot line." in page
    assert "Project agreement" not in page and "required firms" not in page
    assert "Concept note" not in page and "Reviews" not in page

    def go(client, trigger, **data):
        from tracker.applications.models import Application

        db.session.expire_all()
        version = db.session.get(Application, aid).version
        form = {"trigger": trigger, "version": str(version), "confirm": "y", "comment": ""}
        return client.post(f"/applications/{aid}/transitions", data=form | {f"data-{k}": v for k, v in data.items()})  # fmt: skip

    assert go(lead, "submit").status_code == 302
    assert go(region, "declare_eligible").status_code == 302
    assert go(region, "select").status_code == 302
    r = go(region, "sign_agreement")
    assert r.status_code == 422 and "Agreement reference is required." in text_of(r)
    # the reference must name the one shared agreement, recorded once by an officer (0015_afil)
    r = go(region, "sign_agreement", agreement_reference="Accordo HUB 2021/0412")
    assert r.status_code == 422 and "No agreement of this call is recorded" in text_of(r)
    assert "Accordo HUB 2021/0412" in r.text  # what was typed is kept
    new = {"reference": "Accordo HUB 2021/0412", "title": "HUB agreement",
           "call_id": str(hub_call.id), "concluded_on": "2021-05-17",
           "total_amount": "10000000", "regional_amount": "20000000",
           "party_ids": [str(uni.organisation_id)]}  # fmt: skip
    r = region.post("/agreements/new", data=new)
    assert r.status_code == 422 and "The regional amount cannot exceed the total." in text_of(r)
    assert lead.get("/agreements/new").status_code == 403
    r = region.post("/agreements/new", data=new | {"regional_amount": "5000000"})
    assert r.status_code == 302
    page = text_of(region.get(f"/applications/{aid}"))  # the officer finds what to name
    assert "Agreement reference: Accordo HUB 2021/0412" in page
    assert (
        go(region, "sign_agreement", agreement_reference="Accordo HUB 2021/0412").status_code == 302
    )
    html = lead.get(f"/applications/{aid}").text
    assert 'data-current="agreement_signed"' in html and "Record the signed agreement (4)" in html
    page = text_of_page(html)
    assert "The shared agreement" in page and "Accordo HUB 2021/0412" in page
    assert "EUR 10,000,000.00 of which EUR 5,000,000.00 from the Region" in page

    page = text_of(region.get(f"/calls/{hub_call.id}"))
    assert "Only public universities and research centres may lead." in page
    assert "Evaluation criteria" not in page


def test_workflow_pages_show_every_workflow(client):
    for name, words in [
        ("community_proposal", ["Endorse", "a Region officer", "Act reference (e.g. DGR 3098/2020)."]),
        ("hub_eoi", ["Only public universities and research centres may lead.", "Agreement reference."]),
    ]:  # fmt: skip
        r = client.get(f"/workflows/{name}")
        assert r.status_code == 200
        page = text_of(r)
        assert all(w in page for w in words), name
        assert '<figure class="workflow-diagram"' in r.text and "stateDiagram-v2" in r.text
        assert "vendor/mermaid.min.js" in r.text and "<script>" not in r.text


def test_members_read_each_others_names_not_their_e_mail_addresses(cw, login, make):
    """A member without an organisation used to be listed by e-mail address to everyone."""
    from tracker.communities.operations import add_member
    from tracker.database import commit

    loner = make.user("applicant", email="private.person@example.org")
    add_member(cw.coordinator, cw.community, loner.id, "member")
    commit()
    page = login(cw.member).get(f"/communities/{cw.community.id}").get_data(as_text=True)
    assert loner.name in page and "private.person@example.org" not in page
    officer_page = login(cw.officer).get(f"/communities/{cw.community.id}").get_data(as_text=True)
    assert "private.person@example.org" in officer_page
