"""Conditions shared by the workflows, each with its name and the reason people read when unmet.

They read the object through a small protocol, so they stay free of any database:

- ``subject.call``: ``opens_at``, ``deadline`` (dates), ``min_firms``, ``min_reviews``;
- ``subject.score_threshold``: the threshold of the call window it is evaluated under;
- ``subject.lombardy_firm_count``, ``subject.missing_concept_note_fields`` (labels),
  ``subject.missing_required_annexes`` (the names of the call's required annexes not uploaded),
  ``subject.areas_outside_window_on(now)`` (thematic areas its call window then does not offer),
  ``subject.agreement_signed`` (the agreement signed by every partner is uploaded as a PDF),
  ``subject.submitted_review_count``, ``subject.average_score``;
- ``subject.partner_organisations``: each with ``name``, ``is_lombard_firm`` (it counts toward the
  call's minimums) and ``verified`` (an officer or a committee member checked what it declared);
- ``subject.has_declared(actor)``: the acting committee member (``ctx.actor``) made their
  declaration about a conflict of interest on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .i18n import N_, Day, Series
from .model import Condition, Context

ROME = ZoneInfo("Europe/Rome")


def local_date(now: dt.datetime) -> dt.date:
    """The calendar day in Lombardy: a call's deadline is a day in Rome, not in UTC."""
    return now.astimezone(ROME).date()


def _call_open(subject: Any, ctx: Context) -> str | None:
    call, today = subject.call, local_date(ctx.now)
    if today < call.opens_at:
        return N_("The call opens on %(day)s.", day=Day(call.opens_at))
    if today > call.deadline:
        return N_("The call closed on %(day)s.", day=Day(call.deadline))
    return None


def _min_lombardy_firms(subject: Any, ctx: Context) -> str | None:
    have, need = subject.lombardy_firm_count, subject.call.min_firms
    if have >= need:
        return None
    return N_(
        "%(have)s of the %(need)s required firms with a seat in Lombardy.", have=have, need=need
    )


def _concept_note_complete(subject: Any, ctx: Context) -> str | None:
    missing = subject.missing_concept_note_fields
    if missing:
        return N_("The concept note lacks: %(missing)s.", missing=Series(missing))
    outside = subject.areas_outside_window_on(ctx.now)
    if outside:
        return N_(
            "Thematic areas not among those of the call's window: %(areas)s.",
            areas=Series(outside),
        )
    return None


def _agreement_signed(subject: Any, ctx: Context) -> str | None:
    if subject.agreement_signed:
        return None
    return N_(
        "The project agreement signed by all partners has not been uploaded as a PDF: the lead "
        "partner uploads it on the application."
    )


def _required_annexes_present(subject: Any, ctx: Context) -> str | None:
    missing = subject.missing_required_annexes
    if not missing:
        return None
    return N_("Required annexes not uploaded yet: %(names)s.", names=Series(missing, sep="; "))


def _partners_verified(subject: Any, ctx: Context) -> str | None:
    # only what counts toward the call's minimums has to be checked before the evaluation
    waiting = [
        org.name
        for org in subject.partner_organisations
        if org.is_lombard_firm and not org.verified
    ]
    if not waiting:
        return None
    if len(waiting) == 1:
        return N_("%(name)s awaits verification of its declared data.", name=waiting[0])
    return N_(
        "%(count)s partners await verification of their declared data: %(names)s.",
        count=len(waiting),
        names=Series(waiting),
    )


#: Law 241/1990 art. 2 c. 7: the procedure's terms may be suspended once, for at most 30 days, to
#: obtain information or certificates the administration does not hold; a call may set its own
#: rule (``Call.integration_reply_days``), which is then both the default and the longest period.
LAW_241_SUSPENSION_DAYS = 30


def reply_by_default(subject: Any, today: dt.date) -> dt.date:
    """The date to reply by when the committee gives none: the call's reply period from today."""
    return today + dt.timedelta(days=subject.call.integration_reply_days)


def _reply_within_period(subject: Any, ctx: Context) -> str | None:
    reply_by = (ctx.data or {}).get("reply_by")
    days = subject.call.integration_reply_days
    latest = local_date(ctx.now) + dt.timedelta(days=days)
    if reply_by is None or reply_by <= latest:
        return None
    return N_(
        "The reply date may be at most %(days)s days from today (%(latest)s): the call's reply "
        "period.",
        days=days,
        latest=Day(latest),
    )


