from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.applications.models import Application, Partner
from tracker.effects import effect
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.labels.queries import closures, registry_row
from tracker.measures.queries import support_received
from tracker.organisations.models import Organisation


@effect("issue_quality_label")
def issue_quality_label(app: Application, firing, actor) -> None:
    """Granting the label by decree creates it, with its unique code and the decree's data."""
    decree_date = firing.data["decree_date"]
    app.label = QualityLabel(  # through the relationship: an answer read afterwards shows it
        application_id=app.id,
        code=QualityLabel.code_for(app.id, decree_date),
        decree_number=firing.data["decree_number"],
        decree_date=decree_date,
        granted_at=firing.at,
        granted_by_id=actor.id,
    )


@effect("revoke_quality_label")
def revoke_quality_label(app: Application, firing, actor) -> None:
    label = app.label
    label.revoked_at = firing.at
    label.revocation_reason = firing.comment


def registry_page(
    page: int,
    per_page: int,
    *,
    include_revoked: bool = False,
    counts: tuple[int, int],
):
    """Recognised value chains for the public registry: (rows, total), one row per label, latest
    decree first.

    With ``include_revoked`` the revoked labels follow the valid ones, marked with their reason.
    A value chain the Region closed keeps its place among the valid labels (it was recognised,
    its label never revoked), marked ``closed`` with the decision's date and reason.
    Valid and revoked labels are read as two ordered index ranges (never sorting them all), the
    totals are ``counts``, (valid, revoked) labels, which the caller reads from the dashboards'
    tallies (``tracker.dashboards.counts.label_counts``); each row says what support measures
    granted the value chain (one query for the page).
    """
    valid, revoked = counts
    total = valid + (revoked if include_revoked else 0)
    offset = (page - 1) * per_page
    order = (QualityLabel.decree_date.desc(), QualityLabel.code.desc())
    query = select(QualityLabel).options(
        joinedload(QualityLabel.application).joinedload(Application.lead_organisation)
    )
    labels = []
    if offset < valid:
        labels = list(
            db.session.scalars(
                query.where(QualityLabel.revoked_at.is_(None))
                .order_by(*order)
                .limit(per_page)
                .offset(offset)
            ).all()
        )
    if include_revoked and revoked and len(labels) < per_page and offset + len(labels) < total:
        labels += db.session.scalars(
            query.where(QualityLabel.revoked_at.is_not(None))
            .order_by(*order)
            .limit(per_page - len(labels))
            .offset(max(0, offset - valid))
        ).all()
    ids = [label.application_id for label in labels]
    stats = _partnership_stats(ids)
    support = support_received(ids)
    closed = closures([x.application_id for x in labels if x.application.state_info.chain_closed])
    return [
        registry_row(
            label, *stats.get(label.application_id, (0, [])), closed.get(label.application_id)
        )
        | {"support_granted": str(support.get(label.application_id, Decimal("0.00")))}
        for label in labels
    ], total


def _partnership_stats(application_ids: list[int]) -> dict[int, tuple[int, list[str]]]:
    """Partner counts and provinces of several applications in one query."""
    if not application_ids:
        return {}
    rows = db.session.execute(
        select(Partner.application_id, Organisation.province)
        .join(Organisation, Organisation.id == Partner.organisation_id)
        .where(Partner.application_id.in_(application_ids))
    ).all()
    out: dict[int, tuple[int, set[str]]] = {}
    for app_id, province in rows:
        count, provinces = out.get(app_id, (0, set()))
        out[app_id] = (count + 1, provinces | ({province} if province else set()))
    return {k: (n, sorted(p)) for k, (n, p) in out.items()}
