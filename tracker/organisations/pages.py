"""Organisations: a searchable list, the form that registers one, and each one's page, where
officers and committee members verify what it declared."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.database import commit
from tracker.errors import TrackerError
from tracker.exports import export_format
from tracker.exports import lists as export_lists
from tracker.extensions import db
from tracker.organisations.forms import OrganisationForm, VerificationForm
from tracker.organisations.operations import create_organisation, verify_organisation
from tracker.organisations.profile import chain_counts, profile_of
from tracker.organisations.queries import get_organisation, list_filters, organisations_page
from tracker.pagination import page_request
from tracker.querystring import query_text
from tracker.reference import ITALIAN_PROVINCES
from tracker.web.formerrors import show_errors
from tracker.web.templating import local_path

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    q = query_text(request.args, "q") or ""
    filters = list_filters(request.args)
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        return export_lists.organisations(q, fmt, **filters)
    items, total = organisations_page(q, paging, **filters)
    return render_template(
        "organisations/index.html",
        items=items,
        total=total,
        paging=paging,
        q=q,
        filters=filters,
        chains=chain_counts([o.id for o in items]),
        **filters,
    )


def _with_organisation(target: str, organisation_id: int) -> str:
    """``target`` with ``organisation_id=`` set, so the add-partner form can preselect it."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "organisation_id"]
    query.append(("organisation_id", str(organisation_id)))
    return urlunsplit(("", "", parts.path, urlencode(query), "partners"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = OrganisationForm()
    if request.method != "POST":  # GET, and HEAD as GET
        form.next.data = local_path(request.args.get("next")) or ""
        return render_template("organisations/new.html", form=form)
    try:
        organisation = create_organisation(current_user, **form.fields())
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err, {"#duplicate": "vat_number"})
        return render_template("organisations/new.html", form=form), err.status
    flash(_("%(name)s registered.", name=organisation.name), "success")
    back = local_path(form.next.data)
    if back:
        return redirect(_with_organisation(back, organisation.id))
    return redirect(url_for(".index", q=organisation.vat_number))


@bp.get("/<int:organisation_id>")
@login_required
def detail(organisation_id: int):
    organisation = get_organisation(organisation_id)
    return _render_detail(organisation, VerificationForm(formdata=None))


def _render_detail(organisation, form: VerificationForm, status: int = 200):
    can_verify = not organisation.verified and organisation.can_verify(current_user)
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        profile=profile_of(current_user, organisation),
        form=form,
        can_verify=can_verify,
        provinces=ITALIAN_PROVINCES,
    ), status


@bp.post("/<int:organisation_id>/verification")
@login_required
def verify(organisation_id: int):
    """Record the verification; back to where it was asked (the application's partners)."""
    organisation = get_organisation(organisation_id)
    form = VerificationForm()
    try:
        verify_organisation(current_user, organisation, form.note.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        organisation = get_organisation(organisation_id)
        show_errors(form, err)
        return _render_detail(organisation, form, err.status)
    flash(_("%(name)s: declared data verified.", name=organisation.name), "success")
    back = local_path(form.next.data)
    return redirect(back or url_for(".detail", organisation_id=organisation_id))
