"""The convention, its avenants and the attestation as PDFs: what the records state, put into
the documents' words (the document package lays them out). The convention states its terms as
validated plus its avenants (terms.py), never a record edited later."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from flask import Response, current_app, send_file

from app import documents
from app.abroad.services import advice_for
from app.conventions import services as conventions
from app.conventions.models import SIGNATORIES, Amendment, Convention
from app.conventions.terms import Terms, written
from app.errors import DomainError
from app.files.models import StoredFile
from app.internships import services as internships
from app.rules.calendar import WEEKDAY_LABELS, Schedule, presence_days
from app.rules.formatting import (
    address_text,
    en_country,
    en_date,
    en_days,
    en_duration,
    en_hours,
    en_money,
    fr_date,
    hours_text,
    money_text,
)
from app.years import services as years

ROLES = {
    "student": "L’étudiant·e",
    "host": "Pour l’organisme d’accueil, son représentant ou sa représentante",
    "host_tutor": "Le tuteur ou la tutrice de l’organisme",
    "academic_tutor": "L’enseignant·e référent·e",
    "head": "Pour l’établissement, le chef ou la cheffe de département",
}


ROLES_EN = {
    "student": "The student",
    "host": "For the host organisation, its representative",
    "host_tutor": "The host organisation’s tutor",
    "academic_tutor": "The academic tutor",
    "head": "For the institution, the head of department",
}


def _school() -> dict:
    config = current_app.config
    return {"school_name": config["SCHOOL_NAME"], "school_address": config["SCHOOL_ADDRESS"],
            "school_city": config["SCHOOL_CITY"], "department": config["DEPARTMENT_NAME"],
            "school_representative": config["DEPARTMENT_HEAD"] or None}


def _identifier(terms: Terms) -> tuple[str, str | None]:
    if terms.host_country and terms.host_country != "France":
        # conventions validated before hosts had a foreign identifier kept it in the SIRET
        return "Identifiant (registre du pays)", terms.host_foreign_id or terms.host_siret
    return "SIRET", terms.host_siret


def _signatories(convention: Convention, terms: Terms) -> list[documents.Signatory]:
    """Each party's box; bilingual roles for a host abroad (one signature, both versions)."""
    names = {"student": terms.student_name, "host": None,
             "host_tutor": terms.host_tutor_name, "academic_tutor": terms.academic_tutor_name,
             "head": current_app.config["DEPARTMENT_HEAD"] or None}
    def role(party: str) -> str:
        return f"{ROLES[party]} / {ROLES_EN[party]}" if terms.is_abroad else ROLES[party]

    return [documents.Signatory(role(party), names[party],
                               fr_date(convention.signed_on(party))
                               if convention.signed_on(party) else None)
            for party in SIGNATORIES]


def _gratification(terms: Terms, signed_on: date | None, today: date):
    """What the convention states of the pay: the planned presence (no absence is planned)
    and the legal minimum in force on the signature day (today before it)."""
    schedule = Schedule(terms.days, Decimal(terms.weekly_hours or 0))
    days = presence_days(terms.start_date, terms.end_date, schedule, zone=terms.zone,
                         holidays_worked=bool(terms.holidays_worked))
    hours = schedule.hours_per_day * len(days)
    try:
        rate = years.rate_on(signed_on or today)
    except DomainError:  # no rate known yet: the document leaves it out
        rate = None
    agreed = "Aucune gratification"
    if terms.agreed_amount is not None:
        agreed = f"{money_text(terms.agreed_amount)} {written('agreed_unit', terms.agreed_unit)}"
    return schedule, days, hours, rate, agreed


def _english(terms: Terms, schedule: Schedule, hours: Decimal, rate, agreed_en: str
             ) -> documents.EnglishVersion:
    """The facts of the convention for its English version (a host abroad)."""
    country = terms.host_country or terms.country or ""
    country_en = en_country(country)
    advice = advice_for(terms.country or country)  # the department's note on the country
    rule = (advice.pay_rule or "").strip() if advice else ""
    return documents.EnglishVersion(
        host_country=country_en, start_date=en_date(terms.start_date),
        end_date=en_date(terms.end_date), duration=en_duration(terms.start_date, terms.end_date),
        presence_hours=en_hours(hours), weekly_hours=en_hours(schedule.weekly_hours),
        work_days=en_days(schedule.days), daily_hours=en_hours(schedule.hours_per_day),
        programme_hours=(en_hours(Decimal(terms.programme_hours)) if terms.programme_hours
                         else "—"),
        gratification=agreed_en,
        legal_minimum=(f"{en_money(rate)} an hour, that is {en_money(rate * hours)} for the "
                       "internship") if rate is not None else None,
        host_rule=(f"The gratification follows the rules of the host country ({country_en}), "
                   "which the host organisation applies; the amount agreed here is what it "
                   "pays." + (f" The rule, as the department records it (in French): {rule}"
                              if rule else "")),
        host_rule_fr=(f"La gratification suit les règles du pays d’accueil ({country}), que "
                      "l’organisme d’accueil applique ; le montant convenu ici est celui qu’il "
                      "verse." + (f" La règle, telle que le département la note : {rule}"
                                  if rule else "")))


