"""A call's annexes (issue 14, item 5): officers define them on the page and through the API;
the lead uploads them, judged by their bytes (422 for a wrong format, 413 above the annex's
size), each replacement kept; a missing required annex holds the submission back by a named
condition; and the agreement counts as signed only with its PDF."""

from __future__ import annotations

import io

import pytest
from pagetools import text_of
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.database import commit
from tracker.documents.annexes import define_annex, upload_annex
from tracker.documents.models import AnnexDocument
from tracker.documents.samples import MINIMAL_PDF, demo_xlsx
from tracker.extensions import db

API = "/api/v1"


def bearer(make, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {make.token(user)}"}


def send(client, path, content: bytes, name="file.pdf", headers=None):
    return client.post(
        path,
        data={"file": (io.BytesIO(content), name, "application/pdf")},
        content_type="multipart/form-data",
        headers=headers or {},
    )


@pytest.fixture
def annexes(make, world):
    """A required PDF-only annex of at most 2 KiB and an optional spreadsheet."""
    scheda = define_annex(
        world.officer, world.call,
        {"name": "Scheda di presentazione della filiera", "formats": ["pdf", "p7m"],
         "max_bytes": 2048},
    )  # fmt: skip
    plan = define_annex(
        world.officer, world.call,
        {"name": "Piano finanziario", "formats": ["xlsx", "ods"], "max_bytes": 100_000,
         "required": False},
    )  # fmt: skip
    commit()
    return scheda, plan


def test_officers_define_annexes_through_the_api(app, make, world):
    client, officer = app.test_client(), bearer(make, world.officer)
    path = f"{API}/calls/{world.call.id}/annexes"
    r = client.post(path, json={"name": "Dichiarazione sostitutiva (DPR 445/2000)",
                                "formats": ["pdf", "p7m"], "max_bytes": 5_000_000},
                    headers=officer)  # fmt: skip
    assert r.status_code == 201, r.get_json()
    annex = r.get_json()
    assert (annex["required"], annex["formats"], annex["illustrative"]) == (
        True, ["pdf", "p7m"], False,
    )  # fmt: skip
    # the same name again: 409; an unknown format and a size above the ceiling: 422 naming both
    again = client.post(path, json={"name": "dichiarazione sostitutiva (dpr 445/2000)",
                                    "max_bytes": 10}, headers=officer)  # fmt: skip
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "duplicate"
    bad = client.post(path, json={"name": "CV", "formats": ["exe"], "max_bytes": 10**9},
                      headers=officer)  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]["fields"]) == {"formats", "max_bytes"}
    # made optional, then listed; an applicant may not change it
    one = f"{path}/{annex['id']}"
    assert (
        client.patch(one, json={"required": False}, headers=officer).get_json()["required"] is False
    )
    assert (
        client.patch(one, json={"required": True}, headers=bearer(make, world.lead)).status_code
        == 403
    )
    listed = client.get(path, headers=bearer(make, world.lead)).get_json()
    assert [a["name"] for a in listed] == ["Dichiarazione sostitutiva (DPR 445/2000)"]
    assert client.delete(one, headers=officer).get_json() == []


def test_the_call_page_form_adds_an_annex_and_keeps_what_was_typed(make, world, login):
    officer = login(world.officer)
    refused = officer.post(f"/calls/{world.call.id}/annexes",
                           data={"name": "Curriculum vitae dei referenti", "formats": ["pdf"],
                                 "max_mb": "tanti"})  # fmt: skip
    assert refused.status_code == 422
    assert "Maximum size (MB) must be a number." in text_of(refused)
    assert 'value="Curriculum vitae dei referenti"' in refused.get_data(as_text=True)
    added = officer.post(f"/calls/{world.call.id}/annexes",
                         data={"name": "Curriculum vitae dei referenti", "formats": ["pdf"],
                               "max_mb": "2,5", "required": "y"})  # fmt: skip
    assert added.status_code == 302
    annex = world.call.annexes[0]
    assert (annex.name, annex.max_bytes, annex.required) == (
        "Curriculum vitae dei referenti", int(2.5 * 1024 * 1024), True,
    )  # fmt: skip
    page = text_of(officer.get(f"/calls/{world.call.id}"))
    assert "Curriculum vitae dei referenti" in page and "2.5 MB" in page


