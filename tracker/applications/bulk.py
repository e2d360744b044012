"""Bulk decisions: one trigger, with its comment and data typed once, fired on several
applications (forty labels granted under one decree, a committee admitting a batch).

Each application gets its own transition and history row through the one firing path
(``fire_transition``: same roles, conditions, effects, emails and hash chain as one at a time),
and each is committed on its own: a refused item undoes nothing of the others, and one done
stays done whatever follows. What the items read is read per batch, in a fixed number of
queries (the applications with their calls, partners, reviews, declarations, integration
requests and labels; the heads of their history chains); only each item's own transaction
(its writes, and the recipients of its emails) is per item.

Optimistic locking holds item by item: the version each application had when the person looked
(``versions``) is checked, and the versioned UPDATE refuses one changed meanwhile (409).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, inspect, select

from tracker.applications.access import possible_roles
from tracker.applications.models import Application, BulkDecision, HistoryEntry
from tracker.applications.queries import judging_options
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import NotFound, TrackerError, ValidationFailed
from tracker.extensions import db
from tracker.firing import fire_transition, options
from tracker.validation import is_id
from workflows import APPLICATION_WORKFLOWS, get_workflow
from workflows.conditions import local_date
from workflows.engine import input_unmet
from workflows.i18n import N_, Series, term

#: the most applications one request decides: a decree's list fits (forty labels at once was
#: the case that asked for it), and a run stays within a request's time (README, Performance)
MAX_ITEMS = 500


@dataclass(frozen=True)
class ItemResult:
    """What became of one selected application: an HTTP-like ``status`` (200 done; 403, 404,
    409, 422 refused, with the refusal), and its state after (None when not visible)."""

    id: int
    status: int
    state: str | None
    error: TrackerError | None = None
    #: the application, when the person may see it (its title on the result page)
    application: Application | None = None


@dataclass(frozen=True)
class ItemPreview:
    """One selected application before the decision: what stops the person firing the trigger
    on it now (nothing: it is ready). ``application`` is None when they may not see it."""

    id: int
    application: Application | None
    refusal: Any

    @property
    def ready(self) -> bool:
        return self.refusal is None


# --- the selection ----------------------------------------------------------------------------


def check_selection(ids: Any) -> list[int]:
    """The selected ids, in order: 422 naming ``ids`` when there are none, more than
    ``MAX_ITEMS``, one twice, or one that is no id."""
    if not isinstance(ids, list | tuple) or not ids:
        raise ValidationFailed.fields({"ids": N_("Select at least one application.")})
    if len(ids) > MAX_ITEMS:
        raise ValidationFailed.fields(
            {"ids": N_("At most %(max)s applications at once; %(count)s were selected.",
                       max=MAX_ITEMS, count=len(ids))}
        )  # fmt: skip
    if not all(is_id(i) for i in ids):
        raise ValidationFailed.fields({"ids": N_("Each selected item must be a numeric id.")})
    seen: set[int] = set()
    twice = [i for i in ids if i in seen or seen.add(i)]
    if twice:
        raise ValidationFailed.fields(
            {"ids": N_("Application %(id)s is selected twice.", id=twice[0])}
        )
    return list(ids)


def check_trigger(trigger: Any) -> str:
    """A trigger of some application workflow (422 otherwise): each item's own workflow then
    decides whether it allows it."""
    if not isinstance(trigger, str) or not trigger.strip():
        raise ValidationFailed.fields({"trigger": N_("trigger is required.")})
    trigger = trigger.strip()
    if not _transitions(trigger):
        raise ValidationFailed(
            N_("No workflow of applications has the trigger '%(trigger)s'.", trigger=trigger),
            {"fields": {"trigger": N_("Unknown trigger.")}},
            code="unknown_trigger",
        )
    return trigger


def load_selected(ids: Iterable[int]) -> dict[int, Application]:
    """The applications of ``ids`` that exist, by id, with all that roles, conditions and
    effects read of them: a fixed number of queries whatever their number. Read afresh (the
    versions checked are the stored ones)."""
    ids = list(ids)
    if not ids:
        return {}
    query = (
        select(Application)
        .where(Application.id.in_(ids))
        .options(*judging_options())
        .execution_options(populate_existing=True)
    )
    return {a.id: a for a in db.session.scalars(query).unique()}


def chain_heads(ids: Iterable[int]) -> dict[int, tuple[int, str | None]]:
    """The newest history row of each application, (seq, hash), in one query: where each
    item's history chain goes on. An application changed meanwhile has a newer head, but its
    version changed with it, so the versioned UPDATE refuses the item (and the unique
    (application, seq) pair would too)."""
    ids = list(ids)
    if not ids:
        return {}
    newest = (
        select(HistoryEntry.application_id, func.max(HistoryEntry.seq).label("seq"))
        .where(HistoryEntry.application_id.in_(ids))
        .group_by(HistoryEntry.application_id)
        .subquery()
    )
    rows = db.session.execute(
        select(HistoryEntry.application_id, HistoryEntry.seq, HistoryEntry.hash).join(
            newest,
            (newest.c.application_id == HistoryEntry.application_id)
            & (newest.c.seq == HistoryEntry.seq),
        )
    )
    return {row.application_id: (row.seq, row.hash) for row in rows}


def _not_found(application_id: int) -> NotFound:
    # the same answer as for an application that does not exist: nothing is leaked
    return NotFound(N_("No application %(id)s.", id=application_id))


def _visible(app: Application | None, user) -> bool:
    return app is not None and app.can_view(user)


# --- what was typed once ----------------------------------------------------------------------


def check_input(
    apps: Iterable[Application], trigger: str, comment: Any, data: Any
) -> dict[str, Any]:
    """The comment and data, checked once for the whole selection (a missing decree date is
    one refusal, not one per application): 422 with ``details.unmet`` as a single transition
    answers. What depends on each application (a decree dated before its call opened, its
    conditions) is checked item by item. Returns the data to send to each."""
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed.fields({"comment": N_("comment must be text.")})
    if data is not None and not isinstance(data, dict):
        raise ValidationFailed.fields({"data": N_("data must be an object.")})
    today = local_date(utcnow())
    unmet: dict[str, Any] = {}
    for name in sorted({a.workflow for a in apps}):
        transition = get_workflow(name).transition(trigger)
        if transition is not None:
            for u in input_unmet(transition, comment or "", data or {}, today):
                unmet.setdefault(u.condition, u)
    if unmet:
        raise ValidationFailed(
            N_("Check what you typed: %(reasons)s",
               reasons=" ".join(str(u.message) for u in unmet.values())),
            {"unmet": [u.as_dict() for u in unmet.values()]},
            code="conditions_unmet",
        )  # fmt: skip
    return dict(data or {})


# --- before: what each selected application allows -------------------------------------------


def preview(user, ids: list[int], trigger: str) -> list[ItemPreview]:
    """Each selected application as the person may see it, and what stops ``trigger`` on it
    now (the confirmation page lists them before anything is done)."""
    apps = load_selected(ids)
    now = utcnow()
    out = []
    for application_id in ids:
        app = apps.get(application_id)
        if not _visible(app, user):
            out.append(ItemPreview(application_id, None, _not_found(application_id).message))
            continue
        option = next((o for o in options(user, app, now) if o.trigger == trigger), None)
        if option is None:
            refusal = N_("Not possible while it is '%(state)s'.", state=term(app.state_info.title))
        elif option.unmet:
            refusal = Series((u.message for u in option.unmet), " ")
        else:
            refusal = None
        out.append(ItemPreview(application_id, app, refusal))
    return out


# --- the decision -----------------------------------------------------------------------------


@contextmanager
def _objects_kept_across_commits():
    """Each item commits; the applications read for the batch stay loaded across those commits
    (expiring them would read each one again: a query per item). The versioned UPDATE still
    refuses any changed by someone else meanwhile."""
    session = db.session()
    kept = session.expire_on_commit
    session.expire_on_commit = False
    try:
        yield
    finally:
        session.expire_on_commit = kept


def fire_in_bulk(
    user,
    ids: Any,
    trigger: Any,
    *,
    comment: Any = "",
    data: Any = None,
    versions: Mapping[int, Any] | None = None,
) -> list[ItemResult]:
    """Fire ``trigger`` as ``user`` on each application of ``ids``, in that order, each in a
    transaction of its own, with the same comment and data. The selection and what was typed
    are checked first (422 for the request, nothing done); then each item answers 200 (done),
    404 (no such application, or one the person may not see: the same answer), 403 (not their
    role), 409 (not from its state, or changed since ``versions[id]``) or 422 (its conditions
    unmet), with the refusal."""
    ids = check_selection(ids)
    trigger = check_trigger(trigger)
    versions = dict(versions or {})
    apps = load_selected(ids)
    data = check_input([a for a in apps.values() if _visible(a, user)], trigger, comment, data)
    heads = chain_heads(apps)
    results: list[ItemResult] = []
    with _objects_kept_across_commits():
        for position, application_id in enumerate(ids):
            app = apps.get(application_id)
            if app is not None and inspect(app).expired:
                # a rolled-back item expired everything loaded: read the rest again, in one go
                rest = ids[position:]
                apps |= load_selected(rest)
                heads |= chain_heads(rest)
                app = apps.get(application_id)
            results.append(
                _fire_one(user, application_id, app, trigger, comment, data,
                          versions.get(application_id), heads.get(application_id))
            )  # fmt: skip
    return results


def _fire_one(user, application_id, app, trigger, comment, data, version, head) -> ItemResult:
    if not _visible(app, user):
        return ItemResult(application_id, 404, None, _not_found(application_id))
    before = app.state
    try:
        fire_transition(
            user, app, trigger, comment=comment or "", data=data or None,
            expected_version=version, head=head or (0, None),
        )  # fmt: skip
        commit()
    except TrackerError as err:
        # refused before anything moved, the session holds nothing of it; refused after (an
        # effect's refusal), its changes are undone here; a lost race was rolled back already
        if db.session.new or db.session.dirty or db.session.deleted or app.state != before:
            db.session.rollback()
        return ItemResult(application_id, err.status, app.state, err, app)
    return ItemResult(application_id, 200, app.state, None, app)


# --- what the pages offer and keep --------------------------------------------------------------


#: the object roles a person may hold on some application, by their roles
def actions_offered(user, workflow_names: Iterable[str], state: str) -> list[tuple[str, str]]:
    """(trigger, label) of the transitions from ``state``, in the given workflows, whose roles
    ``user`` may hold on some application: what the list offers to do to those selected (each
    item's own roles and conditions are checked before and when it fires)."""
    roles = possible_roles(user)
    offered: dict[str, str] = {}
    for name in sorted(set(workflow_names)):
        for t in get_workflow(name).transitions_from(state):
            if t.roles & roles:
                offered.setdefault(t.trigger, t.label)
    return list(offered.items())


def _transitions(trigger: str):
    return [t for wf in APPLICATION_WORKFLOWS.values() if (t := wf.transition(trigger))]


def typed_fields(trigger: str) -> tuple:
    """The data fields the trigger takes in any workflow, each name once (a form types them
    once for the whole selection)."""
    seen: dict[str, Any] = {}
    for t in _transitions(trigger):
        for f in t.data:
            seen.setdefault(f.name, f)
    return tuple(seen.values())


def decisive(trigger: str) -> bool:
    """The trigger cannot be undone in some workflow: the page asks to confirm it."""
    return any(t.decisive for t in _transitions(trigger))


def decision_workflow(apps: Iterable[Application | None], trigger: str) -> str | None:
    """The workflow whose transition the decision is: the first selected application's that
    has the trigger (a list narrowed to one state and call holds one workflow)."""
    for app in apps:
        if app is not None and get_workflow(app.workflow).transition(trigger) is not None:
            return app.workflow
    return None


def _reasons(err: TrackerError) -> list[str]:
    """The refusal as the sentences a person reads: each unmet condition, each field's problem,
    else its message."""
    details = err.details if isinstance(err.details, dict) else {}
    if details.get("unmet"):
        return [u["message"] for u in details["unmet"]]
    if details.get("fields"):
        return list(details["fields"].values())
    return [err.message]


def record_decision(
    user, workflow: str, trigger: str, comment: str, data: dict, results: list[ItemResult]
) -> BulkDecision:
    """Keep what the person was told of a bulk decision (the pages' result page): each item's
    outcome, and the reasons of the refused ones written in every language of the site."""
    from flask_babel import force_locale

    from tracker.i18n import LANGUAGES, translate

    rows = []
    for r in results:
        reasons = {}
        if r.error is not None:
            for language in LANGUAGES:
                with force_locale(language):
                    reasons[language] = [str(translate(m)) for m in _reasons(r.error)]
        rows.append(
            {"id": r.id, "status": r.status, "state": r.state,
             "title": r.application.title if r.application is not None else None,
             "reasons": reasons}
        )  # fmt: skip
    decision = BulkDecision(
        actor_id=user.id, workflow=workflow, trigger=trigger, comment=comment or "",
        data={k: str(v) for k, v in (data or {}).items()}, results=rows,
    )  # fmt: skip
    db.session.add(decision)
    commit()
    return decision


def get_decision(decision_id: int, user) -> BulkDecision:
    """A bulk decision's record, for the person who made it only (404 for anyone else)."""
    decision = db.session.get(BulkDecision, decision_id)
    if decision is None or decision.actor_id != getattr(user, "id", None):
        raise NotFound(N_("No bulk decision %(id)s.", id=decision_id))
    return decision
