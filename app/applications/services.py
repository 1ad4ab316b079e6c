"""Applications: who may apply, the status workflow, its history and what follows acceptance."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app import links
from app.accounts.models import User
from app.applications.models import OPEN, STAFF_TRANSITIONS, STATUSES, Application, ApplicationEvent
from app.errors import DomainError
from app.extensions import db
from app.files import services as files
from app.notifications.services import notify, staff_to_notify
from app.offers.models import Offer
from app.rules.formatting import fr_date
from app.search import matching
from app.versioning import check_version, commit_versioned

MAX_MESSAGE = 5000
def existing(student: User, offer: Offer) -> Application | None:
    return db.session.execute(select(Application).where(
        Application.student_id == student.id, Application.offer_id == offer.id)
    ).scalar_one_or_none()


def offer_applied_to(student: User, offer_id: int) -> Offer | None:
    """An offer the student applied to, even closed since (never a draft): they can read
    again what they applied to."""
    return db.session.execute(
        select(Offer).join(Application, Application.offer_id == Offer.id)
        .options(joinedload(Offer.host))
        .where(Offer.id == offer_id, Application.student_id == student.id,
               Offer.status != "draft")).scalar_one_or_none()


def signed_convention_of(student: User, today: date):
    """The student's convention of the running year once validated or signed, if any."""
    from app.conventions.models import Convention
    from app.internships.models import CLOSED, Internship
    from app.years.models import AcademicYear
    from app.years.services import academic_start_year

    return db.session.execute(
        select(Convention).join(Internship, Convention.internship_id == Internship.id)
        .join(AcademicYear, AcademicYear.id == Internship.academic_year_id)
        .where(Internship.student_id == student.id, Internship.status.not_in(CLOSED),
               AcademicYear.start_year == academic_start_year(today),
               Convention.status.in_(("validated", "out_for_signature", "signed")))
    ).scalars().first()


def refusal(student: User, offer: Offer, today: date) -> str | None:
    """Why this student cannot apply to this offer now, or None."""
    if not student.is_student:
        return _("Seuls les étudiants candidatent aux offres.")
    if student.track == "apprentice":
        return _("Vous êtes en alternance : sous contrat d’apprentissage, vous ne faites pas de "
                 "stage et ne candidatez pas aux offres.")
    if offer.status != "published":
        return _("Cette offre n’est plus ouverte aux candidatures.")
    if offer.deadline_passed(today):
        return _("La date limite de candidature (%(deadline)s) est passée.",
               deadline=fr_date(offer.deadline))
    convention = signed_convention_of(student, today)
    if convention is not None:
        return _("Votre convention de stage (%(host)s) est %(status)s : vous avez votre stage de "
                 "l’année. Si elle doit être annulée, voyez le secrétariat avant de candidater "
                 "ailleurs.",
               host=convention.internship.host.name, status=convention.status_label.lower())
    previous = existing(student, offer)
    if previous is not None and previous.status != "withdrawn":
        return _("Vous avez déjà candidaté à cette offre le %(date)s (statut : %(status)s).",
               date=fr_date(previous.created_at.date()), status=previous.status_label.lower())
    return None


def _record(application: Application, actor: User | None, from_status: str | None,
            to_status: str, comment: str | None = None) -> None:
    application.events.append(ApplicationEvent(
        actor_id=actor.id if actor else None, from_status=from_status, to_status=to_status,
        comment=comment))


def apply(student: User, offer: Offer, message: str, cv_raw: bytes, cv_name: str | None,
          today: date) -> Application:
    reason = refusal(student, offer, today)
    if reason:
        raise DomainError(reason)
    message = (message or "").strip()
    if not message:
        raise DomainError(_("Écrivez quelques lignes de motivation."), "message")
    if len(message) > MAX_MESSAGE:
        raise DomainError(_("Le message ne doit pas dépasser %(limit)s caractères.",
                          limit=MAX_MESSAGE),
                          "message")
    cv = files.store_pdf(cv_raw, cv_name, student.id)
    application = existing(student, offer)
    if application is not None:   # withdrawn, sent again while the offer is open
        _record(application, student, application.status, "sent", "Candidature renvoyée")
        application.message, application.cv, application.status = message, cv, "sent"
    else:
        application = Application(offer=offer, student=student, message=message, cv=cv,
                                  status="sent")
        _record(application, student, None, "sent")
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_("Vous avez déjà candidaté à cette offre.")) from None
    link = links.path("applications.show", application_id=application.id)
    notify(staff_to_notify(student),
           f"Nouvelle candidature de {student.full_name} à « {offer.title} » "
                              f"({offer.host.name}).", link,
           email_subject="Nouvelle candidature")
    db.session.commit()
    return application


def withdraw(student: User, application: Application, version: int | None) -> Application:
    if application.student_id != student.id:
        raise DomainError(_("Cette candidature n’est pas la vôtre."))
    check_version(application, version, _("cette candidature"))
    if not application.is_open:
        raise DomainError(_("Une candidature %(status)s ne peut plus être retirée.",
                          status=application.status_label.lower()))
    _record(application, student, application.status, "withdrawn")
    application.status = "withdrawn"
    _commit(application)
    return application


