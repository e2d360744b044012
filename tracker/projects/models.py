"""The EU projects and international networks AFIL takes part in, and what they serve: AFIL's
Strategic Communities and the Region's value chains."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.communities.models import Community
from tracker.extensions import db
from workflows.i18n import N_

#: a project (funded, with partners and an end) or a standing network of regions and clusters
PROJECT_KINDS = {"project": N_("EU project"), "network": N_("International network")}

project_communities = Table(
    "eu_project_communities",
    db.metadata,
    Column("project_id", ForeignKey("eu_projects.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
)
project_value_chains = Table(
    "eu_project_value_chains",
    db.metadata,
    Column("project_id", ForeignKey("eu_projects.id", ondelete="CASCADE"), primary_key=True),
    Column("application_id", ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True),
)


class EUProject(db.Model):
    """One EU project or network, with AFIL's part in it and the source of what it says."""

    __tablename__ = "eu_projects"
    __table_args__ = (
        CheckConstraint("kind IN ('project', 'network')", name="kind_known"),
        CheckConstraint("partners IS NULL OR partners > 0", name="partners_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="project")
    title: Mapped[str] = mapped_column(String(300), default="")
    #: the EU programme that funds it (Interreg Europe, Horizon Europe, I3...)
    programme: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    #: what AFIL does in it
    afil_role: Mapped[str] = mapped_column(Text, default="")
    #: how many partners its consortium has, when the source says
    partners: Mapped[int | None]
    #: the regional policy instrument it works on (Interreg Europe projects), and the call of
    #: this tracker that is that instrument
    policy_instrument: Mapped[str | None] = mapped_column(String(300))
    policy_call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"), index=True)
    #: the public authority responsible for that instrument and its part in the project
    policy_authority: Mapped[str | None] = mapped_column(String(300))
    #: where the facts come from
    source: Mapped[str] = mapped_column(String(300), default="")

    policy_call: Mapped[Call | None] = relationship()
    communities: Mapped[list[Community]] = relationship(
        secondary=project_communities, order_by="Community.name"
    )
    value_chains: Mapped[list[Application]] = relationship(
        secondary=project_value_chains, order_by="Application.title"
    )
