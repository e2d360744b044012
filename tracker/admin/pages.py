"""The administration area: a searchable list of people, an invitation form, and each person's
page (roles and organisation, deactivation with a confirmation, API tokens, the audit log of
their account). Every page asks for the ``admin`` role; every change is an operation of
``tracker.auth.operations`` that writes its audit-log row in the same transaction."""

from __future__ import annotations

import functools

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.admin.forms import DeactivateForm, InviteForm, PersonForm
from tracker.auth import sessions
from tracker.auth.forms import ConfirmForm
from tracker.auth.models import ROLES, AccountEvent, User
from tracker.auth.operations import (
    deactivate,
    events_of,
    invite,
    reactivate,
    revoke_token,
    tokens_of,
    update_person,
)
from tracker.auth.queries import people_page
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import Forbidden, NotFound, TrackerError
from tracker.extensions import db
from tracker.i18n import translate
from tracker.pagination import page_request
from tracker.querystring import query_text
from tracker.web.formerrors import show_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")


def admin_only(view):
    @functools.wraps(view)
    @login_required
    def checked(*args, **kwargs):
        if not current_user.has_role("admin"):
            raise Forbidden(_("Only administrators may use the administration pages."))
        return view(*args, **kwargs)

    return checked


def _roles(names) -> str:
    return ", ".join(translate(ROLES.get(r, r)) for r in names or ()) or "—"


def describe(event: AccountEvent) -> str:
    """What an audit-log row says, in the reader's language."""
    d = event.details or {}
    if event.action == "invited":
        text = _("Invited with the roles %(roles)s", roles=_roles(d.get("roles")))
        if d.get("organisation"):
            text += " · " + d["organisation"]
        return text
    if event.action == "roles_changed":
        return _("Roles changed from %(before)s to %(after)s",
                 before=_roles(d.get("before")), after=_roles(d.get("after")))  # fmt: skip
    if event.action == "organisation_changed":
        return _("Organisation changed from %(before)s to %(after)s",
                 before=d.get("before") or "—", after=d.get("after") or "—")  # fmt: skip
    if event.action == "token_issued":
        return _("API token %(prefix)s… issued for %(days)s days",
                 prefix=d.get("prefix", ""), days=d.get("days", ""))  # fmt: skip
    if event.action == "token_revoked":
        return _("API token %(prefix)s… revoked", prefix=d.get("prefix", ""))
    if event.action == "deactivated":
        return _("Deactivated: %(sessions)s sessions and %(tokens)s API tokens ended",
                 sessions=d.get("sessions", 0), tokens=d.get("tokens", 0))  # fmt: skip
    simple = {
        "reactivated": _("Reactivated"),
        "password_changed": _("Password changed by its owner"),
        "reset_requested": _("A password reset link was e-mailed"),
        "password_reset": _("Password set again through an e-mailed reset link"),
        "invitation_accepted": _("Invitation accepted: password chosen"),
    }
    return simple.get(event.action, event.action)


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    return user


@bp.get("/people")
@admin_only
def people():
    paging = page_request(request.args)
    q = query_text(request.args, "q") or ""
    items, total = people_page(q, paging)
    return render_template("admin/people.html", items=items, total=total, paging=paging, q=q)


@bp.route("/people/invite", methods=["GET", "POST"])
@admin_only
def invite_person():
    form = InviteForm()
    ticked = set(request.form.getlist("roles")) if request.method == "POST" else {"applicant"}
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("admin/invite.html", form=form, ticked=ticked)
    if not form.validate_on_submit():
        return render_template("admin/invite.html", form=form, ticked=ticked), 422
    try:
        user = invite(
            current_user,
            form.email.data or "",
            form.name.data or "",
            sorted(ticked),
            form.organisation.data,
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err, {"#duplicate": "email", "org": "organisation"})
        return render_template("admin/invite.html", form=form, ticked=ticked), err.status
    flash(_("%(email)s is invited: the email with their link is on its way.", email=user.email),
          "success")  # fmt: skip
    return redirect(url_for(".person", user_id=user.id))


def _person_page(user: User, status: int = 200, *, form: PersonForm | None = None, ticked=None):
    if form is None:
        form = PersonForm(formdata=None)
        form.organisation.data = user.organisation.vat_number if user.organisation else ""
    return render_template(
        "admin/person.html",
        person=user,
        form=form,
        ticked=set(user.roles) if ticked is None else ticked,
        tokens=tokens_of(user),
        sessions_count=len(sessions.sessions_of(user)),
        events=events_of(user),
        is_self=user.id == current_user.id,
        now=utcnow(),
        all_roles=ROLES,
        account_event=describe,
    ), status


@bp.get("/people/<int:user_id>")
@admin_only
def person(user_id: int):
    return _person_page(_person(user_id))


@bp.post("/people/<int:user_id>/edit")
@admin_only
def update(user_id: int):
    user = _person(user_id)
    form = PersonForm()
    ticked = set(request.form.getlist("roles"))
    if not form.validate_on_submit():
        return _person_page(user, 422, form=form, ticked=ticked)
    try:
        changed = update_person(
            current_user, user, roles=sorted(ticked), organisation_vat=form.organisation.data
        )
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return _person_page(user, err.status, form=form, ticked=ticked)
    flash(_("Saved.") if changed else _("Nothing to change."), "success" if changed else "info")
    return redirect(url_for(".person", user_id=user.id))


@bp.route("/people/<int:user_id>/deactivate", methods=["GET", "POST"])
@admin_only
def deactivate_person(user_id: int):
    user = _person(user_id)
    form = DeactivateForm()
    is_self = user.id == current_user.id
    if request.method != "POST":
        return render_template("admin/deactivate.html", person=user, form=form, is_self=is_self)
    if not form.validate_on_submit():
        return render_template(
            "admin/deactivate.html", person=user, form=form, is_self=is_self
        ), 422
    try:
        deactivate(current_user, user)
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return render_template(
            "admin/deactivate.html", person=user, form=form, is_self=is_self
        ), err.status
    flash(_("%(name)s is deactivated: their sessions and API tokens no longer work.",
            name=user.name), "success")  # fmt: skip
    return redirect(url_for(".person", user_id=user.id))


@bp.post("/people/<int:user_id>/reactivate")
@admin_only
def reactivate_person(user_id: int):
    user = _person(user_id)
    if ConfirmForm().validate_on_submit():
        reactivate(current_user, user)
        commit()
        flash(_("%(name)s can log in again.", name=user.name), "success")
    return redirect(url_for(".person", user_id=user.id))


@bp.post("/people/<int:user_id>/tokens/<int:token_id>/revoke")
@admin_only
def revoke(user_id: int, token_id: int):
    user = _person(user_id)
    if ConfirmForm().validate_on_submit():
        token = revoke_token(current_user, user, token_id)
        commit()
        flash(_("The token %(prefix)s… is revoked.", prefix=token.prefix), "success")
    return redirect(url_for(".person", user_id=user.id))