def _commit(application: Application) -> None:
    try:
        commit_versioned(_("cette candidature"))
    except IntegrityError:  # a stage declared meanwhile for the same student and year
        db.session.rollback()
        raise DomainError(_("L’étudiant·e vient d’enregistrer un stage pour cette année : rien "
                            "n’a été changé. Rechargez la page.")) from None


def change_status(actor: User, application: Application, new_status: str,
                  comment: str | None, version: int | None, today: date):
    """Move an application (staff); acceptance starts the student's internship record."""
    if not actor.is_staff:
        raise DomainError(_("Seule l’équipe pédagogique change le statut d’une candidature."))
    check_version(application, version, _("cette candidature"))
    if new_status not in STATUSES:
        raise DomainError(_("Statut inconnu."))
    if new_status not in STAFF_TRANSITIONS.get(application.status, ()):
        raise DomainError(_("Une candidature « %(status)s » ne peut pas passer à "
                            "« %(new_status)s ».",
                          status=application.status_label.lower(),
                          new_status=STATUSES[new_status].lower()))
    comment = (comment or "").strip()[:2000] or None
    old = application.status
    application.status = new_status
    if comment:
        application.comment = comment
    _record(application, actor, old, new_status, comment)
    internship = None
    if new_status == "accepted":
        from app.internships.services import start_from_offer

        internship = start_from_offer(application.student, application.offer, today)
    text = (f"Votre candidature à « {application.offer.title} » ({application.offer.host.name}) "
            f"est maintenant : {STATUSES[new_status].lower()}.")
    if comment:
        text += f" Commentaire : {comment}"
    notify([application.student], text,
           links.path("applications.show", application_id=application.id),
           email_subject=f"Candidature {STATUSES[new_status].lower()}")
    _commit(application)   # the status, its history, the internship and the notice together
    return application, internship


# ---------------------------------------------------------------- reading

def get(application_id: int) -> Application | None:
    return db.session.execute(
        select(Application)
        .options(joinedload(Application.offer).joinedload(Offer.host),
                 joinedload(Application.student),
                 selectinload(Application.events).joinedload(ApplicationEvent.actor))
        .where(Application.id == application_id)).unique().scalar_one_or_none()


def can_view(user: User, application: Application) -> bool:
    """The application's page (offer, status, history): its student and the staff, who move
    it along. Its motivation message and CV are the student's file: ``can_read_file``."""
    return user.is_staff or application.student_id == user.id


def can_read_file(user: User, application: Application) -> bool:
    """The CV and the motivation message: as the internship they aim at (``app.access``), of
    the year the offer starts in (else the year it was sent in)."""
    from app.access import can_read_private
    from app.years.services import year_for

    if user.role != "teacher":   # the student, the secretariat, the admin: no year to find
        return can_read_private(user, application.student_id, None)
    day = application.offer.start_date or application.created_at.date()
    year = year_for(day)
    return can_read_private(user, application.student_id, year.id if year else None)


def of_student(student: User) -> list[Application]:
    return list(db.session.execute(
        select(Application).join(Application.offer).join(Offer.host)
        .options(contains_eager(Application.offer).contains_eager(Offer.host))
        .where(Application.student_id == student.id)
        .order_by(Application.created_at.desc(), Application.id.desc())).unique().scalars())


def of_offer(offer: Offer) -> list[Application]:
    return list(db.session.execute(
        select(Application).join(Application.student)
        .options(contains_eager(Application.student))
        .where(Application.offer_id == offer.id)
        .order_by(Application.created_at, Application.id)).unique().scalars())


@dataclass
class StaffFilters:
    q: str = ""
    status: str = ""
    offer_id: int | None = None
    student_id: int | None = None


def staff_query(filters: StaffFilters):
    # no join in the count nor in the page's keys: the page loads its offers and students
    stmt = select(Application).options(
        joinedload(Application.offer).joinedload(Offer.host),
        joinedload(Application.student))
    if filters.status in STATUSES:
        stmt = stmt.where(Application.status == filters.status)
    if filters.offer_id:
        stmt = stmt.where(Application.offer_id == filters.offer_id)
    if filters.student_id:
        stmt = stmt.where(Application.student_id == filters.student_id)
    clause = matching(filters.q, Application.search_text)  # student, offer and host
    if clause is not None:
        stmt = stmt.where(clause)
    return stmt.order_by(Application.created_at.desc(), Application.id.desc())


def counts(filters: StaffFilters | None = None) -> dict[str, int]:
    stmt = select(Application.status, func.count()).group_by(Application.status)
    if filters and filters.offer_id:
        stmt = stmt.where(Application.offer_id == filters.offer_id)
    if filters and filters.student_id:
        stmt = stmt.where(Application.student_id == filters.student_id)
    result = {s: 0 for s in STATUSES}
    result.update(dict(db.session.execute(stmt).all()))
    return result


def other_open(application: Application) -> list[Application]:
    """The student's other open applications, to withdraw once one is accepted."""
    return [a for a in of_student(application.student)
            if a.id != application.id and a.status in OPEN]


def students_with_open_applications(student_ids: list[int]) -> set[int]:
    if not student_ids:
        return set()
    return set(db.session.execute(
        select(Application.student_id).where(Application.student_id.in_(student_ids),
                                             Application.status.in_(OPEN + ("accepted",)))
        .distinct()).scalars())
