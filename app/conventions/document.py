"""The convention de stage, its avenants and the attestation de stage as PDF documents.

Pure builders: plain dataclasses say what a document states (every text already formatted in
French), the functions lay them out with ReportLab platypus and return the PDF bytes. No Flask,
no database: the routes fill the dataclasses from the models (RULES.md §3, §5).

Free texts (activities, skills, supervision…) may be thousands of characters long: they are laid
out as paragraphs that flow from page to page, never as table cells (a cell taller than a page
makes ReportLab raise LayoutError).
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
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
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

NB = "\u00a0"          # non-breaking space (before : ; ? ! », after «, in amounts)
BLANK = "…" * 12        # a line to fill by hand
SHORT_BLANK = "…" * 6

ARTICLE_TITLES = (
    "Objet de la convention",
    "Dates et durée de présence",
    "Activités confiées et compétences à acquérir",
    "Encadrement",
    "Gratification et modalités de versement",
    "Protection sociale",
    "Congés et autorisations d’absence",
    "Suspension et résiliation",
    "Validation du stage en cas d’interruption",
    "Avantages",
    "Règlement intérieur et discipline",
    "Confidentialité et propriété intellectuelle",
    "Attestation de stage",
    "Déclaration",
    "Droit applicable et litiges",
)


# --------------------------------------------------------------------------------------------
# What the documents state
# --------------------------------------------------------------------------------------------

@dataclass
class Signatory:
    role: str               # « L’étudiant·e », « Pour l’organisme d’accueil »…
    name: str | None        # None: a line to fill by hand
    signed_on: str | None   # already formatted French date, or None


@dataclass
class ConventionDoc:
    number: str
    year_label: str
    draft: bool
    school_name: str
    school_address: str
    school_city: str
    department: str
    school_representative: str | None
    programme_title: str
    programme_hours: str
    student_name: str
    student_email: str
    student_cohort: str
    student_group: str | None
    host_name: str
    host_address: str
    host_country: str
    host_identifier_label: str
    host_identifier: str | None
    host_representative: str | None
    host_tutor_name: str
    host_tutor_position: str | None
    host_tutor_email: str | None
    host_tutor_phone: str | None
    academic_tutor_name: str
    academic_tutor_email: str | None
    subject: str
    activities: str
    skills: str
    objectives: list[str]
    start_date: str
    end_date: str
    duration: str
    presence_days: int
    presence_hours: str
    weekly_hours: str
    work_days: str
    daily_hours: str
    special_hours: str | None
    holidays_worked: bool
    supervision: str
    gratification: str
    gratification_due: bool
    legal_minimum: str | None
    payment_terms: str
    abroad: bool
    social_protection: str
    leave_conditions: str
    benefits: str
    internal_rules: str | None = None
    schedule: list[tuple[str, str]] = field(default_factory=list)
    signatories: list[Signatory] = field(default_factory=list)
    signed_place: str | None = None
    amendments_note: str | None = None
    host_representative_position: str | None = None   # « en qualité de … »; None: a line
    english: EnglishVersion | None = None   # a host abroad: the English version follows


@dataclass
class EnglishVersion:
    """The same convention in English for a host abroad (RULES.md §5): the facts formatted
    for an English reader; the free texts stay as written (in the parties' language)."""

    host_country: str
    start_date: str
    end_date: str
    duration: str
    presence_hours: str
    weekly_hours: str
    work_days: str
    daily_hours: str
    programme_hours: str
    gratification: str
    legal_minimum: str | None
    host_rule: str  # the host country's rule on pay, as information
    host_rule_fr: str


@dataclass
class AmendmentDoc:
    convention_number: str
    number: int
    date: str
    reason: str
    student_name: str
    host_name: str
    year_label: str
    school_name: str
    school_city: str
    changes: list[tuple[str, str, str]]   # (label, before, after)
    signatories: list[Signatory]
    draft: bool = False                   # True before validation: « Projet — ne pas signer »


@dataclass
class AttestationDoc:
    host_name: str
    host_address: str
    host_identifier_label: str
    host_identifier: str | None
    student_name: str
    student_cohort: str
    school_name: str
    programme_title: str
    subject: str
    start_date: str
    end_date: str
    duration: str
    presence_days: int
    presence_hours: str
    ended_early: bool
    planned_end_date: str | None
    paid_total: str | None       # as recorded; None: a blank for the host, never an estimate
    host_city: str | None
    host_representative: str | None = None   # who signs for the host; None: a line


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


# --------------------------------------------------------------------------------------------
# The convention
# --------------------------------------------------------------------------------------------

def _default_signatories(d: ConventionDoc) -> list[Signatory]:
    return [
        Signatory("Pour l’établissement, le chef ou la cheffe de département",
                  d.school_representative, None),
        Signatory("Pour l’organisme d’accueil", d.host_representative, None),
        Signatory("L’étudiant·e", d.student_name, None),
        Signatory("Le tuteur ou la tutrice de l’organisme", d.host_tutor_name, None),
        Signatory("L’enseignant·e référent·e", d.academic_tutor_name, None),
    ]


def _parties(d: ConventionDoc) -> list[Flowable]:
    host_where = _e(d.host_address)
    if d.host_country and d.host_country.strip().lower() != "france":
        host_where += f", {_e(d.host_country)}"
    identifier = _or_blank(d.host_identifier)
    group = f", groupe {_e(d.student_group)}" if d.student_group else ""
    return [
        P("Entre les soussignés", "section"),
        P("L’établissement d’enseignement", "party"),
        P(f"<b>{_e(d.school_name)}</b> — {_e(d.department)}<br/>{_e(d.school_address)}<br/>"
          f"représenté par {_or_blank(d.school_representative)}, chef ou cheffe de département, "
          "agissant par délégation pour l’établissement,", "party_body"),
        P("ci-après « l’établissement » ;", "party_body"),
        P("L’organisme d’accueil", "party"),
        P(f"<b>{_e(d.host_name)}</b><br/>{host_where}<br/>"
          f"{_e(d.host_identifier_label)} : {identifier}<br/>"
          f"représenté par {_or_blank(d.host_representative)}, en qualité de "
          f"{_or_blank(d.host_representative_position)},", "party_body"),
        P("ci-après « l’organisme d’accueil » ;", "party_body"),
        P("L’étudiant·e", "party"),
        P(f"<b>{_e(d.student_name)}</b>, inscrit·e en {_e(d.student_cohort)}{group} dans la "
          f"formation {_e(d.programme_title)}<br/>courriel : {_e(d.student_email)},",
          "party_body"),
        P("ci-après « l’étudiant·e ».", "party_body"),
        Spacer(1, 0.2 * cm),
        P("Il a été convenu ce qui suit.", "left"),
    ]


def _article(n: int, body: list[Flowable]) -> list[Flowable]:
    heading = P(f"Article{NB}{n} — {ARTICLE_TITLES[n - 1]}", "article")
    return [CondPageBreak(2.5 * cm), heading, *body]


def _articles(d: ConventionDoc) -> list[Flowable]:
    story: list[Flowable] = []
    # 1 — Objet
    story += _article(1, [
        P("La présente convention règle les rapports entre l’établissement, l’organisme "
          "d’accueil et l’étudiant·e pour le stage décrit ci-dessous, dans le cadre des articles "
          "L124-1 et suivants et D124-1 et suivants du Code de l’éducation."),
        P("Le stage est une période temporaire de mise en situation en milieu professionnel au "
          "cours de laquelle l’étudiant·e acquiert des compétences professionnelles et met en "
          "œuvre les acquis de sa formation en vue de l’obtention de son diplôme. Il fait partie "
          f"intégrante du cursus de la formation <b>{_e(d.programme_title)}</b>, dont le volume "
          f"pédagogique annuel est de <b>{_e(d.programme_hours)}</b>."),
        P(f"<b>Sujet du stage :</b> {_e(d.subject)}", "left"),
    ])
    # 2 — Dates et durée
    if d.special_hours:
        special = f"Présence de nuit, le dimanche ou un jour férié : {_e(d.special_hours)}."
    else:
        special = "Aucune présence de nuit ou le dimanche n’est prévue."
    holidays = ("Les jours fériés tombant pendant le stage sont travaillés ; ils sont comptés dans "
                "la présence ci-dessus." if d.holidays_worked else
                "Les jours fériés ne sont pas travaillés ; ils sont déduits de la présence "
                "ci-dessus.")
    story += _article(2, [
        P(f"Le stage se déroule du <b>{_e(d.start_date)}</b> au <b>{_e(d.end_date)}</b>, soit une "
          f"durée de {_e(d.duration)}."),
        P(f"La durée totale de présence effective de l’étudiant·e dans l’organisme d’accueil est "
          f"de <b>{_days(d.presence_days)}</b>, soit <b>{_e(d.presence_hours)}</b> (sept heures "
          "de présence comptent pour un jour). Elle ne peut excéder six mois, soit 924 heures, "
          "par organisme d’accueil et par année d’enseignement (article L124-5)."),
        P(f"Durée hebdomadaire de présence : <b>{_e(d.weekly_hours)}</b>, {_e(d.work_days)}, "
          f"{_e(d.daily_hours)} par jour. L’emploi du temps figure en annexe."),
        P(f"{special} {holidays}"),
        P("Les règles de l’organisme d’accueil relatives aux durées maximales de présence "
          "quotidienne et hebdomadaire, au repos quotidien et hebdomadaire et aux jours fériés "
          "s’appliquent à l’étudiant·e (article L124-14)."),
    ])
    # 3 — Activités et compétences
    body3: list[Flowable] = [P("Activités confiées", "label"), *_free_text(d.activities),
                             *_label("Compétences à acquérir ou à développer"),
                             *_free_text(d.skills)]
    objectives = [o for o in d.objectives if o and o.strip()]
    if objectives:
        body3 += _label("Objectifs du stage")
        for n, objective in enumerate(objectives, 1):
            body3.append(Paragraph(_typo(_e(objective)), S["bullet"], bulletText=f"{n}."))
    body3.append(P("Les activités confiées sont en cohérence avec la formation suivie et les "
                   "compétences qu’elle vise ; elles ne peuvent être modifiées que par avenant."))
    story += _article(3, body3)
    # 4 — Encadrement
    tutor_bits = [f"<b>{_e(d.host_tutor_name)}</b>"]
    if d.host_tutor_position:
        tutor_bits.append(_e(d.host_tutor_position))
    contact = " — ".join(_e(x) for x in (d.host_tutor_email, d.host_tutor_phone) if x)
    academic = f"<b>{_e(d.academic_tutor_name)}</b>"
    if d.academic_tutor_email:
        academic += f" ({_e(d.academic_tutor_email)})"
    story += _article(4, [
        P("Le tuteur ou la tutrice de l’organisme d’accueil : " + ", ".join(tutor_bits)
          + (f"<br/>{contact}" if contact else "") + "<br/>Il ou elle accueille l’étudiant·e, "
          "organise ses activités et veille au respect des stipulations pédagogiques de la "
          "présente convention.", "left"),
        P(f"L’enseignant·e référent·e désigné·e par l’établissement : {academic}<br/>Il ou elle "
          "suit le déroulement du stage et s’assure de sa cohérence avec la formation.", "left"),
        *_label("Modalités d’encadrement"),
        *_free_text(d.supervision),
        P("Toute difficulté survenue pendant le stage est signalée sans délai à l’enseignant·e "
          "référent·e et à l’établissement."),
    ])
    # 5 — Gratification
    body5: list[Flowable] = []
    if d.gratification_due:
        body5.append(P("La présence de l’étudiant·e dans l’organisme d’accueil dépassant deux mois "
                       "au cours de l’année d’enseignement (plus de 44 jours, soit plus de 308 "
                       "heures, consécutifs ou non), une gratification lui est due dès le premier "
                       "jour du stage (articles L124-6 et D124-6 du Code de l’éducation)."))
    else:
        body5.append(P("La présence de l’étudiant·e dans l’organisme d’accueil ne dépassant pas "
                       "deux mois (308 heures ou moins), la gratification n’est pas obligatoire ; "
                       "l’organisme d’accueil peut néanmoins en verser une."))
    body5.append(P(f"<b>Gratification convenue :</b> {_e(d.gratification)}."))
    if d.legal_minimum:
        if d.abroad:
            body5.append(P("L’organisme d’accueil étant situé à l’étranger, le minimum légal "
                           "français ne s’impose pas à lui ; il est indiqué à titre "
                           f"d’information : {_e(d.legal_minimum)}."))
            if d.english:
                body5.append(P(_e(d.english.host_rule_fr)))
        elif d.gratification_due:
            body5.append(P(f"Minimum légal (article D124-8) : {_e(d.legal_minimum)}. La "
                           "gratification convenue ne peut lui être inférieure."))
        else:
            body5.append(P(f"À titre indicatif, le minimum légal serait de {_e(d.legal_minimum)}."))
    elif d.abroad:
        body5.append(P("L’organisme d’accueil étant situé à l’étranger, le minimum légal français "
                       "ne s’impose pas à lui."))
        if d.english:
            body5.append(P(_e(d.english.host_rule_fr)))
    body5 += [
        *_label("Modalités de versement"),
        *_free_text(d.payment_terms),
        P("La gratification n’a pas le caractère d’un salaire. En cas de suspension ou de "
          "résiliation de la convention, elle est due au prorata de la durée de présence "
          "effective. Les frais engagés par l’étudiant·e pour les besoins du stage lui sont "
          "remboursés selon les règles de l’organisme d’accueil."),
    ]
    story += _article(5, body5)
    # 6 — Protection sociale
    body6 = [*_free_text(d.social_protection, "body"),
             P("L’étudiant·e conserve son régime de sécurité sociale. En cas d’accident "
               "survenant à l’étudiant·e au cours du stage ou du trajet, l’organisme d’accueil "
               "en informe l’établissement sans délai. L’étudiant·e justifie d’une assurance "
               "couvrant sa responsabilité civile.")]
    if d.abroad:
        body6.append(P("Pour un stage à l’étranger, l’étudiant·e s’assure avant son départ de "
                       "sa couverture maladie, souscrit une assurance rapatriement et s’inscrit "
                       "sur le service « Ariane » du ministère des Affaires étrangères."))
    story += _article(6, body6)
    # 7 — Congés
    story += _article(7, [
        *_free_text(d.leave_conditions, "body"),
        P("L’étudiant·e bénéficie de congés et d’autorisations d’absence d’une durée équivalente à "
          "celle prévue pour les salariés en cas de grossesse, de paternité ou d’adoption "
          "(article L124-13). Il ou elle est autorisé·e à s’absenter pour les enseignements, "
          "examens et soutenances prévus par la formation. Toute autre absence est signalée à "
          "l’organisme d’accueil et à l’établissement."),
    ])
    # 8 — Suspension et résiliation
    story += _article(8, [
        P("Le stage peut être suspendu ou interrompu avant son terme par l’une des parties, "
          "notamment en cas de manquement grave d’une autre partie à ses obligations ou pour un "
          "motif impérieux, après information des autres parties et, dans la mesure du possible, "
          "un échange entre elles. La décision est notifiée par écrit et précise sa date d’effet."),
        P("Toute suspension, interruption, prolongation ou modification des termes de la présente "
          "convention fait l’objet d’un avenant signé par les parties."),
    ])
    # 9 — Validation en cas d’interruption
    story += _article(9, [
        P("Lorsque le stage est interrompu pour un motif lié à la maladie, à un accident, à la "
          "grossesse, à la paternité ou à l’adoption, ou, en accord avec l’établissement, en cas "
          "de non-respect des stipulations pédagogiques de la présente convention ou de rupture à "
          "l’initiative de l’organisme d’accueil, l’établissement valide le stage, même s’il n’a "
          "pas atteint la durée prévue, ou propose à l’étudiant·e une modalité alternative de "
          "validation de sa formation. Un report de la fin du stage peut être convenu par "
          "avenant."),
    ])
    # 10 — Avantages
    story += _article(10, [
        P("L’étudiant·e a accès au restaurant d’entreprise ou aux titres-restaurant dans les mêmes "
          "conditions que les salariés de l’organisme d’accueil, ainsi qu’à la prise en charge "
          "des frais de transport (article L124-13)."),
        *_label("Avantages prévus"),
        *_free_text(d.benefits),
    ])
    # 11 — Règlement intérieur
    body11 = [P("L’étudiant·e est soumis·e aux règles de l’organisme d’accueil en matière de "
                "discipline, d’horaires, de santé et de sécurité.")]
    if d.internal_rules:
        body11 += [*_label("Règles applicables"), *_free_text(d.internal_rules)]
    else:
        body11.append(P("Le règlement intérieur de l’organisme d’accueil est porté à la "
                        "connaissance de l’étudiant·e dès son arrivée."))
    body11.append(P("Seul l’établissement peut prendre une sanction disciplinaire à l’égard de "
                    "l’étudiant·e ; l’organisme d’accueil l’informe de tout manquement et lui en "
                    "communique les éléments."))
    story += _article(11, body11)
    # 12 — Confidentialité
    story += _article(12, [
        P("L’étudiant·e s’engage à ne pas divulguer les informations dont il ou elle a "
          "connaissance pendant le stage et qui lui sont signalées comme confidentielles, pendant "
          "le stage et après. Son rapport et sa soutenance respectent cette confidentialité ; "
          "l’organisme d’accueil peut demander qu’ils ne soient pas diffusés."),
        P("Lorsque l’étudiant·e crée pendant le stage une œuvre protégée par le Code de la "
          "propriété intellectuelle, toute utilisation par l’organisme d’accueil suppose son "
          "accord ; une éventuelle cession de droits fait l’objet d’un contrat écrit distinct."),
    ])
    # 13 — Attestation
    story += _article(13, [
        P("À la fin du stage, l’organisme d’accueil délivre à l’étudiant·e une attestation de "
          "stage mentionnant la durée effective totale du stage et le montant total de la "
          "gratification versée (article D124-9 du Code de l’éducation). L’établissement lui en "
          "adresse un modèle prérempli, que l’organisme complète, signe et remet à l’étudiant·e."),
    ])
    # 14 — Déclaration
    story += _article(14, [
        P("Le stage n’est pas un emploi (article L124-7 du Code de l’éducation). L’organisme "
          "d’accueil déclare que l’étudiant·e n’est accueilli·e ni pour exécuter une tâche "
          "régulière correspondant à un poste de travail permanent, ni pour faire face à un "
          "accroissement temporaire de son activité, ni pour occuper un emploi saisonnier, ni "
          "pour remplacer un salarié ou un agent absent ou dont le contrat est suspendu."),
    ])
    # 15 — Droit applicable
    story += _article(15, [
        P("La présente convention est régie par le droit français"
          + (", que l’organisme d’accueil, situé à l’étranger, accepte" if d.abroad else "")
          + ". Les parties recherchent une solution amiable à tout différend ; à défaut, il est "
          "porté devant la juridiction française compétente."),
    ])
    return story


def _annex(d: ConventionDoc) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), P("Annexe — Emploi du temps hebdomadaire", "section"),
                             P(f"Stage du {_e(d.start_date)} au {_e(d.end_date)} — "
                               f"{_e(d.weekly_hours)} par semaine, {_e(d.work_days)}, "
                               f"{_e(d.daily_hours)} par jour.", "left")]
    if d.schedule:
        rows = [[P("Jour", "cell_head"), P("Horaires de présence", "cell_head")]]
        rows += [[P(_e(day), "cell"), P(_e(hours), "cell")] for day, hours in d.schedule]
        story += [Spacer(1, 0.2 * cm), _grid_table(rows, [4.5 * cm, TEXT_W - 4.5 * cm])]
    if d.special_hours:
        story.append(Spacer(1, 0.3 * cm))
        story.append(P(f"Présence de nuit, le dimanche ou un jour férié : {_e(d.special_hours)}.",
                       "left"))
    story.append(Spacer(1, 0.3 * cm))
    story.append(P("Jours fériés : " + ("travaillés." if d.holidays_worked else
                                        "non travaillés."), "left"))
    return story


