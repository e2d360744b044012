"""Applications: the list, a new draft, one application's page and every form on it.

Each POST calls one operation and commits; a refusal re-renders the page with the message and
with what the person typed.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from tracker.agreements.operations import agreement_of, agreements_of_call, can_record_agreement
from tracker.applications import bulk, partner_import
from tracker.applications.forms import (
    ApplicationForm,
    EditApplicationForm,
    PartnerForm,
    PartnerSpendForm,
)
from tracker.applications.operations import (
    add_partner,
    available_transitions,
    create_application,
    delete_draft,
    fire_transition,
    get_application,
    record_agreement,
    remove_partner,
    repeated_draft,
    set_partner_spend,
    update_application,
)
from tracker.applications.queries import (
    DEFAULT_SORT,
    EXPORT_COLUMNS,
    SORTS,
    ApplicationFilters,
    export_rows,
    history_of,
    list_applications,
    reviews_of,
)
from tracker.calls.operations import get_call, open_calls
from tracker.calls.queries import all_calls_for_filter
from tracker.changes.panels import application_context as changes_context
from tracker.columns import utcnow
from tracker.communities.operations import proposal_of_application
from tracker.dashboards.counts import application_total
from tracker.database import commit
from tracker.errors import BadRequest, Forbidden, TrackerError, ValidationFailed
from tracker.exports import export_format, export_response
from tracker.extensions import db
from tracker.firing import path_of
from tracker.i18n import current_language, translate
from tracker.measures.panels import application_context, new_application_form
from tracker.organisations.queries import organisation_choices
from tracker.pagination import page_request
from tracker.projects.queries import projects_serving
from tracker.querystring import query_id, query_text
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS
from tracker.reports.panels import application_context as reports_context
from tracker.reviews.forms import DeclarationForm, review_form
from tracker.reviews.operations import (
    declare_conflict,
    get_review,
    revise_review,
    revision_refusal,
    submit_review,
    versions_of,
)
from tracker.validation import MAX_ID
from tracker.web.formerrors import add_error, show_errors
from tracker.web.forms import choices, parse_amount
from tracker.web.nextstep import holds_role, next_step
from tracker.web.redisplay import draws
from tracker.web.templating import local_path
from tracker.web.transitions import Attempt, kept_attempt, stale_alert, transition_page
from workflows import APPLICATION_WORKFLOWS
from workflows.diagram import mermaid
from workflows.i18n import N_, term

bp = Blueprint("applications", __name__, url_prefix="/applications")

#: the orders the list offers, as people read them
SORT_LABELS = {
    "updated": _l("Latest change first"),
    "newest": _l("Newest first"),
    "oldest": _l("Oldest first"),
    "title": _l("Title"),
    "state": _l("State"),
    "score": _l("Score, highest first"),
}
assert set(SORT_LABELS) == set(SORTS)

STALE_EDIT = N_("Someone else changed this application meanwhile: your changes are not saved yet.")


# --- the list -------------------------------------------------------------------------------


def _filters(args) -> ApplicationFilters:
    """The list's filters from the query string; 400 naming the parameter on nonsense."""
    sort = query_text(args, "sort", max_len=20) or DEFAULT_SORT
    if sort not in SORTS:
        raise BadRequest(
            _("Unknown sort '%(sort)s': use one of %(sorts)s.", sort=sort, sorts=", ".join(SORTS)),
            code="bad_query",
        )
    phase = query_text(args, "phase", max_len=50)
    if phase not in (None, "1", "2"):
        raise BadRequest(_("The phase is 1 or 2."), code="bad_query")
    province = query_text(args, "province", max_len=50)
    if province is not None and not (len(province) == 2 and province.isalpha()):
        raise BadRequest(_("A province is its two-letter code, e.g. BS."), code="bad_query")
    area = query_text(args, "thematic_area", max_len=50)
    if area is not None and area not in THEMATIC_AREAS:
        raise BadRequest(_("Unknown thematic area '%(area)s'.", area=area), code="bad_query")
    ecosystem = query_text(args, "s3_ecosystem", max_len=50)
    if ecosystem is not None and ecosystem not in S3_ECOSYSTEMS:
        raise BadRequest(
            _("Unknown S3 ecosystem '%(ecosystem)s'.", ecosystem=ecosystem), code="bad_query"
        )
    return ApplicationFilters(
        call_id=query_id(args, "call_id"),
        state=query_text(args, "state", max_len=50),
        q=query_text(args, "q"),
        phase=int(phase) if phase else None,
        province=province.upper() if province else None,
        thematic_area=area,
        s3_ecosystem=ecosystem,
        sort=sort,
    )


