"""Demo data: AFIL's five Strategic Communities, their proposals and activities, the EU projects
AFIL takes part in, and the Circular Economy HUB call with its five applicants and their one
shared agreement, replayed 2019-2025 through the real operations.

The facts and texts are data: ``data/communities.yaml`` (the communities, their people,
proposals and activities), ``data/eu_projects.yaml`` (AFIL's projects and networks) and
``data/hub.yaml`` (the HUB call, its applicants and agreement), with what is real and what is
invented said there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.demo.content import load, moment
from tracker.demo.value_chains import FASHION_TITLE, STEEL_TITLE

_COMMUNITIES = load("communities")
_HUB = load("hub")
_PROJECTS = load("eu_projects")
_PROPOSALS = {p["key"]: p for p in _COMMUNITIES["proposals"] if "key" in p}
ROADMAP_TITLE: str = _PROPOSALS["roadmap"]["title"]
STEEL_PROPOSAL_TITLE: str = _PROPOSALS["steel"]["title"]
FASHION_PROPOSAL_TITLE: str = _PROPOSALS["fashion"]["title"]


def extend(world: Any) -> str:
    """Add the communities, their proposals and the HUB call to the value-chain world."""
    from tracker.communities.models import CommunityMember

    users = world.users
    communities = _communities()
    people = {}
    coordinators = {}  # community name -> the user who moves its proposals
    registered = moment(_COMMUNITIES["people_registered"])
    joined = moment(_COMMUNITIES["people_joined"])
    for row in _COMMUNITIES["people"]:
        first, last = row["name"].lower().split(" ", 1)
        roles = ["coordinator"] if row["role"] == "coordinator" else ["applicant"]
        person = world.user(
            f"{first}.{last}@afil.demo.example.org", roles, row["name"],
            world.orgs[row["organisation"]], password=False, created=registered,
        )  # fmt: skip
        people[row["key"]] = person
        for name in row["communities"]:
            communities[name].members.append(
                CommunityMember(user_id=person.id, role=row["role"], added_at=joined)
            )
            if row["role"] == "coordinator":
                coordinators[name] = person
    for row in _COMMUNITIES["accounts"]:
        user = users[row["account"]]
        for name in row["communities"]:
            communities[name].members.append(
                CommunityMember(user_id=user.id, role=row["role"], added_at=moment(row["since"]))
            )
            if row["role"] == "coordinator":
                coordinators[name] = user
    hub_call, hub_apps = _hub_call(world)
    chains = {a.title: a for a in world.apps}
    refs = {
        "hub_call": hub_call.id,
        "steel_value_chain": chains[STEEL_TITLE].id,
        "fashion_value_chain": chains[FASHION_TITLE].id,
    }
    actors = {"board": users["board"], "officer": users["officer"]}
    proposals = {}
    for row in _COMMUNITIES["proposals"]:
        movers = {**actors, **people, **users, "coordinator": coordinators[row["community"]]}
        proposal = _proposal(communities, {**people, **users}, movers, refs, row)
        proposals[row.get("key", proposal.title)] = proposal
    activities = _activities(communities, coordinators, proposals)
    projects = _projects(communities, chains, world.call)
    return (
        f"Strategic Communities: {len(communities)} communities, "
        f"{sum(len(c.members) for c in communities.values())} memberships, {len(proposals)} "
        f"proposals, {activities} activities; {projects} EU projects and networks of AFIL; the "
        f"Circular Economy HUB call ({_HUB['act_reference']}) with {len(hub_apps)} applicants, "
        "one shared agreement signed."
    )


def _activities(communities, coordinators, proposals) -> int:
    """What the communities did, recorded by their coordinators the evening it took place."""
    import datetime as dt

    from tracker.communities.operations import record_activity

    rows = _COMMUNITIES["activities"]
    for row in rows:
        proposal = proposals[row["proposal"]].id if "proposal" in row else None
        at = dt.datetime.combine(row["held_on"], dt.time(17, 0), tzinfo=dt.UTC)
        record_activity(
            coordinators[row["community"]], communities[row["community"]],
            {"kind": row["kind"], "held_on": row["held_on"], "title": row["title"],
             "notes": row.get("notes", ""), "proposal_id": proposal},
            at=at,
        )  # fmt: skip
    return len(rows)


def _projects(communities, chains, eoi_call) -> int:
    """AFIL's EU projects and networks, linked to the communities and chains they serve."""
    from tracker.extensions import db
    from tracker.projects.models import EUProject

    calls = {"eoi": eoi_call}
    rows = [(r, "project") for r in _PROJECTS["projects"]]
    rows += [(r, "network") for r in _PROJECTS["networks"]]
    for row, kind in rows:
        call = calls[row["policy_call"]] if "policy_call" in row else None
        db.session.add(
            EUProject(
                acronym=row["acronym"], kind=kind, title=row.get("title", ""),
                programme=row.get("programme", ""), summary=row.get("summary", ""),
                afil_role=row.get("afil_role", ""), partners=row.get("partners"),
                policy_instrument=row.get("policy_instrument"),
                policy_call_id=call.id if call else None,
                policy_authority=row.get("policy_authority"), source=_PROJECTS["source"],
                communities=[communities[n] for n in row.get("communities", [])],
                value_chains=[chains[t] for t in row.get("value_chains", [])],
            )
        )  # fmt: skip
    db.session.flush()
    return len(rows)


