"""Conditions every kind of phase-2 measure may name: the measure's spend range, its one project
per firm, funds left for a rolling measure, its first-come order, and the project's CUP code.

They read the application through this protocol (the Application model and its Call provide it):

- ``subject.call``: ``min_spend``, ``max_spend`` (Decimals or None: not stated),
  ``one_project_per_firm`` (bool), ``budget``, ``committed``;
- ``subject.eligible_spend_total``: the partners' eligible spend added up (None while no partner
  has stated any);
- ``subject.firms_in_other_projects``: names of partners already in another live application
  of the same measure;
- ``subject.earlier_awaiting_decision``: how many applications of the same measure submitted
  before this one still await the Region's decision;
- ``subject.cup``: the project's CUP code, or None.

The CUP (Codice Unico di Progetto, law 3/2003 art. 11; CIPE resolution 143/2002) identifies a
public investment project: "a string of 15 letters and digits", issued to the body that finances
the project "when it decides" (opencup.gov.it, "Cos'è il CUP"). So the officer records it with the
grant, and a project starts only once it is recorded. The shape checked is the one of the
published example (it.wikipedia.org, "Codice unico di progetto": C 1 1 G 06 00000 000 1): a
letter, two digits, a letter, eleven digits.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .i18n import N_, Amount, Series
from .model import Condition, Context

CUP_SHAPE = re.compile(r"[A-Z][0-9]{2}[A-Z][0-9]{11}")


def normal_cup(raw: Any) -> str:
    """A CUP as written on the concession: upper case, no spaces."""
    return re.sub(r"\s+", "", str(raw or "")).upper()


def cup_problem(raw: Any) -> str | None:
    """Why ``raw`` is not a CUP code, or None when it has the shape of one."""
    code = normal_cup(raw)
    if CUP_SHAPE.fullmatch(code):
        return None
    return N_(
        "'%(code)s' is not a CUP code: 15 characters, a letter, two digits, a letter and eleven "
        "digits (e.g. E17H22001230009).",
        code=code,
    )


def _spend_in_range(subject: Any, ctx: Context) -> str | None:
    call = subject.call
    low, high = call.min_spend, call.max_spend
    if low is None and high is None:
        return None
    total = subject.eligible_spend_total
    if total is None:
        return N_("No eligible spend stated: each partner states its eligible spend.")
    if low is not None and total < low:
        return N_(
            "The eligible spend of %(total)s is below the measure's minimum of %(low)s.",
            total=Amount(total),
            low=Amount(low),
        )
    if high is not None and total > high:
        return N_(
            "The eligible spend of %(total)s is above the measure's maximum of %(high)s.",
            total=Amount(total),
            high=Amount(high),
        )
    return None


def _one_project_per_firm(subject: Any, ctx: Context) -> str | None:
    if not subject.call.one_project_per_firm:
        return None
    names = subject.firms_in_other_projects
    if not names:
        return None
    return N_(
        "One project per firm under this measure; already in another application: %(names)s",
        names=Series(names),
    )


def remaining_budget(call: Any) -> Decimal:
    """What of the measure's budget no grant holds (the workflows' own reading of the call)."""
    return Decimal(call.budget or 0) - Decimal(call.committed or 0)


def _funds_available(subject: Any, ctx: Context) -> str | None:
    call = subject.call
    if remaining_budget(call) > 0:
        return None
    return N_(
        "The measure's funds are exhausted: all of its %(budget)s is committed.",
        budget=Amount(call.budget),
    )


def _first_in_line(subject: Any, ctx: Context) -> str | None:
    earlier = subject.earlier_awaiting_decision
    if not earlier:
        return None
    return N_(
        "First come, first served: %(count)s application(s) submitted earlier await a decision "
        "first.",
        count=earlier,
    )


def _given_cup(ctx: Context) -> Any:
    return (ctx.data or {}).get("cup")


def _cup_well_formed(subject: Any, ctx: Context) -> str | None:
    given = _given_cup(ctx)
    return None if given in (None, "") else cup_problem(given)


def _cup_recorded(subject: Any, ctx: Context) -> str | None:
    given = _given_cup(ctx)
    if given not in (None, ""):
        return cup_problem(given)
    if subject.cup:
        return None
    return N_("No CUP code recorded: give the project's CUP, assigned with the grant.")


spend_in_range = Condition(
    "spend_in_range",
    N_("The partners' eligible spend, added up, is within the measure's range."),
    _spend_in_range,
)
one_project_per_firm = Condition(
    "one_project_per_firm",
    N_("Where the measure allows one project per firm, no partner is in another application."),
    _one_project_per_firm,
)
funds_available = Condition(
    "funds_available",
    N_("The measure's funds are not exhausted (first come, first served while funds last)."),
    _funds_available,
)
first_in_line = Condition(
    "first_in_line",
    N_("No application of the measure submitted earlier still awaits a decision."),
    _first_in_line,
)
cup_well_formed = Condition(
    "cup_well_formed", N_("A CUP code given has the shape of one."), _cup_well_formed
)
cup_recorded = Condition(
    "cup_recorded", N_("The project's CUP code is recorded (15 characters)."), _cup_recorded
)