# --------------------------------------------------------------------------------------------
# The English version, for a host abroad (RULES.md §5: the host signs a bilingual version)
# --------------------------------------------------------------------------------------------

ARTICLE_TITLES_EN = (
    "Purpose of the agreement",
    "Dates and length of presence",
    "Activities and skills to be acquired",
    "Supervision",
    "Gratification and terms of payment",
    "Social protection",
    "Leave and authorised absences",
    "Suspension and termination",
    "Validation of the internship if interrupted",
    "Benefits",
    "Internal rules and discipline",
    "Confidentiality and intellectual property",
    "Certificate of internship",
    "Declaration",
    "Applicable law and disputes",
)


def _article_en(n: int, body: list[Flowable]) -> list[Flowable]:
    heading = P(f"Article{NB}{n} — {ARTICLE_TITLES_EN[n - 1]}", "article")
    return [CondPageBreak(2.5 * cm), heading, *body]


def _as_written(text: str | None) -> list[Flowable]:
    """A free text of the French version, reproduced as the parties wrote it."""
    return [P("<i>As written in the French version:</i>", "left"), *_free_text(text)]


def _english_part(d: ConventionDoc) -> list[Flowable]:
    """The English version: the same parties and the same fifteen articles as the French one,
    with the facts in English; the French version prevails."""
    en = d.english
    host_where = f"{_e(d.host_address)}, {_e(en.host_country)}"
    group = f", group {_e(d.student_group)}" if d.student_group else ""
    story: list[Flowable] = [
        PageBreak(),
        _title_block([P("INTERNSHIP AGREEMENT — ENGLISH VERSION", "title"),
                      P(f"No. {_e(d.number)} — academic year {_e(d.year_label)}", "subtitle"),
                      P("Translation of the French agreement above, which prevails in case of "
                        "discrepancy (French Education Code, articles L124-1 to L124-20 and "
                        "D124-1 to D124-9).", "note")]),
        Spacer(1, 0.3 * cm),
        P("Between the undersigned", "section"),
        P("The educational institution", "party"),
        P(f"<b>{_e(d.school_name)}</b> — {_e(d.department)}<br/>"
          f"{_e(', '.join(filter(None, [d.school_address, 'France'])))}<br/>represented by "
          f"{_or_blank(d.school_representative)}, head of department, "
          "acting on behalf of the institution,", "party_body"),
        P("hereinafter “the institution”;", "party_body"),
        P("The host organisation", "party"),
        P(f"<b>{_e(d.host_name)}</b><br/>{host_where}<br/>"
          f"Registration number (host country): {_or_blank(d.host_identifier)}<br/>"
          f"represented by {_or_blank(d.host_representative)}, acting as "
          f"{_or_blank(d.host_representative_position)},", "party_body"),
        P("hereinafter “the host organisation”;", "party_body"),
        P("The student", "party"),
        P(f"<b>{_e(d.student_name)}</b>, enrolled in {_e(d.student_cohort)}{group} of the "
          f"programme {_e(d.programme_title)}<br/>email: {_e(d.student_email)},", "party_body"),
        P("hereinafter “the student”.", "party_body"),
        Spacer(1, 0.2 * cm),
        P("The parties have agreed as follows.", "left"),
    ]
    story += _article_en(1, [
        P("This agreement governs the relations between the institution, the host organisation "
          "and the student for the internship described below, under articles L124-1 et seq. "
          "and D124-1 et seq. of the French Education Code."),
        P("The internship is a temporary period of professional practice during which the "
          "student acquires professional skills and applies what they have learnt in view of "
          "their degree. It is an integral part of the programme "
          f"<b>{_e(d.programme_title)}</b>, whose annual teaching volume is "
          f"<b>{_e(en.programme_hours)}</b>."),
        P(f"<b>Subject of the internship:</b> {_e(d.subject)}", "left"),
    ])
    special = ("Presence at night, on Sundays or on public holidays: "
               f"{_e(d.special_hours)}." if d.special_hours else
               "No presence at night or on Sundays is planned.")
    holidays = ("Public holidays during the internship are worked; they are counted in the "
                "presence above." if d.holidays_worked else
                "Public holidays are not worked; they are deducted from the presence above.")
    story += _article_en(2, [
        P(f"The internship runs from <b>{_e(en.start_date)}</b> to <b>{_e(en.end_date)}</b>, "
          f"that is {_e(en.duration)}."),
        P("The student’s total effective presence in the host organisation is "
          f"<b>{d.presence_days} day{'s' if d.presence_days != 1 else ''}</b>, that is "
          f"<b>{_e(en.presence_hours)}</b> (seven hours of presence count as one day). It may "
          "not exceed six months, that is 924 hours, per host organisation and per academic "
          "year (article L124-5)."),
        P(f"Weekly presence: <b>{_e(en.weekly_hours)}</b>, {_e(en.work_days)}, "
          f"{_e(en.daily_hours)} a day. The timetable is annexed."),
        P(f"{special} {holidays}"),
        P("The host organisation’s rules on maximum daily and weekly presence, daily and weekly "
          "rest and public holidays apply to the student (article L124-14)."),
    ])
    body3 = [P("Activities entrusted", "label"), *_as_written(d.activities),
             *_label("Skills to be acquired or developed"), *_as_written(d.skills)]
    objectives = [o for o in d.objectives if o and o.strip()]
    if objectives:
        body3 += _label("Objectives of the internship (as written)")
        for n, objective in enumerate(objectives, 1):
            body3.append(Paragraph(_typo(_e(objective)), S["bullet"], bulletText=f"{n}."))
    body3.append(P("The activities are consistent with the programme and the skills it aims "
                   "at; they may only be changed by an amendment."))
    story += _article_en(3, body3)
    tutor = f"<b>{_e(d.host_tutor_name)}</b>" + (
        f", {_e(d.host_tutor_position)}" if d.host_tutor_position else "")
    contact = " — ".join(_e(x) for x in (d.host_tutor_email, d.host_tutor_phone) if x)
    story += _article_en(4, [
        P(f"The host organisation’s tutor: {tutor}" + (f"<br/>{contact}" if contact else "")
          + "<br/>The tutor welcomes the student, organises their activities and ensures that "
          "the educational terms of this agreement are respected.", "left"),
        P(f"The academic tutor appointed by the institution: <b>{_e(d.academic_tutor_name)}</b>"
          "<br/>The academic tutor follows the internship and ensures its consistency with "
          "the programme.", "left"),
        *_label("Supervision arrangements"), *_as_written(d.supervision),
        P("Any difficulty arising during the internship is reported without delay to the "
          "academic tutor and to the institution."),
    ])
    body5 = [P(f"<b>Agreed gratification:</b> {_e(en.gratification)}."),
             P("The host organisation being located abroad, the French legal minimum "
               "gratification does not bind it" + (
                   f"; it is given for information: {_e(en.legal_minimum)}."
                   if en.legal_minimum else ".")),
             P(_e(en.host_rule)),
             *_label("Terms of payment"), *_as_written(d.payment_terms),
             P("The gratification is not a salary. If the agreement is suspended or terminated, "
               "it is due in proportion to the effective presence. Expenses incurred by the "
               "student for the internship are reimbursed under the host organisation’s rules.")]
    story += _article_en(5, body5)
    story += _article_en(6, [
        *_as_written(d.social_protection),
        P("The student keeps their French social security scheme. In the event of an accident "
          "to the student during the internship or on the way to it, the host organisation "
          "informs the institution without delay. The student holds an insurance covering "
          "their civil liability."),
        P("Before leaving, the student makes sure of their health cover, takes out a "
          "repatriation insurance and registers with the French foreign ministry’s travel "
          "service « Ariane »."),
    ])
    story += _article_en(7, [
        *_as_written(d.leave_conditions),
        P("The student is entitled to leave and authorised absences equivalent to those of "
          "employees in case of pregnancy, paternity or adoption (article L124-13), and may be "
          "absent for the classes, examinations and defences of the programme. Any other "
          "absence is reported to the host organisation and to the institution."),
    ])
    story += _article_en(8, [
        P("The internship may be suspended or ended early by any party, in particular for a "
          "serious breach by another party or for a compelling reason, after informing the other "
          "parties and, where possible, discussing it with them. The decision is notified in "
          "writing and states when it takes effect."),
        P("Any suspension, interruption, extension or change of the terms of this agreement "
          "requires an amendment signed by the parties."),
    ])
    story += _article_en(9, [
        P("When the internship is interrupted because of illness, accident, pregnancy, "
          "paternity or adoption, or, with the institution’s agreement, because the educational "
          "terms of this agreement were not respected or the host organisation ended it, the "
          "institution validates the internship even if it did not reach its planned length, "
          "or offers the student another way of validating their programme. The end of the "
          "internship may be postponed by an amendment."),
    ])
    story += _article_en(10, [
        P("The student has access to the staff restaurant or meal vouchers on the same terms as "
          "the host organisation’s employees, and to the payment of transport costs "
          "(article L124-13)."),
        *_label("Planned benefits"), *_as_written(d.benefits),
    ])
    body11 = [P("The student is subject to the host organisation’s rules on discipline, working "
                "hours, health and safety.")]
    if d.internal_rules:
        body11 += [*_label("Applicable rules"), *_as_written(d.internal_rules)]
    else:
        body11.append(P("The host organisation’s internal rules are given to the student on "
                        "arrival."))
    body11.append(P("Only the institution may take disciplinary action against the student; "
                    "the host organisation informs it of any breach and provides the facts."))
    story += _article_en(11, body11)
    story += _article_en(12, [
        P("The student undertakes not to disclose, during and after the internship, the "
          "information they learn during it that is marked as confidential. Their report and "
          "defence respect this confidentiality; the host organisation may ask that they are "
          "not published."),
        P("When the student creates during the internship a work protected by the French "
          "Intellectual Property Code, any use by the host organisation requires their consent; "
          "any transfer of rights is the subject of a separate written contract."),
    ])
    story += _article_en(13, [
        P("At the end of the internship, the host organisation gives the student a certificate "
          "of internship stating the total effective length of the internship and the total "
          "gratification paid (article D124-9 of the French Education Code). The institution "
          "sends it a pre-filled model, which the host organisation completes, signs and gives "
          "to the student."),
    ])
    story += _article_en(14, [
        P("The internship is not a job (article L124-7 of the French Education Code). The host "
          "organisation declares that the student is not hosted to perform a regular task "
          "corresponding to a permanent position, to cope with a temporary increase in "
          "activity, to fill a seasonal job, or to replace an absent employee or one whose "
          "contract is suspended."),
    ])
    story += _article_en(15, [
        P("This agreement is governed by French law, which the host organisation, located "
          "abroad, accepts. The parties seek an amicable settlement of any dispute; failing "
          "that, it is brought before the competent French court."),
    ])
    return story


