"""AFIL as the seeds describe it (issue 15, items 3 and 4): a proposal that becomes a value-chain
application follows it without an endorsement; communities record their activities; AFIL's EU
projects; only public universities and research centres lead a HUB application."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
sys.path.insert(0, str(Path(__file__).parents[1] / "views"))
from apiclient import Api, error_of, unmet_conditions  # noqa: E402
from pagetools import text_of  # noqa: E402

from tracker.communities.models import Proposal  # noqa: E402
from tracker.database import commit  # noqa: E402
from tracker.extensions import db  # noqa: E402


@pytest.fixture
def login(app):
    def _login(user):
        client = app.test_client()
        r = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert r.status_code == 302
        return client

    return _login


def _ready(cw) -> Proposal:
    proposal = cw.proposal("White slag: a circular steel value chain")
    cw.drive(proposal, "ready_for_region")
    return proposal


# --- the value-chain application a proposal becomes -------------------------------------------


def test_a_proposal_follows_the_value_chain_its_partnership_filed(cw, make):
    proposal = _ready(cw)
    chain = cw.chain  # submitted by its lead, a member of the community
    coordinator = Api(make.app, make.token(cw.coordinator))
    lead = Api(make.app, make.token(cw.chain_lead))
    member = Api(make.app, make.token(cw.member))
    pid = proposal.id

    # not linked: the condition says so, by name
    r = coordinator.get(f"/proposals/{pid}")
    option = next(
        o for o in r.get_json()["available_transitions"] if o["trigger"] == "follow_value_chain"
    )
    assert not option["allowed"]
    assert [u["condition"] for u in option["unmet"]] == ["value_chain_application_filed"]
    r = coordinator.post(f"/proposals/{pid}/transitions", json={"trigger": "follow_value_chain"})
    assert r.status_code == 422
    assert unmet_conditions(r) == {
        "value_chain_application_filed": "The proposal is not linked to a value-chain application."
    }

    # only a person of the chain's partnership links it: the coordinator's organisation is not
    r = coordinator.request(
        "PUT", f"/proposals/{pid}/value-chain", json={"application_id": chain.id}
    )
    assert r.status_code == 422 and "application_id" in error_of(r)["details"]["fields"]
    r = member.request("PUT", f"/proposals/{pid}/value-chain", json={"application_id": 987654})
    assert r.status_code == 422
    r = lead.request("PUT", f"/proposals/{pid}/value-chain", json={"application_id": chain.id})
    assert r.status_code == 200
    linked = r.get_json()["value_chain_application"]
    assert linked["id"] == chain.id and linked["state"] == "submitted"
    assert linked["submitted_at"] is not None and linked["label_code"] is None
    # one proposal per application
    other = cw.proposal("Another idea")
    r = lead.request("PUT", f"/proposals/{other.id}/value-chain", json={"application_id": chain.id})
    assert r.status_code == 409 and error_of(r)["code"] == "duplicate"

    # the coordinator moves it to the follow-up: no submission to the Region, no endorsement
    r = coordinator.post(f"/proposals/{pid}/transitions", json={"trigger": "follow_value_chain"})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["state"] == "follow_up" and body["act_reference"] is None
    assert body["follow_up"]["application_id"] == chain.id
    history = coordinator.get(f"/proposals/{pid}/history").get_json()
    assert [h["trigger"] for h in history][-2:] == ["board_approve", "follow_value_chain"]
    # the link is fixed once followed
    r = lead.request("PUT", f"/proposals/{pid}/value-chain", json={"application_id": None})
    assert r.status_code == 409 and error_of(r)["code"] == "not_linkable"

    # the application says where it came from
    r = lead.get(f"/applications/{chain.id}/proposal")
    assert r.status_code == 200
    assert r.get_json() | {} == {
        "id": pid, "title": proposal.title, "community_id": cw.community.id,
        "community": cw.community.name, "state": "follow_up", "state_title": "Follow-up",
    }  # fmt: skip
    assert Api(make.app, make.token(cw.stranger)).get(f"/applications/{chain.id}/proposal").status_code == 403  # fmt: skip


def test_the_database_refuses_a_follow_up_without_act_or_value_chain(cw):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    proposal = cw.proposal()
    cw.drive(proposal, "follow_up")  # by the value chain (the shortest way)
    assert proposal.act_reference is None and proposal.value_chain_application_id is not None
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(
            text("UPDATE proposals SET value_chain_application_id = NULL WHERE id = :id"),
            {"id": proposal.id},
        )
    db.session.rollback()


def test_the_pages_show_the_link_and_the_live_state(cw, make, login):
    proposal = cw.proposal("Fashion and Textile Supply Chain")
    cw.drive(proposal, "concept_validation")
    draft = make.application(cw.call, make.user("applicant", organisation=make.organisation()), title="Fashion chain")  # fmt: skip
    # the chain's lead joins the community and links its draft from the proposal page
    from tracker.communities.operations import add_member

    chain_lead = next(u for u in _users_of(draft.lead_organisation_id))
    add_member(cw.coordinator, cw.community, chain_lead.id, "member")
    commit()
    client = login(chain_lead)
    page = client.get(f"/proposals/{proposal.id}")
    assert "Save the link" in page.text and "Fashion chain" in page.text
    r = client.post(f"/proposals/{proposal.id}/value-chain", data={"application_id": "987654", "version": str(proposal.version)})  # fmt: skip
    assert r.status_code == 422 and "No value-chain application 987654." in text_of(r)
    db.session.expire_all()
    r = client.post(f"/proposals/{proposal.id}/value-chain", data={"application_id": str(draft.id), "version": str(db.session.get(Proposal, proposal.id).version)})  # fmt: skip
    assert r.status_code == 302
    page = text_of(client.get(f"/proposals/{proposal.id}"))
    assert "The value-chain application" in page and "Fashion chain" in page
    assert "not yet submitted to the call" in page and "Draft" in page
    # every member sees the link and its live state
    page = text_of(login(cw.member).get(f"/proposals/{proposal.id}"))
    assert "Fashion chain" in page and "not yet submitted to the call" in page
    # ... and the chain's page says where it came from
    page = text_of(client.get(f"/applications/{draft.id}"))
    assert "From an AFIL Strategic Community" in page
    assert f"came from a proposal of the {cw.community.name} community" in page
    # in Italian
    client.post("/language", data={"language": "it", "next": "/"})
    page = text_of(client.get(f"/proposals/{proposal.id}"))
    assert "La domanda di filiera" in page


def _users_of(organisation_id):
    from sqlalchemy import select

    from tracker.auth.models import User

    return db.session.scalars(select(User).where(User.organisation_id == organisation_id)).all()


# --- activities ------------------------------------------------------------------------------


def test_coordinators_record_activities_and_members_read_them(cw, make):
    coordinator = Api(make.app, make.token(cw.coordinator))
    member = Api(make.app, make.token(cw.member))
    path = f"/communities/{cw.community.id}/activities"
    idea = cw.proposal("Remanufacturing of batteries")
    foreign = cw.proposal("Elsewhere")
    foreign.community_id = cw.other.id
    commit()

    r = member.post(path, json={"kind": "training", "held_on": "2024-05-02", "title": "x"})
    assert r.status_code == 403
    r = coordinator.post(path, json={"kind": "party", "held_on": "2999-01-01", "title": "", "proposal_id": foreign.id})  # fmt: skip
    assert r.status_code == 422
    assert set(error_of(r)["details"]["fields"]) == {"kind", "held_on", "title", "proposal_id"}
    for day, kind in [("2024-05-02", "industrial_visit"), ("2025-01-20", "b2b_matchmaking"),
                      ("2024-11-05", "value_chain_discussion")]:  # fmt: skip
        r = coordinator.post(path, json={"kind": kind, "held_on": day, "title": f"On {day}", "proposal_id": idea.id})  # fmt: skip
        assert r.status_code == 201, r.get_json()
    r = member.get(path + "?per_page=2")
    body = r.get_json()
    assert body["total"] == 3 and [a["held_on"] for a in body["items"]] == [
        "2025-01-20",
        "2024-11-05",
    ]
    assert body["items"][0]["proposal_title"] == "Remanufacturing of batteries"
    r = member.get(path + "?page=2&per_page=2")
    assert [a["held_on"] for a in r.get_json()["items"]] == ["2024-05-02"]
    assert Api(make.app, make.token(cw.board)).get(path).status_code == 403
    assert Api(make.app, make.token(cw.other_coordinator)).get(path).status_code == 403


def test_the_community_page_shows_and_records_activities(cw, login):
    coordinator, member, board = login(cw.coordinator), login(cw.member), login(cw.board)
    url = f"/communities/{cw.community.id}"
    r = coordinator.post(url + "/activities", data={"kind": "training", "held_on": "2999-01-01", "title": "Circular design workshop", "notes": "For designers."})  # fmt: skip
    assert r.status_code == 422
    assert "Date cannot be in the future" in text_of(r)
    assert 'value="Circular design workshop"' in r.text  # what was typed is kept
    r = coordinator.post(url + "/activities", data={"kind": "training", "held_on": "2025-10-21", "title": "Circular design workshop", "notes": "For designers."})  # fmt: skip
    assert r.status_code == 302
    page = text_of(member.get(url))
    assert "Circular design workshop" in page and "Education and training" in page
    assert "21/10/2025" in page and "Record an activity" not in page
    assert "Circular design workshop" not in text_of(board.get(url))
    member.post("/language", data={"language": "it", "next": "/"})
    assert "Formazione" in text_of(member.get(url))


# --- EU projects -----------------------------------------------------------------------------


def test_eu_projects_on_their_pages_the_community_and_the_api(cw, make, login):
    from tracker.projects.models import EUProject

    project = EUProject(
        acronym="PLASTIX", title="Plastics Revolution for European Regions",
        programme="Interreg Europe", policy_instrument="The value-chain initiative",
        policy_call_id=cw.call.id, policy_authority="Lombardy Region, Associated Policy Authority",
        source="AFIL cluster profile (2024)", communities=[cw.community],
        value_chains=[cw.chain],
    )  # fmt: skip
    db.session.add_all([project, EUProject(acronym="AI REDGIO 5.0", programme="Horizon Europe", partners=43)])  # fmt: skip
    commit()
    client = login(cw.member)
    page = text_of(client.get("/projects"))
    assert "PLASTIX" in page and "AI REDGIO 5.0" in page and cw.community.name in page
    page = text_of(client.get(f"/projects/{project.id}"))
    assert "Lombardy Region, Associated Policy Authority" in page and "Steel chain" in page
    assert "PLASTIX" in text_of(client.get(f"/communities/{cw.community.id}"))
    api = Api(make.app, make.token(cw.member))
    items = api.get("/projects").get_json()["items"]
    redgio = next(p for p in items if p["acronym"] == "AI REDGIO 5.0")
    assert redgio["partners"] == 43 and redgio["communities"] == []
    one = api.get(f"/projects/{project.id}").get_json()
    assert one["policy_call_id"] == cw.call.id
    assert one["communities"] == [{"id": cw.community.id, "name": cw.community.name}]
    assert api.get("/projects/987654").status_code == 404


def test_the_communities_page_presents_afil(cw, login):
    page = text_of(login(cw.member).get("/communities"))
    assert "an association of 143 members" in page


# --- the HUB: public bodies -------------------------------------------------------------------


def test_only_a_public_university_or_research_centre_leads_a_hub_application(make, hub_call):
    officer = make.user("officer")
    private = make.organisation("Università Privata", kind="university", public_body=False)
    lead = make.user("applicant", organisation=private)
    api = Api(make.app, make.token(lead))
    app = api.post("/applications", json={"call_id": hub_call.id, "title": "Private"}).get_json()
    r = api.post(f"/applications/{app['id']}/transitions", json={"trigger": "submit"})
    assert r.status_code == 422
    assert unmet_conditions(r) == {
        "lead_is_public_research": "Università Privata is not recorded as a public body: only "
        "public universities and research centres may lead."
    }
    # an officer registers a public one: the API and the form carry the flag
    region = Api(make.app, make.token(officer))
    r = region.post("/organisations", json={"name": "Università Pubblica", "vat_number": make.vat(), "kind": "university", "public_body": True})  # fmt: skip
    assert r.status_code == 201 and r.get_json()["public_body"] is True
    r = region.post("/organisations", json={"name": "X", "vat_number": make.vat(), "kind": "university", "public_body": "yes"})  # fmt: skip
    assert r.status_code == 422


def test_the_organisation_form_declares_a_public_body(make, login):
    client = login(make.user("officer"))
    assert "Public body" in client.get("/organisations/new").text
    r = client.post("/organisations/new", data={"name": "CNR Milano", "vat_number": make.vat(), "kind": "research_centre", "province": "MI", "lombardy_seat": "yes", "public_body": "y"})  # fmt: skip
    assert r.status_code == 302
    from sqlalchemy import select

    from tracker.organisations.models import Organisation

    org = db.session.scalar(select(Organisation).where(Organisation.name == "CNR Milano"))
    assert org.public_body and org.is_public_research
    assert "Public body Yes" in text_of(client.get(f"/organisations/{org.id}"))


def test_the_openapi_document_describes_the_new_routes(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    assert {"get", "post"} <= set(paths["/communities/{community_id}/activities"])
    assert "put" in paths["/proposals/{proposal_id}/value-chain"]
    assert {"/projects", "/projects/{project_id}", "/agreements", "/agreements/{agreement_id}",
            "/applications/{application_id}/agreement",
            "/applications/{application_id}/proposal"} <= set(paths)  # fmt: skip
    schemas = doc["components"]["schemas"]
    # every body and answer under its own name: a clash would leave a $ref pointing nowhere
    assert not [name for name in schemas if "__" in name]
    assert "public_body" in schemas["OrganisationIn"]["properties"]
    assert "value_chain_application" in schemas["ProposalOut"]["properties"]
