from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    column,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.access import ApplicationAccess
from tracker.calls.models import Call, CallWindow
from tracker.columns import Hundredths, UTCDateTime, utcnow
from tracker.extensions import db
from tracker.firing import (  # noqa: F401  (re-exported)
    HistoryRecord,
    StateAssignmentError,
    WorkflowSubject,
    seconds_between,
)
from tracker.organisations.models import Organisation
from workflows.conditions import local_date
from workflows.i18n import N_
from workflows.model import CONTENT_KEYS

if TYPE_CHECKING:
    from tracker.documents.models import AnnexDocument
    from tracker.integrations.models import IntegrationRequest
    from tracker.labels.models import QualityLabel
    from tracker.reviews.models import ConflictDeclaration, Review

#: The parts of a value-chain concept note, in the order the call asks for them. Every workflow
#: names the parts it uses (``Workflow.content``) over these same text fields.
CONCEPT_NOTE_FIELDS = {
    "challenges": N_("Challenges"),
    "needs": N_("Needs"),
    "objectives": N_("Objectives"),
    "actions": N_("Planned actions"),
    "investments": N_("Planned investments"),
}
assert tuple(CONCEPT_NOTE_FIELDS) == CONTENT_KEYS


class Application(ApplicationAccess, WorkflowSubject, db.Model):
    """An application of a partnership under a call; its ``workflow`` is the call's."""

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("requested_amount IS NULL OR requested_amount > 0", name="amount_positive"),
        # Phase 2: a grant is positive and never above what was asked...
        CheckConstraint(
            "granted_amount IS NULL OR (granted_amount > 0 AND requested_amount IS NOT NULL "
            "AND granted_amount <= requested_amount)",
            name="granted_within_request",
        ),
        # ...and a granted support application always says how much it was granted.
        CheckConstraint(
            "workflow <> 'support_application' OR granted_amount IS NOT NULL "
            "OR state NOT IN ('granted', 'in_implementation', 'completed')",
            name="grant_has_amount",
        ),
        CheckConstraint(
            "label_bonus_applied IS NULL OR label_bonus_applied >= 0", name="bonus_not_negative"
        ),
        CheckConstraint("cup IS NULL OR length(cup) = 15", name="cup_length"),
        Index("ix_applications_call_state", "call_id", "state"),
        # the lists' filters and orders (migration 0006_lists); with submitted_at, what officers
        # may see is read from the index alone, however deep the page
        Index("ix_applications_state_updated", "state", "updated_at", "id", "submitted_at"),
        Index("ix_applications_call_updated", "call_id", "updated_at", "id", "submitted_at"),
        Index("ix_applications_updated", "updated_at", "id", "submitted_at"),
        Index("ix_applications_created", "created_at"),
        # who has waited longest in a state, for the queues and the oldest overdue (0026_indexes):
        # a state's applications in the order they entered it, their call read from the index
        Index("ix_applications_state_entered", "state", "state_entered_at", "call_id", "id"),
        Index("ix_applications_title", "title"),
        Index("ix_applications_score", "score"),
        # a state's list by score (0013_speed), read backwards: score DESC with the unscored
        # last, as SQLite keeps NULLs first in an ascending index and PostgreSQL is told to
        Index("ix_applications_state_score", "state", "score", "id", "submitted_at").ddl_if(
            dialect="sqlite"
        ),
        Index(
            "ix_applications_state_score_pg",
            "state",
            column("score").nulls_first(),
            "id",
            "submitted_at",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    workflow: Mapped[str] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(50), index=True)
    version: Mapped[int] = mapped_column(nullable=False)
    title: Mapped[str] = mapped_column(String(300))
    #: the first of ``thematic_areas`` (kept for the clients, lists and tallies that read one)
    thematic_area: Mapped[str | None] = mapped_column(String(50))
    #: the window of its call it was submitted in (the current one while a draft): its criteria,
    #: threshold and thematic areas are the ones it is evaluated under (migration 0025_windows)
    window_id: Mapped[int | None] = mapped_column(ForeignKey("call_windows.id"), index=True)
    #: the partnership's sector: an ATECO 2025 section letter (tracker.ateco.SECTIONS)
    ateco_section: Mapped[str | None] = mapped_column(String(1))
    #: the S3 2021-27 ecosystem the partnership works in (tracker.reference.S3_ECOSYSTEMS)
    s3_ecosystem: Mapped[str | None] = mapped_column(String(50))
    challenges: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    actions: Mapped[str] = mapped_column(Text, default="")
    investments: Mapped[str] = mapped_column(Text, default="")
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    agreement_signed_at = mapped_column(UTCDateTime)
    agreement_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Phase 2: a support application asks for an amount, maybe for a recognised value chain.
    requested_amount: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: the project's CUP code (Codice Unico di Progetto), recorded with the grant
    cup: Mapped[str | None] = mapped_column(String(15))
    value_chain_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    score: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: support measures: the committee's average before the quality-label bonus (the threshold
    #: applies to it), the bonus added when the evaluation closed, and the amount granted
    base_score: Mapped[Decimal | None] = mapped_column(Hundredths)
    label_bonus_applied: Mapped[Decimal | None] = mapped_column(Hundredths)
    granted_amount: Mapped[Decimal | None] = mapped_column(Hundredths)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)
    #: first time it was handed to the evaluators: from then on officers and the committee see it
    submitted_at = mapped_column(UTCDateTime)
    state_entered_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    call: Mapped[Call] = relationship()
    window: Mapped[CallWindow | None] = relationship()
    #: the thematic areas it names, in its order (``thematic_areas``)
    area_rows: Mapped[list[ApplicationArea]] = relationship(
        order_by="ApplicationArea.position", cascade="all, delete-orphan"
    )
    lead_organisation: Mapped[Organisation] = relationship()
    partners: Mapped[list[Partner]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Partner.id"
    )
    history: Mapped[list[HistoryEntry]] = relationship(
        back_populates="application", order_by="HistoryEntry.seq", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="application", order_by="Review.id", cascade="all, delete-orphan"
    )
    #: the committee members' conflict-of-interest declarations (tracker.reviews)
    declarations: Mapped[list[ConflictDeclaration]] = relationship(
        back_populates="application",
        order_by="ConflictDeclaration.id",
        cascade="all, delete-orphan",
    )
    label: Mapped[QualityLabel | None] = relationship(back_populates="application")
    #: the committee's integration requests, oldest first (tracker.integrations)
    integration_requests: Mapped[list[IntegrationRequest]] = relationship(
        back_populates="application",
        order_by="IntegrationRequest.number",
        cascade="all, delete-orphan",
    )
    #: the annexes uploaded (tracker.documents), every version, oldest first
    annex_documents: Mapped[list[AnnexDocument]] = relationship(
        order_by="AnnexDocument.id", cascade="all, delete-orphan"
    )
    #: support measures: the value-chain application this one applies for (bonus, support_active)
    value_chain: Mapped[Application | None] = relationship(remote_side=[id])

    def after_firing(self, firing, now) -> None:
        if firing.transition.submission and self.submitted_at is None:
            self.submitted_at = now
            # it belongs to the window it is submitted in, for good
            self.window = self.call.window_on(local_date(now))

    @property
    def thematic_areas(self) -> list[str]:
        return [row.area for row in self.area_rows]

    @thematic_areas.setter
    def thematic_areas(self, areas: list[str]) -> None:
        """The areas in the order given; ``thematic_area`` follows as the first of them."""
        kept = {row.area: row for row in self.area_rows}
        self.area_rows = [
            kept.get(area) or ApplicationArea(area=area) for area in dict.fromkeys(areas)
        ]
        for position, row in enumerate(self.area_rows):
            row.position = position
        self.thematic_area = self.area_rows[0].area if self.area_rows else None

    @property
    def rules_window(self) -> CallWindow | None:
        """The window whose rules it is evaluated under: the one it was submitted in; while a
        draft, the call's current one (a draft withdrawn keeps the one it was written in)."""
        if self._window_settled and self.window is not None:
            return self.window
        return self.call.current_window

    @property
    def _window_settled(self) -> bool:
        return self.submitted_at is not None or self.state != self.definition.initial

    @property
    def criteria(self) -> list:
        """The criteria it is scored against: its window's."""
        window = self.rules_window
        return window.criteria if window is not None else []

    @property
    def max_total(self) -> int:
        return sum(c.max_score for c in self.criteria)

    @property
    def criteria_illustrative(self) -> bool:
        window = self.rules_window
        return window.criteria_illustrative if window is not None else False

    @property
    def score_threshold(self) -> Decimal:
        """The threshold it must reach: its window's."""
        window = self.rules_window
        return window.score_threshold if window is not None else self.call.score_threshold

    # --- the protocol the workflow conditions read -------------------------------------------
    @property
    def decisions_open_on(self) -> dt.date:
        """No decision on an application is dated before its call opened."""
        return self.call.opens_at

    @property
    def partner_organisations(self) -> list[Organisation]:
        return [p.organisation for p in self.partners]

    @property
    def lombardy_firm_count(self) -> int:
        return sum(1 for org in self.partner_organisations if org.is_lombard_firm)

    @property
    def lombardy_sme_count(self) -> int:
        """SMEs with a seat in Lombardy: what a support measure's ``min_smes`` counts."""
        return sum(1 for org in self.partner_organisations if org.is_sme and org.lombardy_seat)

    @property
    def eligible_spend_total(self) -> Decimal | None:
        """The partners' eligible spend added up; None while no partner has stated any."""
        stated = [p.eligible_spend for p in self.partners if p.eligible_spend is not None]
        return sum(stated, Decimal(0)) if stated else None

    @property
    def final_report_state(self) -> str | None:
        """The state of the project's final report (``tracker.reports``), None while there is
        none: read by the condition ``final_report_accepted`` of ``complete``."""
        from tracker.reports.models import Report

        return db.session.scalar(
            select(Report.state).where(Report.application_id == self.id, Report.kind == "final")
        )

    @property
    def firms_in_other_projects(self) -> list[str]:
        """Partners already in another live application of the same measure (one project
        per firm): read by the condition ``one_project_per_firm``."""
        wf = self.definition
        # drafts and refused files hold no project; anything else does
        live = [
            s.name for s in wf.states if s.name != wf.initial and (s.positive or not s.terminal)
        ]
        others = (
            select(Partner.organisation_id)
            .join(Application, Application.id == Partner.application_id)
            .where(
                Application.call_id == self.call_id,
                Application.id != self.id,
                Application.state.in_(live),
            )
        )
        taken = set(db.session.scalars(others))
        return [
            p.organisation.name
            for p in self.partners
            if p.organisation_id in taken and p.organisation.kind == "firm"
        ]

    @property
    def earlier_awaiting_decision(self) -> int:
        """Applications of the same measure submitted before this one and still awaiting the
        Region's decision (a rolling measure decides in order of arrival)."""
        wf = self.definition
        waiting = [
            s.name
            for s in wf.states
            if s.name != wf.initial and not s.terminal and not s.holds_budget
        ]
        if self.submitted_at is None:
            return 0
        earlier = (
            select(func.count())
            .select_from(Application)
            .where(
                Application.call_id == self.call_id,
                Application.id != self.id,
                Application.state.in_(waiting),
                (Application.submitted_at < self.submitted_at)
                | ((Application.submitted_at == self.submitted_at) & (Application.id < self.id)),
            )
        )
        return db.session.scalar(earlier) or 0

    @property
    def missing_concept_note_fields(self) -> list[str]:
        """The parts of the workflow's content (and its thematic area) still empty, by label."""
        wf = self.definition
        missing = [s.label for s in wf.content if not (getattr(self, s.key) or "").strip()]
        if wf.thematic_area and not self.thematic_area:
            missing.append(N_("Thematic area"))
        return missing

    def areas_outside_window_on(self, now: dt.datetime) -> list[str]:
        """Areas it names that its window at ``now`` does not offer (a draft named them under
        an earlier window): it cannot be submitted until they are changed. Read by the
        condition ``concept_note_complete`` (a replay passes its own time)."""
        if self._window_settled and self.window is not None:
            window = self.window
        else:
            window = self.call.window_on(local_date(now))
        if window is None or not self.definition.thematic_area:
            return []
        return [a for a in self.thematic_areas if a not in window.thematic_areas]

    @property
    def areas_outside_window(self) -> list[str]:
        return self.areas_outside_window_on(utcnow())

    @property
    def pending_integration(self) -> IntegrationRequest | None:
        """The committee's question awaiting its answer: only while the clock is suspended for
        it (other states never read the requests)."""
        if not self.state_info.clock_suspended:
            return None
        latest = self.integration_requests[-1] if self.integration_requests else None
        return latest if latest is not None and latest.pending else None

    @property
    def changes_by_request(self) -> bool:
        """Its partnership changes only by partnership changes the Region acknowledges: a value
        chain submitted and still running (a draft's lead edits it directly; an ended one is
        frozen)."""
        return (
            self.workflow == "value_chain"
            and self.submitted_at is not None
            and not self.state_info.terminal
        )

    @property
    def agreement_signed(self) -> bool:
        """Recorded only when the lead uploads the agreement's signed PDF (tracker.documents)."""
        return self.agreement_signed_at is not None

    @property
    def missing_required_annexes(self) -> list[str]:
        """The names of the call's required annexes with no file uploaded."""
        present = {d.annex_id for d in self.annex_documents}
        return [a.name for a in self.call.annexes if a.required and a.id not in present]

    @property
    def submitted_review_count(self) -> int:
        return len(self.reviews)

    @property
    def average_score(self) -> Decimal | None:
        """The mean of the committee's totals, to the hundredth."""
        if not self.reviews:
            return None
        mean = Decimal(sum(r.total for r in self.reviews)) / len(self.reviews)
        return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def evaluation_closed(self) -> bool:
        """The committee's evaluation is over: closing it fixed the score (every call needs at
        least one review, so a closed evaluation always has one)."""
        return self.score is not None

    def declaration_of(self, user) -> ConflictDeclaration | None:
        """``user``'s declaration about a conflict of interest on this application, if made."""
        uid = getattr(user, "id", None)
        return next((d for d in self.declarations if d.member_id == uid), None)

    def has_declared(self, user) -> bool:
        """The condition ``conflict_not_declared`` reads this."""
        return self.declaration_of(user) is not None

    @property
    def concept_note(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in CONCEPT_NOTE_FIELDS}

    def led_by(self, organisation_id: int | None) -> bool:
        """The organisation is the lead partner."""
        return organisation_id == self.lead_organisation_id

    def partner_for(self, organisation_id: int | None) -> Partner | None:
        return next((p for p in self.partners if p.organisation_id == organisation_id), None)

    @property
    def provinces(self) -> list[str]:
        return sorted({org.province for org in self.partner_organisations if org.province})


