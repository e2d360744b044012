"""Partnership changes of a recognised (or submitted) value chain: a firm joins, a partner leaves,
the lead partner (capofila) hands over to another partner. AFIL runs a page for "adesione a
progetti di filiera esistenti"; the Region's notice (DGR 5899/2022, consolidated by DGR
5377/2025) keeps the minimum of ten firms with a seat in Lombardy for a partnership.

A change is asked (``requested``), answered by its counterpart (the lead partner; the named
partner for a change of lead), and acknowledged by the Region (``in_force``): only then does the
partner list change, in the same transaction as the change's history row. A join or a leave
asked by the lead itself is accepted as it is asked (the tracker fires ``accept`` at once).
"""

from workflows.conditions import Condition
from workflows.i18n import N_
from workflows.model import State, Transition, Workflow

COUNTERPART = frozenset({"counterpart"})
OFFICER = frozenset({"officer"})
REQUESTER = frozenset({"requester"})
OPEN = ("requested", "accepted")

#: the kinds of change, as people read them
KINDS = {
    "join": N_("Join"),
    "leave": N_("Leave"),
    "change_lead": N_("Change of lead partner"),
}


def _joining_organisation_verified(subject, ctx) -> str | None:
    """The Region acknowledges a join only once what the joining organisation declared (kind,
    size, seat in Lombardy) has been verified, as for the partners counted at admission."""
    org = subject.organisation
    if subject.kind != "join" or org.verified:
        return None
    return N_(
        "%(name)s awaits verification of its declared data: an officer or a committee member "
        "verifies it on its page first.",
        name=org.name,
    )


def _change_still_applies(subject, ctx) -> str | None:
    """What held when the change was asked may no longer hold when the Region acknowledges it."""
    name = subject.organisation.name
    if subject.chain_ended:
        return N_("The value chain's application has ended: its partnership no longer changes.")
    if subject.kind == "join" and subject.organisation_is_partner:
        return N_("%(name)s is already a partner.", name=name)
    if subject.kind != "join" and not subject.organisation_is_partner:
        return N_("%(name)s is no longer a partner.", name=name)
    if subject.kind == "leave" and subject.organisation_is_lead:
        return N_("%(name)s is the lead partner: change the lead partner first.", name=name)
    if subject.kind == "change_lead" and subject.organisation_is_lead:
        return N_("%(name)s is already the lead partner.", name=name)
    return None


joining_organisation_verified = Condition(
    "joining_organisation_verified",
    N_("A joining organisation's declared data are verified."),
    _joining_organisation_verified,
)
change_still_applies = Condition(
    "change_still_applies",
    N_(
        "The change still applies: the chain's application has not ended, a joining "
        "organisation is not a partner yet, a leaving one (or the new lead) still is."
    ),
    _change_still_applies,
)

WORKFLOW = Workflow(
    name="partnership_change",
    title=N_("Partnership change"),
    description=N_(
        "A firm asks to join a value chain (or the lead partner names it), a partner leaves, or "
        "the lead partner hands over to another partner. The lead partner (for a change of lead, "
        "the named partner) accepts it and the Region acknowledges it: the partnership changes "
        "then, and the public registry shows it."
    ),
    subject="change",
    content=(),
    thematic_area=False,
    states=(
        State(
            "requested",
            N_("Asked"),
            tone="waiting",
            description=N_(
                "Asked; awaiting the answer of the lead partner (or the named partner)."
            ),
            service_days=30,
        ),
        State(
            "accepted",
            N_("Accepted"),
            tone="waiting",
            description=N_("Accepted by the partnership; awaiting the Region's acknowledgement."),
            service_days=30,
        ),
        State(
            "in_force",
            N_("In force"),
            terminal=True,
            tone="success",
            positive=True,
            description=N_("Acknowledged by the Region: the partnership has changed."),
        ),
        State(
            "refused",
            N_("Refused"),
            terminal=True,
            tone="danger",
            description=N_("Refused by the partnership or by the Region."),
        ),
        State(
            "withdrawn",
            N_("Withdrawn"),
            terminal=True,
            tone="neutral",
            description=N_("Withdrawn by who asked it."),
        ),
    ),
    transitions=(
        Transition(
            "accept",
            N_("Accept the change"),
            ("requested",),
            "accepted",
            COUNTERPART,
            description=N_("The Region acknowledges it next."),
        ),
        Transition(
            "acknowledge",
            N_("Acknowledge the change"),
            ("accepted",),
            "in_force",
            OFFICER,
            conditions=(joining_organisation_verified, change_still_applies),
            effects=("apply_partnership_change",),
            decisive=True,
            description=N_(
                "The partner list changes now; the page warns when the chain would fall below "
                "its call's minimum of firms with a seat in Lombardy."
            ),
        ),
        Transition(
            "refuse",
            N_("Refuse the change"),
            OPEN,
            "refused",
            COUNTERPART | OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "withdraw",
            N_("Withdraw the change"),
            OPEN,
            "withdrawn",
            REQUESTER,
            decisive=True,
            optional=True,
        ),
    ),
)
