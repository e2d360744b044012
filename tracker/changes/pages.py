"""Partnership changes: the list, asking a change, one change's page and its actions; the time an
officer gives a chain below its call's minimum. Each POST calls one operation and commits; a
refusal re-renders the page with the message and with what the person typed."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.applications.models import Application
from tracker.applications.operations import get_application
from tracker.changes.forms import ChangeForm, ShortfallForm
from tracker.changes.operations import (
    available_transitions,
    fire_transition,
    get_change,
    give_time,
    open_shortfall,
    request_change,
    warnings,
)
from tracker.changes.panels import kinds_to_ask
from tracker.changes.queries import ChangeFilters, history_of, list_changes
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import BadRequest, Forbidden, NotFound, TrackerError
from tracker.extensions import db
from tracker.firing import path_of
from tracker.i18n import translate
from tracker.organisations.queries import organisation_choices
from tracker.pagination import page_request
from tracker.querystring import query_id, query_text
from tracker.validation import MAX_ID
from tracker.web.formerrors import show_errors
from tracker.web.forms import choices
from tracker.web.nextstep import holds_role, next_step
from tracker.web.transitions import transition_page
from workflows.conditions import local_date
from workflows.definitions.partnership_change import KINDS
from workflows.diagram import mermaid
from workflows.i18n import N_

from .models import WORKFLOW

bp = Blueprint("changes", __name__)


def _user():
    return current_user._get_current_object()


# --- the list ----------------------------------------------------------------------------------


@bp.get("/changes")
@login_required
def index():
    state = query_text(request.args, "state", max_len=50)
    kind = query_text(request.args, "kind", max_len=20)
    if state is not None and not WORKFLOW.has_state(state):
        raise BadRequest(_("Unknown state '%(state)s'.", state=state), code="bad_query")
    if kind is not None and kind not in KINDS:
        raise BadRequest(_("Unknown kind of change '%(kind)s'.", kind=kind), code="bad_query")
    filters = ChangeFilters(application_id=query_id(request.args, "application_id"), state=state,
                            kind=kind)  # fmt: skip
    paging = page_request(request.args)
    items, total = list_changes(_user(), filters, paging)
    return render_template(
        "changes/index.html", items=items, total=total, paging=paging, filters=filters,
        states=[(s.name, s.title) for s in WORKFLOW.states], kinds=KINDS,
    )  # fmt: skip


# --- asking a change ------------------------------------------------------------------------------


def _application(application_id: int) -> Application:
    """The application a change is asked on: a firm asking to join a chain of the registry does
    not see the application, so visibility is not asked here (the operation judges the asker)."""
    app = db.session.get(Application, application_id)
    if app is None:
        raise NotFound(N_("No application %(id)s.", id=application_id))
    return app


def _organisations(app: Application, kind: str, form: ChangeForm) -> dict:
    """The organisations the form offers for ``kind``, and the search that found them."""
    user = _user()
    lead = user.organisation_id == app.lead_organisation_id
    search = None
    if kind == "join" and lead:
        q = query_text(request.values, "org_q", max_len=100)
        chosen = form.organisation()
        found, more = organisation_choices(
            {p.organisation_id for p in app.partners}, q,
            chosen if isinstance(chosen, int) and 0 < chosen <= MAX_ID else None,
        )  # fmt: skip
        blank = (
            _("Search for the organisation first") if not found else _("Choose an organisation…")
        )
        form.organisation_id.choices = choices(found, blank=blank)
        search = {"q": q or "", "found": len(found), "more": more}
    elif kind == "join" or not lead:
        org = user.organisation
        form.organisation_id.choices = choices([(str(org.id), org.name)])
        form.organisation_id.data = str(org.id)
    else:
        partners = [
            (str(p.organisation_id), p.organisation.name) for p in app.partners if not p.is_lead
        ]
        form.organisation_id.choices = choices(partners, blank=_("Choose a partner…"))
    return {"search": search}


def _render_new(app: Application, kind: str | None, form: ChangeForm, status: int = 200):
    kinds = kinds_to_ask(_user(), app)
    if not kinds:
        raise Forbidden(N_("You may not ask a change of this partnership."), code="not_allowed")
    if kind is not None and kind not in KINDS:
        raise BadRequest(_("Unknown kind of change '%(kind)s'.", kind=kind), code="bad_query")
    unavailable = kind if kind is not None and kind not in kinds else None
    if unavailable:  # e.g. "Ask to join" followed by a partner already in the chain
        kind = None
    extra = _organisations(app, kind, form) if kind else {"search": None}
    return render_template(
        "changes/new.html", application=app, kind=kind, kinds=kinds, kind_labels=KINDS,
        form=form, can_view=app.can_view(_user()), unavailable=unavailable, **extra,
    ), status  # fmt: skip


@bp.route("/applications/<int:application_id>/changes/new", methods=["GET", "POST"])
@login_required
def new(application_id: int):
    app = _application(application_id)
    kind = query_text(request.values, "kind", max_len=20)
    if request.method != "POST":  # GET, and HEAD as GET
        form = ChangeForm(formdata=None)
        form.organisation_id.data = request.args.get("organisation_id", "")
        return _render_new(app, kind, form)
    form = ChangeForm()
    form.kind.data = kind
    try:
        change = request_change(_user(), app, form.fields())
        commit()
    except TrackerError as err:
        db.session.rollback()
        app = _application(application_id)
        show_errors(form, err, {"#duplicate": "organisation_id"})
        return _render_new(app, kind if kind in KINDS else None, form, err.status)
    flash(_("Partnership change asked: it is now “%(state)s”.",
            state=translate(change.state_info.title)), "success")  # fmt: skip
    return redirect(url_for(".detail", change_id=change.id))


# --- one change --------------------------------------------------------------------------------


def _render(change, *, status: int = 200, alert: str | None = None, attempt=None):
    user = _user()
    options = available_transitions(user, change)
    history = history_of(change)
    return render_template(
        "changes/detail.html",
        change=change,
        application=change.application,
        can_view_application=change.application.can_view(user),
        state=change.state_info,
        workflow=change.definition,
        step=next_step(change, options, "not a review"),
        my_options=[o for o in options if holds_role(o)],
        other_options=[o for o in options if not holds_role(o)],
        attempt=attempt,
        warnings=warnings(change),
        history=history,
        diagram=mermaid(change.definition, change.state, path_of(history), say=translate),
        alert=alert,
    ), status


@bp.get("/changes/<int:change_id>")
@login_required
def detail(change_id: int):
    return _render(get_change(change_id, _user()))


@bp.post("/changes/<int:change_id>/transitions")
@login_required
def transition(change_id: int):
    return transition_page(
        change_id, get_change, fire_transition, _render, N_("partnership change"),
        lambda action, state: _(
            "%(action)s: done. The change is now “%(state)s”.", action=action, state=state
        ),
        url_for(".detail", change_id=change_id),
    )  # fmt: skip


# --- time for a chain below the minimum -----------------------------------------------------------


def _render_shortfall(app: Application, form: ShortfallForm, status: int = 200):
    shortfall = open_shortfall(app.id)
    if shortfall is None:
        raise NotFound(N_("This chain is not below its call's minimum of firms."))
    return render_template(
        "changes/shortfall.html", application=app, shortfall=shortfall, form=form,
        can_give_time=_user().has_role("officer"), today=local_date(utcnow()),
    ), status  # fmt: skip


@bp.route("/applications/<int:application_id>/shortfall", methods=["GET", "POST"])
@login_required
def shortfall(application_id: int):
    """The chain's shortfall below its call's minimum; officers give it time here."""
    app = get_application(application_id, _user(), for_change=request.method == "POST")
    if request.method != "POST":  # GET, and HEAD as GET
        return _render_shortfall(app, ShortfallForm(formdata=None))
    form = ShortfallForm()
    try:
        give_time(_user(), app, form.deadline.data, form.reason.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        if err.status in (403, 404):
            raise  # not theirs, or nothing to give time to: no form to show again
        app = get_application(application_id, _user())
        show_errors(form, err)
        return _render_shortfall(app, form, err.status)
    flash(_("Deadline recorded."), "success")
    return redirect(
        url_for("applications.detail", application_id=application_id, _anchor="changes")
    )
