"""Mobility grants: the department lists each year's programmes, a student applies from their
internship abroad, the secretariat decides the amount and its payment schedule and records
each payment. Amounts come from :mod:`app.rules.grants`; every write is checked here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import links
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.extensions import db
from app.grants.models import FUNDERS, GrantApplication, GrantPayment, GrantProgramme, GrantRate
from app.internships.models import CLOSED, Internship
from app.notifications.services import notify, staff_to_notify
from app.rules import grants as rules
from app.rules.formatting import de, money_text, parse_euros
from app.versioning import check_version, commit_versioned

MAX_AMOUNT = Decimal("99999.99")


def _money(value, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("%(label)s : indiquez un montant.", label=label), field)
        return None
    amount = parse_euros(str(value))
    if amount is None:
        raise DomainError(_("%(label)s : un montant en euros, par exemple 540 ou 540,50.",
                          label=label), field)
    if amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(_("%(label)s : un montant entre 0 et 99 999,99 €.", label=label), field)
    return amount


# ---------------------------------------------------------------- programmes

@dataclass
class RateData:
    group: str
    countries: str
    monthly: object


@dataclass
class ProgrammeData:
    name: str
    funder: str
    deadline: date | None
    first_part_percent: int | None
    max_months: int | None
    description: str | None
    rates: list[RateData]


def programmes(year) -> list[GrantProgramme]:
    return list(db.session.execute(
        select(GrantProgramme).options(selectinload(GrantProgramme.rates))
        .where(GrantProgramme.academic_year_id == year.id)
        .order_by(GrantProgramme.deadline, GrantProgramme.name)).scalars())


def _check_programme(data: ProgrammeData) -> list[tuple[str, str, Decimal]]:
    name = (data.name or "").strip()
    if not name:
        raise DomainError(_("Nommez le programme."), "name")
    if len(name) > 160:
        raise DomainError(_("Nom : 160 caractères au plus."), "name")
    if data.funder not in FUNDERS:
        raise DomainError(_("Choisissez le financeur."), "funder")
    if data.deadline is None:
        raise DomainError(_("Indiquez la date limite de candidature."), "deadline")
    if data.first_part_percent is None or not 0 <= data.first_part_percent <= 100:
        raise DomainError(_("La première part est un pourcentage de 0 à 100."),
                            "first_part_percent")
    if data.max_months is not None and not 1 <= data.max_months <= 12:
        raise DomainError(_("La durée financée va de 1 à 12 mois."), "max_months")
    rows = []
    for n, rate in enumerate(data.rates):
        group = (rate.group or "").strip()
        if not group and rate.monthly in (None, ""):
            continue
        field = f"rates-{n}-monthly"
        monthly = _money(rate.monthly, field, f"Montant mensuel, ligne {n + 1}")
        if not monthly:
            raise DomainError(_("Montant mensuel, ligne %(n)s : plus de 0 €.", n=n + 1), field)
        if not group or len(group) > 80:
            raise DomainError(_("Groupe de pays, ligne %(n)s : un nom de 80 caractères au plus.",
                              n=n + 1), f"rates-{n}-group")
        rows.append((group, ", ".join(rules.parse_countries(rate.countries)), monthly))
    if not rows:
        raise DomainError(_("Indiquez au moins un montant mensuel (un groupe « Tous pays » pour "
                            "un montant unique)."), "rates-0-monthly")
    return rows


def save_programme(year, data: ProgrammeData, programme: GrantProgramme | None = None,
                   version: int | None = None) -> GrantProgramme:
    rows = _check_programme(data)
    if programme is None:
        programme = GrantProgramme(academic_year_id=year.id)
        db.session.add(programme)
    else:
        check_version(programme, version, _("ce programme"))
    programme.name = data.name.strip()
    programme.funder = data.funder
    programme.deadline = data.deadline
    programme.first_part_percent = data.first_part_percent
    programme.max_months = data.max_months
    programme.description = (data.description or "").strip()[:5000] or None
    programme.rates = [GrantRate(position=n, group_name=g, countries=c, monthly_amount=m)
                       for n, (g, c, m) in enumerate(rows)]
    try:
        commit_versioned(_("ce programme"))
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("Un programme de ce nom existe déjà cette année."), "name") from None
    return programme


def get_programme(programme_id: int) -> GrantProgramme | None:
    return db.session.get(GrantProgramme, programme_id)


# ---------------------------------------------------------------- applying

@dataclass
class Offer:
    """A programme as one internship sees it."""

    programme: GrantProgramme
    rate: rules.Rate | None
    amount: Decimal | None  # what the stay would receive
    open: bool  # the deadline has not passed
    application: GrantApplication | None


def latest_internship(student: User) -> Internship | None:
    """The student's latest internship that still holds (not cancelled nor interrupted)."""
    return db.session.execute(
        select(Internship).where(Internship.student_id == student.id,
                                 Internship.status.not_in(CLOSED))
        .order_by(Internship.start_date.desc(), Internship.id.desc())).scalars().first()


