"""Reading organisations."""

from __future__ import annotations

from sqlalchemy import or_, select

from tracker.database import contains, count_rows
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.i18n import translate
from tracker.organisations.models import KINDS, Organisation
from tracker.pagination import PageRequest
from workflows.i18n import N_


def organisations_page(
    q: str | None, paging: PageRequest, *, province: str | None = None, kind: str | None = None
) -> tuple[list[Organisation], int]:
    """Organisations by name, optionally those whose name or VAT number contains ``q``, of a
    province, of a kind."""
    query = organisations_query(q, province=province, kind=kind)
    rows = db.session.scalars(
        query.order_by(Organisation.name, Organisation.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    total = count_rows(query)
    return list(rows), total


def organisations_query(q: str | None, *, province: str | None = None, kind: str | None = None):
    """A select of Organisation with the list's filters (the list pages it, the export streams it)."""
    query = select(Organisation)
    if q:
        query = query.where(name_or_vat_contains(q))
    if province:
        query = query.where(Organisation.province == province)
    if kind:
        query = query.where(Organisation.kind == kind)
    return query


def name_or_vat_contains(q: str):
    """A WHERE clause: the name contains ``q``, or the VAT number does (with or without "IT")."""
    vat = q.upper().removeprefix("IT").replace(" ", "")
    return or_(
        Organisation.name.ilike(contains(q), escape="\\"),
        Organisation.vat_number.like(contains(vat), escape="\\"),
    )


def get_organisation(organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise NotFound(N_("No organisation %(id)s.", id=organisation_id))
    return org


#: the add-partner form offers at most this many organisations matching the search
PARTNER_CHOICES = 30


def organisation_choices(
    exclude: set[int], q: str | None = None, selected: int | None = None
) -> tuple[list[tuple[str, str]], bool]:
    """The organisations the add-partner form offers: those whose name or VAT number contains
    ``q`` (none without a search: there are tens of thousands), and the one already
    ``selected``; never the partners in ``exclude``. Also whether more matched than are offered."""
    columns = select(Organisation.id, Organisation.name, Organisation.province, Organisation.kind)
    if exclude:
        columns = columns.where(Organisation.id.not_in(sorted(exclude)))
    rows = []
    if q:
        rows = db.session.execute(
            columns.where(name_or_vat_contains(q))
            .order_by(Organisation.name, Organisation.id)
            .limit(PARTNER_CHOICES + 1)
        ).all()
    more, rows = len(rows) > PARTNER_CHOICES, rows[:PARTNER_CHOICES]
    if selected is not None and all(row[0] != selected for row in rows):
        rows += db.session.execute(columns.where(Organisation.id == selected)).all()
    return [
        (str(id_), f"{name} ({province or '—'}, {translate(KINDS.get(kind, kind))})")
        for id_, name, province, kind in rows
    ], more
