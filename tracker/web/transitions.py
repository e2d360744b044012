"""The transition form of an application's or a proposal's page: one handler for both.

The person ticks, types and presses; the subject's operation fires; a refusal comes back as an
``Attempt`` holding what they typed and each reason, placed by the field it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import flash, redirect, request, session
from flask_login import current_user

from tracker.applications.forms import TransitionForm
from tracker.database import commit
from tracker.errors import TrackerError, ValidationFailed
from tracker.extensions import db
from tracker.i18n import translate
from tracker.web.forms import parse_amount
from workflows import DataField, Transition
from workflows.i18n import N_, term


@dataclass
class Attempt:
    """A transition someone tried and was refused: what they typed, and why."""

    trigger: str
    comment: str
    data: dict[str, str]
    confirm: bool
    messages: list[str] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)
    error: TrackerError | None = None

    def explain(self, err: TrackerError, fields: tuple) -> None:
        """Each reason beside its field (comment, confirmation, data), the rest above the form,
        in the reader's language."""
        self.error = err
        details = err.details if isinstance(err.details, dict) else {}
        names = {"comment", "confirm", *self.data, *(f.one_of for f in fields if f.one_of)}
        for u in details.get("unmet") or []:
            if u.get("condition") in names:
                self.field_errors[u["condition"]] = translate(u["message"])
            else:
                self.messages.append(translate(u["message"]))
        for name, message in (details.get("fields") or {}).items():
            self.field_errors[name] = translate(message)
        if not self.messages and not self.field_errors:
            self.messages.append(translate(err.message))


#: where a stale refusal leaves what was typed for the page it redirects to. The session is a
#: cookie (browsers drop one above 4 KB, and the login with it): a comment longer than this, as
#: JSON writes it, is not kept, and the message says so
KEPT = "kept_attempt"
KEPT_MAX_JSON = 1500


def stale_alert(err: TrackerError, noun: str) -> str:
    if err.code == "stale_version":
        return translate(
            N_(
                "Someone else changed this %(noun)s meanwhile. This page now shows it as it is: "
                "check, then try again.",
                noun=term(noun),
            )
        )
    return translate(err.message)


def _typed(field: DataField, text: str) -> str:
    """A data field as the operation reads it: amounts typed as the page writes numbers."""
    return (parse_amount(text) or "") if field.kind == "amount" else text


def submit_transition(
    subject: Any, fire: Callable[..., Any]
) -> tuple[Transition | None, Attempt | None]:
    """Fire the posted trigger on ``subject`` through ``fire`` and commit.

    Returns (the transition done, None), or (None, the refused attempt) with the session rolled
    back, so the caller reloads the subject and shows the page again.
    """
    form = TransitionForm()
    trigger = (form.trigger.data or "").strip()
    definition = subject.definition.transition(trigger)
    fields = definition.data if definition else ()
    data = {f.name: _typed(f, request.form.get(f"data-{f.name}", "")) for f in fields}
    attempt = Attempt(trigger, form.comment.data or "", data, bool(form.confirm.data))
    try:
        if definition is not None and definition.decisive and not form.confirm.data:
            action = term(definition.label, lower=True)
            raise ValidationFailed(
                N_("Tick “I confirm” to %(action)s: it cannot be undone.", action=action),
                {"fields": {"confirm": N_("Tick this box to confirm.")}},
                code="not_confirmed",
            )
        fire(
            current_user,
            subject,
            trigger,
            comment=form.comment.data or "",
            data=data or None,
            expected_version=form.version.data,
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        attempt.explain(err, fields)
        return None, attempt
    return definition, None


def transition_page(
    subject_id: int,
    load: Callable[..., Any],
    fire: Callable[..., Any],
    redisplay: Callable[..., Any],
    noun: str,
    done: Callable[[str, str], str],
    detail: str,
):
    """The POST of a subject's transition form, for applications and proposals alike: fire it;
    refused, the subject's page again (``redisplay``) with what was typed and why; done, a flash
    (``done(action, state)``, in the subject's own words) and a redirect to ``detail``."""
    subject = load(subject_id, current_user, for_change=True)
    transition, attempt = submit_transition(subject, fire)
    if attempt is not None and attempt.error.code == "stale_version":
        return _stale(subject_id, load, attempt, noun, detail)
    if attempt is not None:
        subject = load(subject_id, current_user)
        alert = stale_alert(attempt.error, noun)
        return redisplay(subject, status=attempt.error.status, alert=alert, attempt=attempt)
    flash(done(translate(transition.label), translate(subject.state_info.title)), "success")
    return redirect(detail)


def _stale(subject_id: int, load: Callable[..., Any], attempt: Attempt, noun: str, detail: str):
    """A form from a stale tab: nothing was done. One message, and the subject's page as it is
    now (a redirect, so that reloading never posts again), its form refilled with the comment."""
    subject = load(subject_id, current_user)
    kept = len(json.dumps(attempt.comment)) <= KEPT_MAX_JSON
    if attempt.comment and kept:
        session[KEPT] = {"trigger": attempt.trigger, "comment": attempt.comment}
    message = N_(
        "Nothing was done: someone else changed this %(noun)s meanwhile, and it is now "
        "“%(state)s”. Here it is as it stands; check it, then act again if you still need to.",
        noun=term(noun),
        state=term(subject.state_info.title),
    )
    if attempt.comment and not kept:
        message = N_(
            "Nothing was done: someone else changed this %(noun)s meanwhile, and it is now "
            "“%(state)s”. Here it is as it stands; your comment was too long to keep: press Back "
            "to copy it.",
            noun=term(noun),
            state=term(subject.state_info.title),
        )
    flash(translate(message), "warning")
    return redirect(detail, code=303)


def kept_attempt() -> Attempt | None:
    """The comment a stale refusal kept for this page (once), as an attempt to refill."""
    kept = session.pop(KEPT, None)
    if not isinstance(kept, dict):
        return None
    return Attempt(str(kept.get("trigger", "")), str(kept.get("comment", "")), {}, False)