def offers_for(internship: Internship, today: date) -> list[Offer]:
    mine = {a.programme_id: a for a in applications_of(internship)}
    out = []
    for programme in programmes(internship.academic_year):
        rate = rules.rate_for(internship.country, programme.rule_rates())
        out.append(Offer(programme, rate, rules.amount(
            rate.monthly, internship.start_date, internship.end_date, programme.max_months)
            if rate else None, today <= programme.deadline, mine.get(programme.id)))
    return out


def applications_of(internship: Internship) -> list[GrantApplication]:
    return list(db.session.execute(
        select(GrantApplication).options(selectinload(GrantApplication.payments),
                                         joinedload(GrantApplication.programme))
        .where(GrantApplication.internship_id == internship.id)
        .order_by(GrantApplication.created_at)).scalars())


def apply(student: User, internship: Internship, programme: GrantProgramme, motivation: str,
          today: date) -> GrantApplication:
    """One application per internship and programme (a unique constraint: a double click or
    two tabs make one)."""
    if internship.student_id != student.id:
        raise DomainError(_("Ce stage n’est pas le vôtre."))
    if internship.status in CLOSED:
        raise DomainError(_("Ce stage a été annulé ou interrompu : il ne peut plus recevoir de "
                            "bourse."))
    if not internship.is_abroad:
        raise DomainError(_("Les bourses de mobilité sont réservées aux stages à l’étranger."))
    if programme.academic_year_id != internship.academic_year_id:
        raise DomainError(_("Ce programme n’est pas celui de l’année de votre stage."))
    if today > programme.deadline:
        raise DomainError(_("La date limite de « %(programme)s » est passée.",
                          programme=programme.name))
    rate = rules.rate_for(internship.country, programme.rule_rates())
    if rate is None:
        raise DomainError(_("« %(programme)s » ne finance pas de stage dans ce pays (%(country)s).",
                          programme=programme.name, country=internship.country))
    motivation = (motivation or "").strip()
    if len(motivation) > 3000:
        raise DomainError(_("Votre message : 3000 caractères au plus."), "motivation")
    application = GrantApplication(
        internship=internship, programme=programme, motivation=motivation or None,
        requested_amount=rules.amount(rate.monthly, internship.start_date,
                                      internship.end_date, programme.max_months))
    try:
        with db.session.begin_nested():
            db.session.add(application)
    except IntegrityError:
        raise DomainError(_("Vous avez déjà demandé « %(programme)s » pour ce stage.",
                          programme=programme.name)) from None
    notify(staff_to_notify(student), f"Demande de bourse {de(student.full_name)} : "
                              f"{programme.name}.",
           links.path("grants.show", application_id=application.id))
    db.session.commit()
    return application


def withdraw(student: User, application: GrantApplication) -> None:
    if application.internship.student_id != student.id:
        raise DomainError(_("Cette demande n’est pas la vôtre."))
    if application.status != "submitted":
        raise DomainError(_("Cette demande est %(status)s : elle ne se retire plus.",
                          status=application.status_label.lower()))
    application.status = "withdrawn"
    commit_versioned(_("cette demande"))


# ---------------------------------------------------------------- deciding and paying

@dataclass
class PaymentData:
    label: str
    due_on: date | None
    amount: object


def default_payments(application: GrantApplication) -> list[PaymentData]:
    """The schedule to start from: the programme's first part before departure, the rest
    after the report (a month after the end)."""
    i = application.internship
    first, rest = rules.split(application.requested_amount,
                              application.programme.first_part_percent)
    parts = [PaymentData("Avant le départ", i.start_date - timedelta(days=14), first),
             PaymentData("Après le rapport de stage", i.end_date + timedelta(days=30), rest)]
    return [p for p in parts if p.amount] or parts[:1]


def _payment_parts(payments: list[PaymentData]) -> list[GrantPayment]:
    """The schedule as entered: a line with neither label nor amount is skipped, one with a
    label needs its amount; at least one payment."""
    parts = []
    for n, p in enumerate(payments):
        value = _money(p.amount, f"payments-{n}-amount", f"Versement {n + 1}", required=False)
        if value is None and not (p.label or "").strip():
            continue
        if value is None:
            raise DomainError(_("Versement %(n)s : indiquez son montant.", n=n + 1),
                              f"payments-{n}-amount")
        label = (p.label or "").strip()[:120] or f"Versement {n + 1}"
        parts.append(GrantPayment(position=len(parts), label=label, due_on=p.due_on,
                                  amount=value))
    if not parts:
        raise DomainError(_("Indiquez au moins un versement."), "payments-0-amount")
    return parts


