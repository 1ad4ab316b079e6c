"""The documents' layout: font, styles, text helpers (French typography, escaping, free texts),
pages (header, footer « Page i / n », draft marking) and the blocks every document shares (title
block, signatures, grid tables)."""
from __future__ import annotations

import io
import os
import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.documents.data import Signatory

NB = "\u00a0"          # non-breaking space (before : ; ? ! », after «, in amounts)
BLANK = "…" * 12        # a line to fill by hand
SHORT_BLANK = "…" * 6


# --------------------------------------------------------------------------------------------
# Font: DejaVu Sans prints every French glyph (’ · € œ « » and the narrow no-break space of the
# amounts); without it (fonts-dejavu-core absent) Helvetica, whose encoding has all of them but
# the narrow no-break space, which is then printed as a plain no-break space.
# --------------------------------------------------------------------------------------------

FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def _register_fonts() -> tuple[str, str, str]:
    regular = os.path.join(FONT_DIR, "DejaVuSans.ttf")
    bold = os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf")
    if not (os.path.isfile(regular) and os.path.isfile(bold)):
        return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
    try:
        if "DocSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DocSans", regular))
            pdfmetrics.registerFont(TTFont("DocSans-Bold", bold))
            oblique = os.path.join(FONT_DIR, "DejaVuSans-Oblique.ttf")
            bold_oblique = os.path.join(FONT_DIR, "DejaVuSans-BoldOblique.ttf")
            pdfmetrics.registerFont(TTFont("DocSans-Italic", oblique if os.path.isfile(oblique)
                                           else regular))
            pdfmetrics.registerFont(TTFont("DocSans-BoldItalic", bold_oblique
                                           if os.path.isfile(bold_oblique) else bold))
            pdfmetrics.registerFontFamily("DocSans", normal="DocSans", bold="DocSans-Bold",
                                          italic="DocSans-Italic",
                                          boldItalic="DocSans-BoldItalic")
    except Exception:  # an unreadable font file: the built-in font still prints the document
        return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
    return "DocSans", "DocSans-Bold", "DocSans-Italic"


FONT, FONT_BOLD, FONT_ITALIC = _register_fonts()

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#9aa5b1")
PALE = colors.HexColor("#eef1f5")
DRAFT = colors.HexColor("#b42318")

PAGE_W, PAGE_H = A4
MARGIN_X = 2.2 * cm
MARGIN_TOP = 2.6 * cm
MARGIN_BOTTOM = 2.2 * cm
TEXT_W = PAGE_W - 2 * MARGIN_X


def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(fontName=FONT, fontSize=9.5, leading=13.2, textColor=INK, alignment=TA_JUSTIFY,
                spaceAfter=4, splitLongWords=1)
    base.update(kw)
    return ParagraphStyle(name, **base)


S = {
    "body": _style("body"),
    "left": _style("left", alignment=TA_LEFT),
    "bullet": _style("bullet", leftIndent=14, bulletIndent=4, spaceAfter=2, alignment=TA_LEFT),
    "quote": _style("quote", leftIndent=12, alignment=TA_LEFT, spaceAfter=2),
    "label": _style("label", fontName=FONT_BOLD, spaceBefore=4, spaceAfter=2, alignment=TA_LEFT),
    "title": _style("title", fontName=FONT_BOLD, fontSize=18, leading=22, alignment=TA_CENTER,
                    textColor=ACCENT, spaceAfter=4),
    "subtitle": _style("subtitle", fontSize=10.5, leading=14, alignment=TA_CENTER, spaceAfter=2),
    "draft": _style("draft", fontName=FONT_BOLD, fontSize=11, leading=14, alignment=TA_CENTER,
                    textColor=DRAFT, spaceBefore=4),
    "note": _style("note", fontName=FONT_ITALIC, fontSize=9, leading=12, alignment=TA_CENTER),
    "small": _style("small", fontSize=8, leading=10.5, alignment=TA_LEFT, spaceAfter=0),
    "section": _style("section", fontName=FONT_BOLD, fontSize=10.5, leading=14, alignment=TA_LEFT,
                      textColor=ACCENT, spaceBefore=10, spaceAfter=6),
    "party": _style("party", fontName=FONT_BOLD, fontSize=9.5, leading=13, alignment=TA_LEFT,
                    spaceBefore=6, spaceAfter=1, keepWithNext=1),
    "party_body": _style("party_body", leftIndent=12, alignment=TA_LEFT, spaceAfter=1),
    "article": _style("article", fontName=FONT_BOLD, fontSize=11, leading=15, alignment=TA_LEFT,
                      textColor=ACCENT, spaceBefore=12, spaceAfter=5),
    "cell": _style("cell", fontSize=9, leading=12, alignment=TA_LEFT, spaceAfter=0),
    "cell_head": _style("cell_head", fontName=FONT_BOLD, fontSize=9, leading=12,
                        alignment=TA_LEFT, spaceAfter=0),
    "sig_role": _style("sig_role", fontName=FONT_BOLD, fontSize=9, leading=11.5,
                       alignment=TA_LEFT, spaceAfter=3),
    "sig": _style("sig", fontSize=9, leading=12, alignment=TA_LEFT, spaceAfter=1),
    "box": _style("box", fontSize=8, leading=10, alignment=TA_CENTER, textColor=RULE),
    "box_draft": _style("box_draft", fontName=FONT_BOLD, fontSize=9, leading=11,
                        alignment=TA_CENTER, textColor=DRAFT),
}


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------