def test_uploads_are_judged_by_their_bytes_and_replacements_kept(app, make, world, annexes):
    scheda, plan = annexes
    draft = make.application(world.call, world.lead)
    client, lead = app.test_client(), bearer(make, world.lead)
    base = f"{API}/applications/{draft.id}/annexes"
    # an image named .pdf is no PDF; a PDF named .xlsx is no spreadsheet; empty is nothing
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    not_pdf = send(client, f"{base}/{scheda.id}", png, "scheda.pdf", lead)
    assert not_pdf.status_code == 422
    assert (
        not_pdf.get_json()["error"]["details"]["fields"]["file"]
        == "The file is none of the accepted formats: PDF, PDF signed digitally (.p7m)."
    )
    assert send(client, f"{base}/{plan.id}", MINIMAL_PDF, "piano.xlsx", lead).status_code == 422
    assert send(client, f"{base}/{scheda.id}", b"", "scheda.pdf", lead).status_code == 422
    # above the annex's own 2 KiB: 413, nothing stored
    big = MINIMAL_PDF[:-6] + b" " * 3000 + b"%%EOF\n"
    too_large = send(client, f"{base}/{scheda.id}", big, "scheda.pdf", lead)
    assert too_large.status_code == 413
    assert too_large.get_json()["error"]["code"] == "file_too_large"
    assert db.session.scalars(select(AnnexDocument)).all() == []
    # a real spreadsheet, whatever its name; then a PDF, replaced by another: both kept
    sheet = send(client, f"{base}/{plan.id}", demo_xlsx("Piano"), "piano finanziario", lead)
    assert sheet.status_code == 201
    assert (sheet.get_json()["filename"], sheet.get_json()["format"]) == (
        "piano finanziario.xlsx",
        "xlsx",
    )
    first = send(client, f"{base}/{scheda.id}", MINIMAL_PDF, "scheda v1.pdf", lead).get_json()
    second = send(
        client, f"{base}/{scheda.id}", MINIMAL_PDF + b"\n", "scheda v2.pdf", lead
    ).get_json()
    statuses = client.get(base, headers=lead).get_json()
    by_name = {s["annex"]["name"]: s for s in statuses}
    current = by_name["Scheda di presentazione della filiera"]
    assert current["current"]["id"] == second["id"] and current["missing"] is False
    assert [d["id"] for d in current["replaced"]] == [first["id"]]
    download = client.get(f"{base}/documents/{first['id']}", headers=lead)
    assert download.status_code == 200 and download.data == MINIMAL_PDF
    assert download.headers["Content-Type"] == "application/pdf"


def test_a_missing_required_annex_holds_the_submission_back(app, make, world, annexes):
    scheda, _plan = annexes
    draft = make.application(world.call, world.lead)
    client, lead = app.test_client(), bearer(make, world.lead)
    fire = f"{API}/applications/{draft.id}/transitions"
    refused = client.post(fire, json={"trigger": "submit"}, headers=lead)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["unmet"] == [
        {"condition": "required_annexes_present",
         "message": "Required annexes not uploaded yet: Scheda di presentazione della filiera."}
    ]  # fmt: skip
    upload_annex(world.lead, draft, scheda.id, "scheda.pdf", MINIMAL_PDF)
    commit()
    assert client.post(fire, json={"trigger": "submit"}, headers=lead).status_code == 200
    # submitted: no longer the lead's to change
    late = send(
        client, f"{API}/applications/{draft.id}/annexes/{scheda.id}", MINIMAL_PDF, headers=lead
    )
    assert late.status_code == 409


def test_the_page_lists_the_annexes_and_a_bad_file_keeps_the_page(make, world, login, annexes):
    scheda, plan = annexes
    draft = make.application(world.call, world.lead)
    lead = login(world.lead)
    page = text_of(lead.get(f"/applications/{draft.id}"))
    assert "1 required annex missing" in page and "Scheda di presentazione della filiera" in page
    assert "at most 2 KB" in page and "Excel (.xlsx), OpenDocument (.ods)" in page
    bad = send(lead, f"/applications/{draft.id}/annexes/{scheda.id}", b"<html>no</html>", "s.pdf")
    assert bad.status_code == 422
    assert "The file is none of the accepted formats" in text_of(bad)
    good = send(lead, f"/applications/{draft.id}/annexes/{scheda.id}", MINIMAL_PDF, "s.pdf")
    assert good.status_code == 302 and good.headers["Location"].endswith("#annexes")
    assert "Every required annex is uploaded" in text_of(lead.get(f"/applications/{draft.id}"))
    # removing an annex with files is refused; an unused one goes
    officer = login(world.officer)
    assert officer.post(f"/calls/{world.call.id}/annexes/{scheda.id}/remove").status_code == 409
    assert officer.post(f"/calls/{world.call.id}/annexes/{plan.id}/remove").status_code == 302
    assert [a.name for a in world.call.annexes] == ["Scheda di presentazione della filiera"]


def test_the_agreement_is_signed_only_by_its_pdf(app, make, world, login):
    draft = make.application(world.call, world.lead)
    client, lead = app.test_client(), bearer(make, world.lead)
    # taken back, it cannot be said signed again without a new upload
    path = f"{API}/applications/{draft.id}/agreement"
    assert client.post(path, json={"signed": False}, headers=lead).status_code == 200
    refused = client.post(path, json={"signed": True}, headers=lead)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["fields"]["signed"].startswith(
        "Upload the project agreement signed by all partners as a PDF"
    )
    assert not db.session.get(Application, draft.id).agreement_signed
    # the page says so too, and offers the upload, not a button
    page = login(world.lead).get(f"/applications/{draft.id}").get_data(as_text=True)
    assert "Record the signed agreement" not in page and "Upload the signed agreement" in page
    assert send(client, f"{path}/documents", MINIMAL_PDF, "accordo.pdf", lead).status_code == 201
    assert db.session.get(Application, draft.id).agreement_signed
