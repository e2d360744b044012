"""The downloads of the other lists: the registry, organisations, calls, a measure's ranking and
community proposals. Each reads the rows its page reads, with the page's filters, without paging.

(The applications list exports from ``tracker.applications.queries.export_rows``; the dashboards'
tables from ``tracker.dashboards``.)
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import select

from tracker.columns import utcnow
from tracker.exports import export_response
from tracker.extensions import db
from tracker.i18n import translate
from tracker.organisations.models import KINDS, SIZES
from workflows.conditions import local_date

#: registry rows are read this many labels at a time (each batch: the registry page's queries)
REGISTRY_BATCH = 500


def registry(fmt: str, counts: tuple[int, int]) -> Response:
    """Every label of the public registry, valid ones first, as its page orders them; ``counts``
    as ``registry_page`` takes them."""
    from tracker.labels.operations import registry_page

    def rows() -> Iterator[tuple]:
        page = 1
        while True:
            batch, _total = registry_page(page, REGISTRY_BATCH, include_revoked=True, counts=counts)
            for r in batch:
                yield (
                    r["label_code"], r["title"], r["lead"], r["decree_number"],
                    r["decree_date"], _("Illustrative") if r["decree_illustrative"] else "",
                    r["partners_count"], ", ".join(r["provinces"]),
                    r["thematic_area"] or "", r["support_granted"],
                    _("Revoked") if r["revoked"] else _("Closed") if r["closed"] else _("Valid"),
                    (r["revoked_at"] or "")[:10], r["revocation_reason"] or "",
                    (r["closed_at"] or "")[:10], r["closure_reason"] or "",
                )  # fmt: skip
            if len(batch) < REGISTRY_BATCH:
                return
            page += 1

    columns = [
        pgettext("quality label", "Label"), _("Value chain"), _("Lead partner"), _("Decree number"), _("Decree date"),
        _("Decree illustrative"), _("Partners"), _("Provinces"), _("Thematic area"), _("Support received, EUR"),
        _("Label status"), _("Revoked on"), _("Reason of the revocation"),
        _("Closed on"), _("Reason of the closure"),
    ]  # fmt: skip
    return export_response("registry", columns, rows(), fmt)


def organisations(q: str | None, fmt: str, **filters: str | None) -> Response:
    """The organisations the list shows for ``q`` and its ``filters``, by name, streamed."""
    from tracker.organisations.queries import organisations_query

    listed = organisations_query(q, **filters).subquery()
    query = select(
        listed.c.name, listed.c.vat_number, listed.c.kind, listed.c.size, listed.c.province,
        listed.c.city, listed.c.lombardy_seat, listed.c.verified_at,
    ).order_by(listed.c.name, listed.c.id)  # fmt: skip
    kinds = {k: translate(v) for k, v in KINDS.items()}
    sizes = {k: translate(v) for k, v in SIZES.items()}
    rows = (
        (name, vat, kinds.get(kind, kind), sizes.get(size, "") if size else "", province or "",
         city or "", _("Yes") if seat else _("No"),
         _("Verified") if verified_at else _("Awaiting verification"), verified_at)
        for name, vat, kind, size, province, city, seat, verified_at in db.session.execute(
            query.execution_options(yield_per=1000)
        )
    )  # fmt: skip
    columns = [
        _("Name"), _("VAT number"), _("Kind"), _("Size"), _("Province"), _("City"),
        _("Seat in Lombardy"), _("Declared data"), _("Verified on"),
    ]  # fmt: skip
    return export_response("organisations", columns, rows, fmt)


def calls(items: list, fmt: str) -> Response:
    """The calls and measures of the calls page, with their windows and budgets."""
    today = local_date(utcnow())

    def status(call) -> str:
        if call.is_open(utcnow()):
            return _("Open")
        return _("Not open yet") if call.opens_at > today else _("Closed")

    rows = (
        (call.id, call.title, call.act_reference, status(call), call.opens_at, call.deadline,
         len(call.extensions), translate(call.workflow_definition.title), call.budget,
         call.committed if call.budget is not None else None,
         _("Yes") if call.lead_must_be_firm else "",
         _("Illustrative") if call.criteria_illustrative else "",
         _("Illustrative") if call.opens_at_illustrative else "")
        for call in items
    )  # fmt: skip
    columns = [
        _("Id"), _("Call"), _("Act"), _("Status"), _("Opens"), _("Deadline"),
        _("Deadline extensions"), _("Workflow"), _("Budget, EUR"), _("Committed, EUR"),
        _("Only a firm may lead"), _("Evaluation criteria"), _("Opening day"),
    ]  # fmt: skip
    return export_response("calls", columns, rows, fmt)


def ranking(call, ranked: list, fmt: str) -> Response:
    """A measure's ranking as its page shows it: rank (none below the threshold), scores, amounts,
    with the partners' eligible spend, the measure's aid intensities and the project's CUP."""
    intensity = (
        ""
        if call.sme_intensity is None
        else f"{call.sme_intensity:.2f} / {call.large_intensity:.2f}"
    )
    rows = (
        (r.rank, r.application.id, r.application.title, r.application.lead_organisation.name,
         r.application.base_score, r.application.label_bonus_applied, r.application.score,
         r.application.eligible_spend_total, intensity, r.application.requested_amount,
         r.application.granted_amount, r.application.cup or "",
         translate(r.application.state_info.title))
        for r in ranked
    )  # fmt: skip
    columns = [
        _("Rank"), _("Application"), _("Title"), _("Lead partner"), _("Score before the bonus"),
        _("Label bonus"), _("Total score"), _("Eligible spend, EUR"),
        _("Aid intensity, SMEs / others, percent"), _("Requested, EUR"), _("Granted, EUR"),
        _("CUP code"), _("State"),
    ]  # fmt: skip
    return export_response(f"ranking-{call.id}", columns, rows, fmt)


def proposals(query, fmt: str) -> Response:
    """Community proposals: ``query`` is the list's filtered select of Proposal, unpaged. Plain
    rows, latest change first, streamed."""
    from tracker.auth.models import User
    from tracker.communities.models import Community
    from workflows import get_workflow

    listed = query.subquery()
    rows = db.session.execute(
        select(
            listed.c.id, listed.c.title, Community.name, listed.c.workflow, listed.c.state,
            User.name, listed.c.created_at, listed.c.updated_at,
        )
        .join(Community, Community.id == listed.c.community_id)
        .outerjoin(User, User.id == listed.c.created_by_id)
        .order_by(listed.c.updated_at.desc(), listed.c.id.desc())
        .execution_options(yield_per=1000)
    )  # fmt: skip
    titles: dict[tuple[str, str], str] = {}

    def title(workflow: str, state: str) -> str:
        if (workflow, state) not in titles:
            titles[workflow, state] = translate(get_workflow(workflow).state(state).title)
        return titles[workflow, state]

    columns = [
        _("Id"), _("Proposal"), _("Community"), _("State"), _("State code"), _("Raised by"),
        _("Raised on"), _("Last change"),
    ]  # fmt: skip
    return export_response(
        "proposals",
        columns,
        (
            (id_, name, community, title(workflow, state), state, author or "", created, updated)
            for id_, name, community, workflow, state, author, created, updated in rows
        ),
        fmt,
    )
