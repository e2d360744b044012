"""Registering an organisation (its facts are declared by who registers it) and verifying
what was declared."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from tracker.columns import utcnow
from tracker.database import flush
from tracker.errors import Conflict, Forbidden
from tracker.extensions import db
from tracker.organisations.models import KINDS, SIZES, Organisation
from tracker.organisations.vat import normalise_vat, vat_problem
from tracker.reference import ITALIAN_PROVINCES, LOMBARDY_PROVINCES
from tracker.validation import Problems
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.auth.models import User

#: the longest note a verification may carry
NOTE_MAX = 500


def create_organisation(
    declared_by: User | None,
    *,
    name: str,
    vat_number: str,
    kind: str,
    size: str | None = None,
    province: str | None = None,
    city: str | None = None,
    lombardy_seat: bool | None = None,
    public_body: bool = False,
) -> Organisation:
    """Register an organisation whose facts ``declared_by`` declares (None: loaded by the system,
    nobody declared them); 422 on a bad VAT number or field, 409 on a known VAT number.

    One registered by a Region officer counts as verified at once; any other awaits an officer's
    or a committee member's verification (``verify_organisation``)."""
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
    if province is not None and province not in ITALIAN_PROVINCES:
        p["province"] = N_(
            "Province must be the two-letter code of an Italian province, such as MI or BS."
        )
    city = p.text("city", city, "City", max_len=100, required=False) or None
    if lombardy_seat is None:
        lombardy_seat = province in LOMBARDY_PROVINCES
    elif not isinstance(lombardy_seat, bool):
        p["lombardy_seat"] = N_("Lombardy seat must be true or false.")
    if not isinstance(public_body, bool):
        p["public_body"] = N_("Public body must be true or false.")
    p.raise_if_any()
    if db.session.scalar(select(Organisation.id).where(Organisation.vat_number == vat)):
        raise Conflict(
            N_("An organisation with VAT number %(vat)s is already registered.", vat=vat),
            code="duplicate",
        )
    org = Organisation(
        name=name, vat_number=vat, kind=kind, size=size, province=province, city=city,
        lombardy_seat=lombardy_seat, public_body=public_body, declared_by=declared_by,
    )  # fmt: skip
    if declared_by is not None and declared_by.has_role("officer"):
        org.verified_by, org.verified_at = declared_by, utcnow()
    db.session.add(org)
    flush()
    return org


def verify_organisation(
    user: User, org: Organisation, note: str | None = None, *, at: dt.datetime | None = None
) -> Organisation:
    """Record that ``user`` (an officer or a committee member, never of ``org`` itself) checked
    the facts ``org`` declared: who and when, with an optional note. 403 for anyone else, 409
    when it is already verified, 422 on a bad note."""
    if not org.can_verify(user):
        raise Forbidden(
            N_("Only Region officers and committee members may verify an organisation's data."),
            code="not_allowed",
        )
    if org.verified:
        raise Conflict(N_("%(name)s is already verified.", name=org.name), code="already_verified")
    p = Problems()
    note = p.text("note", note, N_("Note"), max_len=NOTE_MAX, required=False) or None
    p.raise_if_any()
    # one conditional UPDATE: of two people verifying at once, the second gets the 409
    done = db.session.execute(
        update(Organisation)
        .where(Organisation.id == org.id, Organisation.verified_at.is_(None))
        .values(verified_by_id=user.id, verified_at=at or utcnow(), verification_note=note)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict(N_("%(name)s is already verified.", name=org.name), code="already_verified")
    db.session.expire(org, ["verified_by_id", "verified_at", "verification_note", "verified_by"])
    return org
