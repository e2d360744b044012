"""The shapes of the notices API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import Any

from flask import request
from pydantic import Field

from tracker.api.schemas import Instant, Page, RequestModel, ResponseModel
from tracker.mail.kinds import KINDS
from tracker.validation import MAX_ID


class NoticeOut(ResponseModel):
    """What an email told you, kept in the app: its subject, what happened in its words, and the
    page it is about (``link``, absolute on this site)."""

    id: int
    kind: str = Field(json_schema_extra={"enum": list(KINDS)})
    language: str
    subject: str
    text: str
    link: str
    object_type: str = Field(description="application, proposal, change or call")
    object_id: int
    created_at: Instant
    read_at: Instant | None
    unread: bool

    @classmethod
    def of(cls, notice: Any) -> NoticeOut:
        return cls(
            id=notice.id, kind=notice.kind, language=notice.language, subject=notice.subject,
            text=notice.text, link=request.host_url.rstrip("/") + request.script_root + notice.path,
            object_type=notice.object_type, object_id=notice.object_id,
            created_at=notice.created_at, read_at=notice.read_at, unread=notice.unread,
        )  # fmt: skip


class NoticePage(Page):
    items: list[NoticeOut]


class NoticeCountOut(ResponseModel):
    unread: int = Field(description="How many of your notices you have not read.")


class ReadAllIn(RequestModel):
    """Mark your unread notices read: all of them, or those up to ``up_to`` (the newest notice
    you have seen: one arriving meanwhile stays unread)."""

    up_to: int | None = Field(default=None, ge=1, le=MAX_ID)


class ReadAllOut(ResponseModel):
    marked: int = Field(description="How many notices this request marked read.")
    unread: int = Field(description="How many remain unread.")
