"""The file formats a call may ask its annexes in, each recognised by its bytes (its magic), never
by the file's name or the type the browser claims. The one place that tells what a file is."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from workflows.i18n import N_

#: a PDF starts with this header...
PDF_HEADER = b"%PDF-"
#: ...and ends with this marker, within its last KiB (readers tolerate trailing bytes)
PDF_END, PDF_END_WINDOW = b"%%EOF", 1024
#: the object identifier of PKCS#7 signedData (1.2.840.113549.1.7.2), DER-encoded: what a
#: CAdES ".p7m" file (an Italian digital signature, "firma digitale") wraps its document in
SIGNED_DATA_OID = bytes.fromhex("06092a864886f70d010702")
ZIP_HEADER = b"PK\x03\x04"


def _is_pdf(content: bytes) -> bool:
    return content.startswith(PDF_HEADER) and PDF_END in content[-PDF_END_WINDOW:]


def _is_p7m(content: bytes) -> bool:
    # a DER SEQUENCE (0x30) whose first element, within the first bytes, is the signedData OID
    return content[:1] == b"\x30" and SIGNED_DATA_OID in content[:32]


def _zip_names(content: bytes) -> set[str] | None:
    """The members of a ZIP archive (names only: nothing is inflated), or None."""
    if not content.startswith(ZIP_HEADER):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _odf(mimetype: bytes) -> Callable[[bytes], bool]:
    # OpenDocument stores its type, uncompressed, as the first member "mimetype"
    marker = b"mimetype" + mimetype

    def check(content: bytes) -> bool:
        return marker in content[30:120] and _zip_names(content) is not None

    return check


def _ooxml(part: str) -> Callable[[bytes], bool]:
    def check(content: bytes) -> bool:
        names = _zip_names(content)
        return names is not None and "[Content_Types].xml" in names and part in names

    return check


@dataclass(frozen=True)
class FileFormat:
    key: str
    label: str
    content_type: str
    extension: str
    recognise: Callable[[bytes], bool]


#: by key, in the order forms offer them
FORMATS: dict[str, FileFormat] = {
    f.key: f
    for f in (
        FileFormat("pdf", "PDF", "application/pdf", ".pdf", _is_pdf),
        FileFormat(
            "p7m", N_("PDF signed digitally (.p7m)"), "application/pkcs7-mime", ".p7m", _is_p7m
        ),
        FileFormat(
            "xlsx",
            "Excel (.xlsx)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
            _ooxml("xl/workbook.xml"),
        ),
        FileFormat(
            "ods",
            "OpenDocument (.ods)",
            "application/vnd.oasis.opendocument.spreadsheet",
            ".ods",
            _odf(b"application/vnd.oasis.opendocument.spreadsheet"),
        ),
        FileFormat(
            "docx",
            "Word (.docx)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
            _ooxml("word/document.xml"),
        ),
        FileFormat(
            "odt",
            "OpenDocument (.odt)",
            "application/vnd.oasis.opendocument.text",
            ".odt",
            _odf(b"application/vnd.oasis.opendocument.text"),
        ),
        FileFormat("jpg", "JPEG", "image/jpeg", ".jpg", lambda c: c.startswith(b"\xff\xd8\xff")),
        FileFormat("png", "PNG", "image/png", ".png", lambda c: c.startswith(b"\x89PNG\r\n\x1a\n")),
    )
}


def recognise(content: bytes, allowed: tuple[str, ...] | list[str]) -> FileFormat | None:
    """The first of the ``allowed`` formats ``content`` is, by its bytes; None if none."""
    for key in allowed:
        fmt = FORMATS.get(key)
        if fmt is not None and fmt.recognise(content):
            return fmt
    return None
