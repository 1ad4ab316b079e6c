"""Conventions: the secretariat's workflow (workflow.py says who may do what from which
status), the frozen terms, signatures, cancellation and early end. Every transition is
recorded with what it implies (history, notifications) in one transaction; stale actions are
refused. The checks are in checks.py, the avenants in amendments.py, the queue (listing,
counts by status, urgency) in queue.py, reading (access, loading, terms) in reading.py;
their names are re-exported here."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import events, links
from app.accounts.models import User, utcnow
from app.conventions import workflow
from app.conventions.checks import automatic_checks, manual_check, manual_checks, problems  # noqa: F401
from app.conventions.models import (
    MANUAL_ITEMS,
    SIGNATORIES,
    Convention,
    ConventionCheck,
    ConventionEvent,
)
from app.conventions.queue import (
    SOON_DAYS,
    QueueFilters,
    counts,
    queue_query,
    starting_soon_count,
    starts_soon,
    waiting_in_other_years,
)
from app.conventions.reading import (
    amendment,
    awaits_approval_of,
    can_edit,
    can_view,
    get,
    live_terms,
    of_internship,
    terms_of,
)
from app.errors import DomainError
from app.extensions import db
from app.files import services as files
from app.hosts.models import Host
from app.internships import services as internships
from app.internships.models import Internship
from app.notifications.services import notify, staff_to_notify
from app.rules.formatting import de, fr_date, period_text
from app.tutoring import services as tutoring
from app.versioning import check_version, commit_versioned

__all__ = [
    # reading (reading.py)
    "can_view", "awaits_approval_of", "can_edit", "get", "of_internship", "amendment",
    "live_terms", "terms_of",
    # the workflow (this module)
    "EDITABLE_FIELDS", "tell_host_tutor", "create", "update", "submit",
    "request_changes", "approve", "set_manual_check", "lock_host", "validate", "validate_many",
    "send_for_signature", "record_signature", "upload_signed", "cancel", "end_early",
    "set_academic_tutor", "follow_the_tutor", "teacher_choices",
    # the checks
    "automatic_checks", "manual_check", "manual_checks", "problems",
    # the queue
    "SOON_DAYS", "QueueFilters", "counts", "queue_query", "starting_soon_count", "starts_soon",
    "waiting_in_other_years",
]

EDITABLE_FIELDS = ("supervision", "payment_terms", "leave_conditions", "benefits",
                   "special_hours", "social_protection")


# ---------------------------------------------------------------- transitions

def _check_version(convention: Convention, version: int | None) -> None:
    check_version(convention, version, _("cette convention"))


def _move(convention: Convention, actor: User, to_status: str, comment: str | None = None):
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=convention.status,
                                             to_status=to_status, comment=comment))
    convention.status = to_status


def _note(convention: Convention, actor: User, comment: str) -> None:
    """A history line that changes no status (approval, avenant)."""
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=convention.status,
                                             to_status=convention.status, comment=comment))


def _commit() -> None:
    commit_versioned(_("cette convention"))


def _link(convention: Convention) -> str:
    return links.path("conventions.show", convention_id=convention.id)


def _concerned(convention: Convention, actor: User, staff: bool = True) -> list[User]:
    """The student, the academic tutor and (``staff``) the secretariat, not the actor."""
    people = [convention.internship.student, convention.academic_tutor]
    if staff:
        people += staff_to_notify(actor)
    seen, found = set(), []
    for person in people:
        if person is not None and person.id != actor.id and person.id not in seen:
            seen.add(person.id)
            found.append(person)
    return found


def tell_host_tutor(convention: Convention, subject: str, message: str) -> None:
    """The host tutor has no account: what concerns the convention reaches them by email,
    in the action's transaction (the outbox sends it once it commits)."""
    from app.notifications import mail

    email = convention.internship.host_tutor_email
    if email:
        mail.queue(email, subject, f"Bonjour,\n\n{message}\n\n— Le secrétariat du "
                                   f"{current_app.config['DEPARTMENT_NAME'][:1].lower()}"
                                   f"{current_app.config['DEPARTMENT_NAME'][1:]}\n")