def convention_doc(convention: Convention, today: date) -> documents.ConventionDoc:
    terms = conventions.terms_of(convention)
    i = convention.internship
    schedule, days, hours, rate, agreed = _gratification(
        terms, i.convention_signed_on, today)
    due = hours > Decimal(308)
    label, identifier = _identifier(terms)
    minimum = _legal_minimum(rate, hours)
    note = _amendments_note(convention)
    return documents.ConventionDoc(
        number=convention.number, year_label=i.academic_year.label,
        draft=convention.terms is None, **_school(),
        programme_title=terms.programme_title or current_app.config["PROGRAMME_TITLE"],
        programme_hours=written("programme_hours", terms.programme_hours),
        student_name=terms.student_name, student_email=terms.student_email,
        student_cohort=terms.student_cohort or "", student_group=terms.student_group,
        host_name=terms.host_name,
        host_address=address_text(terms.host_address, terms.host_city),
        host_country=terms.host_country or "France", host_identifier_label=label,
        host_identifier=identifier, host_representative=None,
        host_tutor_name=terms.host_tutor_name or "", host_tutor_position=terms.host_tutor_position,
        host_tutor_email=terms.host_tutor_email, host_tutor_phone=terms.host_tutor_phone,
        academic_tutor_name=terms.academic_tutor_name or "", academic_tutor_email=None,
        subject=terms.subject or "", activities=terms.missions or "",
        skills=terms.skills or "", objectives=list(terms.objectives or []),
        start_date=fr_date(terms.start_date), end_date=fr_date(terms.end_date),
        duration=internships.weeks_text(terms.start_date, terms.end_date),
        presence_days=len(days), presence_hours=hours_text(hours),
        weekly_hours=hours_text(schedule.weekly_hours), work_days=written("work_days",
                                                                          terms.work_days),
        daily_hours=hours_text(schedule.hours_per_day), special_hours=terms.special_hours,
        holidays_worked=bool(terms.holidays_worked), supervision=terms.supervision or "",
        gratification=agreed, gratification_due=due, legal_minimum=minimum,
        payment_terms=terms.payment_terms or "", abroad=terms.is_abroad,
        social_protection=terms.social_protection or "",
        leave_conditions=terms.leave_conditions or "", benefits=terms.benefits or "",
        schedule=_timetable(schedule),
        signatories=_signatories(convention, terms),
        signed_place=current_app.config["SCHOOL_CITY"], amendments_note=note,
        english=_english(terms, schedule, hours, rate, _agreed_en(terms))
        if terms.is_abroad else None)


def _legal_minimum(rate: Decimal | None, hours: Decimal) -> str | None:
    if rate is None:
        return None
    return f"{money_text(rate)} de l’heure, soit {money_text(rate * hours)} sur le stage"


def _amendments_note(convention: Convention) -> str | None:
    """« Modifiée par l’avenant n° 1 », « … par les avenants nᵒˢ 1, 2 et 3 », or None."""
    numbers = [a.number for a in convention.amendments]
    if not numbers:
        return None
    return ("Modifiée par l’avenant n° " + str(numbers[0]) if len(numbers) == 1 else
            "Modifiée par les avenants nᵒˢ " + ", ".join(map(str, numbers[:-1]))
            + f" et {numbers[-1]}")


def _timetable(schedule: Schedule) -> list[tuple[str, str]]:
    """The annex's week: each day with its hours of presence, « — » when not worked."""
    return [(WEEKDAY_LABELS[d].capitalize(),
             hours_text(schedule.hours_per_day) if d in schedule.days else "—")
            for d in range(7)]


def _agreed_en(terms: Terms) -> str:
    if terms.agreed_amount is None:
        return "no gratification"
    unit = "an hour" if terms.agreed_unit == "hour" else "a month"
    return f"{en_money(terms.agreed_amount)} {unit}"


def build(convention: Convention, today: date) -> bytes:
    return documents.convention_pdf(convention_doc(convention, today))


def _pdf(raw: bytes, filename: str) -> Response:
    resp = Response(raw, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def response(convention: Convention, today: date) -> Response:
    return _pdf(build(convention, today), f"convention-{convention.number}.pdf")


def stored_response(stored: StoredFile) -> Response:
    resp = send_file(io.BytesIO(stored.data), mimetype="application/pdf",
                     download_name=stored.filename, max_age=0)
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def amendment_response(convention: Convention, amendment: Amendment) -> Response:
    i = convention.internship
    terms = conventions.terms_of(convention)
    doc = documents.AmendmentDoc(
        convention_number=convention.number, number=amendment.number,
        date=fr_date(amendment.created_at.date()), reason=amendment.reason,
        student_name=terms.student_name, host_name=terms.host_name,
        year_label=i.academic_year.label, school_name=current_app.config["SCHOOL_NAME"],
        school_city=current_app.config["SCHOOL_CITY"],
        changes=[(line.label, line.before, line.after) for line in amendment.lines],
        signatories=[documents.Signatory(ROLES[party], None, None) for party in SIGNATORIES])
    return _pdf(documents.amendment_pdf(doc),
                f"avenant-{amendment.number}-convention-{convention.number}.pdf")
