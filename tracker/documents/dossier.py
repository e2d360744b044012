"""An application's dossier as one PDF: its concept note, partners, agreement and annexes (names,
sizes, SHA-256), history, and the committee's reviews where the reader may see them (the one
rule: ``Application.visible_reviews``). Written in the reader's language with ReportLab, in the
Bitstream Vera font ReportLab ships (Unicode: Italian accents and the euro sign), embedded so
that any reader shows it the same; nothing is fetched at run time.

``dossier_of`` checks access; ``render`` only draws what it is given.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tracker.applications.models import Application
from tracker.applications.queries import history_of
from tracker.columns import utcnow
from tracker.documents.annexes import AnnexStatus, annex_statuses
from tracker.documents.operations import (
    agreements_of,
    attachments_refusal,
    can_see_attachments,
    human_size,
)
from tracker.i18n import translate
from tracker.reference import THEMATIC_AREAS
from tracker.reviews.models import RECOMMENDATIONS
from tracker.web.templating import fmt_datetime, fmt_money

#: the font family: ReportLab's own Bitstream Vera, found on its font path (reportlab/fonts);
#: it covers Latin-1, the euro sign and dashes, not arrows (hence "»")
FONT = "Vera"


def register_fonts() -> None:
    """Register the Vera family once per process (ReportLab keeps a registry of its own)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for name, file in (
        (FONT, "Vera.ttf"),
        (f"{FONT}-Bold", "VeraBd.ttf"),
        (f"{FONT}-Italic", "VeraIt.ttf"),
        (f"{FONT}-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )  # fmt: skip


@dataclass
class Dossier:
    """What one reader may see of an application, gathered for the PDF."""

    application: Application
    history: list
    agreements: list
    annexes: list[AnnexStatus]
    reviews: list
    #: whether the reader may see reviews at all (None: the section is left out)
    review_visibility: str | None


def dossier_of(user, app: Application) -> Dossier:
    """The dossier ``user`` may read: those who may see the application's documents (partners,
    the committee's members without a conflict, officers); 403 to anyone else. Reviews as the
    reviews' own rule lets ``user`` see them."""
    if not can_see_attachments(user, app):
        raise attachments_refusal()
    return Dossier(
        application=app,
        history=history_of(app),
        agreements=agreements_of(user, app),
        annexes=annex_statuses(app),
        reviews=app.visible_reviews(user, list(app.reviews)),
        review_visibility=app.review_visibility(user),
    )


# --- drawing ------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=9, leading=12)
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName=f"{FONT}-Bold", fontSize=16
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=f"{FONT}-Bold", fontSize=12, spaceBefore=10
        ),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=f"{FONT}-Bold", fontSize=10),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.grey),
    }


def _p(text, style) -> Paragraph:
    """A paragraph of plain text (escaped: user text never becomes markup), lines kept."""
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _table(header: list[str], rows: list[list], widths: list[float], s) -> Table:
    cells = [[_p(h, s["small"]) for h in header]] + [
        [c if isinstance(c, Paragraph) else _p(c, s["small"]) for c in row] for row in rows
    ]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa7b4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _facts(app: Application, s) -> list:
    wf = app.definition
    rows = [
        (_("Call"), app.call.title),
        (_("Workflow"), translate(wf.title)),
        (_("State"), translate(app.state_info.title)),
        (_("Lead partner"), app.lead_organisation.name),
        (_("Submitted on"), fmt_datetime(app.submitted_at) or "—"),
    ]
    if app.thematic_area:
        rows.append((_("Thematic area"), THEMATIC_AREAS.get(app.thematic_area, app.thematic_area)))
    if app.requested_amount is not None:
        rows.append((_("Amount requested"), fmt_money(app.requested_amount)))
    table = Table(
        [[_p(k, s["small"]), _p(v, s["body"])] for k, v in rows], colWidths=[4 * cm, 13 * cm]
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table]


def _concept_note(app: Application, s) -> list:
    wf = app.definition
    out = [_p(translate(wf.content_title), s["h2"])]
    for section in wf.content:
        out += [
            _p(translate(section.label), s["h3"]),
            _p(getattr(app, section.key) or "—", s["body"]),
        ]
    return out


