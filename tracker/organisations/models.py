from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.reference import LOMBARDY_PROVINCES  # noqa: F401  (re-exported)
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.auth.models import User

KINDS = {
    "firm": N_("Firm"),
    "university": N_("University"),
    "research_centre": N_("Research centre"),
    "training_body": N_("Training body (IFP, ITS)"),
    "association": N_("Association"),
    "financial": N_("Bank, financial or insurance firm"),
    "other": N_("Other (school, professional...)"),
}
SIZES = {"micro": N_("Micro"), "small": N_("Small"), "medium": N_("Medium"), "large": N_("Large")}
SME_SIZES = ("micro", "small", "medium")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(db.Model):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind_known"),
        CheckConstraint(f"size IS NULL OR {_in('size', SIZES)}", name="size_known"),
        CheckConstraint("length(vat_number) = 11", name="vat_eleven_digits"),
        # who verified it is known only once it is verified (0010_verification)
        CheckConstraint(
            "verified_by_id IS NULL OR verified_at IS NOT NULL", name="verifier_has_time"
        ),
        # lists and searches by name, the lists' filter by the lead's province (0006_lists)
        Index("ix_organisations_name", "name"),
        Index("ix_organisations_province", "province"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    vat_number: Mapped[str] = mapped_column(String(11), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[str | None] = mapped_column(String(10))
    province: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(100))
    lombardy_seat: Mapped[bool] = mapped_column(default=False)
    #: a public body (a state university, a public research centre...): the Circular Economy HUB
    #: call was open to public universities and research centres only (DGR XI/3531/2020)
    public_body: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # What it says about itself is declared (DPR 445/2000) by whoever registered it, and counts
    # toward a call's minimums only once an officer or a committee member verified it.
    #: who registered it and declared its facts, at ``created_at`` (None: entered before the
    #: rule, or loaded by the system)
    declared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True), index=True
    )
    #: when its declared facts were verified; None while they await verification
    verified_at = mapped_column(UTCDateTime)
    #: who verified them (None with a time: verified before the rule, by migration 0010)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    verification_note: Mapped[str | None] = mapped_column(String(500))

    declared_by: Mapped[User | None] = relationship(foreign_keys=[declared_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def declared_at(self):
        """Its facts were declared when it was registered (there is no editing them yet)."""
        return self.created_at

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def can_verify(self, user) -> bool:
        """Officers and committee members verify declared facts, never their own
        organisation's."""
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        if user.organisation_id is not None and user.organisation_id == self.id:
            return False
        return user.has_role("officer") or (
            user.has_role("reviewer") and bool(user.committee_call_ids)
        )

    @property
    def is_lombard_firm(self) -> bool:
        return self.kind == "firm" and self.lombardy_seat

    @property
    def is_public_research(self) -> bool:
        """A public university or research centre: who may lead a HUB application."""
        return self.public_body and self.kind in ("university", "research_centre")

    @property
    def is_sme(self) -> bool:
        return self.kind == "firm" and self.size in SME_SIZES