_BEFORE_PUNCT = re.compile(r" ([:;?!»])")
_AFTER_GUILLEMET = re.compile(r"« ")
_UNIT = re.compile(r"(\d) (€|h\b|heures?\b|jours?\b|semaines?\b|mois\b)")


def _typo(markup: str) -> str:
    """French typography on ready markup: no-break spaces before : ; ? ! » and in amounts."""
    markup = _BEFORE_PUNCT.sub(NB + r"\1", markup)
    markup = _AFTER_GUILLEMET.sub("«" + NB, markup)
    markup = _UNIT.sub(r"\1" + NB + r"\2", markup)
    if FONT == "Helvetica":  # the built-in encoding has no narrow no-break space
        markup = markup.replace("\u202f", NB)
    return markup


def _e(text: object) -> str:
    """Escape a value for Paragraph markup: & < > print literally, newlines become breaks."""
    return escape("" if text is None else str(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def _or_blank(value: str | None, blank: str = BLANK) -> str:
    return _e(value) if value else blank


def P(markup: str, style: str = "body") -> Paragraph:
    return Paragraph(_typo(markup), S[style])


def _free_text(text: str | None, style: str = "quote") -> list[Flowable]:
    """A long free text as paragraphs that flow across pages; « - » lines become bullets."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return [P("<i>Non renseigné.</i>", style)]
    out: list[Flowable] = []
    lines: list[str] = []

    def flush():
        if lines:
            out.append(P("<br/>".join(_e(line) for line in lines), style))
            lines.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if stripped[0] in "-•*–" and len(stripped) > 1 and stripped[1] == " ":
            flush()
            out.append(Paragraph(_typo(_e(stripped[2:].strip())), S["bullet"], bulletText="•"))
            continue
        lines.append(line.rstrip())
    flush()
    return out


def _label(text: str) -> list[Flowable]:
    """A label over a text: never alone at the foot of a page. (Not keepWithNext: kept with a
    text longer than a page, a label would push it to the next page and leave a blank.)"""
    return [CondPageBreak(2.2 * cm), P(text, "label")]


def _days(n: int) -> str:
    return f"{n}{NB}jour{'s' if abs(n) > 1 else ''}"


# --------------------------------------------------------------------------------------------
# Pages: header, footer « Page i / n », draft marking
# --------------------------------------------------------------------------------------------

def _numbered_canvas(footer_right: str = "Page"):
    class NumberedCanvas(Canvas):
        """Keeps every page until the end so that each one can print « i / n »."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(INK)
                self.drawRightString(PAGE_W - MARGIN_X, 1.2 * cm,
                                     f"{footer_right} {self._pageNumber} / {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def _page_decorator(header_left: str, header_right: str, footer_left: str, draft: bool):
    def draw(canvas: Canvas, doc) -> None:
        canvas.saveState()
        if draft:  # a pale diagonal marking under the text, on every page
            canvas.setFillColor(colors.Color(0.85, 0.2, 0.15, alpha=0.10))
            canvas.setFont(FONT_BOLD, 46)
            canvas.translate(PAGE_W / 2, PAGE_H / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, 0, "PROJET — NE PAS SIGNER")
            canvas.rotate(-50)
            canvas.translate(-PAGE_W / 2, -PAGE_H / 2)
        top = PAGE_H - 1.45 * cm
        canvas.setFillColor(ACCENT)
        canvas.setFont(FONT_BOLD, 8.5)
        canvas.drawString(MARGIN_X, top, _typo(header_left))
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(INK)
        canvas.drawRightString(PAGE_W - MARGIN_X, top, _typo(header_right))
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 0.25 * cm, PAGE_W - MARGIN_X, top - 0.25 * cm)
        if draft:  # under the header rule, above the text
            canvas.setFillColor(DRAFT)
            canvas.setFont(FONT_BOLD, 9)
            canvas.drawCentredString(PAGE_W / 2, top - 0.75 * cm, "Projet — ne pas signer")
        canvas.line(MARGIN_X, 1.6 * cm, PAGE_W - MARGIN_X, 1.6 * cm)
        canvas.setFillColor(INK)
        canvas.setFont(FONT, 8)
        footer = footer_left if len(footer_left) <= 95 else footer_left[:94] + "…"
        canvas.drawString(MARGIN_X, 1.2 * cm, footer.replace("\u202f", NB))
        canvas.restoreState()
    return draw


def _build(story: list[Flowable], *, title: str, author: str, header_left: str,
           header_right: str, footer_left: str, draft: bool) -> bytes:
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                          topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title,
                          author=author, subject=title, creator="Intranet des stages")
    frame = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_decorator(
        header_left, header_right, footer_left, draft))])
    doc.build(story, canvasmaker=_numbered_canvas())
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# Shared blocks
# --------------------------------------------------------------------------------------------

