"""Small valid files standing for real ones: the demo's signed agreements and annexes, and the
tests' uploads. Each says it is a demonstration, so nobody mistakes it for a real act."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

#: a PDF as small as a real one can be: header, one empty page, trailer and end marker
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF: ``title``, ``lines`` and a note that it is a demonstration document."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)  # the same bytes every time
    canvas.setTitle(title)
    y = A4[1] - 72
    canvas.setFont("Helvetica-Bold", 14)  # a standard font: nothing embedded, a few KB
    canvas.drawString(56, y, title[:90])
    canvas.setFont("Helvetica", 10)
    for line in [*lines, "", "Documento dimostrativo generato dal tracker: nessun valore legale."]:
        y -= 16
        canvas.drawString(56, y, line[:110])
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def demo_xlsx(sheet_title: str) -> bytes:
    """The smallest workbook spreadsheet programs open (an empty sheet named ``sheet_title``)."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet_title[:31]
    book.active["A1"] = "Documento dimostrativo"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