def _state_choices() -> list[tuple[str, str]]:
    """The states of the workflows in use, in each workflow's order."""
    seen: dict[str, str] = {}
    for wf in APPLICATION_WORKFLOWS.values():
        for s in wf.states:
            seen.setdefault(s.name, s.title)
    return list(seen.items())


def _export(filters: ApplicationFilters, fmt: str):
    columns = [str(c) for c in EXPORT_COLUMNS]
    title = functools.cache(translate)  # a handful of state titles, translated once each
    rows = (
        (*row[:6], title(row[6]), *row[7:])
        for row in export_rows(current_user._get_current_object(), filters)
    )
    return export_response("applications", columns, rows, fmt)


@bp.get("")
@login_required
def index():
    filters = _filters(request.args)
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        return _export(filters, fmt)
    paging = page_request(request.args)
    total = application_total(current_user, filters)
    items, total, more = list_applications(current_user, filters, paging, total=total)
    actions = (
        bulk.actions_offered(current_user, {a.workflow for a in items}, filters.state)
        if filters.state and items
        else []
    )
    return render_template(
        "applications/index.html",
        items=items,
        bulk_actions=actions,
        total=total,
        more=more,
        paging=paging,
        filters=filters,
        calls=all_calls_for_filter(),
        states=_state_choices(),
        sorts=SORT_LABELS,
        filtered=filters.narrowed,
    )


# --- a new draft ----------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    call_id = query_id(request.args, "call_id")
    if call_id is None:
        return render_template("applications/choose_call.html", calls=open_calls(utcnow()))
    call = get_call(call_id)
    form = new_application_form(call, current_user.organisation_id) or ApplicationForm()
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("applications/new.html", form=form, call=call)
    # the same form sent again (Back, then Create): the draft it made, never a twin
    twin = repeated_draft(current_user, call, form.content())
    if twin is not None:
        flash(_("This draft was already created: here it is. Nothing was created twice."), "info")
        return redirect(url_for(".detail", application_id=twin.id))
    try:
        application = create_application(current_user, call, form.content())
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return render_template("applications/new.html", form=form, call=call), err.status
    flash(_("Draft created. Now add the partners and complete the concept note."), "success")
    # post/redirect/get: reloading the draft's page never posts the form again
    return redirect(url_for(".detail", application_id=application.id))


# --- one application ------------------------------------------------------------------------


@draws("application")  # also for the agreement upload (tracker.documents.pages)
def _render(application, *, status: int = 200, alert: str | None = None, **forms: Any):
    user = current_user._get_current_object()
    options = available_transitions(user, application)
    refusal = application.review_refusal(user)
    can_manage = application.can_manage_partnership(user)

    partner_form = forms.get("partner_form")
    partner_search = None
    if can_manage:
        if partner_form is None:
            partner_form = PartnerForm(formdata=None)
            partner_form.organisation_id.data = request.args.get("organisation_id", "")
        partner_search = _partner_search(application, partner_form)
    rform = forms.get("review_form")
    if rform is None and refusal is None:
        rform = review_form(application.criteria, formdata=None)

    show_refusal = (
        refusal if application.state_info.reviewable and user.has_role("reviewer") else None
    )
    history = history_of(application)
    seen = application.review_visibility(user)
    reviews = application.visible_reviews(user, reviews_of(application)) if seen else []
    mine = next((r for r in reviews if r.reviewer_id == user.id), None)
    return render_template(
        "applications/detail.html",
        application=application,
        call=application.call,
        state=application.state_info,
        workflow=application.definition,
        step=next_step(application, options, refusal),
        my_options=[o for o in options if holds_role(o)],
        other_options=[o for o in options if not holds_role(o)],
        attempt=forms.get("attempt") or kept_attempt(),
        can_edit=application.can_edit(user),
        can_delete=application.can_delete(user),
        can_manage=can_manage,
        can_see_reviews=seen is not None,
        reviews_seen=seen,
        partner_form=partner_form if can_manage else None,
        partner_search=partner_search,
        review_form=rform if refusal is None else None,
        review_refusal=show_refusal,
        reviews=reviews,
        review_versions={r.id: versions_of(r) for r in reviews if r.revisions},
        my_review=mine,
        can_revise=mine is not None and revision_refusal(user, application, mine) is None,
        declaration=application.declaration_of(user) if application.on_committee(user) else None,
        declaration_form=(
            forms.get("declaration_form") or DeclarationForm(formdata=None)
            if application.declaration_awaited(user)
            else None
        ),
        history=history,
        diagram=mermaid(
            application.definition,
            application.state,
            path_of(history),
            say=translate,
            labelled=True,
        ),
        label=application.label,
        alert=alert,
        spend_form=forms.get("spend_form"),
        blank_spend_form=PartnerSpendForm(formdata=None),
        spend_partner=forms.get("spend_partner"),
        **application_context(application, user),
        **_afil_context(application),
        **changes_context(application, user),
        **reports_context(application, user),
    ), status


