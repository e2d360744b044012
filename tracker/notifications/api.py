"""Your notices: the list, the count of the unread, marking one or all read. Each person sees
only their own: another's notice is 404, as one that does not exist."""

from __future__ import annotations

from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_text
from tracker.auth.models import User
from tracker.database import commit
from tracker.errors import BadRequest
from tracker.notifications.operations import mark_all_read, mark_read, notices_of, unread_count
from tracker.notifications.schemas import (
    NoticeCountOut,
    NoticeOut,
    NoticePage,
    ReadAllIn,
    ReadAllOut,
)
from workflows.i18n import N_

RULE = "/notifications"


def _unread_only() -> bool:
    raw = (query_text("unread", max_len=10) or "false").lower()
    if raw not in {"true", "1", "yes", "false", "0", "no"}:
        raise BadRequest(N_("%(name)s is true or false.", name="unread"), code="bad_query")
    return raw in {"true", "1", "yes"}


@endpoint(
    "GET", RULE, summary="Your notices", tag="people", response=NoticePage, errors=(400,),
    query=(QueryParam("unread", "true: only those you have not read.", {"type": "boolean"}),
           *PAGING),
)  # fmt: skip
def list_notices(user: User) -> NoticePage:
    """What the emails told you, also kept in the app: one notice per email about an
    application, a partnership change, a proposal or a committee, newest first."""
    page = paging()
    rows, total = notices_of(user, page, unread_only=_unread_only())
    return NoticePage.of([NoticeOut.of(n) for n in rows], page, total)


@endpoint(
    "GET", f"{RULE}/count", summary="How many notices you have not read", tag="people",
    response=NoticeCountOut,
)  # fmt: skip
def count_notices(user: User) -> NoticeCountOut:
    """The number the page header shows (exact here, not capped)."""
    return NoticeCountOut(unread=unread_count(user, cap=None))


@endpoint(
    "POST", f"{RULE}/<{ID}:notice_id>/read", summary="Mark a notice read", tag="people",
    response=NoticeOut, errors=(404,),
)  # fmt: skip
def read_notice(user: User, notice_id: int) -> NoticeOut:
    """Marking a read notice again changes nothing: the first reading is kept. 404 for a notice
    that is not yours."""
    notice = mark_read(user, notice_id)
    commit()
    return NoticeOut.of(notice)


@endpoint(
    "POST", f"{RULE}/read", summary="Mark all your notices read", tag="people", body=ReadAllIn,
    response=ReadAllOut,
)  # fmt: skip
def read_all_notices(user: User, body: ReadAllIn) -> ReadAllOut:
    """All your unread notices (send ``{}``), or those up to ``up_to``."""
    marked = mark_all_read(user, up_to=body.up_to)
    commit()
    return ReadAllOut(marked=marked, unread=unread_count(user, cap=None))
