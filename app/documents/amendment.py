"""The avenant to a convention: why, what changes (before and after), and the signatures."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from app.documents.data import AmendmentDoc
from app.documents.layout import (
    BLANK,
    NB,
    TEXT_W,
    P,
    _build,
    _e,
    _free_text,
    _grid_table,
    _label,
    _long,
    _signatures,
    _title_block,
)


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
