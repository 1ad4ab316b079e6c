"""Attestation de stage (D124-9): total duration and total gratification paid, as a PDF."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Response, current_app
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from xml.sax.saxutils import escape

from app.errors import DomainError
from app.internships import services
from app.internships.models import Internship
from app.rules.gratification import euros, to_cents


def paid_total(internship: Internship, today: date, result=None) -> Decimal:
    """What was paid: the amount the secretariat recorded, else the agreed terms applied."""
    if internship.gratification_paid is not None:
        return Decimal(internship.gratification_paid)
    g = result or services.gratification_of(internship, today)
    if internship.agreed_amount is None:
        return Decimal("0.00")
    amount = Decimal(internship.agreed_amount)
    if internship.agreed_unit == "hour":
        return to_cents(amount * g.hours)
    return to_cents(amount * len(g.months))


def check_finished(internship: Internship, today: date) -> None:
    if internship.status == "cancelled":
        raise DomainError("Ce stage a été annulé.")
    if internship.end_date >= today:
        raise DomainError(f"L’attestation est délivrée une fois le stage terminé (le "
                          f"{services.fr_date(internship.end_date)}).")


def build(internship: Internship, today: date) -> bytes:
    check_finished(internship, today)
    g = services.gratification_of(internship, today)
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    s = internship.student
    lines = [
        f"Le département atteste que <b>{escape(s.full_name)}</b>, étudiant·e en "
        f"{escape(s.cohort or '')}, a effectué un stage au sein de "
        f"<b>{escape(internship.host.name)}</b> ({escape(internship.host.city)}, "
        f"{escape(internship.country)}).",
        f"Sujet : {escape(internship.subject)}.",
        f"Période : du {services.fr_date(internship.start_date)} au "
        f"{services.fr_date(internship.end_date)}, soit "
        f"{services.weeks_text(internship.start_date, internship.end_date)}.",
        f"Durée effective de présence : {g.days} jours, "
        f"{g.hours.normalize():f} heures.",
        f"Montant total de la gratification versée : {euros(paid_total(internship, today))}.",
        f"Fait pour servir et valoir ce que de droit, le {services.fr_date(today)}.",
    ]
    buf = io.BytesIO()
    story = [Paragraph("Attestation de stage", styles["Title"]),
             Paragraph(escape(current_app.config["PROGRAMME_TITLE"]), body),
             Spacer(1, .8 * cm)]
    for line in lines:
        story += [Paragraph(line, body), Spacer(1, .3 * cm)]
    SimpleDocTemplate(buf, pagesize=A4, title="Attestation de stage",
                      leftMargin=2.5 * cm, rightMargin=2.5 * cm).build(story)
    return buf.getvalue()


def response(internship: Internship, today: date) -> Response:
    resp = Response(build(internship, today), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="attestation-{internship.id}.pdf"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