def create(internship: Internship, actor: User) -> Convention:
    if actor.is_student and internship.student_id != actor.id:
        raise DomainError(_("Ce stage n’est pas le vôtre."))
    if not (actor.is_student or actor.is_manager):
        raise DomainError(_("La convention est préparée par l’étudiant·e ou le secrétariat."))
    if internship.status in ("cancelled", "ended_early"):
        raise DomainError(_("Ce stage est « %(status)s » : déclarez le nouveau stage, sa "
                            "convention se prépare depuis sa fiche.",
                          status=internship.status_label.lower()))
    if of_internship(internship) is not None:
        raise DomainError(_("Ce stage a déjà sa convention."))
    convention = Convention(internship=internship, status="draft")
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=None,
                                             to_status="draft"))
    db.session.add(convention)
    try:
        db.session.commit()
    except IntegrityError:  # prepared twice at once: the first one stands
        db.session.rollback()
        raise DomainError(_("Ce stage a déjà sa convention.")) from None
    return convention


def update(convention: Convention, actor: User, data: dict, version: int | None) -> None:
    _check_version(convention, version)
    workflow.require("edit", actor, convention)
    for name in EDITABLE_FIELDS:
        if name in data:
            value = (data[name] or "").strip()[:5000]
            setattr(convention, name, value or None)
    _commit()


def submit(convention: Convention, actor: User, version: int | None) -> None:
    _check_version(convention, version)
    workflow.require("submit", actor, convention)
    _move(convention, actor, "submitted")
    convention.submitted_at = utcnow()
    student = convention.internship.student
    notify(staff_to_notify(actor),
           f"Convention {de(student.full_name)} soumise : à vérifier.", _link(convention))
    _commit()


def request_changes(convention: Convention, actor: User, comment: str | None,
                    version: int | None) -> None:
    _check_version(convention, version)
    workflow.require("request_changes", actor, convention)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Dites à l’étudiant·e ce qu’il faut corriger."), "comment")
    _move(convention, actor, "changes_requested", comment[:2000])
    convention.comment = comment[:2000]
    notify([convention.internship.student],
           f"Votre convention de stage est à corriger : {comment[:300]}", _link(convention),
           email_subject="Convention de stage : corrections demandées")
    _commit()


def approve(convention: Convention, actor: User, version: int | None) -> None:
    """The academic tutor's pedagogical approval of the subject (any teacher until tutors are
    assigned); the approving teacher becomes the student's tutor when none is named."""
    _check_version(convention, version)
    workflow.require("approve", actor, convention)
    if convention.approved_by_id:
        raise DomainError(_("L’accord pédagogique est déjà donné."))
    convention.approved_by_id = actor.id
    convention.approved_at = utcnow()
    if convention.academic_tutor_id is None:
        i = convention.internship
        tutoring.take_on(actor, i.student, i.academic_year,
                         _("A donné l’accord pédagogique sur le sujet"))
    _note(convention, actor, "Accord pédagogique sur le sujet")
    notify([convention.internship.student],
           f"{actor.full_name} a donné son accord pédagogique sur le sujet de votre stage.",
           _link(convention))
    _commit()


def set_manual_check(convention: Convention, actor: User, item: str, checked: bool) -> None:
    """Tick or untick one mention. The request names the state wanted, so it is idempotent:
    ticking a mention someone has just ticked keeps their tick, and the convention's version
    does not change (the other forms of the page stay valid)."""
    workflow.require("check", actor, convention)
    if item not in MANUAL_ITEMS:
        raise DomainError(_("Mention inconnue."))
    existing = db.session.execute(select(ConventionCheck).where(
        ConventionCheck.convention_id == convention.id, ConventionCheck.item == item)
    ).scalar_one_or_none()
    if checked and existing is None:
        db.session.add(ConventionCheck(convention_id=convention.id, item=item,
                                       checked_by_id=actor.id))
    elif not checked and existing is not None:
        db.session.delete(existing)
    try:
        db.session.commit()
    except IntegrityError:  # ticked by someone else at the same moment: their tick stands
        db.session.rollback()
    db.session.expire(convention, ["checks"])


def lock_host(convention: Convention) -> None:
    """Validations at one host take turns (PostgreSQL): the quota and the tutor's count read
    what the previous validation wrote, so the first validated passes and the next is
    refused, even at the same instant."""
    db.session.execute(select(Host.id).where(Host.id == convention.internship.host_id)
                       .with_for_update())


