"""The attestation de stage (D124-9), issued and signed by the host."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.documents.data import AttestationDoc, Signatory
from app.documents.layout import (
    BLANK,
    NB,
    TEXT_W,
    P,
    _build,
    _days,
    _e,
    _or_blank,
    _signature_cell,
    _title_block,
)


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