def _afil_context(application) -> dict[str, Any]:
    """A value chain's community proposal and EU projects; a HUB application's shared agreement."""
    value_chain = application.workflow == "value_chain"
    hub = application.workflow == "hub_eoi"
    joined = agreement_of(application.id) if hub else None
    return {
        "origin_proposal": proposal_of_application(application.id) if value_chain else None,
        "projects": projects_serving(application=application.id) if value_chain else [],
        "hub": hub,
        "hub_agreement": joined,
        # what a selected application may join: named by the officer's agreement_reference
        "call_agreements": agreements_of_call(application.call_id) if hub and not joined else [],
        "can_record_agreement": hub and can_record_agreement(current_user),
    }


def _partner_search(application, form: PartnerForm) -> dict[str, Any]:
    """The add-partner form's choices: the organisations matching ``partner_q`` (a GET search
    on this page, carried by the form when it posts), keeping the one already chosen."""
    q = query_text(request.values, "partner_q", max_len=100)
    chosen = form.organisation()
    found, more = organisation_choices(
        {p.organisation_id for p in application.partners},
        q,
        chosen if isinstance(chosen, int) and 0 < chosen <= MAX_ID else None,
    )
    if q is None and not found:
        blank = _("Search for the organisation first")
    elif not found and (already := _partners_matching(application, q)):
        # the search leaves partners out: say so, rather than that nothing matches
        blank = _("Already a partner: %(names)s", names=", ".join(already))
    elif not found:
        blank = _("No organisation matches “%(q)s”", q=q)
    else:
        blank = _("Choose an organisation…")
    form.organisation_id.choices = choices(found, blank=blank)
    return {"q": q or "", "found": len(found), "more": more}


def _partners_matching(application, q: str) -> list[str]:
    words = q.casefold()
    return [
        p.organisation.name
        for p in application.partners
        if words in p.organisation.name.casefold() or words == p.organisation.vat_number
    ]


def _reload(application_id: int):
    """After a refusal: forget the session's changes and read the application afresh."""
    db.session.rollback()
    return get_application(application_id, current_user)


@bp.get("/<int:application_id>")
@login_required
def detail(application_id: int):
    return _render(get_application(application_id, current_user))