def _reply_overdue(subject: Any, ctx: Context) -> str | None:
    pending = subject.pending_integration
    if pending is None or local_date(ctx.now) > pending.reply_by:
        return None
    return N_(
        "The applicants may reply until %(day)s: only after that date may the application be "
        "declared inadmissible for want of a reply.",
        day=Day(pending.reply_by),
    )


def _integration_answered(subject: Any, ctx: Context) -> str | None:
    pending = subject.pending_integration
    if pending is None or (pending.reply or "").strip() or (ctx.comment or "").strip():
        return None
    return N_(
        "Reply to the committee's question before resubmitting: write the reply, and attach any "
        "documents, at the top of the application."
    )


def _min_reviews(subject: Any, ctx: Context) -> str | None:
    have, need = subject.submitted_review_count, subject.call.min_reviews
    if have >= need:
        return None
    return N_("%(have)s of the %(need)s required reviews submitted.", have=have, need=need)


def _score_threshold(subject: Any, ctx: Context) -> str | None:
    score: Decimal | None = subject.average_score
    threshold = subject.score_threshold
    if score is None:
        return N_("No score yet: the evaluation has no reviews.")
    if score < threshold:
        return N_(
            "Average score %(score)s is below the threshold of %(threshold)s.",
            score=score,
            threshold=threshold,
        )
    return None


def _conflict_declared(subject: Any, ctx: Context) -> str | None:
    # Only a committee member declares: an officer acting as an officer is no member of it, and
    # without an actor (the engine asked about a role alone) nobody in particular is acting.
    if "reviewer" not in ctx.roles or "officer" in ctx.roles or ctx.actor is None:
        return None
    if subject.has_declared(ctx.actor):
        return None
    return N_(
        "Declare first whether you have a conflict of interest on this application: no "
        "conflict, or a conflict with its reason."
    )


call_open = Condition(
    "call_open", N_("The call is open (between its opening and its deadline)."), _call_open
)
min_lombardy_firms = Condition(
    "min_lombardy_firms",
    N_("At least the call's minimum number of partners are firms with a seat in Lombardy."),
    _min_lombardy_firms,
)
concept_note_complete = Condition(
    "concept_note_complete",
    N_("Every part of the concept note and the thematic area are filled in."),
    _concept_note_complete,
)
agreement_signed = Condition(
    "agreement_signed",
    N_("The project agreement signed by all partners is uploaded as a PDF."),
    _agreement_signed,
)
required_annexes_present = Condition(
    "required_annexes_present",
    N_("Every annex the call requires is uploaded."),
    _required_annexes_present,
)
partners_verified = Condition(
    "partners_verified",
    N_(
        "Every partner counted toward the call's minimums (a firm with a seat in Lombardy) has "
        "had its declared data verified by a Region officer or a committee member."
    ),
    _partners_verified,
)
min_reviews = Condition(
    "min_reviews", N_("At least the call's minimum number of reviews are submitted."), _min_reviews
)
score_threshold = Condition(
    "score_threshold", N_("The average score reaches the call's threshold."), _score_threshold
)
#: DOMAIN.md: "a member acts on an application only after declaring (no conflict, or one with its
#: reason)". Named for the refusal it reports, as CONTRACT.md names it.
conflict_not_declared = Condition(
    "conflict_not_declared",
    N_(
        "A committee member has declared whether they have a conflict of interest on the "
        "application (officers acting as officers do not declare)."
    ),
    _conflict_declared,
)
reply_within_period = Condition(
    "reply_within_period",
    N_(
        "The date to reply by is within the call's reply period (Law 241/1990 art. 2 c. 7: at "
        "most 30 days, unless the call sets its own rule)."
    ),
    _reply_within_period,
)
reply_overdue = Condition(
    "reply_overdue",
    N_("An integration still unanswered is past its reply date."),
    _reply_overdue,
)
integration_answered = Condition(
    "integration_answered",
    N_("The lead partner has replied to the committee's question."),
    _integration_answered,
)
