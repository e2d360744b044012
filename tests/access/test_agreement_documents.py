"""The signed agreement as a PDF: judged by its content and size, stored with its checksum,
served as a download only to those who may see the application's documents; the page keeps
working when a file is refused, and the API takes it as multipart."""

from __future__ import annotations

import hashlib
import io

import pytest
from accessworld import PDF, start_session
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tracker.applications.models import Application
from tracker.documents.models import AgreementDocument
from tracker.documents.operations import clean_filename, human_size, pdf_problem
from tracker.extensions import db


def text_of(response) -> str:
    import re
    from html import unescape

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def draft(make, world):
    """The lead's draft, complete but for its agreement."""
    from tracker.applications.operations import record_agreement
    from tracker.database import commit

    app = make.application(world.call, world.lead)
    record_agreement(world.lead, app, False)
    # the factory signs with a PDF (the only way since issue 14): this draft starts without one
    db.session.execute(delete(AgreementDocument).where(AgreementDocument.application_id == app.id))
    commit()
    return app


def as_user(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = start_session(user)
        session["_fresh"] = True
    return client


def upload(client, application, content: bytes, name="signed.pdf", mimetype="application/pdf"):
    # encoded in memory: the test client spools large multipart bodies to a file it never closes
    boundary, body = encode_multipart(
        {"file": FileStorage(io.BytesIO(content), name, content_type=mimetype)}
    )
    return client.post(
        f"/applications/{application.id}/agreement/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def documents() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AgreementDocument))


def test_the_lead_uploads_it_and_the_agreement_is_recorded_as_signed(app, world, draft):
    lead = as_user(app, world.lead)
    assert "Upload the signed agreement" in text_of(lead.get(f"/applications/{draft.id}"))
    response = upload(lead, draft, PDF, name="../../etc/Accordo firmato.PDF")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/applications/{draft.id}#agreement")
    doc = db.session.scalars(select(AgreementDocument)).one()
    assert (doc.filename, doc.size, doc.sha256, doc.uploaded_by_id) == (
        "Accordo firmato.pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
        world.lead.id,
    )
    assert db.session.get(Application, draft.id).agreement_signed
    page = text_of(lead.get(f"/applications/{draft.id}"))
    assert "Accordo firmato.pdf current" in page and "Signed by all partners" in page


def test_a_replacement_keeps_the_earlier_upload_listed(app, world, draft):
    lead = as_user(app, world.lead)
    upload(lead, draft, PDF, name="first.pdf")
    second = PDF.replace(b"612 792", b"595 842")
    upload(lead, draft, second, name="second.pdf")
    page = text_of(lead.get(f"/applications/{draft.id}"))
    assert page.index("second.pdf current") < page.index("first.pdf replaced")
    response = lead.get(f"/api/v1/applications/{draft.id}/agreement/documents")
    assert response.status_code == 401  # the API wants a token, not the session


@pytest.mark.parametrize(
    ("content", "name", "mimetype", "message"),
    [
        (
            b"<html><body>not a pdf</body></html>",
            "signed.pdf",
            "application/pdf",
            "The file is not a PDF.",
        ),
        (b"%PDF-1.7\n" + b"x" * 2000, "signed.pdf", "application/pdf", "The file is not a PDF."),
        (b"MZ\x90\x00" + PDF, "signed.pdf", "application/pdf", "The file is not a PDF."),
        (b"", "signed.pdf", "application/pdf", "The file is empty."),
    ],
    ids=["html-named-pdf", "no-end-marker", "executable-prefix", "empty"],
)
def test_content_not_a_pdf_is_refused_on_the_page(
    app, world, draft, content, name, mimetype, message
):
    response = upload(as_user(app, world.lead), draft, content, name, mimetype)
    assert response.status_code == 422
    page = text_of(response)
    assert message in page
    assert "Upload the signed agreement" in page and "Partnership" in page  # the page, usable
    assert documents() == 0 and not db.session.get(Application, draft.id).agreement_signed


def test_no_file_at_all_is_refused(app, world, draft):
    response = as_user(app, world.lead).post(
        f"/applications/{draft.id}/agreement/documents", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "The file is empty." in text_of(response)


def test_a_file_over_the_limit_gets_the_page_back_saying_so(app, world, draft):
    app.config["AGREEMENT_MAX_BYTES"] = 4096
    big = PDF[:-7] + b"%" + b"0" * 5000 + b"\n%%EOF\n"
    response = upload(as_user(app, world.lead), draft, big)
    assert response.status_code == 413
    page = text_of(response)
    assert "The file is larger than 4 KB." in page and "Upload the signed agreement" in page
    assert documents() == 0


def test_uploads_may_be_larger_than_other_requests(app, world, draft):
    """The app refuses bodies over MAX_CONTENT_LENGTH (1 MiB), but not an agreement under its
    own limit; other routes keep the smaller one."""
    pdf_2mib = PDF[:-7] + b"%" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    lead = as_user(app, world.lead)
    assert upload(lead, draft, pdf_2mib).status_code == 302
    assert db.session.scalars(select(AgreementDocument)).one().size == len(pdf_2mib)
    other = lead.post(f"/applications/{draft.id}/partners", data={"role": "x" * (2 * 1024 * 1024)})
    assert other.status_code == 413


def test_the_download_is_an_attachment_never_sniffed(app, world, draft):
    lead = as_user(app, world.lead)
    upload(lead, draft, PDF, name="signed.pdf")
    doc = db.session.scalars(select(AgreementDocument)).one()
    response = lead.get(f"/applications/{draft.id}/agreement/documents/{doc.id}")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=signed.pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_api_takes_multipart_and_answers_the_document(app, make, world, draft):
    client = app.test_client()
    lead = {"Authorization": f"Bearer {make.token(world.lead)}"}
    url = f"/api/v1/applications/{draft.id}/agreement/documents"

    def post(content, **kw):
        data = {"file": (io.BytesIO(content), "signed.pdf")}
        return client.post(url, headers=lead, data=data, content_type="multipart/form-data", **kw)

    response = post(PDF)
    assert response.status_code == 201
    body = response.get_json()
    assert body["filename"] == "signed.pdf" and body["size"] == len(PDF)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["uploaded_by"] == world.lead.email
    assert client.get(f"/api/v1/applications/{draft.id}", headers=lead).get_json()[
        "agreement_signed"
    ]
    assert client.get(url, headers=lead).get_json() == [body]
    download = client.get(f"{url}/{body['id']}", headers=lead)
    assert download.data == PDF and download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    refused = post(b"GIF89a not a pdf")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"]["fields"] == {"file": "The file is not a PDF."}
    as_json = client.post(url, headers=lead, json={"file": "JVBERi0xLjQK"})
    assert as_json.status_code == 415
    assert as_json.get_json()["error"]["code"] == "unsupported_media_type"
    app.config["AGREEMENT_MAX_BYTES"] = 4096
    too_large = post(PDF[:-7] + b"%" + b"0" * 5000 + b"\n%%EOF\n")
    assert too_large.status_code == 413
    assert too_large.get_json()["error"]["message"] == (
        "The request body is larger than the 4 KiB allowed."
    )
    assert len(client.get(url, headers=lead).get_json()) == 1

    # the contract's JSON endpoint still records (or takes back) the signature alone
    taken_back = client.post(
        f"/api/v1/applications/{draft.id}/agreement", headers=lead, json={"signed": False}
    )
    assert taken_back.status_code == 200 and taken_back.get_json()["agreement_signed"] is False


def test_the_openapi_document_describes_the_upload_and_the_download(app):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    base = "/applications/{application_id}/agreement/documents"
    upload_op = doc["paths"][base]["post"]
    schema = upload_op["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert {"201", "403", "409", "413", "415", "422"} <= set(upload_op["responses"])
    download = doc["paths"][base + "/{document_id}"]["get"]["responses"]["200"]["content"]
    assert download == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert "get" in doc["paths"][base]


def test_the_checks_themselves():
    assert pdf_problem(PDF, 10 * 1024 * 1024) is None
    assert pdf_problem(PDF + b"\n" * 100, 10 * 1024 * 1024) is None  # trailing bytes tolerated
    assert pdf_problem(PDF, 10) == "The file is larger than 10 bytes."
    assert human_size(10 * 1024 * 1024) == "10 MB" and human_size(1536) == "1.5 KB"
    assert clean_filename("C:\\Users\\me\\agreement.pdf") == "agreement.pdf"
    assert clean_filename("evil\x00name\r\n.pdf") == "evilname.pdf"
    assert clean_filename("   ") == "agreement.pdf" and clean_filename("report") == "report.pdf"
    assert len(clean_filename("a" * 400 + ".pdf")) == 254


def _with_catalog(extra: bytes) -> bytes:
    return PDF.replace(b"/Type/Catalog", b"/Type/Catalog" + extra)


def _object_stream(body: bytes) -> bytes:
    """``body`` hidden in a compressed object stream, as PDF 1.5 writers store dictionaries."""
    import zlib

    packed = zlib.compress(body)
    stream = b"4 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length %d>>stream\n" % len(
        packed
    )
    return PDF.replace(b"trailer", stream + packed + b"\nendstream endobj\ntrailer")


@pytest.mark.parametrize(
    "content",
    [
        _with_catalog(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        _with_catalog(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"),  # #-escaped names
        _with_catalog(b"/OpenAction<</S/Launch/F(cmd.exe)>>"),
        _object_stream(b"5 0 <</Type/Action/S/JavaScript/JS(this.exportDataObject())>>"),
    ],
    ids=["javascript", "escaped", "launch", "compressed"],
)
def test_a_pdf_that_runs_code_is_refused(content):
    assert "JavaScript or actions that launch programs" in pdf_problem(content, 10 * 1024 * 1024)


def test_plain_pdfs_with_compressed_streams_pass_and_zip_bombs_do_not():
    import zlib

    assert pdf_problem(_object_stream(b"5 0 <</Type/Font/Subtype/Type1>>"), 10**7) is None
    bomb = zlib.compress(b"\0" * (65 * 1024 * 1024), 9)
    content = PDF.replace(
        b"trailer", b"4 0 obj<</Filter/FlateDecode>>stream\n" + bomb + b"\nendstream\ntrailer"
    )
    assert "JavaScript" in pdf_problem(content, 10**7)  # not judged, so refused


def test_uploaded_names_lose_quotes_semicolons_and_their_kind():
    assert clean_filename('accordo"; filename="evil.exe') == "accordo filename=evil.exe.pdf"
    assert clean_filename("a|b<c>d:e*f?g%h`i$j.pdf") == "abcdefghij.pdf"
    assert clean_filename("Accordo dell'Aquila.pdf") == "Accordo dell'Aquila.pdf"


def test_a_pdf_with_javascript_is_refused_on_the_page_and_through_the_api(app, make, world, draft):
    from tracker.documents.models import AgreementDocument
    from tracker.extensions import db

    evil = _with_catalog(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
    response = upload(as_user(app, world.lead), draft, evil)
    assert response.status_code == 422
    assert "JavaScript or actions that launch programs" in text_of(response)
    token = make.token(world.lead)
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(evil), "x.pdf")})
    refused = app.test_client().post(
        f"/api/v1/applications/{draft.id}/agreement/documents",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 422
    assert db.session.query(AgreementDocument).count() == 0