def _partners(app: Application, s) -> list:
    rows = [
        [
            p.organisation.name + (f" ({_('lead')})" if p.is_lead else ""),
            p.organisation.vat_number,
            p.organisation.province or "—",
            p.role,
            p.commitments or "—",
        ]
        for p in app.partners
    ]
    header = [_("Organisation"), _("VAT number"), _("Province"), _("Role"), _("Commitments")]
    widths = [4.5 * cm, 2.5 * cm, 1.6 * cm, 3.4 * cm, 5 * cm]
    return [_p(_("Partners"), s["h2"]), _table(header, rows, widths, s)]


def _documents(d: Dossier, s) -> list:
    out = [_p(_("Documents"), s["h2"])]
    header = [_("Document"), _("File"), _("Size"), _("Uploaded on"), "SHA-256"]
    widths = [4 * cm, 4 * cm, 1.6 * cm, 2.6 * cm, 4.8 * cm]
    rows = []
    for doc in d.agreements[:1]:  # the current agreement; the page lists the replaced ones
        rows.append([_("Signed agreement"), doc.filename, human_size(doc.size),
                     fmt_datetime(doc.uploaded_at), doc.sha256])  # fmt: skip
    for status in d.annexes:
        name = status.annex.name + ("" if status.annex.required else f" ({_('optional')})")
        current = status.current
        if current is None:
            rows.append([name, _("missing") if status.annex.required else "—", "", "", ""])
        else:
            rows.append([name, current.filename, human_size(current.size),
                         fmt_datetime(current.uploaded_at), current.sha256])  # fmt: skip
    if not rows:
        return [*out, _p(_("No documents uploaded."), s["muted"])]
    return [*out, _table(header, rows, widths, s)]


def _history(d: Dossier, s) -> list:
    wf = d.application.definition
    rows = []
    for h in d.history:
        t = wf.transition(h.trigger)
        what = f"{translate(t.label) if t else h.trigger} ({h.trigger})"
        move = (
            f"{translate(wf.state(h.from_state).title)} → {translate(wf.state(h.to_state).title)}"
        )
        rows.append([fmt_datetime(h.at), h.actor.name if h.actor else "—", what, move,
                     h.comment or "—"])  # fmt: skip
    out = [_p(_("History"), s["h2"])]
    if not rows:
        return [*out, _p(_("No state change yet."), s["muted"])]
    header = [_("When"), _("Who"), _("What"), _("From » to"), _("Comment")]
    widths = [2.6 * cm, 3 * cm, 3.8 * cm, 3.6 * cm, 4 * cm]
    return [*out, _table(header, rows, widths, s)]


def _reviews(d: Dossier, s) -> list:
    if d.review_visibility is None:
        return []  # applicants and conflicted members: not even the heading
    out = [_p(_("Reviews"), s["h2"])]
    if d.review_visibility == "own":
        out.append(_p(_("Only your own review is shown while the evaluation is open."), s["muted"]))
    if not d.reviews:
        return [*out, _p(_("No review to show."), s["muted"])]
    for review in d.reviews:
        recommendation = translate(
            RECOMMENDATIONS.get(review.recommendation, review.recommendation)
        )
        out.append(_p(f"{review.reviewer.name}: {review.total} — {recommendation}", s["h3"]))
        scores = ", ".join(f"{k}: {v}" for k, v in (review.scores or {}).items())
        out += [_p(scores, s["small"]), _p(review.comment or "—", s["body"])]
    return out


def render(d: Dossier, reader_name: str) -> bytes:
    """The dossier as PDF bytes."""
    register_fonts()
    s = _styles()
    app = d.application
    out = io.BytesIO()
    title = _("%(title)s: dossier", title=app.title)
    document = SimpleDocTemplate(
        out, pagesize=A4, title=title, author="tracker", subject=app.call.title,
        leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm, bottomMargin=1.8 * cm,
    )  # fmt: skip
    story = [
        _p(app.title, s["title"]),
        _p(
            _(
                "Dossier of application %(id)s, made on %(when)s for %(who)s.",
                id=app.id,
                when=fmt_datetime(utcnow()),
                who=reader_name,
            ),
            s["muted"],
        ),  # fmt: skip
        Spacer(1, 6),
        *_facts(app, s),
        *_concept_note(app, s),
        *_partners(app, s),
        *_documents(d, s),
        *_history(d, s),
        *_reviews(d, s),
    ]
    document.build(story)
    return out.getvalue()