def validate(convention: Convention, actor: User, version: int | None, today: date) -> None:
    _check_version(convention, version)
    workflow.require("validate", actor, convention)
    lock_host(convention)
    db.session.refresh(convention)   # what the previous validation at this host wrote
    _check_version(convention, version)
    failing = problems(convention, today)
    if failing:
        raise DomainError(_("Validation impossible : %(problems)s",
                            problems=" ; ".join(failing)))
    terms = live_terms(convention).to_json()   # frozen from now on
    _move(convention, actor, "validated")
    convention.terms = terms
    notify(_concerned(convention, actor, staff=False),
           f"Convention {de(convention.internship.student.full_name)} validée par le "
           "secrétariat : elle part en signature.", _link(convention),
           email_subject="Convention de stage validée")
    _commit()


def validate_many(ids: list[int], actor: User, today: date) -> tuple[list[Convention],
                                                                     list[tuple[Convention, str]]]:
    """Bulk validation, in the order of the queue: the clean ones are validated, each before
    the next is checked (the quotas count it), the others say why not."""
    if not actor.is_manager:
        raise DomainError(workflow.ROLE_REFUSALS["manager"])
    done, refused = [], []
    for convention_id in ids[:200]:
        convention = get(convention_id)
        if convention is None:
            continue
        try:
            validate(convention, actor, convention.version_id, today)
        except DomainError as err:
            db.session.rollback()
            refused.append((convention, err.message))
        else:
            done.append(convention)
    return done, refused


def send_for_signature(convention: Convention, actor: User, version: int | None) -> None:
    _check_version(convention, version)
    workflow.require("send", actor, convention)
    _move(convention, actor, "out_for_signature")
    _commit()


def record_signature(convention: Convention, actor: User, party: str, signed_on: date | None,
                     version: int | None, today: date) -> None:
    _check_version(convention, version)
    workflow.require("sign", actor, convention)
    if party not in SIGNATORIES:
        raise DomainError(_("Signataire inconnu."))
    if signed_on is None:
        raise DomainError(_("Indiquez la date de signature."), "signed_on")
    if signed_on > today:
        raise DomainError(_("La date de signature ne peut pas être dans le futur."), "signed_on")
    setattr(convention, f"{party}_signed_on", signed_on)
    if convention.status == "validated":
        _move(convention, actor, "out_for_signature")
    if convention.all_signed:
        _mark_signed(convention, actor, max(convention.signed_on(p) for p in SIGNATORIES),
                     today)
    _commit()


def upload_signed(convention: Convention, actor: User, raw: bytes, filename: str | None,
                  signed_on: date | None, version: int | None, today: date) -> None:
    _check_version(convention, version)
    workflow.require("sign", actor, convention)
    if signed_on is None or signed_on > today:
        raise DomainError(_("Indiquez la date de la dernière signature (pas dans le futur)."),
                            "signed_on")
    stored = files.store_pdf(raw, filename, actor.id, field="file",
                             what="la convention signée numérisée")
    convention.signed_pdf = stored
    for party in SIGNATORIES:
        if convention.signed_on(party) is None:
            setattr(convention, f"{party}_signed_on", signed_on)
    _mark_signed(convention, actor, signed_on, today, comment="Version signée déposée")
    _commit()


def _mark_signed(convention: Convention, actor: User, signed_on: date, today: date,
                 comment: str | None = None) -> None:
    from app.conventions import pdf

    _move(convention, actor, "signed", comment)
    # The legal minimum in force on this day applies to the whole internship (RULES §2).
    convention.internship.convention_signed_on = signed_on
    # The document as signed: what it states never changes afterwards.
    raw = pdf.build(convention, today)
    convention.document = files.store_pdf(
        raw, f"convention-{convention.number}.pdf", actor.id)
    notify(_concerned(convention, actor),
           f"La convention {de(convention.internship.student.full_name)} est signée par "
           f"toutes les parties : le stage peut commencer le "
           f"{fr_date(convention.internship.start_date)}.", _link(convention),
           email_subject="Convention de stage signée")