@bp.route("/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def edit(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    if request.method != "POST":  # GET, and HEAD as GET
        if not application.can_edit(current_user):
            raise Forbidden(
                N_(
                    "You may not edit this application while it is '%(state)s'.",
                    state=term(application.state_info.title),
                ),
                code="not_editable",
            )
        form = new_application_form(
            application.call, application.lead_organisation_id, edit=True, obj=application
        ) or EditApplicationForm(obj=application)
        form.thematic_areas.data = application.thematic_areas
        form.ateco_section.data = application.ateco_section or ""
        form.s3_ecosystem.data = application.s3_ecosystem or ""
        return render_template("applications/edit.html", form=form, application=application)
    form = (
        new_application_form(application.call, application.lead_organisation_id, edit=True)
        or EditApplicationForm()
    )
    try:
        update_application(
            current_user, application, form.content(), expected_version=form.version.data
        )
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        saved = None
        if err.code == "stale_version":
            # keep what they typed; show what was saved meanwhile; the next save is on purpose
            saved = {name: getattr(application, name) or "" for name in form.content_names()}
            form.version.data = str(application.version)
            add_error(form, None, STALE_EDIT)
        else:
            show_errors(form, err)
        return render_template(
            "applications/edit.html", form=form, application=application, saved=saved
        ), err.status
    flash(_("Changes saved."), "success")
    return redirect(url_for(".detail", application_id=application_id))


@bp.route("/<int:application_id>/delete", methods=["GET", "POST"])
@login_required
def delete(application_id: int):
    """The lead deletes a draft never submitted, after a confirmation page."""
    application = get_application(application_id, current_user, for_change=True)
    if request.method != "POST":  # GET, and HEAD as GET
        if not application.can_delete(current_user):
            delete_draft(current_user, application)  # raises the refusal, with its reason
        return render_template("applications/delete.html", application=application)
    title = application.title
    try:
        delete_draft(current_user, application)
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        if err.status == 403:
            raise
        return _render(application, status=err.status, alert=translate(err.message))
    flash(_("Draft “%(title)s” deleted.", title=title), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/<int:application_id>/partners")
@login_required
def add_partner_view(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = PartnerForm()
    try:
        partner = add_partner(
            current_user,
            application,
            form.organisation(),
            form.role.data,
            form.commitments.data,
            form.eligible_spend.data if application.call.is_measure else None,
        )
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        show_errors(form, err, {"#duplicate": "organisation_id"})
        return _render(
            application, status=err.status, alert=stale_alert(err, "application"), partner_form=form
        )
    name = partner.organisation.name
    if application.partners:
        done = _(
            "%(name)s added to the partnership. The signed agreement must be recorded again.",
            name=name,
        )
    else:
        done = _("%(name)s added to the partnership.", name=name)
    flash(done, "success")
    return redirect(url_for(".detail", application_id=application_id, _anchor="partners"))


@bp.post("/<int:application_id>/partners/<int:organisation_id>/remove")
@login_required
def remove_partner_view(application_id: int, organisation_id: int):
    application = get_application(application_id, current_user, for_change=True)
    try:
        remove_partner(current_user, application, organisation_id)
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        return _render(application, status=err.status, alert=stale_alert(err, "application"))
    flash(_("Partner removed. The signed agreement must be recorded again."), "success")
    return redirect(url_for(".detail", application_id=application_id, _anchor="partners"))


@bp.post("/<int:application_id>/partners/<int:organisation_id>/spend")
@login_required
def partner_spend_view(application_id: int, organisation_id: int):
    """The lead states a partner's eligible spend (support measures); the grant asked follows."""
    application = get_application(application_id, current_user, for_change=True)
    form = PartnerSpendForm()
    try:
        set_partner_spend(current_user, application, organisation_id, form.eligible_spend.data)
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        show_errors(form, err)
        return _render(
            application,
            status=err.status,
            alert=stale_alert(err, "application"),
            spend_form=form,
            spend_partner=organisation_id,
        )
    flash(_("Eligible spend saved; the grant asked is computed again."), "success")
    return redirect(url_for(".detail", application_id=application_id, _anchor="spend"))


@bp.post("/<int:application_id>/agreement")
@login_required
def agreement(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    signed = request.form.get("signed") == "yes"
    try:
        record_agreement(current_user, application, signed)
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        return _render(application, status=err.status, alert=stale_alert(err, "application"))
    if signed:
        flash(_("Recorded: the project agreement is signed by all partners."), "success")
    else:
        flash(_("The agreement is no longer recorded as signed."), "info")
    return redirect(url_for(".detail", application_id=application_id, _anchor="agreement"))


@bp.post("/<int:application_id>/reviews")
@login_required
def review(application_id: int):
    application = get_application(application_id, current_user, for_change=True)
    form = review_form(application.criteria)
    try:
        submit_review(
            current_user, application, form.scores(), form.recommendation.data, form.comment.data
        )
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        form = review_form(application.criteria)  # same input, criteria read afresh
        show_errors(form, err, form.field_names())
        return _render(
            application, status=err.status, alert=stale_alert(err, "application"), review_form=form
        )
    flash(_("Your review is recorded."), "success")
    return redirect(url_for(".detail", application_id=application_id, _anchor="reviews"))


@bp.route("/<int:application_id>/reviews/<int:review_id>/edit", methods=["GET", "POST"])
@login_required
def edit_review(application_id: int, review_id: int):
    """Its author changes a review until the evaluation closes; the page shows its versions."""
    application = get_application(application_id, current_user, for_change=True)
    review = get_review(application, review_id)
    if refused := revision_refusal(current_user, application, review):
        raise refused
    if request.method != "POST":  # GET, and HEAD as GET
        form = review_form(application.criteria, review)
        return _review_page(application, review, form)
    form = review_form(application.criteria)
    try:
        revise_review(
            current_user, application, review,
            form.scores(), form.recommendation.data, form.comment.data,
        )  # fmt: skip
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        review = get_review(application, review_id)
        form = review_form(application.criteria)
        show_errors(form, err, form.field_names())
        return _review_page(application, review, form, status=err.status)
    flash(_("Your review is changed; its earlier version is kept."), "success")
    return redirect(url_for(".detail", application_id=application_id, _anchor="reviews"))


def _review_page(application, review, form, *, status: int = 200):
    return render_template(
        "reviews/edit.html",
        application=application,
        call=application.call,
        review=review,
        form=form,
        versions=versions_of(review),
    ), status


@bp.post("/<int:application_id>/declaration")
@login_required
def declaration(application_id: int):
    """A committee member's declaration about a conflict of interest, asked on the page."""
    application = get_application(application_id, current_user, for_change=True)
    form = DeclarationForm()
    try:
        made = declare_conflict(
            current_user, application, form.conflict_value(), form.reason.data or ""
        )
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        form = DeclarationForm()
        show_errors(form, err)
        return _render(
            application, status=err.status, alert=stale_alert(err, "application"),
            declaration_form=form,
        )  # fmt: skip
    if made.conflict:
        flash(
            _("Your conflict of interest is recorded: you will not review or act on this "
              "application."),
            "info",
        )  # fmt: skip
    else:
        flash(_("Recorded: you have no conflict of interest on this application."), "success")
    return redirect(url_for(".detail", application_id=application_id))


@bp.post("/<int:application_id>/transitions")
@login_required
def transition(application_id: int):
    return transition_page(
        application_id, get_application, fire_transition, _render, "application",
        lambda action, state: _(
            "%(action)s: done. The application is now “%(state)s”.", action=action, state=state
        ),
        url_for(".detail", application_id=application_id),
    )  # fmt: skip


# --- bulk decisions --------------------------------------------------------------------------


def _selected_ids(form) -> list[int]:
    """The ids ticked on the list (or every one of its page, with "all on this page"); 400 on
    anything but ids."""
    raw = form.getlist("page_ids") if form.get("all") == "page" else form.getlist("ids")
    try:
        return [int(i) for i in raw]
    except ValueError:
        raise BadRequest(_("The selection holds something that is not an id."),
                         code="bad_query") from None  # fmt: skip


def _bulk_page(trigger, ids, *, attempt=None, alert=None, status: int = 200):
    """The confirmation: each selected application and what stops the decision on it now, then
    the comment and data typed once."""
    user = current_user._get_current_object()
    items = bulk.preview(user, ids, trigger)
    workflow_name = bulk.decision_workflow((i.application for i in items), trigger)
    transition = APPLICATION_WORKFLOWS[workflow_name].transition(trigger) if workflow_name else None
    return render_template(
        "applications/bulk.html",
        items=items,
        trigger=trigger,
        transition=transition,
        workflow=APPLICATION_WORKFLOWS.get(workflow_name) if workflow_name else None,
        ready=sum(1 for i in items if i.ready),
        attempt=attempt,
        alert=alert,
        back=_back(),
        max_items=bulk.MAX_ITEMS,
    ), status


def _back() -> str:
    """The list the selection came from: a path of this site only (never another site's)."""
    return local_path(request.values.get("back")) or url_for(".index")


def _typed(field, text: str) -> str:
    """A data field as typed on the page: amounts in the page's own format."""
    return (parse_amount(text) or "") if field.kind == "amount" else text.strip()


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
def bulk_decision():
    """GET: the selection from the list, to confirm; POST: decide, then the result page
    (post/redirect/get: reloading it decides nothing again)."""
    user = current_user._get_current_object()
    form = request.values
    trigger = (form.get("trigger") or "").strip()
    ids = _selected_ids(form)
    if request.method != "POST":  # GET, and HEAD as GET
        try:
            trigger = bulk.check_trigger(trigger)
            bulk.check_selection(ids)
        except TrackerError as err:
            flash(translate(err.message), "warning")
            return redirect(_back(), code=303)
        return _bulk_page(trigger, ids)
    fields = bulk.typed_fields(trigger)
    data = {f.name: _typed(f, request.form.get(f"data-{f.name}", "")) for f in fields}
    data = {k: v for k, v in data.items() if v != ""}
    comment = request.form.get("comment", "")
    attempt = Attempt(trigger, comment, data, bool(request.form.get("confirm")))
    versions = {i: request.form.get(f"version-{i}") for i in ids}
    try:
        bulk.check_trigger(trigger)
        if bulk.decisive(trigger) and not attempt.confirm:
            raise ValidationFailed(
                N_("Tick “I confirm” to decide: it cannot be undone."),
                {"fields": {"confirm": N_("Tick this box to confirm.")}},
                code="not_confirmed",
            )
        results = bulk.fire_in_bulk(
            user, ids, trigger, comment=comment, data=data or None, versions=versions
        )
    except TrackerError as err:
        db.session.rollback()
        attempt.explain(err, fields)
        return _bulk_page(trigger, ids, attempt=attempt, status=err.status)
    workflow_name = bulk.decision_workflow((r.application for r in results), trigger)
    decision = bulk.record_decision(user, workflow_name or "", trigger, comment, data, results)
    return redirect(url_for(".bulk_result", decision_id=decision.id), code=303)


@bp.get("/bulk/<int:decision_id>")
@login_required
def bulk_result(decision_id: int):
    decision = bulk.get_decision(decision_id, current_user)
    workflow = APPLICATION_WORKFLOWS.get(decision.workflow)
    transition = workflow.transition(decision.trigger) if workflow else None
    done = [r for r in decision.results if r["status"] == 200]
    return render_template(
        "applications/bulk_result.html",
        decision=decision,
        workflow=workflow,
        transition=transition,
        done=len(done),
        refused=len(decision.results) - len(done),
        labels={f.name: f.label for f in transition.data} if transition else {},
        language=current_language(),
    )


# --- bulk partners ---------------------------------------------------------------------------


def _render_import(application, *, report=None, token=None, error=None, status: int = 200):
    return render_template(
        "applications/import.html", application=application, report=report, token=token,
        error=error, columns=partner_import.COLUMNS, max_rows=partner_import.MAX_ROWS,
    ), status  # fmt: skip


@bp.route("/<int:application_id>/partners/import", methods=["GET", "POST"])
@login_required
def import_partners(application_id: int):
    """Upload a file; the answer is its row-by-row report and, when no row is in error, the
    confirmation (the rows carried in a signed field: nothing is written or kept before)."""
    user = current_user._get_current_object()
    application = get_application(application_id, user)
    partner_import.mode_of(user, application)  # 403 / 409 before any upload
    if request.method != "POST":  # GET, and HEAD as GET
        return _render_import(application)
    upload = request.files.get("file")
    try:
        rows = partner_import.read_rows(
            upload.filename if upload else None, upload.read() if upload else b""
        )
        report = partner_import.check_rows(user, application, rows)
    except TrackerError as err:
        return _render_import(application, error=translate(err.message), status=err.status)
    token = partner_import.sign_rows(user, application, rows) if report.ok else None
    return _render_import(application, report=report, token=token,
                          status=200 if report.ok else 422)  # fmt: skip


@bp.post("/<int:application_id>/partners/import/confirm")
@login_required
def confirm_import(application_id: int):
    user = current_user._get_current_object()
    application = get_application(application_id, user, for_change=True)
    rows = []
    try:
        rows = partner_import.unsign_rows(user, application, request.form.get("rows", ""))
        report = partner_import.import_partners(user, application, rows)
        commit()
    except TrackerError as err:
        application = _reload(application_id)
        # the data changed since the preview: show the report as it stands now
        again = partner_import.check_rows(user, application, partner_import.fresh(rows))
        return _render_import(application, report=again if rows else None,
                              error=translate(err.message), status=err.status)  # fmt: skip
    added = report.count("add")
    if report.mode == "partners":
        done = ngettext("%(num)d partner added.", "%(num)d partners added.", added)
    else:
        done = ngettext(
            "%(num)d join change opened: the Region acknowledges it.",
            "%(num)d join changes opened: the Region acknowledges them.",
            added,
        )
    flash(done, "success")
    anchor = "partners" if report.mode == "partners" else "changes"
    return redirect(url_for(".detail", application_id=application_id, _anchor=anchor))
