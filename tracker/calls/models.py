from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.columns import Hundredths, UTCDateTime, utcnow
from tracker.extensions import db
from workflows import get_workflow
from workflows.conditions import local_date

if TYPE_CHECKING:
    from tracker.documents.models import AnnexType


class Call(db.Model):
    """A call or a measure: the window, the rules and the committee that a workflow runs under."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("deadline >= opens_at", name="deadline_after_opening"),
        CheckConstraint("min_firms >= 0 AND min_reviews >= 1", name="minimums_sane"),
        CheckConstraint("score_threshold >= 0", name="threshold_not_negative"),
        CheckConstraint(
            "integration_reply_days BETWEEN 1 AND 365", name="integration_reply_days_range"
        ),
        # Phase 2: the database itself refuses an overcommitted budget (see tracker.measures).
        CheckConstraint(
            "committed >= 0 AND (budget IS NULL OR committed <= budget)",
            name="committed_within_budget",
        ),
        # A measure's rules (migration 0018_measures): sane ranges and percentages, both
        # intensities or neither, and a dated label rule with its dates.
        CheckConstraint(
            "(min_spend IS NULL OR min_spend >= 0) AND (max_spend IS NULL OR max_spend > 0) AND "
            "(min_spend IS NULL OR max_spend IS NULL OR min_spend <= max_spend)",
            name="spend_range_sane",
        ),
        # (percentages stored in hundredths: 100% is 10000)
        CheckConstraint(
            "(sme_intensity IS NULL) = (large_intensity IS NULL) AND (sme_intensity IS NULL OR "
            "(sme_intensity >= 0 AND sme_intensity <= 10000 AND large_intensity >= 0 AND "
            "large_intensity <= 10000))",
            name="intensities_sane",
        ),
        CheckConstraint(
            "label_rule IS NULL OR label_rule = 'valid_at_closing' OR (label_rule = "
            "'recognised_by_dates' AND label_applied_by IS NOT NULL AND label_recognised_by IS "
            "NOT NULL)",
            name="label_rule_dated",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    workflow: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    act_reference: Mapped[str] = mapped_column(String(200), default="")
    opens_at: Mapped[dt.date]
    deadline: Mapped[dt.date]
    min_firms: Mapped[int] = mapped_column(default=0)
    min_reviews: Mapped[int] = mapped_column(default=1)
    score_threshold: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(0))
    #: the call admits only a firm as lead partner (condition ``lead_is_firm``, migration 0011)
    lead_must_be_firm: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: the criteria stand in for ones the act does not publish: pages say so (the demo's EOI)
    criteria_illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: the opening day stands in for one the public record does not give (the demo's EOI)
    opens_at_illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: the days an integration request gives to reply by default, and at most: Law 241/1990
    #: art. 2 c. 7 suspends the procedure once for at most 30 days unless the call sets its own
    integration_reply_days: Mapped[int] = mapped_column(default=30, server_default="30")
    #: months between two monitoring reports (``tracker.reports``): a recognised chain's periodic
    #: report from its label's decree, a funded project's progress report from its start
    report_interval_months: Mapped[int] = mapped_column(default=12, server_default="12")
    # Phase 2 measures (workflow support_application) use these; phase 1 calls leave them empty.
    min_smes: Mapped[int | None]
    budget: Mapped[Decimal | None] = mapped_column(Hundredths)
    max_grant: Mapped[Decimal | None] = mapped_column(Hundredths)
    label_bonus: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: the project's eligible spend, all partners together (None: the measure states no bound)
    min_spend: Mapped[Decimal | None] = mapped_column(Hundredths)
    max_spend: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: aid intensity in percent of a partner's eligible spend, for SMEs and for the others
    #: (tracker.measures.grant); None: the measure states none and the request is as entered
    sme_intensity: Mapped[Decimal | None] = mapped_column(Hundredths)
    large_intensity: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: "de_minimis" or "gber" (tracker.measures.rules.STATE_AID_REGIMES)
    state_aid_regime: Mapped[str | None] = mapped_column(String(20))
    one_project_per_firm: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: who earns ``label_bonus`` (tracker.measures.rules.LABEL_RULES): "valid_at_closing", or
    #: "recognised_by_dates" (applied to the EOI by one date, recognised by another)
    label_rule: Mapped[str | None] = mapped_column(String(30))
    label_applied_by: Mapped[dt.date | None]
    label_recognised_by: Mapped[dt.date | None]
    #: the part of ``budget`` held by granted applications; changed only by a conditional UPDATE
    #: in tracker.measures.budget, so two simultaneous grants can never both overcommit it
    committed: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(0), server_default="0")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    #: the call's windows, oldest first; the last is the current one (migration 0025_windows)
    windows: Mapped[list[CallWindow]] = relationship(
        back_populates="call", order_by="CallWindow.number", cascade="all, delete-orphan"
    )
    extensions: Mapped[list[DeadlineExtension]] = relationship(
        order_by="DeadlineExtension.extended_at", cascade="all, delete-orphan"
    )
    committee: Mapped[list[CommitteeMember]] = relationship(
        order_by="CommitteeMember.appointed_at", cascade="all, delete-orphan"
    )
    #: the annexes its applications carry (tracker.documents), in the order officers set
    annexes: Mapped[list[AnnexType]] = relationship(
        order_by="AnnexType.position, AnnexType.id", viewonly=True
    )

    @property
    def workflow_definition(self):
        return get_workflow(self.workflow)

    @property
    def measure_kind(self) -> str | None:
        """ "ranked", "rolling" or "instrument" for a phase-2 measure, else None."""
        return self.workflow_definition.measure_kind

    @property
    def is_measure(self) -> bool:
        return self.measure_kind is not None

    def is_open(self, now: dt.datetime) -> bool:
        """Some window of the call takes applications today (none between two windows)."""
        day = local_date(now)
        if not self.windows:
            return self.opens_at <= day <= self.deadline
        return any(w.covers(day) for w in self.windows)

    # ``deadline`` above is the last window's (the call's final deadline: lists, filters and
    # the condition call_open read it as a column); ``score_threshold`` and
    # ``criteria_illustrative`` are the first window's as created (measures, one window each,
    # read them). Every window carries its own (``CallWindow``).
    @property
    def current_window(self) -> CallWindow | None:
        """The window new applications belong to today: the last one opened (the first before
        any opened); a window recorded ahead of its opening day is upcoming."""
        return current_of(self.windows, local_date(utcnow()))

    def window_on(self, day: dt.date) -> CallWindow | None:
        """The window taking applications on ``day``; outside every window, the one current
        on that day."""
        return next((w for w in self.windows if w.covers(day)), current_of(self.windows, day))

    @property
    def criteria(self) -> list[Criterion]:
        """The current window's criteria (an application reads its own window's)."""
        window = self.current_window
        return window.criteria if window is not None else []

    @property
    def max_total(self) -> int:
        return sum(c.max_score for c in self.criteria)

    @property
    def thematic_areas(self) -> list[str]:
        window = self.current_window
        return list(window.thematic_areas) if window is not None else []

    @property
    def remaining_budget(self) -> Decimal | None:
        """A measure's budget not yet committed to grants (None for a call without budget)."""
        return None if self.budget is None else self.budget - (self.committed or Decimal(0))


