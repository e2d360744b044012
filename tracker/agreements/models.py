"""Multi-party agreements between the Region and the institutions of a call: the Circular
Economy HUB's one collaboration agreement (May 2021) bound the Region and the five selected
public universities and research centres. The agreement is recorded once; each selected
application joins it when ``sign_agreement`` fires."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.columns import Hundredths, UTCDateTime, utcnow
from tracker.extensions import db
from tracker.organisations.models import Organisation

agreement_parties = Table(
    "agreement_parties",
    db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)


class Agreement(db.Model):
    """One agreement, its amounts and its parties (the Region is implied: it is the Region's)."""

    __tablename__ = "agreements"
    __table_args__ = (
        CheckConstraint("total_amount > 0", name="total_positive"),
        CheckConstraint(
            "regional_amount IS NULL OR (regional_amount >= 0 AND regional_amount <= total_amount)",
            name="regional_within_total",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: how applications name it (``sign_agreement``'s ``agreement_reference``)
    reference: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the call whose selected applications are its parties
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    concluded_on: Mapped[dt.date] = mapped_column(Date)
    total_amount: Mapped[Decimal] = mapped_column(Hundredths)
    #: the Region's share of the total
    regional_amount: Mapped[Decimal | None] = mapped_column(Hundredths)
    #: the Region's directorate that runs it
    managed_by: Mapped[str] = mapped_column(String(300), default="")
    #: duration, purpose, source of the facts
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    call: Mapped[Call] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    parties: Mapped[list[Organisation]] = relationship(
        secondary=agreement_parties, order_by="Organisation.name"
    )
    signatures: Mapped[list[AgreementSignature]] = relationship(
        back_populates="agreement", order_by="AgreementSignature.id"
    )


class AgreementSignature(db.Model):
    """An application that joined the agreement (``sign_agreement`` fired on it): one per
    application, written in the transition's transaction."""

    __tablename__ = "agreement_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id"), index=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    recorded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    agreement: Mapped[Agreement] = relationship(back_populates="signatures")
    application: Mapped[Application] = relationship()