def convention_pdf(doc: ConventionDoc) -> bytes:
    d = doc
    title_lines: list[Flowable] = [
        P(_e(d.school_name), "subtitle"), P(_e(d.department), "subtitle"), Spacer(1, 0.25 * cm),
        P("CONVENTION DE STAGE", "title"),
        P(f"n° {_e(d.number)} — année universitaire {_e(d.year_label)}", "subtitle"),
        P("Code de l’éducation, articles L124-1 à L124-20 et D124-1 à D124-9", "note"),
    ]
    if d.english:
        title_lines.append(P("Version bilingue : la version anglaise suit (English version "
                             "follows; the French version prevails).", "note"))
    if d.amendments_note:
        title_lines.append(P(_e(d.amendments_note), "note"))
    if d.draft:
        title_lines.append(P("Projet — ne pas signer : ce document n’a pas encore été validé par "
                             "l’établissement.", "draft"))
    place = d.signed_place or d.school_city
    story: list[Flowable] = [_title_block(title_lines), Spacer(1, 0.3 * cm), *_parties(d),
                             *_articles(d)]
    intro = [Spacer(1, 0.5 * cm),
             P(f"Fait à {_e(place)}, le {BLANK}, en autant d’exemplaires originaux que de "
               "signataires.", "left")]
    if d.english:  # one signature for both versions, after the English one
        story += _english_part(d)
        intro.append(P(f"Done at {_e(place)}, on {BLANK}, in as many originals as there are "
                       "signatories. The French version prevails.", "left"))
    story.append(_signatures(intro, d.signatories or _default_signatories(d), d.draft))
    story += _annex(d)
    return _build(story, title=f"Convention de stage n° {d.number}", author=d.school_name,
                  header_left=f"Convention de stage n° {d.number}",
                  header_right=f"Année universitaire {d.year_label}",
                  footer_left=f"{d.school_name} — {d.department}", draft=d.draft)


