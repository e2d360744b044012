"""Circular Economy HUB expression of interest (DGR XI/3531/2020): public universities and research
centres declare their interest and availability to collaborate with the Region (art. 15, Law
241/1990) on pilot plants and demonstrators; the selected ones sign a three-year agreement."""

from typing import Any

from workflows.conditions import call_open
from workflows.model import Condition, Context, DataField, Section, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})
PUBLIC_RESEARCH = frozenset({"university", "research_centre"})


def _lead_is_public_research(subject: Any, ctx: Context) -> str | None:
    lead = subject.lead_organisation
    if lead.kind in PUBLIC_RESEARCH:
        return None
    return f"{lead.name} is not a university or research centre: only these may lead."


lead_is_public_research = Condition(
    "lead_is_public_research",
    "Only public universities and research centres may lead.",
    _lead_is_public_research,
)

WORKFLOW = Workflow(
    name="hub_eoi",
    title="Circular Economy HUB expression of interest",
    description=(
        "Public universities and research centres, alone or jointly, declare their interest and "
        "availability to collaborate with the Region on pilot plants and demonstrators of the "
        "circular economy. The Region checks eligibility, selects the partners and signs a "
        "collaboration agreement with them."
    ),
    content_title="Expression of interest",
    content=(
        Section(
            "challenges",
            "Research areas and competences",
            "The groups, laboratories and competences the institution brings.",
        ),
        Section(
            "needs",
            "Pilot plants and demonstrators",
            "The pilot plants and demonstrators proposed or made available.",
        ),
        Section(
            "objectives",
            "Contribution to the HUB",
            "What the institution would contribute to the Circular Economy HUB (first focus: "
            "e-mobility).",
        ),
        Section(
            "actions",
            "Availability to collaborate",
            "Availability to collaborate with the Region under art. 15 of Law 241/1990.",
        ),
        Section(
            "investments",
            "Resources",
            "Staff, equipment and co-funding the institution commits.",
        ),
    ),
    thematic_area=False,
    states=(
        State(
            "draft",
            "Draft",
            editable=True,
            description="The lead institution writes its expression of interest.",
        ),
        State(
            "submitted",
            "Submitted",
            tone="waiting",
            description="Submitted in the call window; awaiting the eligibility check.",
        ),
        State(
            "eligible",
            "Eligible",
            tone="progress",
            description="Eligible; awaiting the Region's selection.",
        ),
        State("ineligible", "Ineligible", terminal=True, tone="danger"),
        State(
            "selected",
            "Selected",
            tone="success",
            description="Selected as a partner of the HUB; the agreement is to be signed.",
        ),
        State("not_selected", "Not selected", terminal=True, tone="danger"),
        State(
            "agreement_signed",
            "Agreement signed",
            terminal=True,
            tone="success",
            description="The collaboration agreement with the Region is signed.",
        ),
        State("withdrawn", "Withdrawn", terminal=True, tone="neutral"),
    ),
    transitions=(
        Transition(
            "submit",
            "Submit the expression of interest",
            ("draft",),
            "submitted",
            LEAD,
            conditions=(call_open, lead_is_public_research),
            submission=True,
            decisive=True,
        ),
        Transition("declare_eligible", "Declare eligible", ("submitted",), "eligible", COMMITTEE),
        Transition(
            "declare_ineligible",
            "Declare ineligible",
            ("submitted",),
            "ineligible",
            COMMITTEE,
            comment_required=True,
            decisive=True,
        ),
        Transition("select", "Select", ("eligible",), "selected", OFFICER, decisive=True),
        Transition(
            "not_select",
            "Do not select",
            ("eligible",),
            "not_selected",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "sign_agreement",
            "Record the signed agreement",
            ("selected",),
            "agreement_signed",
            OFFICER,
            data=(DataField("agreement_reference", "Agreement reference", max_length=200),),
            decisive=True,
        ),
        Transition(
            "withdraw",
            "Withdraw",
            ("draft", "submitted", "eligible"),
            "withdrawn",
            LEAD,
            decisive=True,
            optional=True,
        ),
    ),
)
