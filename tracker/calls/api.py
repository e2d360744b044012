"""Calls and measures: their window, rules, criteria and evaluation committee."""

from __future__ import annotations

from tracker.api.framework import ID, PAGING, endpoint, paging
from tracker.auth.models import User
from tracker.calls import operations, queries
from tracker.calls.schemas import (
    CallIn,
    CallOut,
    CallPage,
    CommitteeMemberIn,
    CommitteeMemberOut,
    DeadlineExtensionIn,
    WindowIn,
    WindowOut,
)
from tracker.database import commit


@endpoint(
    "GET", "/calls", summary="List calls", tag="calls", response=CallPage, query=PAGING,
    errors=(400,),
)  # fmt: skip
def list_calls(user: User) -> CallPage:
    """Calls and measures, the latest deadline first."""
    page = paging()
    rows, total = queries.calls_page(page)
    return CallPage.of([CallOut.of(c) for c in rows], page, total)


@endpoint(
    "POST", "/calls", summary="Open a call", tag="calls", body=CallIn, response=CallOut,
    status=201, errors=(403,),
)  # fmt: skip
def post_call(user: User, body: CallIn) -> CallOut:
    """Region officers only."""
    call = operations.create_call(user, body.fields())
    commit()
    return CallOut.of(call)


@endpoint("GET", f"/calls/<{ID}:call_id>", summary="A call", tag="calls", response=CallOut)
def get_call(user: User, call_id: int) -> CallOut:
    return CallOut.of(operations.get_call(call_id))


@endpoint(
    "PATCH", f"/calls/<{ID}:call_id>", summary="Extend a call's deadline", tag="calls",
    body=DeadlineExtensionIn, response=CallOut, errors=(403,),
)  # fmt: skip
def extend_deadline(user: User, call_id: int, body: DeadlineExtensionIn) -> CallOut:
    """Region officers only. The new deadline must be later than the current one; every
    extension is kept in ``deadline_extensions``."""
    call = operations.get_call(call_id)
    body.refuse_unknown(lambda: CallOut.of(call))
    fields = body.fields()
    operations.extend_deadline(
        user, call, fields.get("deadline"), fields.get("reason") or "",
        fields.get("act_number"), fields.get("act_date"),
    )  # fmt: skip
    commit()
    return CallOut.of(call)


@endpoint(
    "POST", f"/calls/<{ID}:call_id>/windows", summary="Open a new window of a call",
    tag="calls", body=WindowIn, response=WindowOut, status=201, errors=(403,),
)  # fmt: skip
def open_window(user: User, call_id: int, body: WindowIn) -> WindowOut:
    """Region officers only. The new window opens after the current one closes and becomes the
    current one: new applications (and drafts) are evaluated under its criteria, threshold and
    thematic areas; submitted applications keep their window's."""
    call = operations.get_call(call_id)
    window = operations.open_window(user, call, body.fields())
    commit()
    return WindowOut.model_validate(window)


@endpoint(
    "POST", f"/calls/<{ID}:call_id>/committee", summary="Appoint a committee member",
    tag="calls", body=CommitteeMemberIn, response=CommitteeMemberOut, status=201,
    errors=(403, 409),
)  # fmt: skip
def appoint_member(user: User, call_id: int, body: CommitteeMemberIn) -> CommitteeMemberOut:
    """Region officers only; the appointed user must hold the reviewer role. 409 if already
    on the committee."""
    call = operations.get_call(call_id)
    member = operations.appoint_member(user, call, body.user_id)
    commit()
    return CommitteeMemberOut.model_validate(member)
