from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.reference import LOMBARDY_PROVINCES  # noqa: F401  (re-exported)
from workflows.i18n import N_

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
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    @property
    def is_lombard_firm(self) -> bool:
        return self.kind == "firm" and self.lombardy_seat

    @property
    def is_sme(self) -> bool:
        return self.kind == "firm" and self.size in SME_SIZES
