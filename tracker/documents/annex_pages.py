"""Annexes on the pages: a call's annexes (officers add, remove, make required or optional), an
application's annexes (the lead uploads, those who may see its documents download), and the
application's dossier as one PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.applications.models import Application
from tracker.applications.operations import get_application
from tracker.calls.models import Call
from tracker.calls.operations import get_call
from tracker.database import commit
from tracker.documents import annexes, dossier
from tracker.documents.formats import FORMATS
from tracker.documents.forms import AnnexTypeForm, AnnexUploadForm
from tracker.documents.operations import can_see_attachments, human_size, read_upload
from tracker.documents.responses import dossier_response, file_response
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.web.formerrors import show_errors
from tracker.web.redisplay import draw

bp = Blueprint("annexes", __name__)

#: the routes whose body is an annex: they accept up to ANNEX_MAX_BYTES (and the multipart
#: envelope), each annex's own limit then judged by the operation
UPLOAD_ENDPOINTS = {"annexes.upload", "api.upload_application_annex"}
ENVELOPE = 64 * 1024


@bp.app_url_value_preprocessor
def _uploads_may_be_larger(endpoint: str | None, values: dict | None) -> None:
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = annexes.annex_ceiling() + ENVELOPE


# --- what the pages show ------------------------------------------------------------------------


@dataclass
class AnnexPanel:
    """The annexes' part of the application page, for the current user."""

    may_see: bool
    may_upload: bool
    statuses: list[annexes.AnnexStatus] = field(default_factory=list)
    form: Any = None
    #: the annex whose upload ``form`` answers (its errors show by it)
    form_annex_id: int | None = None


@bp.app_template_global()
def annex_panel(application: Application) -> AnnexPanel:
    user = current_user._get_current_object()
    may_see = can_see_attachments(user, application)
    return AnnexPanel(
        may_see=may_see,
        may_upload=annexes.can_upload_annexes(user, application),
        statuses=annexes.annex_statuses(application) if may_see else [],
        form=g.get("annex_form") or AnnexUploadForm(formdata=None),
        form_annex_id=g.get("annex_form_id"),
    )


@bp.app_template_global()
def may_see_documents(application: Application) -> bool:
    """Whether the current user may download the application's files and its dossier."""
    return can_see_attachments(current_user._get_current_object(), application)


@bp.app_template_global()
def annex_upload_form() -> AnnexUploadForm:
    return AnnexUploadForm(formdata=None)


@bp.app_template_global()
def call_annex_panel(call: Call) -> dict[str, Any]:
    user = current_user._get_current_object()
    return {
        "takes_annexes": annexes.takes_annexes(call),
        "may_define": annexes.can_define_annexes(user, call),
        "form": g.get("annex_type_form") or AnnexTypeForm(formdata=None),
        "formats": FORMATS,
        "ceiling": human_size(annexes.annex_ceiling()),
    }


bp.add_app_template_global(
    lambda keys: ", ".join(FORMATS[k].label for k in keys if k in FORMATS), "format_names"
)


def _application_again(application_id: int, form: AnnexUploadForm, annex_id: int, status: int):
    db.session.rollback()
    g.annex_form, g.annex_form_id = form, annex_id
    return draw("application", get_application(application_id, current_user), status=status)


def _call_again(call_id: int, form: AnnexTypeForm, status: int):
    db.session.rollback()
    g.annex_type_form = form
    return draw("call", get_call(call_id), status=status)


# --- an application's annexes -------------------------------------------------------------------


@bp.post("/applications/<int:application_id>/annexes/<int:annex_id>")
@login_required
def upload(application_id: int, annex_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = AnnexUploadForm()
    upload = request.files.get("file")
    try:
        content = read_upload(upload)
        document = annexes.upload_annex(
            current_user, application, annex_id, upload.filename if upload else None, content
        )
        commit()
    except TrackerError as err:
        if not (isinstance(err.details, dict) and err.details.get("fields")):
            raise  # not the file's fault (not the lead, not editable): the error page says why
        show_errors(form, err)
        return _application_again(application_id, form, annex_id, err.status)
    flash(
        _("%(name)s uploaded as “%(annex)s”.", name=document.filename, annex=document.annex.name),
        "success",
    )
    return redirect(
        url_for("applications.detail", application_id=application_id, _anchor="annexes")
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(err: RequestEntityTooLarge):
    """A body over the largest any annex may be: the page again, saying so."""
    args = request.view_args or {}
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    form = AnnexUploadForm(formdata=None)
    form.file.errors = [
        _("The file is larger than %(size)s.", size=human_size(annexes.annex_ceiling()))
    ]
    return _application_again(args.get("application_id"), form, args.get("annex_id"), 413)


@bp.get("/applications/<int:application_id>/annexes/documents/<int:document_id>")
@login_required
def download(application_id: int, document_id: int):
    application = get_application(application_id, current_user)
    return file_response(annexes.get_annex_document(current_user, application, document_id))


@bp.get("/applications/<int:application_id>/dossier.pdf")
@login_required
def dossier_pdf(application_id: int):
    application = get_application(application_id, current_user)
    content = dossier.render(dossier.dossier_of(current_user, application), current_user.name)
    return dossier_response(application, content)


# --- a call's annexes (officers) ----------------------------------------------------------------


@bp.post("/calls/<int:call_id>/annexes")
@login_required
def add(call_id: int):
    call = get_call(call_id)
    form = AnnexTypeForm()
    try:
        annex = annexes.define_annex(current_user, call, form.fields())
        commit()
    except TrackerError as err:
        if (
            not (isinstance(err.details, dict) and err.details.get("fields"))
            and err.code != "duplicate"
        ):
            raise
        show_errors(form, err, {"#duplicate": "name"})
        return _call_again(call_id, form, err.status)
    flash(_("Annex “%(name)s” added.", name=annex.name), "success")
    return redirect(url_for("calls.detail", call_id=call_id, _anchor="annexes"))


@bp.post("/calls/<int:call_id>/annexes/<int:annex_id>/required")
@login_required
def set_required(call_id: int, annex_id: int):
    annex = annexes.get_annex(get_call(call_id), annex_id)
    answer = request.form.get("required")
    required = {"yes": True, "no": False}.get(answer, answer)  # anything else: refused as such
    annexes.update_annex(current_user, annex, {"required": required})
    commit()
    if required:
        flash(_("“%(name)s” is now required for submission.", name=annex.name), "success")
    else:
        flash(_("“%(name)s” is now optional.", name=annex.name), "info")
    return redirect(url_for("calls.detail", call_id=call_id, _anchor="annexes"))


@bp.post("/calls/<int:call_id>/annexes/<int:annex_id>/remove")
@login_required
def remove(call_id: int, annex_id: int):
    annex = annexes.get_annex(get_call(call_id), annex_id)
    name = annex.name
    annexes.remove_annex(current_user, annex)
    commit()
    flash(_("Annex “%(name)s” removed.", name=name), "info")
    return redirect(url_for("calls.detail", call_id=call_id, _anchor="annexes"))