def cancel(convention: Convention, actor: User, comment: str | None, version: int | None,
           today: date | None = None) -> None:
    """Cancel the convention and its internship: the student can declare a new one."""
    _check_version(convention, version)
    workflow.require("cancel", actor, convention)
    today = today or date.today()
    reason = (comment or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif de l’annulation."), "comment")
    i = convention.internship
    if convention.status == "signed" and today >= i.start_date:
        raise DomainError(_("Le stage a commencé : enregistrez sa rupture anticipée, avec sa date "
                            "de fin effective, plutôt qu’une annulation."))
    _move(convention, actor, "cancelled", reason[:2000])
    internships.move(i, actor, "cancelled", f"Convention annulée : {reason[:300]}")
    i.convention_signed_on = None
    notify(_concerned(convention, actor),
           f"La convention {de(i.student.full_name)} est annulée, et son stage avec elle : "
           f"« {reason[:300]} ». Un nouveau stage peut être déclaré.", _link(convention),
           email_subject="Convention de stage annulée")
    tell_host_tutor(convention, "Convention de stage annulée",
                    f"La convention de stage {de(i.student.full_name)} "
                    f"({period_text(i.start_date, i.end_date)}) est annulée : « {reason[:300]} ».")
    _commit()


def end_early(convention: Convention, actor: User, ended_on: date | None, reason: str | None,
              version: int | None, today: date) -> None:
    """Rupture: the internship ends on ``ended_on``; its hours and gratification are those of
    the effective dates (RULES.md §3). The convention's terms stay what was signed."""
    _check_version(convention, version)
    workflow.require("end_early", actor, convention)
    i = convention.internship
    reason = (reason or "").strip()
    if ended_on is None:
        raise DomainError(_("Indiquez le dernier jour de présence."), "ended_on")
    if not i.start_date <= ended_on < i.end_date:
        raise DomainError(_("Le dernier jour de présence tombe pendant le stage, avant sa fin "
                            "prévue : du %(start_date)s au %(end_date)s.",
                          start_date=fr_date(i.start_date),
                          end_date=fr_date(i.end_date - timedelta(days=1))), "ended_on")
    if ended_on > today + timedelta(days=60):
        raise DomainError(_("Une rupture s’enregistre au plus deux mois à l’avance."), "ended_on")
    if not reason:
        raise DomainError(_("Indiquez le motif de la rupture."), "end_reason")
    planned = i.end_date
    convention.ended_on = ended_on
    convention.end_reason = reason[:2000]
    _move(convention, actor, "ended_early",
          f"Dernier jour le {fr_date(ended_on)} (fin prévue le {fr_date(planned)}) : "
          f"{reason[:300]}")
    internships.end_early(i, actor, ended_on, reason)
    notify(_concerned(convention, actor),
           f"Le stage {de(i.student.full_name)} s’arrête avant son terme : dernier jour le "
           f"{fr_date(ended_on)} (« {reason[:200]} »).", _link(convention),
           email_subject="Stage interrompu")
    tell_host_tutor(convention, "Stage interrompu",
                    f"Le stage {de(i.student.full_name)} s’arrête avant son terme : dernier jour "
                    f"de présence le {fr_date(ended_on)}.")
    _commit()


def set_academic_tutor(convention: Convention, actor: User, teacher_id: int | None,
                       version: int | None) -> None:
    _check_version(convention, version)
    if convention.status in ("signed", "ended_early") and \
            actor.is_manager:
        raise DomainError(_("Après signature, le changement de tuteur passe par un avenant."))
    workflow.require("tutor", actor, convention)
    teacher = db.session.get(User, teacher_id or 0)
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError(_("Choisissez un·e enseignant·e."), "academic_tutor_id")
    i = convention.internship
    try:
        tutoring.assign(actor, i.student, teacher, i.academic_year,
                        _("Désigné·e depuis la convention"), commit=False, authorized=True)
    except DomainError as err:
        raise DomainError(err.message, "academic_tutor_id") from None
    _commit()


@events.tutor_changed.connect
def follow_the_tutor(student: User, *, teacher: User, convention: Convention | None,
                     **_unused) -> None:
    """A convention not yet signed names the student's new tutor: validated, its terms follow;
    an approval given by another teacher is asked again of the new tutor. A signed
    convention changes its tutor only by an avenant (which writes its terms itself)."""
    if convention is None or convention.status in ("signed", "ended_early", "cancelled"):
        return
    if convention.terms is not None:
        convention.terms = {**convention.terms, "academic_tutor_id": teacher.id,
                            "academic_tutor_name": teacher.full_name}
    if convention.approved_by_id and convention.approved_by_id != teacher.id:
        convention.approved_by_id = None
        convention.approved_at = None


def teacher_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(User.id, User.last_name, User.first_name).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.last_name)).all()
    return [(r.id, f"{r.last_name} {r.first_name}") for r in rows]
