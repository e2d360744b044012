"""Each organisation's page and API answer show its value chains, support projects,
Strategic Communities and partnership changes, as the person may see them; the list filters
by kind, size, province, Lombard seat and "in more than one chain". Query counts are fixed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pagetools import text_of
from sqlalchemy import event

from tracker.communities.models import Community, CommunityMember
from tracker.database import commit
from tracker.extensions import db

sys.path.insert(0, str(Path(__file__).parents[1] / "measures"))
from measuretools import Measures  # noqa: E402


def _add(lead, app, org, role="Recycler"):
    """``org`` joins ``app``'s partnership, and the partners sign the agreement again (its PDF)."""
    from tracker.applications.operations import add_partner
    from tracker.documents.operations import upload_agreement
    from tracker.documents.samples import MINIMAL_PDF

    add_partner(lead, app, org.id, role, "Takes the slag")
    upload_agreement(lead, app, "agreement.pdf", MINIMAL_PDF)
    commit()


def _headers(make, user) -> dict:
    return {"Authorization": f"Bearer {make.token(user)}"}


@pytest.fixture
def involved(cw, make, world):
    """The partner of the recognised chain is also in a second, submitted chain and in a draft
    of another lead; the recognised chain's lead drafts a support project; the partner's staff
    sit in a community; the partner asked to leave the recognised chain."""
    second_lead_org = make.organisation("Second Lead Srl")
    second_lead = make.user("applicant", organisation=second_lead_org)
    second = make.application(world.call, second_lead, title="Second chain")
    _add(second_lead, second, cw.partner_org)
    make.fire(second, second_lead, "submit")
    draft = make.application(world.call, second_lead, title="Unsubmitted chain")
    _add(second_lead, draft, cw.partner_org)
    measures = Measures(make, world)
    call = measures.measure()
    project = measures.application(call, title="Slag furnace project", value_chain_id=cw.chain.id)
    community = Community(name="Circular Economy", topic="", description="")
    db.session.add(community)
    db.session.flush()
    db.session.add(CommunityMember(community_id=community.id, user_id=cw.partner.id, role="member"))
    commit()
    leave = cw.ask(cw.partner, "leave", cw.partner_org)
    return type("Involved", (), {"second": second, "draft": draft, "project": project,
                                 "community": community, "leave": leave, "second_lead": second_lead})  # fmt: skip


def test_the_partner_sees_its_chains_communities_and_changes(app, cw, involved, login):
    page = login(cw.partner).get(f"/organisations/{cw.partner_org.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Steel value chain" in text and "Second chain" in text
    assert "Unsubmitted chain" in text  # its own partnership's draft
    assert cw.chain.label.code in text
    assert "Circular Economy" in text and "1 member of its staff" in text
    assert "Partnership changes (1)" in text and "Value chains (3)" in text


def test_others_see_what_they_may_see(app, cw, involved, make, world):
    client = app.test_client()
    officer = client.get(
        f"/api/v1/organisations/{cw.partner_org.id}/involvement",
        headers=_headers(make, world.officer),
    ).get_json()
    titles = {c["title"]: c for c in officer["chains"]}
    assert set(titles) == {"Steel value chain", "Second chain"}  # never another's draft
    assert titles["Steel value chain"]["label_code"] == cw.chain.label.code
    assert titles["Steel value chain"]["lead"] is False and titles["Steel value chain"]["visible"]
    assert officer["communities"] == [
        {"id": involved.community.id, "name": "Circular Economy", "staff_members": 1}
    ]
    [change] = officer["changes"]
    assert change["kind"] == "leave" and change["visible"] is True
    # a firm of another partnership: the registry's chain only, not openable; no changes
    stranger = client.get(
        f"/api/v1/organisations/{cw.partner_org.id}/involvement",
        headers=_headers(make, cw.stranger),
    ).get_json()
    assert [(c["title"], c["visible"]) for c in stranger["chains"]] == [
        ("Steel value chain", False)
    ]
    assert stranger["changes"] == [] and stranger["changes_total"] == 0
    # the support project: its partnership sees it, with its amount; the officer not (a draft)
    lead = client.get(
        f"/api/v1/organisations/{world.lead_org.id}/involvement", headers=_headers(make, cw.lead)
    ).get_json()
    [project] = lead["support_projects"]
    assert project["title"] == "Slag furnace project" and project["lead"] is True
    assert project["requested_amount"] == "300000.00"
    officer_view = client.get(
        f"/api/v1/organisations/{world.lead_org.id}/involvement",
        headers=_headers(make, world.officer),
    ).get_json()
    assert officer_view["support_projects"] == []
    assert client.get(f"/api/v1/organisations/{cw.partner_org.id}/involvement").status_code == 401
    missing = client.get(
        "/api/v1/organisations/999999/involvement", headers=_headers(make, cw.lead)
    )
    assert missing.status_code == 404


def test_the_list_filters_organisations_in_more_than_one_chain(app, cw, involved, make, login):
    client = app.test_client()
    headers = _headers(make, cw.lead)

    def listed(**args):
        answer = client.get("/api/v1/organisations", query_string=args, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        return {item["name"] for item in answer.get_json()["items"]}

    assert listed(in_chains_min=2) == {cw.partner_org.name}  # the draft does not count
    assert cw.w.lead_org.name in listed(in_chains_min=1)
    assert "Joining firm" in listed(province="BG", kind="firm", size="small", lombardy_seat="yes")
    assert "Joining firm" not in listed(lombardy_seat="no")
    for bad in ({"in_chains_min": "0"}, {"in_chains_min": "x"}, {"size": "huge"},
                {"lombardy_seat": "maybe"}, {"kind": "cat"}, {"province": "Milano"}):  # fmt: skip
        assert (
            client.get("/api/v1/organisations", query_string=bad, headers=headers).status_code
            == 400
        )
    page = login(cw.lead).get("/organisations?in_chains_min=2")
    assert page.status_code == 200
    text = text_of(page)
    assert cw.partner_org.name in text and "Joining firm" not in text
    assert "In more than one chain" in text
    empty = login(cw.lead).get("/organisations?in_chains_min=50")
    assert "No organisation matches these filters." in text_of(empty)


def test_the_page_and_list_read_a_fixed_number_of_queries(app, cw, involved, make, login, world):
    client = login(world.officer)
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/organisations/{cw.partner_org.id}").status_code == 200
            assert client.get("/organisations?in_chains_min=1").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = queries()
    for i in range(3):  # three more chains, changes and communities for the partner
        lead_org = make.organisation(f"More lead {i}")
        lead = make.user("applicant", organisation=lead_org)
        chain = make.application(world.call, lead, title=f"More chain {i}")
        _add(lead, chain, cw.partner_org)
        make.fire(chain, lead, "submit")
        community = Community(name=f"Community {i}", topic="", description="")
        db.session.add(community)
        db.session.flush()
        db.session.add(
            CommunityMember(community_id=community.id, user_id=cw.partner.id, role="member")
        )
        commit()
    assert queries() == few
