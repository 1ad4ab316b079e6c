"""Attestation de stage (D124-9): issued by the host. The intranet prepares it for the host to
sign, with what was recorded: the actual dates, days and hours of presence (absences
deducted) and the gratification paid as the secretariat recorded it — left blank when
nothing was recorded, never computed as if paid."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Response, current_app
from flask_babel import gettext as _

from app import documents
from app.errors import DomainError
from app.internships import services
from app.internships.models import Internship
from app.rules.formatting import address_text, fr_date, hours_text, money_text


def expected_total(internship, today: date, result=None) -> Decimal:
    """What the agreed terms come to (the statistics' « gratification convenue »): the amount
    recorded as paid, else the agreed amount applied to the presence. An estimate: never
    printed on an attestation."""
    if internship.gratification_paid is not None:
        return Decimal(internship.gratification_paid)
    g = result or services.gratification_of(internship, today)
    if internship.agreed_amount is None:
        return Decimal("0.00")
    amount = Decimal(internship.agreed_amount)
    if internship.agreed_unit == "hour":
        return (amount * g.hours).quantize(Decimal("0.01"))
    return (amount * len(g.months)).quantize(Decimal("0.01"))


def check_ready(internship: Internship, today: date) -> None:
    """Only for an internship whose convention was signed, once it has ended."""
    if internship.status == "cancelled":
        raise DomainError(_("Ce stage a été annulé : il n’a pas d’attestation."))
    convention = getattr(internship, "convention", None)
    if convention is None or convention.status not in ("signed", "ended_early"):
        raise DomainError(_("L’attestation n’existe que pour un stage dont la convention a été "
                            "signée."))
    if internship.end_date >= today:
        raise DomainError(_("L’attestation est délivrée une fois le stage terminé (le "
                            "%(end_date)s).", end_date=fr_date(internship.end_date)))


def attestation_doc(internship: Internship, today: date) -> documents.AttestationDoc:
    check_ready(internship, today)
    g = services.gratification_of(internship, today)
    host, student, convention = internship.host, internship.student, internship.convention
    terms = convention.terms or {}
    planned = terms.get("end_date")
    abroad = host.country != "France"
    return documents.AttestationDoc(
        host_name=host.name, host_address=address_text(host.address, host.city),
        host_identifier_label="Identifiant (registre du pays)" if abroad else "SIRET",
        host_identifier=(host.foreign_id or host.siret) if abroad else host.siret,
        student_name=student.full_name,
        student_cohort=student.cohort or "", school_name=current_app.config["SCHOOL_NAME"],
        programme_title=current_app.config["PROGRAMME_TITLE"], subject=internship.subject,
        start_date=fr_date(internship.start_date), end_date=fr_date(internship.end_date),
        duration=services.weeks_text(internship.start_date, internship.end_date),
        presence_days=g.days, presence_hours=hours_text(g.hours),
        ended_early=internship.status == "ended_early",
        planned_end_date=(fr_date(date.fromisoformat(planned))
                          if internship.status == "ended_early" and planned else None),
        paid_total=(money_text(internship.gratification_paid)
                    if internship.gratification_paid is not None else None),
        host_city=host.city)


def response(internship: Internship, today: date) -> Response:
    raw = documents.attestation_pdf(attestation_doc(internship, today))
    resp = Response(raw, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="attestation-{internship.id}.pdf"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
