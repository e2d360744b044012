"""Partnership changes, their history, and chains below their call's minimum of firms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.changes.access import ChangeAccess
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.firing import HistoryRecord, WorkflowSubject
from tracker.organisations.models import Organisation
from workflows import get_workflow
from workflows.definitions.partnership_change import KINDS
from workflows.i18n import N_

WORKFLOW = get_workflow("partnership_change")
#: states of a change still awaiting an answer: one such change per organisation and chain
OPEN_STATES = tuple(WORKFLOW.states_where(terminal=False))
#: the state a change is in once the partnership changed (its time is recorded)
IN_FORCE_STATES = tuple(WORKFLOW.states_where(positive=True))


def _in(values) -> str:
    return ", ".join(repr(v) for v in values)


class PartnershipChange(ChangeAccess, WorkflowSubject, db.Model):
    """A join, a leave or a change of lead partner of a value chain's partnership."""

    __tablename__ = "partnership_changes"
    stale_message = N_("Someone else changed this partnership change meanwhile. Reload it.")
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(f"kind IN ({_in(KINDS)})", name="kind_known"),
        CheckConstraint(
            f"state NOT IN ({_in(IN_FORCE_STATES)}) OR in_force_at IS NOT NULL",
            name="in_force_has_time",
        ),
        # one open change per organisation and chain: two people asking at once get a 409
        Index(
            "uq_partnership_changes_open",
            "application_id",
            "organisation_id",
            unique=True,
            sqlite_where=db.text(f"state IN ({_in(OPEN_STATES)})"),
            postgresql_where=db.text(f"state IN ({_in(OPEN_STATES)})"),
        ),
        Index("ix_partnership_changes_kind_state", "kind", "state"),
        Index("ix_partnership_changes_application", "application_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    workflow: Mapped[str] = mapped_column(String(50), default="partnership_change")
    state: Mapped[str] = mapped_column(String(50), index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    kind: Mapped[str] = mapped_column(String(20))
    #: who joins, leaves, or becomes the lead partner
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: a joining partner's role and commitments, as on the partner list
    role: Mapped[str] = mapped_column(String(200), default="")
    commitments: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    state_entered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: when the Region acknowledged it and the partner list changed
    in_force_at = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    requested_by: Mapped[User] = relationship()
    history: Mapped[list[ChangeHistory]] = relationship(
        back_populates="change", order_by="ChangeHistory.seq", cascade="all, delete-orphan"
    )

    #: never handed to evaluators: the firing path asks, the answer is always "not yet"
    submitted_at = None

    def after_firing(self, firing, now) -> None:
        self.updated_at = now  # in the same UPDATE as the state (a backdated change included)

    @property
    def kind_label(self) -> str:
        """The kind as people read it (a marked message: pages and emails translate it)."""
        return KINDS[self.kind]

    # --- what the workflow's conditions read --------------------------------------------------
    @property
    def chain_ended(self) -> bool:
        return self.application.state_info.terminal

    @property
    def organisation_is_partner(self) -> bool:
        return self.application.partner_for(self.organisation_id) is not None

    @property
    def organisation_is_lead(self) -> bool:
        return self.application.lead_organisation_id == self.organisation_id

    def lombardy_firms_after(self) -> int:
        """The chain's firms with a seat in Lombardy once this change is in force."""
        have = self.application.lombardy_firm_count
        counts = self.organisation.is_lombard_firm
        if self.kind == "join" and counts and not self.organisation_is_partner:
            return have + 1
        if self.kind == "leave" and counts and self.organisation_is_partner:
            return have - 1
        return have


class ChangeHistory(HistoryRecord, db.Model):
    """One state change of a partnership change: written in the same transaction as the change
    (and, for ``acknowledge``, as the partner list's change)."""

    __tablename__ = "change_history"
    __table_args__ = (UniqueConstraint("change_id", "seq"),)
    subject_key = "change_id"

    change_id: Mapped[int] = mapped_column(
        ForeignKey("partnership_changes.id", ondelete="CASCADE"), index=True
    )

    change: Mapped[PartnershipChange] = relationship(back_populates="history")


PartnershipChange.history_model = ChangeHistory


class Shortfall(db.Model):
    """A value chain left below its call's minimum of firms with a seat in Lombardy by a change
    in force: flagged to its lead and to the officers until a join brings it back (``resolved_at``)
    or the label is revoked. An officer may give it time: a deadline, with the reason."""

    __tablename__ = "chain_shortfalls"
    __table_args__ = (
        CheckConstraint("firms < required", name="below_minimum"),
        CheckConstraint(
            "deadline IS NULL OR (deadline_set_by_id IS NOT NULL AND deadline_set_at IS NOT NULL)",
            name="deadline_recorded",
        ),
        # at most one open shortfall per chain
        Index(
            "uq_chain_shortfalls_open",
            "application_id",
            unique=True,
            sqlite_where=db.text("resolved_at IS NULL"),
            postgresql_where=db.text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    #: the change whose acknowledgement left it short
    change_id: Mapped[int | None] = mapped_column(ForeignKey("partnership_changes.id"))
    since = mapped_column(UTCDateTime, nullable=False)
    #: firms with a seat in Lombardy then, and the call's minimum
    firms: Mapped[int]
    required: Mapped[int]
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    deadline_reason: Mapped[str | None] = mapped_column(Text)
    deadline_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deadline_set_at = mapped_column(UTCDateTime)
    #: when it was back at the minimum (a join in force) or its label revoked
    resolved_at = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship()
    deadline_set_by: Mapped[User | None] = relationship()

    def overdue(self, today: dt.date) -> bool:
        return self.deadline is not None and self.deadline < today