# --------------------------------------------------------------------------------------------
# The avenant
# --------------------------------------------------------------------------------------------

def amendment_pdf(doc: AmendmentDoc) -> bytes:
    d = doc
    title_lines: list[Flowable] = [
        P(_e(d.school_name), "subtitle"), Spacer(1, 0.2 * cm),
        P(f"AVENANT n° {d.number}", "title"),
        P(f"à la convention de stage n° {_e(d.convention_number)} — année universitaire "
          f"{_e(d.year_label)}", "subtitle"),
        P(f"Avenant établi le {_e(d.date)}", "note"),
    ]
    if d.draft:
        title_lines.append(P("Projet — ne pas signer : cet avenant n’a pas encore été validé par "
                             "l’établissement.", "draft"))
    story: list[Flowable] = [
        _title_block(title_lines), Spacer(1, 0.4 * cm),
        P(f"Avenant n° {d.number} à la convention de stage n° {_e(d.convention_number)}",
          "section"),
        P(f"Entre l’établissement <b>{_e(d.school_name)}</b>, l’organisme d’accueil "
          f"<b>{_e(d.host_name)}</b> et l’étudiant·e <b>{_e(d.student_name)}</b>, parties à la "
          f"convention de stage n° {_e(d.convention_number)} de l’année universitaire "
          f"{_e(d.year_label)}, il est convenu ce qui suit."),
        P(f"Article{NB}1 — Motif de l’avenant", "article"),
        *_free_text(d.reason, "body"),
        P(f"Article{NB}2 — Modifications", "article"),
        P("Les stipulations suivantes de la convention sont modifiées :"),
    ]
    short = [c for c in d.changes if not (_long(c[1]) or _long(c[2]))]
    if short:
        rows = [[P("Ce qui change", "cell_head"), P("Avant", "cell_head"),
                 P("Après", "cell_head")]]
        rows += [[P(f"<b>{_e(label)}</b>", "cell"), P(_e(before) or "—", "cell"),
                  P(_e(after) or "—", "cell")] for label, before, after in short]
        story.append(_grid_table(rows, [4.4 * cm, (TEXT_W - 4.4 * cm) / 2,
                                        (TEXT_W - 4.4 * cm) / 2]))
    for label, before, after in d.changes:  # long texts flow as paragraphs, not table cells
        if (label, before, after) in short:
            continue
        story += [CondPageBreak(3 * cm), P(f"Ce qui change : {_e(label)}", "section"),
                  *_label("Avant"), *_free_text(before),
                  *_label("Après"), *_free_text(after)]
    if not d.changes:
        story.append(P("<i>Aucune modification renseignée.</i>"))
    story += [
        P(f"Article{NB}3 — Autres clauses", "article"),
        P("Les autres clauses de la convention demeurent inchangées."),
    ]
    intro = [Spacer(1, 0.5 * cm),
             P(f"Fait à {_e(d.school_city)}, le {BLANK}, en autant d’exemplaires originaux que de "
               "signataires.", "left")]
    story.append(_signatures(intro, d.signatories, d.draft))
    return _build(story, title=f"Avenant n° {d.number} à la convention de stage n° "
                               f"{d.convention_number}", author=d.school_name,
                  header_left=f"Avenant n° {d.number} — convention de stage n° "
                              f"{d.convention_number}",
                  header_right=f"Année universitaire {d.year_label}",
                  footer_left=d.school_name, draft=d.draft)


