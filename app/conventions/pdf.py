"""The convention as a PDF, with every mandatory mention (RULES.md §3), drawn by ReportLab."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from flask import Response, current_app
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.conventions.models import SIGNATORIES, Convention
from app.errors import DomainError
from app.internships import services as internships
from app.rules.gratification import euros



def _p(text: str | None, style) -> Paragraph:
    return Paragraph(escape(text or "—").replace("\n", "<br/>"), style)


def build(convention: Convention, today: date) -> bytes:
    i = convention.internship
    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]
    try:
        g = internships.gratification_of(i, today)
    except DomainError:
        g = None
    story = [Paragraph("Convention de stage", h1),
             _p(f"Année universitaire {i.academic_year.label} — convention n° {convention.id} "
                f"({convention.status_label.lower()})", body), Spacer(1, .4 * cm)]

    def section(title, rows):
        story.append(Paragraph(escape(title), h2))
        table = Table([[_p(k, body), _p(v, body)] for k, v in rows],
                      colWidths=[5.5 * cm, 11.5 * cm])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), .25, "#cccccc")]))
        story.append(table)

    s = i.student
    section("Les parties", [
        ("Établissement", "IUT — département Information-Communication"),
        ("Formation", f"{current_app.config['PROGRAMME_TITLE']} — volume horaire annuel : "
                      f"{current_app.config['PROGRAMME_YEARLY_HOURS'] or 'à préciser'}"),
        ("Étudiant·e", f"{s.full_name} ({s.email}), {s.cohort or ''} groupe {s.group_name or '—'}"),
        ("Organisme d’accueil", f"{i.host.name}, {i.host.address or ''} {i.host.city}, "
                                f"{i.host.country}" + (f" — SIRET {i.host.siret}"
                                                       if i.host.siret else "")),
        ("Tuteur de l’organisme", ", ".join(filter(None, [i.host_tutor_name,
                                                         i.host_tutor_position,
                                                         i.host_tutor_email,
                                                         i.host_tutor_phone])) or "—"),
        ("Enseignant·e référent·e", convention.academic_tutor.full_name
         if convention.academic_tutor else "—"),
    ])
    section("Le stage", [
        ("Sujet", i.subject),
        ("Activités confiées", i.missions),
        ("Compétences à acquérir", i.skills),
        ("Objectifs", "\n".join(f"{n}. {o.statement}" for n, o in enumerate(i.objectives, 1))),
        ("Dates", f"du {internships.fr_date(i.start_date)} au {internships.fr_date(i.end_date)}"),
        ("Durée hebdomadaire", f"{Decimal(i.weekly_hours).normalize():f} heures, {i.days_label}"),
        ("Présence totale", f"{g.days} jours, {g.hours.normalize():f} heures" if g else "—"),
        ("Nuit, dimanche, jours fériés", convention.special_hours
         or ("Jours fériés travaillés" if i.holidays_worked else "Aucune")),
        ("Encadrement", convention.supervision),
    ])
    grat = "—"
    if i.agreed_amount is not None:
        grat = f"{euros(Decimal(i.agreed_amount))} " + (
            "de l’heure" if i.agreed_unit == "hour" else "par mois")
    if g is not None:
        grat += (f" ; minimum légal : {euros(g.hourly_rate)} de l’heure, soit {euros(g.total)} "
                 f"sur le stage" + ("" if g.due else " (non obligatoire : 308 heures ou moins)"))
    section("Gratification et conditions", [
        ("Gratification", grat),
        ("Versement", convention.payment_terms),
        ("Protection sociale", convention.social_protection),
        ("Congés et absences", convention.leave_conditions),
        ("Avantages", convention.benefits),
        ("Suspension et résiliation", "Le stage peut être suspendu ou résilié d’un commun accord "
                                      "entre les parties, ou par l’établissement en cas de "
                                      "manquement ; les parties en sont informées par écrit."),
        ("Interruption", "En cas d’interruption, le jury apprécie la validation du stage au vu "
                         "de la durée effectuée et d’un travail complémentaire."),
        ("Règlement intérieur", "L’étudiant·e respecte le règlement intérieur de l’organisme."),
        ("Attestation", "L’organisme délivre à la fin du stage une attestation mentionnant la "
                        "durée effective et le montant total de la gratification versée."),
        ("Déclaration", "Le stage ne peut avoir pour objet l’exécution d’une tâche régulière "
                        "correspondant à un poste de travail permanent, faire face à un "
                        "accroissement temporaire d’activité, occuper un emploi saisonnier ou "
                        "remplacer un salarié absent (L124-7)."),
    ])
    for a in convention.amendments:
        section(f"Avenant n° {a.id} — {a.kind_label}", [
            ("Motif", a.reason),
            ("Changements", "\n".join(f"{k} : {v[0]} → {v[1]}" for k, v in a.changes.items())),
        ])
    section("Signatures", [
        (label.capitalize(), f"signé le {internships.fr_date(convention.signed_on(party))}"
         if convention.signed_on(party) else "")
        for party, label in SIGNATORIES.items()])
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, title=f"Convention de stage {convention.id}",
                      leftMargin=2 * cm, rightMargin=2 * cm).build(story)
    return buf.getvalue()


def response(convention: Convention, today: date) -> Response:
    resp = Response(build(convention, today), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = (
        f'inline; filename="convention-{convention.id}.pdf"')
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
