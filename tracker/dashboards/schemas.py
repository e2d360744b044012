"""The shape of the dashboard's figures in the API (see ``tracker.api.schemas``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import (
    Field,
)

from tracker.api.schemas import (
    Days,
    Instant,
    Money,
    Page,
    ResponseModel,
    Translated,
    attribute_of,
    with_fields,
)
from tracker.dashboards.figures import OVERLAPPING

if TYPE_CHECKING:
    from tracker.dashboards.figures import Figures
    from tracker.dashboards.queue import QueueItem


class DashboardStateOut(ResponseModel):
    state: str
    title: Translated
    phase: int | None
    count: int = Field(description="Submitted applications in this state now.")
    average_days: Days = Field(
        validation_alias=attribute_of("durations", "average_days"),
        description="Mean length of the stays that ended.",
    )
    p90_days: Days = Field(
        validation_alias=attribute_of("durations", "p90_days"),
        description="90th percentile of those stays (day buckets).",
    )
    stays: int = Field(
        validation_alias=attribute_of("durations", "count"),
        description="How many stays in this state ended.",
    )
    service_days: int | None = Field(description="The call's service time (one call only).")
    clock_suspended: bool = Field(
        description="The applicants are awaited (an integration): the Region's procedural "
        "clock is suspended (Law 241/1990 art. 2 c. 7); this time is not the Region's."
    )
    overdue: int = Field(
        description="Applications in this state longer than its service time; where the clock "
        "is suspended, integration requests past their reply date (the applicants' delay)."
    )


class DashboardWorkflowOut(ResponseModel):
    name: str
    title: Translated
    in_preparation: int = Field(description="Drafts never submitted: counted, not shown.")
    total: int
    states: list[DashboardStateOut]


class DashboardBreakdownOut(ResponseModel):
    key: str = Field(description="Province code, thematic area or S3 ecosystem; '' not stated.")
    label: Translated
    total: int
    in_progress: int
    positive: int = Field(description="In a state of positive outcome (label, grant...).")


class DashboardOverdueOut(ResponseModel):
    application_id: int
    title: str
    lead: str
    call_id: int
    state: str
    entered_at: Instant
    days: int
    service_days: int


class DashboardMeasureOut(ResponseModel):
    call_id: int
    title: str
    budget: Money = Field(description="A decimal string.")
    committed: Money
    remaining: Money


class DashboardOut(ResponseModel):
    # read from tracker.dashboards.figures.Figures (titles in English)

    by_state: dict[str, int] = Field(description="State name -> number of applications.")
    total: int
    call_id: int | None
    in_preparation: int = Field(description="Drafts never submitted (counted only).")
    overdue: int = Field(description="The Region's delays: states where its clock runs.")
    replies_overdue: int = Field(
        description="Integration requests past their reply date: the applicants' delay, "
        "counted apart (the Region's clock is suspended meanwhile)."
    )
    workflows: list[DashboardWorkflowOut]
    breakdowns: dict[str, list[DashboardBreakdownOut]] = Field(
        description="province, thematic_area, s3_ecosystem -> rows, largest first. The "
        "thematic_area rows overlap (see overlapping_breakdowns)."
    )
    overlapping_breakdowns: list[str] = Field(
        default=list(OVERLAPPING),
        description="Breakdowns whose rows overlap: an application naming several thematic "
        "areas counts under each, so their totals add up to more than the applications.",
    )
    oldest_overdue: list[DashboardOverdueOut]
    measures: list[DashboardMeasureOut] = Field(description="Budget committed and available.")

    @classmethod
    def of(cls, figures: Figures) -> DashboardOut:
        call = figures.scope.call
        return cls.model_validate(
            with_fields(figures, by_state=figures.by_state(), call_id=call.id if call else None)
        )


class QueueItemOut(ResponseModel):
    kind: str = Field(
        description="application, proposal or change: what waits.", examples=["application"]
    )
    id: int
    title: str
    workflow: str
    state: str
    waiting_since: Instant = Field(description="When it entered its state.")
    days_waiting: int = Field(description="Whole days since then (Lombardy's calendar).")
    due: dt.date | None = Field(
        description="The day it is due: its state's service time after it entered it (a call's "
        "own first), or, where the Region's clock is suspended, the reply date of the pending "
        "integration request; null where neither applies."
    )
    overdue: bool
    reply_awaited: bool = Field(
        description="The applicants are awaited and the procedural clock is suspended: ``due`` "
        "is the reply date they were given."
    )
    link: str = Field(description="The page where to act.")
    resource: str = Field(
        description="The object in this API; fire ``next_trigger`` at its ``/transitions``."
    )
    next_trigger: str | None = Field(
        description="The first move the caller may make now; null when the next step is a "
        "review, a declaration or conditions to meet first (see ``next_step``)."
    )
    next_step: Translated = Field(description="What to do next, in words.")

    @classmethod
    def of(cls, item: QueueItem) -> QueueItemOut:
        return cls.model_validate(
            with_fields(item, state=item.state.name, next_step=item.step.headline)
        )


class QueuePage(Page):
    items: list[QueueItemOut]
    capped: bool = Field(
        description="The queue gathers the oldest 200 items of each kind; true when some kind "
        "had more (its own list has them all)."
    )
