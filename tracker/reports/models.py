"""Monitoring reports and their history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.columns import Hundredths, UTCDateTime, utcnow
from tracker.extensions import db
from tracker.firing import HistoryRecord, WorkflowSubject
from tracker.reports.access import ReportAccess
from workflows import get_workflow
from workflows.definitions.report import INDICATORS, KINDS
from workflows.i18n import N_

WORKFLOW = get_workflow("report")
#: the states of a report the Region has (submitted, accepted): no longer awaited from the lead
FILED_STATES = tuple(
    s.name for s in WORKFLOW.states if s.name != WORKFLOW.initial and not s.editable
)
ACCEPTED_STATES = tuple(WORKFLOW.states_where(positive=True))
#: a value chain's kind of report, and a funded project's
CHAIN_KINDS = ("periodic",)
PROJECT_KINDS = ("progress", "final")


def _in(values) -> str:
    return ", ".join(repr(v) for v in values)


class Report(ReportAccess, WorkflowSubject, db.Model):
    """A periodic report of a value chain, or a progress or final report of a funded project."""

    __tablename__ = "reports"
    stale_message = N_("Someone else changed this report meanwhile. Reload it.")
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind_known"),
        CheckConstraint("period >= 1", name="period_positive"),
        CheckConstraint("spend IS NULL OR spend >= 0", name="spend_not_negative"),
        # one report per period: two people filing at once get a 409
        UniqueConstraint("application_id", "kind", "period"),
        Index("ix_reports_kind_state", "kind", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    workflow: Mapped[str] = mapped_column(String(50), default="report")
    state: Mapped[str] = mapped_column(String(50), index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    kind: Mapped[str] = mapped_column(String(20))
    #: the report's number among its kind (1, 2, ...): the final report is 1
    period: Mapped[int] = mapped_column(default=1)
    #: the day it is due (None: a final report, due when the project ends)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    # a value chain's indicators (periodic)
    partners: Mapped[int | None]
    firms: Mapped[int | None]
    smes: Mapped[int | None]
    investments: Mapped[Decimal | None] = mapped_column(Hundredths)
    employment: Mapped[int | None]
    projects_started: Mapped[int | None]
    #: a project's eligible spend in the report's period (progress, final), EUR
    spend: Mapped[Decimal | None] = mapped_column(Hundredths)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    state_entered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    submitted_at = mapped_column(UTCDateTime)
    accepted_at = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship()
    created_by: Mapped[User] = relationship()
    history: Mapped[list[ReportHistory]] = relationship(
        back_populates="report", order_by="ReportHistory.seq", cascade="all, delete-orphan"
    )

    def after_firing(self, firing, now) -> None:
        self.updated_at = now
        if self.submitted_at is None and firing.to_state in FILED_STATES:
            self.submitted_at = now
        if firing.to_state in ACCEPTED_STATES:
            self.accepted_at = now

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def indicators(self) -> list[tuple[str, str, object]]:
        """(name, label, value) of each indicator, in order."""
        return [(name, label, getattr(self, name)) for name, label in INDICATORS.items()]

    # --- what the workflow's conditions read --------------------------------------------------
    @property
    def still_reporting(self) -> bool:
        from tracker.reports.queries import reporting

        return reporting(self.application, self.kind)


class ReportHistory(HistoryRecord, db.Model):
    """One state change of a report, written in the same transaction as the report's state."""

    __tablename__ = "report_history"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)
    subject_key = "report_id"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)

    report: Mapped[Report] = relationship(back_populates="history")


Report.history_model = ReportHistory
