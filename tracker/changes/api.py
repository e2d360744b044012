"""Partnership changes of value chains: ask, list, read, move; the time a chain below its call's
minimum is given; the figures."""

from __future__ import annotations

from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_id, query_text
from tracker.api.schemas import HistoryOut, TransitionIn
from tracker.applications.models import Application
from tracker.applications.operations import get_application
from tracker.auth.models import User
from tracker.changes import operations, queries
from tracker.changes.schemas import (
    ChangeFiguresOut,
    ChangeIn,
    ChangeOut,
    ChangePage,
    ShortfallIn,
    ShortfallOut,
    shortfall_out,
)
from tracker.columns import utcnow
from tracker.database import commit
from tracker.errors import Forbidden, NotFound
from tracker.extensions import db
from workflows.conditions import local_date
from workflows.i18n import N_

APP = f"/applications/<{ID}:application_id>"
CHANGE = f"/changes/<{ID}:change_id>"


def _application_to_change(user: User, application_id: int) -> Application:
    """The application a change is asked on. A firm asking to join a chain of the registry does
    not see the application: the operation judges who may ask, never visibility."""
    app = db.session.get(Application, application_id)
    if app is None:
        raise NotFound(N_("No application %(id)s.", id=application_id))
    return app


@endpoint(
    "POST", f"{APP}/changes", summary="Ask a partnership change", tag="changes",
    body=ChangeIn, response=ChangeOut, status=201, errors=(403, 404, 409),
)  # fmt: skip
def post_change(user: User, application_id: int, body: ChangeIn) -> ChangeOut:
    """Value-chain applications submitted or later, not ended (409 otherwise; 422 for another
    workflow). ``join``: the joining organisation's staff, on a chain of the public registry, or
    the lead partner naming it; ``leave``: the partner's staff or the lead; ``change_lead``: the
    lead, naming a partner, who accepts. A join or leave asked by the lead starts accepted. 409
    when a change about the same organisation is open, or a joining one is already a partner."""
    app = _application_to_change(user, application_id)
    change = operations.request_change(user, app, body.fields())
    commit()
    return ChangeOut.of(change, user)


@endpoint(
    "GET", f"{APP}/changes", summary="An application's partnership changes", tag="changes",
    response=ChangePage, query=PAGING, errors=(400, 403),
)  # fmt: skip
def list_application_changes(user: User, application_id: int) -> ChangePage:
    """Who may see the application; newest first."""
    app = get_application(application_id, user)
    page = paging()
    rows, total = queries.list_changes(user, queries.ChangeFilters(application_id=app.id), page)
    return ChangePage.of([ChangeOut.of(c, user) for c in rows], page, total)


@endpoint(
    "GET", "/changes", summary="Partnership changes", tag="changes", response=ChangePage,
    errors=(400,),
    query=(
        QueryParam("application_id", "Only this application's changes.", {"type": "integer"}),
        QueryParam("state", "Only changes in this state."),
        QueryParam("kind", "join, leave or change_lead."),
        *PAGING,
    ),
)  # fmt: skip
def list_changes(user: User) -> ChangePage:
    """What the caller may see: the changes they asked, those naming their organisation, and
    those of the applications they may see. Newest first."""
    page = paging()
    filters = queries.ChangeFilters(
        application_id=query_id("application_id"),
        state=query_text("state", max_len=50),
        kind=query_text("kind", max_len=20),
    )
    rows, total = queries.list_changes(user, filters, page)
    return ChangePage.of([ChangeOut.of(c, user) for c in rows], page, total)


@endpoint(
    "GET", CHANGE, summary="A partnership change", tag="changes", response=ChangeOut,
    errors=(403, 404),
)  # fmt: skip
def get_change(user: User, change_id: int) -> ChangeOut:
    """Who asked it, the organisation it names, and who may see the application."""
    return ChangeOut.of(operations.get_change(change_id, user), user)


@endpoint(
    "POST", f"{CHANGE}/transitions", summary="Fire a partnership change's trigger",
    tag="changes", body=TransitionIn, response=ChangeOut, errors=(403, 404, 409),
)  # fmt: skip
def fire_change_transition(user: User, change_id: int, body: TransitionIn) -> ChangeOut:
    """``accept`` (the lead partner; the named partner for a change of lead), ``acknowledge``
    (an officer: the partner list changes now; 422 ``joining_organisation_verified`` while a
    joining organisation's data await verification), ``refuse`` (the counterpart or an officer,
    comment required), ``withdraw`` (who asked)."""
    change = operations.get_change(change_id, user, for_change=True)
    operations.fire_transition(
        user, change, body.trigger, comment=body.comment, data=body.data,
        expected_version=body.version,
    )  # fmt: skip
    commit()
    return ChangeOut.of(change, user)


@endpoint(
    "GET", f"{CHANGE}/history", summary="A partnership change's history", tag="changes",
    response=[HistoryOut], errors=(403, 404),
)  # fmt: skip
def change_history(user: User, change_id: int) -> list[HistoryOut]:
    """Every state change, oldest first: a bare JSON array."""
    change = operations.get_change(change_id, user)
    return [HistoryOut.of(e) for e in queries.history_of(change)]


@endpoint(
    "GET", f"{APP}/shortfall", summary="The chain's shortfall of firms", tag="changes",
    response=ShortfallOut, errors=(403, 404),
)  # fmt: skip
def get_shortfall(user: User, application_id: int) -> ShortfallOut:
    """Who may see the application; 404 when the chain is not below its call's minimum."""
    app = get_application(application_id, user)
    shortfall = operations.open_shortfall(app.id)
    if shortfall is None:
        raise NotFound(N_("This chain is not below its call's minimum of firms."))
    return shortfall_out(shortfall)


@endpoint(
    "PUT", f"{APP}/shortfall", summary="Give a chain below the minimum time", tag="changes",
    body=ShortfallIn, response=ShortfallOut, errors=(403, 404),
)  # fmt: skip
def give_time(user: User, application_id: int, body: ShortfallIn) -> ShortfallOut:
    """Officers: the date by which the chain must be back at its call's minimum, and why (422 on
    a date not after today; 404 when it is not below the minimum). Revoking the label instead is
    the application's ``revoke_label`` trigger."""
    app = get_application(application_id, user, for_change=True)
    shortfall = operations.give_time(user, app, body.deadline, body.reason)
    commit()
    return shortfall_out(shortfall)


@endpoint(
    "GET", "/changes/figures", summary="Partnership changes in figures", tag="changes",
    response=ChangeFiguresOut, errors=(403,),
)  # fmt: skip
def change_figures(user: User) -> ChangeFiguresOut:
    """Officers: changes by kind and state; chains below their call's minimum, and overdue."""
    if not user.has_role("officer"):
        raise Forbidden(N_("Only Region officers read these figures."), code="not_allowed")
    return ChangeFiguresOut.of(queries.change_figures(local_date(utcnow())))
