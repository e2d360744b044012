"""The grant an application asks for, computed as its measure says: each partner's eligible spend
times the aid intensity for its size, added up, capped at the measure's maximum grant.

Bando Filiere 2022 covered "the expenses admitted within 50% for SMEs and 15% for the large
firm that takes an active part in the project", for projects of at least EUR 200,000 of spend
and grants up to EUR 400,000 (impresacity.it, 2022-08, on the DGR approving the call). A partner
that is not an SME (a large firm, or an organisation that declared no firm size) gets the lower
intensity: the higher one is for declared SMEs only.

A measure that states no intensities (those created before migration 0018_measures) keeps the
amount requested as it was entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tracker.applications.models import Application, Partner
from tracker.calls.models import Call
from tracker.columns import to_cents

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class GrantLine:
    """One partner's part: its spend, the intensity for its size and the aid it brings."""

    partner: Partner
    sme: bool
    spend: Decimal
    intensity: Decimal
    aid: Decimal


@dataclass(frozen=True)
class GrantComputation:
    lines: tuple[GrantLine, ...]
    #: the partners' spend added up, and their aid before and after the measure's cap
    spend: Decimal
    uncapped: Decimal
    cap: Decimal | None
    amount: Decimal

    @property
    def capped(self) -> bool:
        return self.amount < self.uncapped


def states_intensities(call: Call) -> bool:
    return call.sme_intensity is not None and call.large_intensity is not None


def intensity_for(call: Call, partner: Partner) -> Decimal:
    """The aid intensity (percent) for this partner's size under the measure."""
    return call.sme_intensity if partner.organisation.is_sme else call.large_intensity


def compute(app: Application) -> GrantComputation | None:
    """The grant the measure's rules give this application, with each partner's line; None when
    the measure states no intensities."""
    call = app.call
    if not states_intensities(call):
        return None
    lines = []
    for partner in app.partners:
        spend = partner.eligible_spend or Decimal(0)
        intensity = intensity_for(call, partner)
        aid = to_cents(spend * intensity / HUNDRED)
        lines.append(GrantLine(partner, partner.organisation.is_sme, spend, intensity, aid))
    spend = sum((line.spend for line in lines), Decimal(0))
    uncapped = sum((line.aid for line in lines), Decimal(0))
    cap = call.max_grant
    amount = uncapped if cap is None else min(uncapped, cap)
    return GrantComputation(tuple(lines), spend, uncapped, cap, amount)


def computed_request(app: Application) -> Decimal | None:
    """What ``requested_amount`` holds under a measure stating intensities: the computed
    grant, None while it is zero (nothing asked yet)."""
    result = compute(app)
    if result is None or result.amount <= 0:
        return None
    return result.amount


def refresh_requested_amount(app: Application) -> None:
    """After a partner's spend changed: the request follows the rules (measures stating
    intensities only; the others keep the amount entered)."""
    if states_intensities(app.call):
        app.requested_amount = computed_request(app)