def current_of(windows: list[CallWindow], day: dt.date) -> CallWindow | None:
    """Of ``windows`` (oldest first), the last one opened by ``day``, else the first."""
    opened = [w for w in windows if w.opens_at <= day]
    return opened[-1] if opened else (windows[0] if windows else None)


class CallWindow(db.Model):
    """One window of a call: the period applications are submitted in and the version of the
    rules they are evaluated under (criteria, threshold, thematic areas), with the act that set
    them. An application keeps the window it was submitted in: a later act changes the rules
    for new applications only (DGR 5377/2025 assesses new value chains under its criteria while
    those recognised earlier keep DGR 5899/2022's)."""

    __tablename__ = "call_windows"
    __table_args__ = (
        UniqueConstraint("call_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("deadline >= opens_at", name="window_deadline_after_opening"),
        CheckConstraint("score_threshold >= 0", name="window_threshold_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    #: 1 for the call's first window, then 2, 3...
    number: Mapped[int]
    opens_at: Mapped[dt.date]
    deadline: Mapped[dt.date]
    score_threshold: Mapped[Decimal] = mapped_column(Hundredths, default=Decimal(0))
    #: codes of tracker.reference.THEMATIC_AREAS an application of this window may name
    thematic_areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: the act that set this window's rules ("DGR 5899/2022"), when known
    act_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    act_date: Mapped[dt.date | None]
    #: the criteria stand in for ones the act does not publish: pages say so
    criteria_illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: the opening day is a reading of the acts, not a date they give: pages say so
    opens_at_illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    call: Mapped[Call] = relationship(back_populates="windows")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="window", order_by="Criterion.position", cascade="all, delete-orphan"
    )

    @property
    def max_total(self) -> int:
        return sum(c.max_score for c in self.criteria)

    @property
    def is_current(self) -> bool:
        return self.call.current_window is self

    @property
    def is_upcoming(self) -> bool:
        return self.opens_at > local_date(utcnow())

    def covers(self, day: dt.date) -> bool:
        return self.opens_at <= day <= self.deadline


class Criterion(db.Model):
    """A criterion of one window of a call (its key is unique within the window)."""

    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("window_id", "key"),
        CheckConstraint("max_score > 0", name="max_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    window_id: Mapped[int] = mapped_column(
        ForeignKey("call_windows.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    max_score: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    window: Mapped[CallWindow] = relationship(back_populates="criteria")
    call: Mapped[Call] = relationship()


class DeadlineExtension(db.Model):
    """Each extension of a call's deadline, kept: the EOI was extended three times."""

    __tablename__ = "deadline_extensions"
    __table_args__ = (CheckConstraint("new_deadline > previous_deadline", name="extends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    previous_deadline: Mapped[dt.date]
    new_deadline: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(String(300), default="")
    #: the act that decided the extension ("DGR 1586/2023"), when recorded
    act_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    act_date: Mapped[dt.date | None]
    extended_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    extended_by: Mapped[User | None] = relationship()


class CommitteeMember(db.Model):
    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
