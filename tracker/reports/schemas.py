"""The shapes of the reports API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictStr

from tracker.api.schemas import (
    Amount,
    Id,
    Instant,
    Money,
    MoneyOrZero,
    OptionOut,
    Page,
    PatchModel,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
    with_fields,
)
from tracker.auth.models import User
from tracker.reports.models import Report
from tracker.reports.operations import available_transitions
from tracker.reports.queries import Due, ReportFigures, spend_reported
from workflows.definitions.report import KINDS

Count = Annotated[int, Field(strict=True, ge=0, le=10**7)]

# --- requests ---------------------------------------------------------------------------------


class _ReportFields(RequestModel):
    summary: StrictStr | None = Field(None, description="What the period achieved, in words.")
    partners: Count | None = Field(None, description="Periodic: partners of the chain.")
    firms: Count | None = Field(None, description="Periodic: firms among them.")
    smes: Count | None = Field(None, description="Periodic: SMEs among them.")
    investments: Amount | None = Field(None, description="Periodic: investments made, EUR.")
    employment: Count | None = Field(None, description="Periodic: people employed.")
    projects_started: Count | None = Field(None, description="Periodic: projects started.")
    spend: Amount | None = Field(
        None, description="Progress and final: the eligible spend of the period, EUR."
    )


class ReportIn(_ReportFields):
    """The lead partner's staff start the next report of a kind the application files now: a
    value chain holding its label files ``periodic`` reports; a funded project being carried out
    files ``progress`` reports and one ``final`` report. Any field may be given now or later."""

    kind: StrictStr = choices(KINDS)


class ReportPatch(_ReportFields, PatchModel):
    """Only the keys sent change; null clears one. Fields of the answer may be sent back
    unchanged."""

    version: Id | None = Field(None, description="The version the client saw; 409 if stale.")


# --- responses --------------------------------------------------------------------------------


class ReportOut(ResponseModel):
    id: int
    application_id: int
    application_title: str = Field(validation_alias=attribute_of("application", "title"))
    application_workflow: str = Field(validation_alias=attribute_of("application", "workflow"))
    kind: str
    period: int = Field(description="The report's number among its kind (the final report: 1).")
    due_on: dt.date | None = Field(description="The day it is due; null for a final report.")
    workflow: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    version: int
    summary: str
    partners: int | None
    firms: int | None
    smes: int | None
    investments: Money | None
    employment: int | None
    projects_started: int | None
    spend: Money | None
    granted_amount: Money | None = Field(
        description="A project's report: the amount granted to the project."
    )
    spend_accepted: MoneyOrZero | None = Field(
        description="A project's report: the eligible spend of its accepted reports, added up."
    )
    created_at: Instant
    updated_at: Instant
    submitted_at: Instant | None
    accepted_at: Instant | None
    available_transitions: list[OptionOut] = Field(
        description="Every transition from the current state, as the caller sees it."
    )

    @classmethod
    def of(cls, report: Report, viewer: User) -> ReportOut:
        project = report.kind != "periodic"
        return cls.model_validate(
            with_fields(
                report,
                granted_amount=report.application.granted_amount if project else None,
                spend_accepted=spend_reported(report.application) if project else None,
                available_transitions=available_transitions(viewer, report),
            )
        )


class ReportPage(Page):
    items: list[ReportOut]


class DueOut(ResponseModel):
    kind: str
    period: int
    due_on: dt.date | None
    report_id: int | None
    state: str | None = Field(description="The report's state; null while none is filed.")
    overdue: bool

    @classmethod
    def of(cls, due: Due) -> DueOut:
        return cls(
            kind=due.kind, period=due.period, due_on=due.due_on, overdue=due.overdue,
            report_id=due.report.id if due.report else None,
            state=due.report.state if due.report else None,
        )  # fmt: skip


class ScheduleOut(ResponseModel):
    application_id: int
    kinds: list[str] = Field(description="The kinds of report the application files now.")
    report_interval_months: int
    reports: list[DueOut] = Field(
        description="Filed reports and those fallen due (or due within 30 days), by kind."
    )


class ReportCountOut(ResponseModel):
    kind: str
    state: str
    count: int


class ReportFiguresOut(ResponseModel):
    reports: list[ReportCountOut] = Field(description="Reports by kind and state.")
    overdue: int = Field(description="Reports past their day, neither submitted nor accepted.")

    @classmethod
    def of(cls, figures: ReportFigures) -> ReportFiguresOut:
        return cls(
            reports=[
                ReportCountOut(kind=k, state=s, count=figures.count(k, s))
                for k in figures.kinds
                for s in figures.states
            ],
            overdue=figures.overdue,
        )
