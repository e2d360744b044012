"""Demo data: AFIL's five Strategic Communities and their proposals, and the Circular Economy HUB
call with its five applicants, replayed 2019-2025 through the real operations.

The public facts are real: the communities' names, the Lombardy Roadmap for R&I on Circular
Economy (begun in 2019 in the De- and Remanufacturing community, endorsed by DGR 3098/2020 in May
2020, followed by the HUB call), the HUB call (DGR XI/3531/2020, 12 Nov to 2 Dec 2020) and its
outcome (a EUR 10M three-year agreement in May 2021 with PoliMi, UniMi, Milano-Bicocca, UniPv and
CNR-STIIMA), and the steel value chain that the Circular Economy community brought to the
value-chain EOI. People, the other proposals, dates within months and texts are invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.demo.value_chains import STEEL_TITLE

ROADMAP_TITLE = "Lombardy Roadmap for Research and Innovation on Circular Economy"
STEEL_PROPOSAL_TITLE = "White slag from electric-arc furnaces: a circular steel value chain"
HUB_TITLE = (
    "Circular Economy HUB: expression of interest for public universities and research centres"
)
HUB_ACT = "DGR XI/3531/2020"
HUB_OPENS, HUB_DEADLINE = dt.date(2020, 11, 12), dt.date(2020, 12, 2)
HUB_AGREEMENT = (
    "Accordo di collaborazione art. 15 L. 241/1990 - HUB Economia Circolare, rep. 2021/0412"
)
DEMANUFACTURING = "De- and Remanufacturing for Circular Economy"

#: The five communities: (name, topic, description).
COMMUNITIES = [
    (
        DEMANUFACTURING,
        "Circular economy: de-manufacturing, remanufacturing, recycling of industrial products",
        "Firms, universities and research centres working on the end of life of industrial "
        "products: disassembly, remanufacturing, recovery of materials and by-products. It wrote "
        "the Lombardy Roadmap for R&I on Circular Economy and brought the steel white-slag value "
        "chain to the Region.",
    ),
    (
        "Advanced Polymers",
        "Polymers and composites: new materials, processing, recycling",
        "Producers and processors of polymers and composites, with the universities' materials "
        "departments: bio-based and recycled polymers, chemical recycling, lightweight composites.",
    ),
    (
        "Additive Manufacturing",
        "3D printing of metals and polymers for industry",
        "Machine builders, service bureaus and users of additive manufacturing: qualification of "
        "printed parts, design for AM, spare parts on demand.",
    ),
    (
        "Digital & Virtual Factory",
        "Digital twins, industrial data, AI in manufacturing",
        "Software houses, automation suppliers and manufacturers working on digital twins, "
        "industrial data spaces and AI for production and maintenance.",
    ),
    (
        "Materials & Surface Treatments",
        "Metallic materials, coatings and surface treatments",
        "Heat and surface treatment firms, coating suppliers and laboratories: substitution of "
        "hazardous substances, wear and corrosion, testing.",
    ),
]

#: Invented coordinators and members: (key, name, organisation key, community names, role).
PEOPLE = [
    ("c_polymers", "Laura Bettinelli", "polimi", ["Advanced Polymers"], "coordinator"),
    ("c_additive", "Stefano Rivolta", "stiima", ["Additive Manufacturing"], "coordinator"),
    ("c_materials", "Giorgio Pagnoncelli", "csmt", ["Materials & Surface Treatments"], "coordinator"),
    ("m_polimi", "Elisa Brambati", "polimi", [DEMANUFACTURING, "Additive Manufacturing"], "member"),
    ("m_stiima", "Paolo Ferrandi", "stiima", [DEMANUFACTURING, "Digital & Virtual Factory"], "member"),
    ("m_unibs", "Chiara Zanotti", "unibs", [DEMANUFACTURING, "Materials & Surface Treatments"], "member"),
    ("m_unimib", "Nicola Sironi", "unimib", ["Advanced Polymers"], "member"),
    ("m_scitec", "Monica Vismara", "scitec", ["Advanced Polymers"], "member"),
    ("m_unibg", "Fabio Locatelli", "unibg", ["Additive Manufacturing", "Digital & Virtual Factory"], "member"),
    ("m_rse", "Valentina Crippa", "rse", ["Digital & Virtual Factory"], "member"),
    ("m_assolombarda", "Matteo Riva", "assolombarda", ["Digital & Virtual Factory"], "member"),
    ("m_csmt", "Anna Pedretti", "csmt", ["Materials & Surface Treatments"], "member"),
]  # fmt: skip

#: The HUB applicants: (organisation key, account, name, their expression of interest).
HUB_APPLICANTS = [
    ("polimi", "hub@demo.example.org", "Davide Colombo", {
        "challenges": "Departments of Management, Energy, Mechanical and Chemical Engineering: "
        "remanufacturing, de-manufacturing, life-cycle assessment, battery chemistry.",
        "needs": "The de- and remanufacturing pilot plant of the Mechanical Engineering department "
        "(disassembly cells, battery pack testing) opened to the HUB's projects.",
        "objectives": "Lead the e-mobility line: disassembly, testing and second life of traction "
        "batteries, and the recovery of critical raw materials.",
        "actions": "Available to sign an agreement with the Region under art. 15 of Law 241/1990 "
        "and to coordinate the HUB's technical committee.",
        "investments": "Twelve researchers, the pilot plant and its equipment; co-funding in staff "
        "time.",
    }),
    ("unimi", None, "Giovanna Ferrario", {
        "challenges": "Chemistry and Environmental Science departments: hydrometallurgy, green "
        "solvents, environmental impact of recovery processes.",
        "needs": "Laboratory-scale hydrometallurgical line for the recovery of lithium, cobalt and "
        "nickel from black mass.",
        "objectives": "Recovery of critical raw materials from the batteries disassembled by the "
        "HUB, with greener leaching processes.",
        "actions": "Available to collaborate under art. 15 of Law 241/1990.",
        "investments": "Six researchers, laboratory equipment, two PhD grants.",
    }),
    ("unimib", None, "Roberto Galli", {
        "challenges": "Materials Science department: materials for energy storage, characterisation "
        "of aged battery cells.",
        "needs": "Characterisation laboratory (electrochemistry, microscopy) for aged cells and "
        "recovered materials.",
        "objectives": "Assess the state of health of cells for second-life uses and the quality of "
        "recovered cathode materials.",
        "actions": "Available to collaborate under art. 15 of Law 241/1990.",
        "investments": "Five researchers, characterisation equipment.",
    }),
    ("unipv", None, "Silvia Bertoli", {
        "challenges": "Industrial Engineering and Chemistry departments: process engineering, "
        "polymer recycling, electrical engineering of storage systems.",
        "needs": "Pilot line for the recovery of polymers and electrolyte from battery packs; test "
        "bench for second-life storage systems.",
        "objectives": "Close the loop of non-metallic battery components and test second-life "
        "stationary storage.",
        "actions": "Available to collaborate under art. 15 of Law 241/1990.",
        "investments": "Five researchers, pilot line, test bench.",
    }),
    ("stiima", None, "Luca Mapelli", {
        "challenges": "Intelligent industrial systems: robotics for disassembly, digital twins of "
        "de-manufacturing plants.",
        "needs": "Robotic disassembly cell and digital twin of the de-manufacturing pilot plant "
        "(CNR-STIIMA, Milano).",
        "objectives": "Automate the disassembly of battery packs and make the HUB's plants "
        "reconfigurable.",
        "actions": "Available to collaborate under art. 15 of Law 241/1990.",
        "investments": "Eight researchers, the robotic cell, software.",
    }),
]  # fmt: skip


def _utc(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _d(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return _utc(dt.date(y, m, d), hour)


def extend(world: Any) -> str:
    """Add the communities, their proposals and the HUB call to the value-chain world."""
    from tracker.communities.models import CommunityMember

    users = world.users
    orgs = world.orgs
    communities = _communities(world)
    people = {}
    for key, name, org_key, names, role in PEOPLE:
        first, last = name.lower().split(" ", 1)
        roles = ["coordinator"] if role == "coordinator" else ["applicant"]
        person = world.user(
            f"{first}.{last}@afil.demo.example.org", roles, name, orgs[org_key], password=False,
            created=_d(2019, 1, 15),
        )  # fmt: skip
        people[key] = person
        for community in names:
            communities[community].members.append(
                CommunityMember(user_id=person.id, role=role, added_at=_d(2019, 1, 20))
            )
    coordinator = users["coordinator"]
    for name in (DEMANUFACTURING, "Digital & Virtual Factory"):
        communities[name].members.append(
            CommunityMember(user_id=coordinator.id, role="coordinator", added_at=_d(2019, 1, 15))
        )
    for key, names in (
        ("steel", [DEMANUFACTURING]),
        ("partner", [DEMANUFACTURING]),
        ("lead", ["Advanced Polymers"]),
    ):
        for name in names:
            communities[name].members.append(
                CommunityMember(user_id=users[key].id, role="member", added_at=_d(2021, 9, 1))
            )
    hub_call, hub_apps = _hub_call(world)
    story = _Stories(world, communities, people, hub_call)
    proposals = story.build()
    return (
        f"Strategic Communities: {len(communities)} communities, "
        f"{sum(len(c.members) for c in communities.values())} memberships, {len(proposals)} "
        f"proposals; the Circular Economy HUB call ({HUB_ACT}) with {len(hub_apps)} applicants, "
        "agreement signed."
    )


def _communities(world) -> dict[str, Any]:
    from tracker.communities.models import Community
    from tracker.extensions import db

    out = {}
    for name, topic, description in COMMUNITIES:
        community = Community(
            name=name, topic=topic, description=description, created_at=_d(2018, 11, 20)
        )
        db.session.add(community)
        out[name] = community
    db.session.flush()
    return out


def _hub_call(world):
    """The HUB call, its five applicants, selected, with the agreement signed in May 2021."""
    from tracker.applications.operations import create_application, fire_transition
    from tracker.calls.operations import appoint_member, create_call

    officer = world.users["officer"]
    call = create_call(
        officer,
        {
            "title": HUB_TITLE,
            "workflow": "hub_eoi",
            "act_reference": HUB_ACT,
            "description": (
                "The Region asks public universities and research centres, alone or jointly, for "
                "their interest and availability to collaborate (art. 15, Law 241/1990) on pilot "
                "plants and demonstrators of a Research and Innovation HUB on the circular "
                "economy, as the Lombardy Roadmap for R&I on Circular Economy (DGR 3098/2020) "
                "proposed. First focus: e-mobility."
            ),
            "opens_at": HUB_OPENS.isoformat(),
            "deadline": HUB_DEADLINE.isoformat(),
            "min_firms": 0,
            "min_reviews": 1,
        },
    )
    call.created_at = _d(2020, 11, 10, 15)
    reviewer = world.users["r3"]  # Brescia: not an applicant, so no conflict of interest
    member = appoint_member(officer, call, reviewer.id)
    member.appointed_at = _d(2020, 12, 3)
    reviewer.__dict__.pop("committee_call_ids", None)
    apps = []
    for i, (org_key, email, name, note) in enumerate(HUB_APPLICANTS):
        org = world.orgs[org_key]
        if email:
            lead = world.user(email, ["applicant"], name, org, created=_d(2020, 11, 12, 8))
        else:
            local = name.lower().replace(" ", ".")
            lead = world.user(
                f"{local}@staff.demo.example.org", ["applicant"], name, org, password=False,
                created=_d(2020, 11, 12, 8),
            )  # fmt: skip
        title = f"{org.name}: pilot plants and demonstrators for the Circular Economy HUB"
        created = _d(2020, 11, 16 + i, 9)
        app = create_application(
            lead,
            call,
            {"title": title, "concept_note": note, "lead_role": "Lead institution"},
            at=created,
        )
        steps = [
            (_d(2020, 11, 27 + i // 2, 11), "submit", lead, "", None),
            (_d(2020, 12, 10, 10 + i), "declare_eligible", reviewer,
             "Public research body; the expression of interest is complete.", None),
            (_d(2021, 2, 18, 10 + i), "select", officer,
             "Selected for the HUB by the Region's assessment of 18 February 2021.", None),
            (_d(2021, 5, 20, 12), "sign_agreement", officer,
             "Three-year agreement, EUR 10M in all; first focus e-mobility (batteries).",
             {"agreement_reference": HUB_AGREEMENT}),
        ]  # fmt: skip
        for at, trigger, actor, comment, data in steps:
            fire_transition(actor, app, trigger, comment=comment, data=data, at=at)
        app.updated_at = steps[-1][0]
        apps.append(app)
    return call, apps


class _Stories:
    """The proposals of the five communities, each replayed through its transitions."""

    def __init__(self, world, communities, people, hub_call) -> None:
        self.world = world
        self.communities = communities
        self.people = people
        self.hub_call = hub_call
        users = world.users
        self.coordinator = users["coordinator"]
        self.board = users["board"]
        self.officer = users["officer"]
        self.coordinators = {
            DEMANUFACTURING: self.coordinator,
            "Digital & Virtual Factory": self.coordinator,
            "Advanced Polymers": people["c_polymers"],
            "Additive Manufacturing": people["c_additive"],
            "Materials & Surface Treatments": people["c_materials"],
        }

    def proposal(self, community: str, author, title: str, summary: str, created, steps):
        from tracker.communities.operations import create_proposal, fire_transition

        coordinator = self.coordinators[community]
        proposal = create_proposal(
            author, self.communities[community], {"title": title, "summary": summary}, at=created
        )
        actors = {"coordinator": coordinator, "board": self.board, "officer": self.officer}
        for at, trigger, who, comment, *data in steps:
            fire_transition(
                actors[who], proposal, trigger, comment=comment, data=data[0] if data else None,
                at=at,
            )  # fmt: skip
        return proposal

    def build(self) -> list:
        p, world = self.people, self.world
        steel_app = next(a for a in world.apps if a.title == STEEL_TITLE)
        out = [
            self.proposal(
                DEMANUFACTURING, p["m_polimi"], ROADMAP_TITLE,
                "A roadmap of research and innovation for the circular economy in Lombardy: the "
                "priorities (de- and remanufacturing, recycling of critical raw materials, "
                "industrial symbiosis, circular design), the enabling technologies, and the "
                "instruments the Region could use, starting with a HUB of pilot plants and "
                "demonstrators run with the public universities and research centres.",
                _d(2019, 3, 14),
                [
                    (_d(2019, 4, 10), "start_validation", "coordinator",
                     "Taken up by the community: three working groups (products, materials, "
                     "policies) draft the roadmap."),
                    (_d(2019, 10, 22), "request_board_review", "coordinator",
                     "Draft roadmap after the workshops of June and September."),
                    (_d(2019, 11, 19), "board_approve", "board",
                     "Approved by the AFIL board in its November session."),
                    (_d(2019, 12, 5), "submit_to_region", "coordinator",
                     "Sent to DG Ricerca, Innovazione, Università, Export e "
                     "Internazionalizzazione."),
                    (_d(2020, 1, 14), "acknowledge", "officer", "Received; under examination."),
                    (_d(2020, 5, 5, 16), "endorse", "officer",
                     "The Regional Government adopts the roadmap.",
                     {"act_reference": "DGR 3098/2020"}),
                    (_d(2020, 11, 12), "start_follow_up", "officer",
                     "The Region opens the Circular Economy HUB call (DGR XI/3531/2020).",
                     {"call_id": self.hub_call.id}),
                    (_d(2021, 5, 28), "complete", "coordinator",
                     "The HUB agreement is signed: EUR 10M over three years with PoliMi, UniMi, "
                     "Milano-Bicocca, UniPv and CNR-STIIMA."),
                ],
            ),
            self.proposal(
                DEMANUFACTURING, self.world.users["steel"], STEEL_PROPOSAL_TITLE,
                "Electric-arc furnaces in the Brescia area produce white slag that still ends up "
                "in landfill. With the cement, concrete and road-building firms of the community "
                "and the universities, the proposal is to certify its reuse as a binder and as "
                "aggregate, and to build the value chain around it.",
                _d(2021, 10, 5),
                [
                    (_d(2021, 10, 20), "start_validation", "coordinator",
                     "Working group with the steel mills, the cement and concrete firms, UniBS "
                     "and CSMT."),
                    (_d(2022, 1, 18), "request_board_review", "coordinator", ""),
                    (_d(2022, 2, 8), "board_approve", "board", ""),
                    (_d(2022, 2, 15), "submit_to_region", "coordinator", ""),
                    (_d(2022, 2, 24), "acknowledge", "officer", ""),
                    (_d(2022, 3, 10), "endorse", "officer",
                     "The value-chain EOI is the way: the partnership applies for the quality "
                     "label.",
                     {"act_reference": "DGR 5899/2022"}),
                    (_d(2022, 6, 28), "start_follow_up", "coordinator",
                     "The steel value chain, led by Duferco Travi e Profilati, submitted its "
                     "concept note to the EOI.",
                     {"application_id": steel_app.id}),
                ],
            ),
            self.proposal(
                DEMANUFACTURING, p["m_unibs"],
                "Remanufacturing of e-bike and e-scooter batteries",
                "A shared service for testing, repairing and remanufacturing the batteries of "
                "light electric vehicles, with the bicycle makers and the HUB's laboratories.",
                _d(2024, 9, 12),
                [
                    (_d(2024, 10, 3), "start_validation", "coordinator", ""),
                    (_d(2025, 3, 4), "request_board_review", "coordinator", ""),
                    (_d(2025, 4, 15), "board_approve", "board", "Approved."),
                ],
            ),
            self.proposal(
                "Advanced Polymers", p["m_unimib"],
                "Chemical recycling of mixed plastic waste: a network of pilot plants",
                "Mixed plastic waste that mechanical recycling cannot take: a network of pilot "
                "plants for pyrolysis and solvolysis, with the converters of the community.",
                _d(2024, 11, 6),
                [
                    (_d(2024, 11, 20), "start_validation", "coordinator", ""),
                    (_d(2025, 4, 2), "request_board_review", "coordinator", ""),
                    (_d(2025, 5, 13), "board_return", "board",
                     "Say which plants exist already and what the firms would co-fund."),
                    (_d(2025, 9, 30), "request_board_review", "coordinator",
                     "Mapping of the existing plants and letters of intent of six firms added."),
                ],
            ),
            self.proposal(
                "Advanced Polymers", p["m_scitec"],
                "Bio-based polymers for food packaging",
                "A regional programme for bio-based and compostable packaging polymers.",
                _d(2023, 2, 8),
                [
                    (_d(2023, 3, 1), "start_validation", "coordinator", ""),
                    (_d(2023, 6, 6), "request_board_review", "coordinator", ""),
                    (_d(2023, 7, 4), "board_approve", "board", ""),
                    (_d(2023, 7, 20), "submit_to_region", "coordinator", ""),
                    (_d(2023, 9, 5), "acknowledge", "officer", ""),
                    (_d(2024, 2, 27), "decline", "officer",
                     "Covered by the national bio-economy measures; no separate regional "
                     "programme is planned."),
                ],
            ),
            self.proposal(
                "Additive Manufacturing", p["m_polimi"],
                "Qualification of additively manufactured spare parts for rail and aerospace",
                "Common qualification procedures and a shared test campaign so that printed "
                "spare parts can be certified once and used by several operators.",
                _d(2025, 1, 21),
                [
                    (_d(2025, 2, 11), "start_validation", "coordinator", ""),
                    (_d(2025, 6, 17), "request_board_review", "coordinator", ""),
                    (_d(2025, 7, 8), "board_approve", "board", ""),
                    (_d(2025, 7, 22), "submit_to_region", "coordinator", ""),
                ],
            ),
            self.proposal(
                "Additive Manufacturing", p["m_unibg"],
                "A shared network of additive manufacturing laboratories for SMEs",
                "Open days, shared machine time and design-for-AM coaching for small firms.",
                _d(2025, 10, 28),
                [],
            ),
            self.proposal(
                "Digital & Virtual Factory", p["m_rse"],
                "Lombardy Manufacturing Data Space",
                "A regional industrial data space where suppliers and customers share production "
                "and sustainability data under common rules, building on Gaia-X.",
                _d(2024, 5, 14),
                [
                    (_d(2024, 6, 4), "start_validation", "coordinator", ""),
                    (_d(2024, 11, 12), "request_board_review", "coordinator", ""),
                    (_d(2024, 12, 10), "board_approve", "board", ""),
                    (_d(2025, 1, 16), "submit_to_region", "coordinator", ""),
                    (_d(2025, 2, 3), "acknowledge", "officer",
                     "Examined with the digital transition measures of the 2021-27 ERDF "
                     "programme."),
                ],
            ),
            self.proposal(
                "Digital & Virtual Factory", p["m_assolombarda"],
                "AI for predictive maintenance in manufacturing SMEs",
                "Shared models and data for predictive maintenance of machine tools.",
                _d(2023, 10, 2),
                [
                    (_d(2023, 10, 24), "start_validation", "coordinator", ""),
                    (_d(2024, 3, 19), "park", "coordinator",
                     "Parked until the EU AI Act's rules for industrial AI are clearer."),
                ],
            ),
            self.proposal(
                "Materials & Surface Treatments", p["m_csmt"],
                "PFAS-free surface treatments: a substitution roadmap",
                "How the treatment firms can replace PFAS and hexavalent chromium, with test "
                "campaigns in the laboratories of the community.",
                _d(2025, 5, 6),
                [(_d(2025, 6, 3), "start_validation", "coordinator", "")],
            ),
            self.proposal(
                "Materials & Surface Treatments", p["m_unibs"],
                "A hydrogen embrittlement testing facility",
                "A shared facility to test steels and coatings for hydrogen service.",
                _d(2022, 4, 12),
                [
                    (_d(2022, 5, 10), "start_validation", "coordinator", ""),
                    (_d(2022, 11, 29), "withdraw", "coordinator",
                     "A national facility is being built: the community joins it instead."),
                ],
            ),
        ]  # fmt: skip
        for proposal in out:
            last = proposal.history[-1].at if proposal.history else proposal.created_at
            proposal.updated_at = last
        return out
