"""Conditions shared by the workflows, each with its name and the reason people read when unmet.

They read the object through a small protocol, so they stay free of any database:

- ``subject.call``: ``opens_at``, ``deadline`` (dates), ``min_firms``, ``min_reviews``,
  ``score_threshold``;
- ``subject.lombardy_firm_count``, ``subject.missing_concept_note_fields`` (labels),
  ``subject.agreement_signed``, ``subject.submitted_review_count``, ``subject.average_score``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .model import Condition, Context

ROME = ZoneInfo("Europe/Rome")


def local_date(now: dt.datetime) -> dt.date:
    """The calendar day in Lombardy: a call's deadline is a day in Rome, not in UTC."""
    return now.astimezone(ROME).date()


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _call_open(subject: Any, ctx: Context) -> str | None:
    call, today = subject.call, local_date(ctx.now)
    if today < call.opens_at:
        return f"The call opens on {_fmt(call.opens_at)}."
    if today > call.deadline:
        return f"The call closed on {_fmt(call.deadline)}."
    return None


def _min_lombardy_firms(subject: Any, ctx: Context) -> str | None:
    have, need = subject.lombardy_firm_count, subject.call.min_firms
    if have >= need:
        return None
    return f"{have} of the {need} required firms with a seat in Lombardy."


def _concept_note_complete(subject: Any, ctx: Context) -> str | None:
    missing = subject.missing_concept_note_fields
    return f"The concept note lacks: {', '.join(missing)}." if missing else None


def _agreement_signed(subject: Any, ctx: Context) -> str | None:
    if subject.agreement_signed:
        return None
    return "The project agreement has not been recorded as signed by all partners."


def _min_reviews(subject: Any, ctx: Context) -> str | None:
    have, need = subject.submitted_review_count, subject.call.min_reviews
    return None if have >= need else f"{have} of the {need} required reviews submitted."


def _score_threshold(subject: Any, ctx: Context) -> str | None:
    score: Decimal | None = subject.average_score
    threshold = subject.call.score_threshold
    if score is None:
        return "No score yet: the evaluation has no reviews."
    if score < threshold:
        return f"Average score {score} is below the threshold of {threshold}."
    return None


call_open = Condition(
    "call_open", "The call is open (between its opening and its deadline).", _call_open
)
min_lombardy_firms = Condition(
    "min_lombardy_firms",
    "At least the call's minimum number of partners are firms with a seat in Lombardy.",
    _min_lombardy_firms,
)
concept_note_complete = Condition(
    "concept_note_complete",
    "Every part of the concept note and the thematic area are filled in.",
    _concept_note_complete,
)
agreement_signed = Condition(
    "agreement_signed", "The project agreement is signed by all partners.", _agreement_signed
)
min_reviews = Condition(
    "min_reviews", "At least the call's minimum number of reviews are submitted.", _min_reviews
)
score_threshold = Condition(
    "score_threshold", "The average score reaches the call's threshold.", _score_threshold
)
