"""The public statistics beside the registry: the figures the Region publishes ("45 value chains,
900+ organisations, all 12 provinces") and the support granted. Counts of applications come from
the tallies; the organisations are counted once per request in one query over the partnerships
of the recognised value chains."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.applications.models import Application, Partner
from tracker.calls.models import Call
from tracker.dashboards.models import ApplicationTally
from tracker.dashboards.tables import Table
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.reference import LOMBARDY_PROVINCES, THEMATIC_AREAS
from tracker.translation import translate
from workflows.definitions.support_application import HOLDS_BUDGET

#: a value chain holds a valid quality label in these states (a revoked one is label_revoked)
RECOGNISED = ("label_granted", "support_active", "closed")


@dataclass(frozen=True)
class PublicStatistics:
    value_chains: int
    organisations: int
    provinces: int
    grants: int
    granted: Decimal
    by_province: list[tuple[str, str, int]]  # code, name, organisations
    by_thematic_area: list[tuple[str, int]]  # label, value chains

    @property
    def all_provinces(self) -> int:
        return len(LOMBARDY_PROVINCES)

    @property
    def province_rows(self) -> list[tuple[str, int]]:
        return [(name, n) for _code, name, n in self.by_province]


def _tally_counts(workflow: str, states: tuple[str, ...], by_thematic: bool = False):
    t = ApplicationTally
    columns = [t.thematic_area] if by_thematic else []
    return db.session.execute(
        select(*columns, func.coalesce(func.sum(t.n), 0))
        .join(Call, Call.id == t.call_id)
        .where(Call.workflow == workflow, t.state.in_(states))
        .group_by(*columns)
    ).all()


def public_statistics() -> PublicStatistics:
    recognised = select(Application.id).where(
        Application.workflow == "value_chain", Application.state.in_(RECOGNISED)
    )
    members = (
        select(Organisation.id, Organisation.province)
        .join(Partner, Partner.organisation_id == Organisation.id)
        .where(Partner.application_id.in_(recognised))
        .distinct()
        .subquery()
    )
    per_province = dict(
        db.session.execute(
            select(members.c.province, func.count()).group_by(members.c.province)
        ).all()
    )
    lombard = {code: per_province.get(code, 0) for code in LOMBARDY_PROVINCES}
    chains = sum(n for (n,) in _tally_counts("value_chain", RECOGNISED))
    thematic = [
        (translate(THEMATIC_AREAS.get(area, area)) if area else _("Not stated"), n)
        for area, n in _tally_counts("value_chain", RECOGNISED, by_thematic=True)
        if n
    ]
    grants = sum(n for (n,) in _tally_counts("support_application", HOLDS_BUDGET))
    granted = db.session.scalar(
        select(func.coalesce(func.sum(Call.committed), 0)).where(
            Call.workflow == "support_application"
        )
    )
    return PublicStatistics(
        value_chains=chains,
        organisations=sum(per_province.values()),
        provinces=sum(1 for n in lombard.values() if n),
        grants=grants,
        granted=Decimal(granted or 0),
        by_province=[(code, LOMBARDY_PROVINCES[code], n) for code, n in lombard.items()],
        by_thematic_area=sorted(thematic, key=lambda r: -r[1]),
    )


def statistics_tables(stats: PublicStatistics) -> dict[str, Table]:
    return {
        "summary": Table(
            "summary",
            [_("Figure"), _("Value")],
            [
                [_("Recognised value chains"), stats.value_chains],
                [_("Organisations involved"), stats.organisations],
                [_("Lombard provinces covered"), stats.provinces],
                [_("Support measures granted"), stats.grants],
                [_("Support granted, EUR"), stats.granted],
            ],
        ),
        "provinces": Table(
            "provinces",
            [_("Province"), _("Organisations in recognised value chains")],
            [[name, n] for _code, name, n in stats.by_province],
        ),
        "thematic_areas": Table(
            "thematic_areas",
            [_("Thematic area"), _("Recognised value chains")],
            [list(row) for row in stats.by_thematic_area],
        ),
    }