# --------------------------------------------------------------------------------------------
# The attestation (D124-9), issued and signed by the host
# --------------------------------------------------------------------------------------------

def attestation_pdf(doc: AttestationDoc) -> bytes:
    d = doc
    identifier = _or_blank(d.host_identifier)
    paid = (f"<b>{_e(d.paid_total)}</b>" if d.paid_total
            else f"{BLANK}{NB}€ <i>(montant à compléter par l’organisme d’accueil)</i>")
    dates = f"du <b>{_e(d.start_date)}</b> au <b>{_e(d.end_date)}</b>, soit une durée de " \
            f"{_e(d.duration)}."
    story: list[Flowable] = [
        _title_block([
            P("ATTESTATION DE STAGE", "title"),
            P("délivrée par l’organisme d’accueil — article D124-9 du Code de l’éducation",
              "subtitle"),
        ]),
        Spacer(1, 0.5 * cm),
        P("L’organisme d’accueil", "section"),
        P(f"<b>{_e(d.host_name)}</b><br/>{_e(d.host_address)}<br/>"
          f"{_e(d.host_identifier_label)} : {identifier}<br/>"
          f"représenté par {_or_blank(d.host_representative)}, en qualité de {BLANK},",
          "party_body"),
        P("atteste que", "section"),
        P(f"<b>{_e(d.student_name)}</b>, étudiant·e en {_e(d.student_cohort)}, inscrit·e dans la "
          f"formation {_e(d.programme_title)}, {_e(d.school_name)},", "party_body"),
        P("a effectué un stage au sein de l’organisme", "section"),
        P(f"<b>Sujet :</b> {_e(d.subject)}", "party_body"),
        P(f"<b>Dates :</b> {dates}", "party_body"),
    ]
    if d.ended_early:
        planned = (f" ; sa fin était prévue le {_e(d.planned_end_date)}"
                   if d.planned_end_date else "")
        story.append(P(f"Le stage a été interrompu avant son terme et a pris fin le "
                       f"{_e(d.end_date)}{planned}.", "party_body"))
    story += [
        P(f"<b>Durée effective totale de présence :</b> {_days(d.presence_days)}, soit "
          f"{_e(d.presence_hours)}, absences déduites.", "party_body"),
        P(f"<b>Montant total de la gratification versée :</b> {paid}", "party_body"),
        Spacer(1, 0.4 * cm),
        P("L’attestation est remise à l’étudiant·e, qui la conserve : elle lui permet notamment "
          "de demander la prise en compte de la période de stage gratifiée au titre de "
          "l’assurance vieillesse, dans les deux ans suivant la fin du stage.", "small"),
    ]
    width = (TEXT_W - 0.8 * cm) / 2
    place = _or_blank(d.host_city)
    sig = _signature_cell(Signatory("Pour l’organisme d’accueil", d.host_representative, None),
                          width, False, "Signature et cachet de l’organisme")
    block = Table([["", sig]], colWidths=[TEXT_W - width, width])
    block.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([Spacer(1, 0.6 * cm),
                               P(f"Fait à {place}, le {BLANK}.", "left"),
                               Spacer(1, 0.3 * cm), block]))
    return _build(story, title=f"Attestation de stage — {d.student_name}", author=d.host_name,
                  header_left="Attestation de stage",
                  header_right=d.student_name, footer_left=d.host_name, draft=False)
