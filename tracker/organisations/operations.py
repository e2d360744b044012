from __future__ import annotations

from sqlalchemy import select

from tracker.database import flush
from tracker.errors import Conflict
from tracker.extensions import db
from tracker.organisations.models import KINDS, SIZES, Organisation
from tracker.organisations.vat import normalise_vat, vat_problem
from tracker.reference import LOMBARDY_PROVINCES
from tracker.validation import Problems
from workflows.i18n import N_


def create_organisation(
    *,
    name: str,
    vat_number: str,
    kind: str,
    size: str | None = None,
    province: str | None = None,
    city: str | None = None,
    lombardy_seat: bool | None = None,
) -> Organisation:
    """Register an organisation; 422 on a bad VAT number or field, 409 on a known VAT number."""
    p = Problems()
    name = p.text("name", name, "Name", max_len=200)
    vat = normalise_vat(vat_number if isinstance(vat_number, str) else "")
    if reason := vat_problem(vat):
        p["vat_number"] = reason
    kind = p.choice("kind", kind, "Kind", KINDS)
    size = p.choice("size", size, "Size", SIZES, required=kind == "firm")
    province = (
        (province or "").strip().upper() or None if isinstance(province, str | None) else None
    )
    if province is not None and (len(province) != 2 or not province.isalpha()):
        p["province"] = N_("Province must be a two-letter code such as MI or BS.")
    city = p.text("city", city, "City", max_len=100, required=False) or None
    if lombardy_seat is None:
        lombardy_seat = province in LOMBARDY_PROVINCES
    elif not isinstance(lombardy_seat, bool):
        p["lombardy_seat"] = N_("Lombardy seat must be true or false.")
    p.raise_if_any()
    if db.session.scalar(select(Organisation.id).where(Organisation.vat_number == vat)):
        raise Conflict(
            N_("An organisation with VAT number %(vat)s is already registered.", vat=vat),
            code="duplicate",
        )
    org = Organisation(
        name=name, vat_number=vat, kind=kind, size=size, province=province, city=city,
        lombardy_seat=lombardy_seat,
    )  # fmt: skip
    db.session.add(org)
    flush()
    return org