class ApplicationArea(db.Model):
    """One of the thematic areas an application names (the notice allows several): breakdowns
    by area count an application under each of its areas, so their rows overlap."""

    __tablename__ = "application_thematic_areas"
    # deleting a draft removes these rows by SQL first (applications.operations.delete_draft)
    __mapper_args__ = {"confirm_deleted_rows": False}

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True
    )
    area: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)


class Partner(db.Model):
    """A member of the partnership, with its role and commitments."""

    __tablename__ = "partners"
    __table_args__ = (
        UniqueConstraint("application_id", "organisation_id"),
        CheckConstraint("eligible_spend IS NULL OR eligible_spend >= 0", name="spend_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(200))
    commitments: Mapped[str] = mapped_column(Text, default="")
    #: support measures: the partner's eligible spend (tracker.measures.grant)
    eligible_spend: Mapped[Decimal | None] = mapped_column(Hundredths)
    added_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    application: Mapped[Application] = relationship(back_populates="partners")
    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def is_lead(self) -> bool:
        return self.application.led_by(self.organisation_id)


class HistoryEntry(HistoryRecord, db.Model):
    """One state change of an application: written in the same transaction as the change."""

    __tablename__ = "history"
    __table_args__ = (UniqueConstraint("application_id", "seq"),)
    subject_key = "application_id"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )

    application: Mapped[Application] = relationship(back_populates="history")


Application.history_model = HistoryEntry


class DeletedDraft(db.Model):
    """A draft its lead deleted before ever submitting it: what it was, who deleted it, when.

    A draft never submitted has no history rows (nothing was fired on it), so deleting it
    touches no hash chain; this append-only record is where the deletion is kept instead."""

    __tablename__ = "deleted_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the id the application had (no foreign key: that row is gone)
    application_id: Mapped[int] = mapped_column(index=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    lead_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    created_at = mapped_column(UTCDateTime, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deleted_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class BulkDecision(db.Model):
    """A bulk decision someone made on the pages (tracker.applications.bulk): what they fired,
    with what, and each selected application's outcome, so that the result page is a page of its
    own (post/redirect/get: reloading it never fires again). The transitions themselves are in
    each application's history; this keeps what the person was told, refusals included."""

    __tablename__ = "bulk_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    trigger: Mapped[str] = mapped_column(String(50))
    #: the workflow whose transition label names the decision
    workflow: Mapped[str] = mapped_column(String(50))
    comment: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(db.JSON, default=dict)
    #: one per selected application, in order: {id, status, state, title, reasons: {lang: [..]}}
    #: (title only of those the person could see; reasons written in each language)
    results: Mapped[list] = mapped_column(db.JSON, default=list)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
