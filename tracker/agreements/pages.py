"""Multi-party agreements: the list, one agreement, and the officers' form to record one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.agreements.forms import AgreementForm
from tracker.agreements.operations import can_record_agreement, create_agreement, get_agreement
from tracker.agreements.queries import list_agreements
from tracker.calls.models import Call
from tracker.database import commit
from tracker.errors import Forbidden, TrackerError
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.pagination import page_request
from tracker.web.formerrors import show_errors
from tracker.web.forms import choices

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    items, total = list_agreements(paging)
    return render_template(
        "agreements/index.html", items=items, total=total, paging=paging,
        can_record=can_record_agreement(current_user),
    )  # fmt: skip


@bp.get("/<int:agreement_id>")
@login_required
def detail(agreement_id: int):
    return render_template("agreements/detail.html", agreement=get_agreement(agreement_id))


def _with_choices(form: AgreementForm) -> AgreementForm:
    calls = db.session.execute(select(Call.id, Call.title).order_by(Call.opens_at.desc())).all()
    form.call_id.choices = choices([(str(i), t) for i, t in calls], blank="—")
    orgs = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind.in_(("university", "research_centre")))
        .order_by(Organisation.name)
    ).all()
    form.party_ids.choices = choices([(str(i), n) for i, n in orgs])
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not can_record_agreement(current_user):
        raise Forbidden("Only Region officers record agreements.", code="role_not_allowed")
    form = _with_choices(AgreementForm())
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("agreements/new.html", form=form)
    try:
        agreement = create_agreement(current_user, form.fields())
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err, {"#duplicate": "reference"})
        return render_template("agreements/new.html", form=form), err.status
    flash(_("Agreement “%(reference)s” recorded.", reference=agreement.reference), "success")
    return redirect(url_for(".detail", agreement_id=agreement.id))