def _title_block(lines: list[Flowable]) -> Table:
    table = Table([[line] for line in lines], colWidths=[TEXT_W])
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1, ACCENT),
        ("BACKGROUND", (0, 0), (-1, -1), PALE),
        ("TOPPADDING", (0, 0), (-1, 0), 10),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
        ("LEFTPADDING", (0, 0), (-1, -1), 12),
        ("RIGHTPADDING", (0, 0), (-1, -1), 12),
    ]))
    return table


def _signature_cell(sig: Signatory, width: float, draft: bool,
                    box_hint: str = "Signature", role_height: float | None = None) -> Table:
    role = P(_e(sig.role), "sig_role")
    name = P(f"Nom{NB}: " + (f"<b>{_e(sig.name)}</b>" if sig.name else BLANK), "sig")
    date = P(f"Date{NB}: " + (_e(sig.signed_on) if sig.signed_on else SHORT_BLANK), "sig")
    box = (P("Projet<br/>ne pas signer", "box_draft") if draft
           else P(_e(box_hint), "box"))
    cell = Table([[role], [name], [date], [box]], colWidths=[width],
                 rowHeights=[role_height, None, None, 2.4 * cm])
    cell.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 3), (0, 3), 0.8, RULE),
        ("TOPPADDING", (0, 3), (0, 3), 3),
    ]))
    return cell


def _signatures(intro: list[Flowable], signatories: list[Signatory], draft: bool) -> KeepTogether:
    """« Fait à … » and a box for every signatory, two per row, on one page."""
    gap = 0.8 * cm
    width = (TEXT_W - gap) / 2
    rows = []
    for i in range(0, len(signatories), 2):
        pair = signatories[i:i + 2]
        # the same height for both roles of a row, so that the boxes line up
        height = max(P(_e(s.role), "sig_role").wrap(width, PAGE_H)[1] for s in pair) + 3
        cells = [_signature_cell(s, width, draft, role_height=height) for s in pair]
        rows.append([cells[0], "", cells[1] if len(cells) > 1 else ""])
    flow: list[Flowable] = list(intro)
    if rows:
        grid = Table(rows, colWidths=[width, gap, width])
        grid.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ]))
        flow.append(Spacer(1, 0.2 * cm))
        flow.append(grid)
    return KeepTogether(flow)


def _long(text: str | None) -> bool:
    """Too long for a table cell: a cell taller than a page cannot be laid out."""
    text = text or ""
    return len(text) > 600 or text.count("\n") > 12


def _grid_table(rows: list[list[Flowable]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), PALE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table
