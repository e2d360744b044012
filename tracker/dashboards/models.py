"""Tallies: the dashboards' figures kept up to date as things happen, so no page counts rows.

Every count a dashboard shows is a sum over a few hundred tally rows, whatever the number of
applications. The receivers in ``tracker.dashboards.operations`` change them in the same
transaction as the change they count; ``tracker.dashboards.tallies.rebuild`` recomputes them all
from the base tables (after a bulk load, or to check them).

Missing dimensions (a lead without a province, no thematic area yet) are stored as ``''``: they
are part of primary keys, where NULL would never match itself.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.applications.models import Application
from tracker.extensions import db
from tracker.reviews.models import Review


class ApplicationTally(db.Model):
    """How many applications of a call are in a state, split by what the breakdowns show."""

    __tablename__ = "tally_applications"

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(50), primary_key=True)
    #: handed to the evaluators at least once: officers and committees count only these
    submitted: Mapped[bool] = mapped_column(primary_key=True)
    #: the lead partner's province
    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    thematic_area: Mapped[str] = mapped_column(String(50), primary_key=True)
    s3_ecosystem: Mapped[str] = mapped_column(String(50), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class BreakdownTally(db.Model):
    """Submitted applications of a call by one breakdown value (their state, the lead's province,
    the thematic area, the S3 ecosystem), split by whether they are still in progress and
    whether they reached a positive outcome: a few hundred rows however many applications. A
    state change moves the 'state' rows; the others move only when an application is submitted
    or reaches an outcome."""

    __tablename__ = "tally_breakdowns"
    __table_args__ = (
        CheckConstraint(
            "dimension IN ('state', 'province', 'thematic_area', 's3_ecosystem')",
            name="dimension_known",
        ),
    )

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(50), primary_key=True)
    #: in a state that is not terminal
    in_progress: Mapped[bool] = mapped_column(primary_key=True)
    #: in a state of positive outcome (a label, a grant...: the state's tone is success)
    positive: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class OrganisationTally(db.Model):
    """In how many recognised value chains (holding a valid quality label) an organisation is a
    partner: the public statistics count the organisations involved and the provinces covered
    from these rows. A partnership change in force moves them (``tallies.partner_moved``)."""

    __tablename__ = "tally_organisations"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    n: Mapped[int] = mapped_column(default=0)


class ProposalTally(db.Model):
    """How many proposals of a community are in a state."""

    __tablename__ = "tally_proposals"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(50), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DurationTally(db.Model):
    """Finished stays in a state: how many lasted within each bucket of ``tallies.BUCKETS`` and
    their total seconds. The average is seconds / n, the 90th percentile is read off the
    cumulative buckets. ``scope_id`` is the call (applications) or community (proposals)."""

    __tablename__ = "tally_durations"
    __table_args__ = (CheckConstraint("kind IN ('application', 'proposal')", name="kind_known"),)

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    scope_id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(50), primary_key=True)
    bucket: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class ServiceTime(db.Model):
    """A call's own service time for a state, in days, where an officer changed the default
    (``tracker.dashboards.service_times.DEFAULT_DAYS``)."""

    __tablename__ = "service_times"
    __table_args__ = (CheckConstraint("days >= 1 AND days <= 3650", name="days_sane"),)

    call_id: Mapped[int] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(50), primary_key=True)
    days: Mapped[int]


# Overdue applications are counted by ranges of this index, one per (call, state): the count
# reads only the overdue rows' index entries, and the oldest ones are its first entries.
Index(
    "ix_applications_call_state_entered",
    Application.call_id,
    Application.state,
    Application.state_entered_at,
)

# "What I reviewed", newest first, a page at a time: read in this index's order.
Index("ix_reviews_reviewer_submitted", Review.reviewer_id, Review.submitted_at)