def _communities() -> dict[str, Any]:
    from tracker.communities.models import Community
    from tracker.extensions import db

    out = {}
    for row in _COMMUNITIES["communities"]:
        community = Community(
            name=row["name"], topic=row["topic"], description=row["description"],
            created_at=moment(_COMMUNITIES["founded"]),
        )  # fmt: skip
        db.session.add(community)
        out[row["name"]] = community
    db.session.flush()
    return out


def _hub_call(world):
    """The HUB call, its five applicants, selected, with the agreement signed in May 2021."""
    from tracker.applications.operations import create_application, fire_transition
    from tracker.calls.operations import appoint_member, create_call
    from tracker.reviews.operations import declare_conflict

    officer = world.users["officer"]
    fields = ("title", "act_reference", "description", "min_firms", "min_reviews")
    call = create_call(
        officer,
        {
            "workflow": "hub_eoi",
            "opens_at": _HUB["opens_at"].isoformat(),
            "deadline": _HUB["deadline"].isoformat(),
            **{key: _HUB[key] for key in fields},
        },
    )
    call.created_at = moment(_HUB["published"])
    reviewer = world.users[_HUB["reviewer"]]
    member = appoint_member(officer, call, reviewer.id)
    member.appointed_at = moment(_HUB["committee_appointed"])
    reviewer.__dict__.pop("committee_call_ids", None)
    accounts = {a["key"]: a for a in load("accounts")["accounts"]}
    agreement = _HUB["agreement"]
    for row in _HUB["applicants"]:  # state universities and the CNR: public bodies
        world.orgs[row["organisation"]].public_body = True
    _shared_agreement(officer, call, [world.orgs[r["organisation"]] for r in _HUB["applicants"]])
    apps = []
    for row in _HUB["applicants"]:
        org = world.orgs[row["organisation"]]
        registered = moment(_HUB["applicants_registered"])
        if row["account"]:
            account = accounts[row["account"]]
            lead = world.user(account["email"], ["applicant"], row["contact"], org,
                              created=registered)  # fmt: skip
        else:
            local = row["contact"].lower().replace(" ", ".")
            lead = world.user(
                f"{local}@staff.demo.example.org", ["applicant"], row["contact"], org,
                password=False, created=registered,
            )  # fmt: skip
        app = create_application(
            lead,
            call,
            {
                "title": _HUB["application_title"].format(organisation=org.name),
                "concept_note": row["expression_of_interest"],
                "lead_role": _HUB["lead_role"],
            },
            at=moment(row["opened"]),
        )
        steps = [
            (moment(row["submitted"]), "submit", lead, "", None),
            (moment(row["declared_eligible"]), "declare_eligible", reviewer, _HUB["eligible"], None),
            (moment(row["selected"]), "select", officer, _HUB["selection"], None),
            (moment(agreement["signed"]), "sign_agreement", officer, agreement["comment"],
             {"agreement_reference": agreement["reference"]}),
        ]  # fmt: skip
        for at, trigger, actor, comment, data in steps:
            if app.declaration_awaited(actor):  # a member declares no conflict first
                declare_conflict(actor, app, False, at=at - dt.timedelta(minutes=10))
            fire_transition(actor, app, trigger, comment=comment, data=data, at=at)
        app.updated_at = steps[-1][0]
        apps.append(app)
    return call, apps


def _shared_agreement(officer, call, parties):
    """The HUB's one multi-party agreement, recorded once; each application joins it."""
    from tracker.agreements.operations import create_agreement

    row = _HUB["agreement"]
    fields = ("reference", "title", "total_amount", "regional_amount", "managed_by", "notes")
    agreement = create_agreement(
        officer,
        {
            **{key: row[key].strip() for key in fields},
            "call_id": call.id,
            "concluded_on": row["concluded_on"],
            "party_ids": [o.id for o in parties],
        },
    )
    agreement.recorded_at = moment(row["signed"])
    return agreement


def _proposal(communities, authors, actors, refs, row):
    """One proposal of communities.yaml, replayed through its transitions."""
    from tracker.communities.operations import create_proposal, fire_transition, link_value_chain

    proposal = create_proposal(
        authors[row["author"]], communities[row["community"]],
        {"title": row["title"], "summary": row["summary"]}, at=moment(row["opened"]),
    )  # fmt: skip
    for step in row["steps"]:
        data = step.get("data")
        if data:
            data = {k: refs.get(v, v) if k.endswith("_id") else v for k, v in data.items()}
        if step["do"] == "link_value_chain":  # not a transition: its partnership links it
            link_value_chain(actors[step["by"]], proposal, data["application_id"])
            continue
        fire_transition(
            actors[step["by"]], proposal, step["do"], comment=step.get("comment", ""), data=data,
            at=moment(step["at"]),
        )  # fmt: skip
    last = proposal.history[-1].at if proposal.history else proposal.created_at
    proposal.updated_at = last
    return proposal