def _grant(application: GrantApplication, amount, payments: list[PaymentData]) -> None:
    """Grant ``amount``, paid in parts that add up to it to the cent."""
    total = _money(amount, "amount", "Montant accordé")
    if not total:
        raise DomainError(_("Montant accordé : plus de 0 € (sinon, refusez la demande)."),
                            "amount")
    parts = _payment_parts(payments)
    if not rules.parts_add_up(total, [p.amount for p in parts]):
        given = sum((p.amount for p in parts), Decimal("0.00"))
        raise DomainError(_("Les versements font %(given)s : ils doivent faire le montant "
                            "accordé, %(total)s.",
                          given=money_text(given), total=money_text(total)),
                          "payments-0-amount")
    application.amount = total
    application.payments = parts
    application.status = "granted"


def _refuse(application: GrantApplication, comment: str | None) -> None:
    """Refuse, with the reason the student will read."""
    if not comment:
        raise DomainError(_("Dites pourquoi : l’étudiant·e le lira."), "comment")
    application.status = "refused"


def decide(actor: User, application: GrantApplication, granted: bool, amount,
           payments: list[PaymentData], comment: str | None, version: int | None
           ) -> GrantApplication:
    """Grant (an amount, paid in parts that add up to it to the cent) or refuse (with the
    reason the student will read). Decided once: the version read with the form must still
    be the record's."""
    if not actor.is_manager:
        raise DomainError(_("Les bourses sont décidées par le secrétariat."))
    check_version(application, version, _("cette demande"))
    if application.status != "submitted":
        raise DomainError(_("Cette demande est déjà %(status)s.",
                          status=application.status_label.lower()))
    comment = (comment or "").strip()[:2000] or None
    if granted:
        _grant(application, amount, payments)
    else:
        _refuse(application, comment)
    application.comment = comment
    application.decided_at = utcnow()
    application.decided_by_id = actor.id
    student = application.internship.student
    verdict = (f"accordée : {money_text(application.amount)}" if granted else "refusée")
    notify([student], f"Votre demande de bourse « {application.programme.name} » est "
                      f"{verdict}." + (f" {comment}" if comment else ""),
           links.path("grants.show", application_id=application.id),
           email_subject="Votre demande de bourse")
    commit_versioned(_("cette demande"))
    return application


def record_paid(actor: User, payment: GrantPayment, paid_on: date | None, today: date) -> None:
    if not actor.is_manager:
        raise DomainError(_("Les versements sont enregistrés par le secrétariat."))
    if paid_on is not None and paid_on > today:
        raise DomainError(_("Un versement s’enregistre une fois fait : la date est passée."),
                            "paid_on")
    payment.paid_on = paid_on
    db.session.commit()


# ---------------------------------------------------------------- reading

def get(application_id: int) -> GrantApplication | None:
    return db.session.get(GrantApplication, application_id)


def can_view(user: User, application: GrantApplication) -> bool:
    """The student concerned, the secretariat and the admin: a grant is a personal matter."""
    return user.is_manager or (
        user.role == "student" and application.internship.student_id == user.id)


def applications_query(year, status: str | None = None):
    stmt = (select(GrantApplication)
            .join(Internship, Internship.id == GrantApplication.internship_id)
            .join(User, User.id == Internship.student_id)
            .options(joinedload(GrantApplication.programme),
                     joinedload(GrantApplication.internship).joinedload(Internship.student),
                     joinedload(GrantApplication.internship).joinedload(Internship.host),
                     selectinload(GrantApplication.payments))
            .where(Internship.academic_year_id == year.id))
    if status:
        stmt = stmt.where(GrantApplication.status == status)
    return stmt.order_by(GrantApplication.programme_id, User.last_name, User.first_name,
                         GrantApplication.id)


def export_rows(year):
    """One row per application of ``year``, read as it comes (for ``export_response``)."""
    for a in db.session.execute(applications_query(year)).unique().scalars():
        i = a.internship
        yield (a.programme.name, i.student.last_name, i.student.first_name,
               i.student.email, i.country, i.host.name, i.start_date, i.end_date,
               a.status_label, a.requested_amount, a.amount, a.paid_total,
               "; ".join(f"{p.label} {money_text(p.amount)} "
                         + (f"versé le {p.paid_on:%d/%m/%Y}" if p.paid_on else
                            f"prévu le {p.due_on:%d/%m/%Y}" if p.due_on else "à verser")
                         for p in a.payments))


EXPORT_HEADERS = ["Programme", "Nom", "Prénom", "Courriel", "Pays", "Organisme", "Début",
                  "Fin", "État", "Montant demandé (€)", "Montant accordé (€)", "Versé (€)",
                  "Versements"]
