"""The integration request on the application page (the question, the days left, the lead
partner's reply and its documents), the concept note's versions, and their routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from tracker.applications.models import Application
from tracker.applications.operations import get_application
from tracker.database import commit
from tracker.documents.operations import agreement_limit, human_size, read_upload
from tracker.documents.responses import file_response
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.integrations import operations
from tracker.integrations.forms import ReplyDocumentForm, ReplyForm
from tracker.integrations.models import IntegrationRequest
from tracker.integrations.queries import Round, requests_of, rounds_of
from tracker.web.formerrors import show_errors
from tracker.web.redisplay import draw

bp = Blueprint("integrations", __name__, url_prefix="/applications")

#: the routes whose body is a document: they accept up to AGREEMENT_MAX_BYTES
UPLOAD_ENDPOINTS = {"integrations.upload", "api.upload_integration_document"}


@bp.app_url_value_preprocessor
def _uploads_may_be_larger(endpoint: str | None, values: dict | None) -> None:
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = agreement_limit()


# --- what the application page shows --------------------------------------------------------


@dataclass
class IntegrationPanel:
    """The integration parts of the application page, for the current user."""

    pending: IntegrationRequest | None
    #: the requests closed, newest first
    past: list[IntegrationRequest] = field(default_factory=list)
    may_reply: bool = False
    reply_form: Any = None
    document_form: Any = None
    limit: str = ""
    #: the latest round with what changed since the one before (None: nothing to compare)
    latest: Round | None = None
    rounds: int = 0

    def may_see_reply(self, item: IntegrationRequest) -> bool:
        return operations.may_see_reply(current_user, item.application, item)


@bp.app_template_global()
def integration_panel(application: Application) -> IntegrationPanel:
    """Built once per request (the panel and the changes card both ask for it)."""
    panels = request.environ.setdefault("tracker.integration_panels", {})
    if application.id not in panels:
        panels[application.id] = _panel(application)
    return panels[application.id]


def _panel(application: Application) -> IntegrationPanel:
    user = current_user._get_current_object()
    # only a workflow that can wait on the applicants asks them questions and sees resubmissions
    asks = any(s.clock_suspended for s in application.definition.states)
    read = asks and application.submitted_at is not None
    requests = requests_of(application) if read else []
    pending = application.pending_integration
    may_reply = pending is not None and "lead" in application.roles_of(user)
    reply_form = request.environ.get("tracker.reply_form")
    if reply_form is None and may_reply:
        reply_form = ReplyForm(formdata=None, data={"reply": pending.reply})
    document_form = request.environ.get("tracker.reply_document_form")
    if document_form is None and may_reply:
        document_form = ReplyDocumentForm(formdata=None)
    # a round to compare follows an answered request: none answered, no versions to read
    rounds = rounds_of(application) if any(r.answered for r in requests) else []
    return IntegrationPanel(
        pending=pending,
        past=[r for r in requests if not r.pending][::-1],
        may_reply=may_reply,
        reply_form=reply_form,
        document_form=document_form,
        limit=human_size(agreement_limit()),
        latest=rounds[0] if rounds and rounds[0].changes is not None else None,
        rounds=len(rounds),
    )


def _page_with_error(application_id: int, status: int):
    """The application page again, the reply's forms showing what went wrong."""
    db.session.rollback()
    application = get_application(application_id, current_user)
    return draw("application", application, status=status)


def _back(application_id: int):
    return redirect(
        url_for("applications.detail", application_id=application_id, _anchor="integration")
    )


# --- routes ----------------------------------------------------------------------------------


@bp.post("/<int:application_id>/integration/reply")
@login_required
def reply(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = ReplyForm()
    try:
        operations.save_reply(current_user, application, form.reply.data)
        commit()
    except TrackerError as err:
        if not (isinstance(err.details, dict) and err.details.get("fields")):
            raise  # not the text's fault (not the lead, nothing pending): the error page says why
        show_errors(form, err)
        request.environ["tracker.reply_form"] = form
        return _page_with_error(application_id, err.status)
    flash(_("Reply saved. It reaches the committee when you resubmit."), "success")
    return _back(application_id)


@bp.post("/<int:application_id>/integration/documents")
@login_required
def upload(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = ReplyDocumentForm()
    upload = request.files.get("file")
    try:
        content = read_upload(upload)
        document = operations.attach_document(
            current_user, application, upload.filename if upload else None, content
        )
        commit()
    except TrackerError as err:
        if not (isinstance(err.details, dict) and err.details.get("fields")):
            raise
        show_errors(form, err)
        request.environ["tracker.reply_document_form"] = form
        return _page_with_error(application_id, err.status)
    flash(_("%(name)s attached to your reply.", name=document.filename), "success")
    return _back(application_id)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(err: RequestEntityTooLarge):
    """A file over the limit: the page again, saying so, instead of a bare error page."""
    application_id = (request.view_args or {}).get("application_id")
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    form = ReplyDocumentForm(formdata=None)
    form.file.errors = [_("The file is larger than %(size)s.", size=human_size(agreement_limit()))]
    request.environ["tracker.reply_document_form"] = form
    return _page_with_error(application_id, 413)


@bp.post("/<int:application_id>/integration/documents/<int:document_id>/remove")
@login_required
def remove(application_id: int, document_id: int):
    application = get_application(application_id, current_user, for_change=True)
    operations.remove_document(current_user, application, document_id)
    commit()
    flash(_("Document removed from your reply."), "info")
    return _back(application_id)


@bp.get("/<int:application_id>/integration/documents/<int:document_id>")
@login_required
def download(application_id: int, document_id: int):
    application = get_application(application_id, current_user)
    return file_response(operations.get_document(current_user, application, document_id))


@bp.get("/<int:application_id>/versions")
@login_required
def versions(application_id: int):
    application = get_application(application_id, current_user)
    return render_template(
        "integrations/versions.html",
        application=application,
        workflow=application.definition,
        rounds=rounds_of(application),
    )
