"""AFIL's Strategic Communities, their members, and the proposals they take to the Region."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.columns import UTCDateTime, utcnow
from tracker.communities.access import ProposalAccess
from tracker.extensions import db
from tracker.firing import HistoryRecord, WorkflowSubject
from workflows import get_workflow
from workflows.i18n import N_

#: Roles within a community.
MEMBER_ROLES = {"member": N_("Member"), "coordinator": N_("Coordinator")}

#: What a Strategic Community does, in the words of AFIL's account of its Circular Economy
#: community (seed 002_573f2f42b867d06f: "industrial visits, project updates, B2B match-making,
#: concept validation, scouting funding opportunities, education and training, focused
#: discussions on specific value-chains").
ACTIVITY_KINDS = {
    "industrial_visit": N_("Industrial visit"),
    "project_update": N_("Project update"),
    "b2b_matchmaking": N_("B2B match-making"),
    "concept_validation": N_("Concept validation"),
    "funding_scouting": N_("Funding scouting"),
    "training": N_("Education and training"),
    "value_chain_discussion": N_("Value-chain discussion"),
}


class Community(db.Model):
    """A Strategic Community: a working group of AFIL members on a priority topic."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    members: Mapped[list[CommunityMember]] = relationship(
        back_populates="community",
        cascade="all, delete-orphan",
        order_by="(CommunityMember.role, CommunityMember.id)",
    )

    def membership(self, user) -> CommunityMember | None:
        uid = getattr(user, "id", None)
        return next((m for m in self.members if m.user_id == uid), None)

    @property
    def coordinators(self) -> list[CommunityMember]:
        return [m for m in self.members if m.role == "coordinator"]


class CommunityMember(db.Model):
    __tablename__ = "community_members"
    __table_args__ = (
        UniqueConstraint("community_id", "user_id"),
        CheckConstraint("role IN ('member', 'coordinator')", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    community: Mapped[Community] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


#: States a proposal can only be in once the Region endorsed it by an act, and once what followed
#: is recorded (the CHECK constraints below name them; a migration changes them with them). A
#: follow-up rests on the Region's act or on the value-chain application its partnership filed.
ENDORSED_STATES = tuple(get_workflow("community_proposal").states_where(endorsed=True))
FOLLOW_UP_STATES = tuple(get_workflow("community_proposal").states_where(followed_up=True))


def _in(values) -> str:
    return ", ".join(repr(v) for v in values)


class Proposal(ProposalAccess, WorkflowSubject, db.Model):
    """A community's proposal to the Region, run by the workflow ``community_proposal``."""

    __tablename__ = "proposals"
    stale_message = N_("Someone else changed this proposal meanwhile. Reload it and try again.")
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            f"state NOT IN ({_in(ENDORSED_STATES)}) OR length(coalesce(act_reference, '')) > 0",
            name="endorsed_has_act",
        ),
        CheckConstraint(
            f"state NOT IN ({_in(FOLLOW_UP_STATES)}) OR follow_up_application_id IS NOT NULL "
            "OR follow_up_call_id IS NOT NULL OR length(coalesce(follow_up_reference, '')) > 0",
            name="follow_up_is_linked",
        ),
        CheckConstraint(
            f"state NOT IN ({_in(FOLLOW_UP_STATES)}) OR length(coalesce(act_reference, '')) > 0 "
            "OR value_chain_application_id IS NOT NULL",
            name="follow_up_has_basis",
        ),
        Index("ix_proposals_community_state", "community_id", "state"),
        # one proposal per value-chain application (a unique index: 0015_afil adds it)
        Index("uq_proposals_value_chain_application_id", "value_chain_application_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)
    workflow: Mapped[str] = mapped_column(String(50), default="community_proposal")
    state: Mapped[str] = mapped_column(String(50), index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    state_entered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: first time it reached the board: from then on the AFIL board sees it
    board_review_at = mapped_column(UTCDateTime)
    #: first time it was submitted to the Region: from then on the Region's officers see it
    submitted_at = mapped_column(UTCDateTime)
    #: the Region's act endorsing it (e.g. "DGR 3098/2020")
    act_reference: Mapped[str | None] = mapped_column(String(200))
    # What followed the endorsement: an application, a call, or another reference (an agreement).
    follow_up_application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id"), index=True
    )
    follow_up_call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    follow_up_reference: Mapped[str | None] = mapped_column(String(200))
    #: the value-chain application the proposal becomes, filed by its partnership with the call
    #: (one proposal per application); linked while it is prepared, followed once filed
    value_chain_application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))

    __mapper_args__ = {"version_id_col": version}

    community: Mapped[Community] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    follow_up_application: Mapped[Application | None] = relationship(
        foreign_keys=[follow_up_application_id]
    )
    follow_up_call: Mapped[Call | None] = relationship()
    value_chain_application: Mapped[Application | None] = relationship(
        foreign_keys=[value_chain_application_id]
    )
    history: Mapped[list[ProposalHistory]] = relationship(
        back_populates="proposal", order_by="ProposalHistory.seq", cascade="all, delete-orphan"
    )

    def after_firing(self, firing, now) -> None:
        self.updated_at = now  # in the same UPDATE as the state (a backdated change included)
        if firing.to_state == "board_review" and self.board_review_at is None:
            self.board_review_at = now
        if firing.transition.submission and self.submitted_at is None:
            self.submitted_at = now

    @property
    def follow_up(self) -> dict | None:
        """What followed the endorsement, or None."""
        if not (
            self.follow_up_application_id or self.follow_up_call_id or self.follow_up_reference
        ):
            return None
        return {
            "application_id": self.follow_up_application_id,
            "call_id": self.follow_up_call_id,
            "reference": self.follow_up_reference,
        }


class ProposalHistory(HistoryRecord, db.Model):
    """One state change of a proposal: written in the same transaction as the change."""

    __tablename__ = "proposal_history"
    __table_args__ = (UniqueConstraint("proposal_id", "seq"),)
    subject_key = "proposal_id"

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )

    proposal: Mapped[Proposal] = relationship(back_populates="history")


Proposal.history_model = ProposalHistory


class CommunityActivity(db.Model):
    """Something a community did (a visit, a B2B session, a training...), recorded by its
    coordinators for its members to read."""

    __tablename__ = "community_activities"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_in(ACTIVITY_KINDS)})", name="kind_known"),
        # the community's page lists them newest first
        Index("ix_community_activities_community_held_on", "community_id", "held_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    #: the day it took place
    held_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the community's proposal it was about, if any
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    community: Mapped[Community] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()
