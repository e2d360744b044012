"""Every list and dashboard table downloads as CSV or XLSX, streamed rather than built in memory.

A view builds the same query it pages, drops the paging, and hands the rows here:

    return export_response("applications", columns, rows, fmt)

``columns`` are the header cells (already translated), ``rows`` any iterable of sequences (a
streamed query result: ``db.session.execute(stmt.execution_options(yield_per=1000))``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from flask import Response, stream_with_context

from tracker.errors import BadRequest
from workflows.i18n import N_

#: Flask adds "; charset=utf-8" to a text type itself
FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_format(value: str | None) -> str | None:
    """``?format=`` of a list URL: None for the page itself, else a format we write (400 if not)."""
    if value in (None, "", "html"):
        return None
    if value not in FORMATS:
        raise BadRequest(
            N_("Unknown export format '%(format)s': use csv or xlsx.", format=value),
            code="bad_format",
        )
    return value


def export_response(
    name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> Response:
    """A download of ``rows`` under ``columns``, named ``<name>-<date>.<fmt>``."""
    filename = f"{name}-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        body = stream_with_context(_csv_lines(columns, rows))
    else:
        body = _xlsx_file(name, columns, rows)
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


#: Characters at the start of a cell that spreadsheet programs read as a formula (OWASP, "CSV
#: injection"): names and titles are typed by anyone, and officers open these files.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# What XML 1.0 cannot hold (so no XLSX cell can): the C0 controls but tab, line feed and carriage
# return. The text rule refuses them on input; rows written before it may still hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(value: str) -> str:
    """A text as a spreadsheet shows it and never runs it: a leading formula character gets an
    apostrophe before it, which the program shows as text; characters XML refuses become U+FFFD.
    The one place where every text of every CSV and XLSX download passes."""
    value = _NOT_XML.sub("\ufffd", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell(value: Any) -> Any:
    """What an XLSX cell holds: numbers stay numbers, times lose their zone (XLSX has none),
    text is made safe (``safe_text``)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, Decimal, dt.date)):
        return value
    return safe_text(str(value))


def csv_value(value: Any) -> str:
    """What a CSV field holds: dates and times in ISO 8601, money and scores as decimal strings
    ("400000.00"), nothing as an empty field, text made safe (``safe_text``)."""
    kind = type(value)
    if kind is str:  # the common cases first: a 10,000-row export writes 140,000 fields
        return safe_text(value)
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):  # a negative amount is a number, not a formula
        return str(value)
    return safe_text(str(value))


def _csv_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # the byte-order mark that makes spreadsheet programs read UTF-8
    writer.writerow([safe_text(str(c)) for c in columns])
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_value(v) for v in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_file(name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """openpyxl's write-only workbook streams rows to a temporary file; the file is then sent
    in chunks, so memory stays flat whatever the number of rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=name[:31])
    sheet.append([safe_text(str(c)) for c in columns])
    for row in rows:
        sheet.append([cell(v) for v in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (closed by chunks() once sent)
    workbook.save(spool)
    spool.seek(0)

    def chunks() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(64 * 1024):
                yield chunk

    return chunks()
