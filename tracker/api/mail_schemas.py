"""The shapes of the email-preferences API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import Field, StrictStr

from tracker.api.schemas import RequestModel, ResponseModel
from tracker.mail.kinds import EVENTS, GROUPS, KINDS


class EmailPreferencesIn(RequestModel):
    """The kinds of email to receive, among those offered; the others offered are turned off."""

    receive: list[StrictStr] = Field(
        max_length=len(KINDS),
        # the kinds a lead partner gets when the label is granted or an integration asked
        examples=[
            [*EVENTS["value_chain", "grant_label"], *EVENTS["value_chain", "request_integration"]]
        ],
    )


class EmailKindOut(ResponseModel):
    kind: str = Field(json_schema_extra={"enum": list(KINDS)})
    group: str = Field(json_schema_extra={"enum": list(GROUPS)})
    receive: bool


class EmailPreferencesOut(ResponseModel):
    """The kinds of email offered to the user (by their roles), and whether they receive each."""

    kinds: list[EmailKindOut]
