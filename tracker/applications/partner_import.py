"""Bulk partners: a lead partner uploads a CSV or XLSX of organisations and gets a row-by-row
report before anything is written; confirmed, a draft (or an application returned for an
integration) gets the partners, a submitted value chain one ``join`` change per new
organisation (``tracker.changes``: accepted as asked by the lead, awaiting the Region).

Nothing is kept between the preview and the confirmation: the page carries the parsed rows in a
signed field (``sign_rows``), the API client posts the same file again without ``dry_run``.
Either way every row is checked again when it is applied, against the data as they are then.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from tracker.applications.models import Application, Partner
from tracker.applications.operations import reset_agreement
from tracker.auth.models import User
from tracker.changes.models import OPEN_STATES, PartnershipChange
from tracker.changes.operations import request_change
from tracker.database import flush
from tracker.errors import BadRequest, Conflict, Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.organisations.models import KINDS, SIZES, Organisation
from tracker.organisations.operations import create_organisation
from tracker.organisations.vat import normalise_vat, vat_problem
from tracker.reference import ITALIAN_PROVINCES
from workflows.i18n import N_, term

#: the columns of the file, and the headers accepted for each (English and Italian)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "organisation", "ragione sociale", "denominazione", "nome"),
    "vat_number": ("vat", "vat_number", "vat number", "partita iva", "p.iva", "piva"),
    "kind": ("kind", "tipo", "tipologia"),
    "size": ("size", "dimensione"),
    "province": ("province", "provincia"),
    "role": ("role", "ruolo"),
    "commitments": ("commitments", "impegni"),
}
#: a partnership is tens of organisations; a file of thousands of rows is a mistake
MAX_ROWS = 500
DEFAULT_ROLE = "Partner"


@dataclass
class Row:
    """One row of the file, as read and as judged."""

    number: int  # the row in the file (the header is row 1)
    values: dict[str, str]
    status: str = "add"  # add | skip | error
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    organisation_id: int | None = None
    change_id: int | None = None

    @property
    def new_organisation(self) -> bool:
        return self.status != "error" and self.organisation_id is None

    def refuse(self, message: str) -> None:
        self.status = "error"
        self.problems.append(message)


@dataclass
class Report:
    #: partners (a draft) or join_changes (a submitted value chain)
    mode: str
    rows: list[Row]
    applied: bool = False

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def ok(self) -> bool:
        return self.count("error") == 0


# --- reading the file ------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a VAT number typed as a number in a spreadsheet
    return str(value).strip()


def _header_map(header: list[str]) -> dict[int, str]:
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    found = {
        i: names[h.strip().lower()] for i, h in enumerate(header) if h.strip().lower() in names
    }
    missing = [k for k in ("name", "vat_number", "kind") if k not in found.values()]
    if missing:
        raise ValidationFailed(
            N_("The file's first row must name its columns; missing: %(missing)s.",
               missing=", ".join(missing)),
            {"fields": {"file": N_("Columns: name, vat, kind, size, province, role, commitments.")}},
            code="bad_file",
        )  # fmt: skip
    return found


def _table(filename: str, content: bytes) -> list[list[str]]:
    if content[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
            raise _bad_file(N_("This is not a readable XLSX workbook.")) from err
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


def _bad_file(message: str) -> ValidationFailed:
    return ValidationFailed(message, {"fields": {"file": message}}, code="bad_file")


def read_rows(filename: str | None, content: bytes) -> list[Row]:
    """The organisations of a CSV (comma, semicolon or tab; UTF-8 or Windows-1252) or XLSX
    file whose first row names the columns; blank rows are left out. 422 for a file that is
    empty, unreadable, without the needed columns or longer than ``MAX_ROWS``."""
    if not content:
        raise _bad_file(N_("The file is empty."))
    table = [row for row in _table(filename or "", content) if any(row)]
    if len(table) < 2:
        raise _bad_file(N_("The file has no organisation below its header row."))
    columns = _header_map(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise _bad_file(N_("At most %(max)s organisations per file.", max=MAX_ROWS))
    return [
        Row(number, {key: row[i] if i < len(row) else "" for i, key in columns.items()})
        for number, row in enumerate(table[1:], start=2)
    ]


# --- judging the rows -------------------------------------------------------------------------


def mode_of(user: User, app: Application) -> str:
    """partners (the lead changes the partnership directly) or join_changes (a submitted value
    chain: each new organisation is a join the Region acknowledges); 403/409 otherwise."""
    if app.can_manage_partnership(user):
        return "partners"
    if "lead" not in app.roles_of(user):
        raise Forbidden(N_("Only the lead partner imports partners."), code="not_allowed")
    if app.changes_by_request:
        return "join_changes"
    raise Conflict(
        N_(
            "The partnership cannot be changed while '%(state)s'.", state=term(app.state_info.title)
        ),
        code="not_editable",
    )


def check_rows(user: User, app: Application, rows: list[Row]) -> Report:
    """Judge every row against the file and the data as they are: bad VAT numbers (the check
    digit), the same VAT number twice in the file, unknown kinds, sizes and provinces (errors);
    organisations already partners or with an open change (skipped); registered ones (noted)."""
    mode = mode_of(user, app)
    vats = [normalise_vat(r.values.get("vat_number", "")) for r in rows]
    known = {
        o.vat_number: o
        for o in db.session.scalars(select(Organisation).where(Organisation.vat_number.in_(vats)))
    }
    partners = {p.organisation_id for p in app.partners}
    pending = set(
        db.session.scalars(
            select(PartnershipChange.organisation_id).where(
                PartnershipChange.application_id == app.id,
                PartnershipChange.state.in_(OPEN_STATES),
            )
        )
    )
    first_row: dict[str, int] = {}
    for row, vat in zip(rows, vats, strict=True):
        _check_fields(row, vat)
        if vat in first_row:
            row.refuse(N_("The same VAT number as row %(row)s.", row=first_row[vat]))
        first_row.setdefault(vat, row.number)
        org = known.get(vat)
        if row.status == "error" or org is None:
            continue
        row.organisation_id = org.id
        if org.id in partners:
            row.status = "skip"
            row.notes.append(N_("%(name)s is already a partner.", name=org.name))
        elif org.id in pending:
            row.status = "skip"
            row.notes.append(N_("A change about %(name)s is already open.", name=org.name))
        elif org.name.casefold() != row.values.get("name", "").casefold():
            row.notes.append(N_("Registered as %(name)s.", name=org.name))
    return Report(mode, rows)


def _check_fields(row: Row, vat: str) -> None:
    v = row.values
    if not v.get("name"):
        row.refuse(N_("The name is missing."))
    elif len(v["name"]) > 200:
        row.refuse(N_("The name is longer than %(max)s characters.", max=200))
    if reason := vat_problem(vat):
        row.refuse(reason)
    kind = v.get("kind", "").lower()
    if kind not in KINDS:
        row.refuse(N_("Unknown kind '%(value)s': use one of %(allowed)s.",
                      value=v.get("kind", ""), allowed=", ".join(KINDS)))  # fmt: skip
    size = v.get("size", "").lower()
    if size and size not in SIZES:
        row.refuse(N_("Unknown size '%(value)s': use one of %(allowed)s.",
                      value=v.get("size", ""), allowed=", ".join(SIZES)))  # fmt: skip
    elif kind == "firm" and not size:
        row.refuse(N_("A firm's size is missing (micro, small, medium or large)."))
    province = v.get("province", "").upper()
    if province and province not in ITALIAN_PROVINCES:
        row.refuse(N_("Unknown province '%(value)s': use the two-letter code, e.g. BS.",
                      value=v.get("province", "")))  # fmt: skip
    if len(v.get("role", "")) > 200:
        row.refuse(N_("The role is longer than %(max)s characters.", max=200))
    if len(v.get("commitments", "")) > 5000:
        row.refuse(N_("The commitments are longer than %(max)s characters.", max=5000))


# --- applying them ----------------------------------------------------------------------------


def import_partners(user: User, app: Application, rows: list[Row]) -> Report:
    """Check the rows again and, when none is in error, register the new organisations (as
    declared by ``user``: unverified unless an officer) and add each row's organisation: as a
    partner, or by a join change. 422 with the report when any row is in error."""
    report = check_rows(user, app, rows)
    if not report.ok:
        raise ValidationFailed(
            N_("%(count)s rows of the file are in error: nothing was imported.",
               count=report.count("error")),
            {"rows": [row_details(r) for r in report.rows if r.status == "error"]},
            code="rows_in_error",
        )  # fmt: skip
    added = False
    for row in report.rows:
        if row.status != "add":
            continue
        if row.organisation_id is None:
            row.organisation_id = _register(user, row).id
        role = row.values.get("role") or DEFAULT_ROLE
        commitments = row.values.get("commitments", "")
        if report.mode == "partners":
            app.partners.append(
                Partner(organisation_id=row.organisation_id, role=role, commitments=commitments)
            )
            added = True
        else:
            change = request_change(user, app, {
                "kind": "join", "organisation_id": row.organisation_id, "role": role,
                "commitments": commitments, "reason": "Imported from a file of partners.",
            })  # fmt: skip
            row.change_id = change.id
    if added:
        reset_agreement(app)  # the signed agreement no longer covers everyone
    flush()
    report.applied = True
    return report


def _register(user: User, row: Row) -> Organisation:
    v = row.values
    return create_organisation(
        user, name=v["name"], vat_number=v["vat_number"], kind=v["kind"].lower(),
        size=v.get("size", "").lower() or None, province=v.get("province") or None,
    )  # fmt: skip


def fresh(rows: list[Row]) -> list[Row]:
    """The rows as read, without what a check found (to check them again)."""
    return [Row(r.number, dict(r.values)) for r in rows]


def row_details(row: Row) -> dict[str, Any]:
    """A row of the report as the API and the error details give it."""
    return {
        "row": row.number,
        "name": row.values.get("name", ""),
        "vat_number": row.values.get("vat_number", ""),
        "status": row.status,
        "organisation_id": row.organisation_id,
        "new_organisation": row.new_organisation,
        "change_id": row.change_id,
        "problems": [str(p) for p in row.problems],
        "notes": [str(n) for n in row.notes],
    }


# --- carrying the rows from the preview to the confirmation -------------------------------------


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="partner-import")


def sign_rows(user: User, app: Application, rows: list[Row]) -> str:
    """The rows as a signed text the confirmation posts back: only for this person and this
    application, and unchangeable (a changed byte fails the signature)."""
    payload = {"u": user.id, "a": app.id, "rows": [[r.number, r.values] for r in rows]}
    return _signer().dumps(payload)


def unsign_rows(user: User, app: Application, token: str) -> list[Row]:
    try:
        payload = _signer().loads(token or "")
    except BadSignature as err:
        raise BadRequest(
            N_("The confirmation does not match a preview: upload the file again."),
            code="bad_confirmation",
        ) from err
    if payload.get("u") != user.id or payload.get("a") != app.id:
        raise BadRequest(
            N_("The confirmation does not match a preview: upload the file again."),
            code="bad_confirmation",
        )
    return [Row(number, dict(values)) for number, values in payload["rows"]]
