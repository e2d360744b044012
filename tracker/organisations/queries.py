"""Reading organisations."""

from __future__ import annotations

from sqlalchemy import or_, select

from tracker.database import contains, count_rows
from tracker.errors import BadRequest, NotFound
from tracker.extensions import db
from tracker.i18n import translate
from tracker.organisations.models import KINDS, SIZES, Organisation
from tracker.organisations.profile import in_chains_at_least
from tracker.pagination import PageRequest
from tracker.querystring import query_text
from workflows.i18n import N_

#: ``?lombardy_seat=``
SEATS = {"yes": True, "no": False}
#: the largest ``?in_chains_min=`` worth asking (more than any organisation could be in)
CHAINS_MAX = 1000


def list_filters(args) -> dict:
    """The organisations list's filters from a query string (pages and API alike): ``province``
    (its two-letter code), ``kind``, ``size``, ``lombardy_seat`` (yes or no) and
    ``in_chains_min`` (a partner of at least that many submitted value chains); 400 naming a
    bad one."""
    province = query_text(args, "province", max_len=50)
    if province is not None and not (len(province) == 2 and province.isalpha()):
        raise BadRequest(N_("A province is its two-letter code, e.g. BS."), code="bad_query")
    kind = query_text(args, "kind", max_len=50)
    if kind is not None and kind not in KINDS:
        raise BadRequest(
            N_("Unknown kind of organisation '%(kind)s'.", kind=kind), code="bad_query"
        )
    size = query_text(args, "size", max_len=50)
    if size is not None and size not in SIZES:
        raise BadRequest(N_("Unknown size '%(size)s'.", size=size), code="bad_query")
    seat = query_text(args, "lombardy_seat", max_len=50)
    if seat is not None and seat not in SEATS:
        raise BadRequest(N_("lombardy_seat is yes or no."), code="bad_query")
    chains = query_text(args, "in_chains_min", max_len=50)
    if chains is not None and not (chains.isdecimal() and 1 <= int(chains) <= CHAINS_MAX):
        raise BadRequest(
            N_("in_chains_min is a whole number from 1 to %(max)s.", max=CHAINS_MAX),
            code="bad_query",
        )
    return {
        "province": province.upper() if province else None,
        "kind": kind,
        "size": size,
        "lombardy_seat": SEATS[seat] if seat is not None else None,
        "in_chains_min": int(chains) if chains is not None else None,
    }


def organisations_page(
    q: str | None, paging: PageRequest, **filters
) -> tuple[list[Organisation], int]:
    """Organisations by name, optionally those whose name or VAT number contains ``q``, with
    the list's ``filters`` (``list_filters``)."""
    query = organisations_query(q, **filters)
    rows = db.session.scalars(
        query.order_by(Organisation.name, Organisation.id)
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    total = count_rows(query)
    return list(rows), total


def organisations_query(
    q: str | None,
    *,
    province: str | None = None,
    kind: str | None = None,
    size: str | None = None,
    lombardy_seat: bool | None = None,
    in_chains_min: int | None = None,
):
    """A select of Organisation with the list's filters (the list pages it, the export streams it)."""
    query = select(Organisation)
    if q:
        query = query.where(name_or_vat_contains(q))
    if province:
        query = query.where(Organisation.province == province)
    if kind:
        query = query.where(Organisation.kind == kind)
    if size:
        query = query.where(Organisation.size == size)
    if lombardy_seat is not None:
        query = query.where(Organisation.lombardy_seat.is_(lombardy_seat))
    if in_chains_min:
        query = query.where(in_chains_at_least(in_chains_min))
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
