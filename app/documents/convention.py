"""The convention de stage: its parties, its articles (``articles``), the timetable annex, and
the whole document (followed, for a host abroad, by its English version)."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer

from app.documents.articles import _articles
from app.documents.data import ConventionDoc, Signatory
from app.documents.english import _english_part
from app.documents.layout import (
    BLANK,
    TEXT_W,
    P,
    _build,
    _e,
    _grid_table,
    _or_blank,
    _signatures,
    _title_block,
)


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
