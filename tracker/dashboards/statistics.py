"""The public statistics beside the registry: the figures the Region publishes ("45 value chains,
900+ organisations, all 12 provinces") and the support granted, read off the tallies."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from tracker.calls.models import Call
from tracker.dashboards.models import BreakdownTally, OrganisationTally
from tracker.dashboards.tables import Table
from tracker.dashboards.tallies import in_states
from tracker.extensions import db
from tracker.i18n import translate
from tracker.organisations.models import Organisation
from tracker.reference import LOMBARDY_PROVINCES, THEMATIC_AREAS
from workflows import APPLICATION_WORKFLOWS


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


def _in_states(**flags: bool) -> int:
    """How many submitted applications are in a state of their workflow with these flags."""
    b = BreakdownTally
    return db.session.scalar(
        select(func.coalesce(func.sum(b.n), 0))
        .join(Call, Call.id == b.call_id)
        .where(b.dimension == "state", in_states(Call.workflow, b.value, **flags))
    )


def public_statistics() -> PublicStatistics:
    """Five small queries over tallies and the measures, whatever the number of applications."""
    t = OrganisationTally
    per_province = dict(
        db.session.execute(
            select(Organisation.province, func.count())
            .join(t, t.organisation_id == Organisation.id)
            .where(t.n > 0)
            .group_by(Organisation.province)
        ).all()
    )
    lombard = {code: per_province.get(code, 0) for code in LOMBARDY_PROVINCES}
    b = BreakdownTally
    # a value chain's positive outcomes are exactly its recognised states
    thematic = db.session.execute(
        select(b.value, func.sum(b.n))
        .join(Call, Call.id == b.call_id)
        .where(Call.workflow == "value_chain", b.dimension == "thematic_area", b.positive.is_(True))
        .group_by(b.value)
    ).all()
    granted = db.session.scalar(
        select(func.coalesce(func.sum(Call.committed), 0)).where(
            Call.workflow.in_(
                [n for n, wf in APPLICATION_WORKFLOWS.items() if wf.measure_kind is not None]
            )
        )
    )
    return PublicStatistics(
        value_chains=_in_states(holds_label=True),
        organisations=sum(per_province.values()),
        provinces=sum(1 for n in lombard.values() if n),
        grants=_in_states(holds_budget=True),
        granted=Decimal(granted or 0),
        by_province=[(code, LOMBARDY_PROVINCES[code], n) for code, n in lombard.items()],
        by_thematic_area=sorted(
            (
                (translate(THEMATIC_AREAS.get(area, area)) if area else _("Not stated"), n)
                for area, n in thematic
                if n
            ),
            key=lambda r: -r[1],
        ),
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
            [
                _("Thematic area"),
                _("Recognised value chains (each under every area it names: the rows overlap)"),
            ],
            [list(row) for row in stats.by_thematic_area],
        ),
    }
