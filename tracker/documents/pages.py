"""The signed project agreement on the application page: uploading it, listing and downloading
the uploads. Uploads may be larger than other requests (setting AGREEMENT_MAX_BYTES)."""

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
from tracker.database import commit
from tracker.documents.forms import AgreementUploadForm
from tracker.documents.models import AgreementDocument
from tracker.documents.operations import (
    agreement_limit,
    agreements_of,
    can_see_attachments,
    get_agreement,
    human_size,
    read_upload,
    upload_agreement,
)
from tracker.documents.responses import file_response
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.web.formerrors import show_errors
from tracker.web.redisplay import draw

bp = Blueprint("documents", __name__, url_prefix="/applications")

#: the routes whose body is an agreement: they accept up to AGREEMENT_MAX_BYTES
UPLOAD_ENDPOINTS = {"documents.upload", "api.upload_agreement_document"}


@bp.app_url_value_preprocessor
def _uploads_may_be_larger(endpoint: str | None, values: dict | None) -> None:
    """Runs before every before_request hook (CSRF reads the form): raise the body limit for the
    upload routes only."""
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = agreement_limit()


# --- what the application page shows --------------------------------------------------------


@dataclass
class AgreementPanel:
    """The signed agreement's part of the application page, for the current user."""

    may_see: bool
    may_upload: bool
    documents: list[AgreementDocument] = field(default_factory=list)
    form: Any = None
    limit: str = ""


bp.add_app_template_global(human_size, "format_size")


@bp.app_template_global()
def agreement_panel(application: Application) -> AgreementPanel:
    user = current_user._get_current_object()
    may_see = can_see_attachments(user, application)
    may_upload = application.can_manage_partnership(user)
    form = g.get("agreement_form")
    if form is None and may_upload:
        form = AgreementUploadForm(formdata=None)
    return AgreementPanel(
        may_see=may_see,
        may_upload=may_upload,
        documents=agreements_of(user, application) if may_see else [],
        form=form,
        limit=human_size(agreement_limit()),
    )


def _page_with_error(application_id: int, form: AgreementUploadForm, status: int):
    """The application page again, the upload form showing what went wrong."""
    db.session.rollback()
    g.agreement_form = form
    application = get_application(application_id, current_user)
    return draw("application", application, status=status)


# --- routes ----------------------------------------------------------------------------------


@bp.post("/<int:application_id>/agreement/documents")
@login_required
def upload(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = AgreementUploadForm()
    upload = request.files.get("file")
    try:
        content = read_upload(upload)
        document = upload_agreement(
            current_user, application, upload.filename if upload else None, content
        )
        commit()
    except TrackerError as err:
        if not (isinstance(err.details, dict) and err.details.get("fields")):
            raise  # not the file's fault (not the lead, not editable): the error page says why
        show_errors(form, err)
        return _page_with_error(application_id, form, err.status)
    flash(
        _(
            "%(name)s uploaded: the project agreement is recorded as signed by all partners.",
            name=document.filename,
        ),
        "success",
    )
    return redirect(
        url_for("applications.detail", application_id=application_id, _anchor="agreement")
    )


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(err: RequestEntityTooLarge):
    """A file over the limit: the page again, saying so, instead of a bare error page."""
    application_id = (request.view_args or {}).get("application_id")
    # The body is never read: the page is rendered as for a request without a form.
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    form = AgreementUploadForm(formdata=None)
    form.file.errors = [_("The file is larger than %(size)s.", size=human_size(agreement_limit()))]
    return _page_with_error(application_id, form, 413)


@bp.get("/<int:application_id>/agreement/documents/<int:document_id>")
@login_required
def download(application_id: int, document_id: int):
    application = get_application(application_id, current_user)
    return file_response(get_agreement(current_user, application, document_id))
