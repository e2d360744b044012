"""Bulk partners: the steel chain's 43 organisations from a CSV and an XLSX, the row-by-row
report, nothing written before the confirmation, joins on a recognised chain."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from pagetools import text_of
from sqlalchemy import func, select

from tracker.changes.models import PartnershipChange
from tracker.extensions import db
from tracker.organisations.models import Organisation

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))
from apiclient import Api, error_of  # noqa: E402

HEADER = ["name", "vat", "kind", "size", "province", "role", "commitments"]
PROVINCES = ["BS", "BG", "MI", "MN", "CR", "LC"]


def steel_rows(make, n=43) -> list[list[str]]:
    return [
        [f"Acciaierie {i:02d} Srl", make.vat(), "firm", ["micro", "small", "medium", "large"][i % 4],
         PROVINCES[i % len(PROVINCES)], "Supplier", f"Scrap and slag, lot {i}"]
        for i in range(1, n + 1)
    ]  # fmt: skip


def as_csv(rows, sep=";") -> bytes:
    return "\n".join(sep.join(r) for r in [HEADER, *rows]).encode("utf-8")


def as_xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def post_file(client, path, content, name):
    return client.post(path, data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_draft_gets_43_partners_after_the_preview(app, world, make, login, fmt):
    app.config["WTF_CSRF_ENABLED"] = False
    draft = make.application(world.call, world.lead, complete=False, title="Steel")
    rows = steel_rows(make)
    content = as_csv(rows) if fmt == "csv" else as_xlsx(rows)
    lead = login(world.lead)
    orgs = _count(Organisation)
    r = post_file(lead, f"/applications/{draft.id}/partners/import", content, f"steel.{fmt}")
    assert r.status_code == 200, text_of(r)
    assert "43 rows: 43 to add, 0 skipped, 0 in error." in text_of(r)
    assert _count(Organisation) == orgs  # nothing written by the preview
    token = re.search(r'name="rows" value="([^"]+)"', r.get_data(as_text=True)).group(1)
    r = lead.post(f"/applications/{draft.id}/partners/import/confirm", data={"rows": token})
    assert r.status_code == 302
    db.session.refresh(draft)
    assert len(draft.partners) == 44 and _count(Organisation) == orgs + 43
    new = db.session.scalar(select(Organisation).where(Organisation.name == "Acciaierie 01 Srl"))
    assert not new.verified and new.declared_by_id == world.lead.id
    # a tampered confirmation is refused
    bad = lead.post(f"/applications/{draft.id}/partners/import/confirm", data={"rows": token + "x"})
    assert bad.status_code == 400


def test_the_report_names_each_problem(app, world, make, login):
    draft = make.application(world.call, world.lead, complete=False)
    rows = steel_rows(make, 6)
    rows[1][1] = rows[1][1][:-1] + str((int(rows[1][1][-1]) + 1) % 10)  # a wrong check digit
    rows[2][1] = rows[0][1]  # the same VAT as row 2
    rows[3][4] = "ZZ"  # no such province
    rows[4][2] = "startup"  # no such kind
    rows[5][1] = world.lead_org.vat_number  # already a partner: skipped
    api = Api(make.app, make.token(world.lead))
    r = api.post(f"/applications/{draft.id}/partners/import?dry_run=true",
                 data={"file": (io.BytesIO(as_csv(rows, ",")), "p.csv")},
                 content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    by_row = {x["row"]: x for x in body["rows"]}
    assert body["applied"] is False and body["counts"] == {
        "rows": 6, "to_add": 1, "skipped": 1, "errors": 4,
    }  # fmt: skip
    assert "check digit" in by_row[3]["problems"][0]
    assert by_row[4]["problems"] == ["The same VAT number as row 2."]
    assert "Unknown province 'ZZ'" in by_row[5]["problems"][0]
    assert "Unknown kind 'startup'" in by_row[6]["problems"][0]
    assert by_row[7]["status"] == "skip"
    r = api.post(f"/applications/{draft.id}/partners/import",
                 data={"file": (io.BytesIO(as_csv(rows, ",")), "p.csv")},
                 content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 422 and error_of(r)["code"] == "rows_in_error"
    assert len(error_of(r)["details"]["rows"]) == 4
    db.session.refresh(draft)
    assert len(draft.partners) == 1


def test_a_recognised_chain_gets_join_changes(cw, make):
    api = Api(make.app, make.token(cw.lead))
    rows = steel_rows(make, 3)
    r = api.post(f"/applications/{cw.chain.id}/partners/import",
                 data={"file": (io.BytesIO(as_xlsx(rows)), "joins.xlsx")},
                 content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["mode"] == "join_changes" and body["applied"] is True
    changes = db.session.scalars(select(PartnershipChange)).all()
    assert {c.kind for c in changes} == {"join"} and len(changes) == 3
    assert {c.state for c in changes} == {"accepted"}  # asked by the lead
    assert sorted(x["change_id"] for x in body["rows"]) == sorted(c.id for c in changes)
    assert len(cw.chain.partners) == 3  # the Region acknowledges each one later
    # partners and other people may not import
    other = Api(make.app, make.token(cw.partner))
    r = other.post(f"/applications/{cw.chain.id}/partners/import",
                   data={"file": (io.BytesIO(as_xlsx(rows)), "joins.xlsx")},
                   content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 403
