"""Conventions: the secretariat's workflow (workflow.py says who may do what from which
status) from the draft to the signatures. Every transition is recorded with what it implies
(history, notifications: transitions.py) in one transaction; stale actions are refused. The
checks are in checks.py, the avenants in amendments.py, cancellation and early end in
ending.py, the tutor in tutor.py, the queue (listing, counts by status, urgency) in queue.py,
reading (access, loading, terms) in reading.py; their names are re-exported here."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User, utcnow
from app.conventions import workflow
from app.conventions.checks import automatic_checks, manual_check, manual_checks, problems
from app.conventions.ending import cancel, end_early, withdraw
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
    validated_on,
)
from app.conventions.transitions import (
    check_stale,
    commit,
    concerned,
    link_to,
    move,
    note,
    tell_host_tutor,
)
from app.conventions.tutor import follow_the_tutor, set_academic_tutor, teacher_choices
from app.errors import DomainError
from app.extensions import db
from app.files import services as files
from app.hosts.models import Host
from app.internships.models import Internship
from app.notifications.services import notify, staff_to_notify
from app.rules.formatting import de, fr_date
from app.tutoring import services as tutoring

__all__ = [
    # reading (reading.py)
    "can_view", "awaits_approval_of", "can_edit", "get", "of_internship", "amendment",
    "live_terms", "terms_of", "validated_on",
    # the workflow (this module)
    "EDITABLE_FIELDS", "create", "update", "submit", "request_changes", "approve",
    "set_manual_check", "lock_host", "validate", "validate_many", "send_for_signature",
    "record_signature", "upload_signed",
    # what every transition does (transitions.py)
    "tell_host_tutor",
    # the end before term (ending.py), the tutor (tutor.py)
    "cancel", "end_early", "withdraw", "set_academic_tutor", "follow_the_tutor", "teacher_choices",
    # the checks
    "automatic_checks", "manual_check", "manual_checks", "problems",
    # the queue
    "SOON_DAYS", "QueueFilters", "counts", "queue_query", "starting_soon_count", "starts_soon",
    "waiting_in_other_years",
]

EDITABLE_FIELDS = ("supervision", "payment_terms", "leave_conditions", "benefits",
                   "special_hours", "social_protection")


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
    check_stale(convention, version)
    workflow.require("edit", actor, convention)
    for name in EDITABLE_FIELDS:
        if name in data:
            value = (data[name] or "").strip()[:5000]
            setattr(convention, name, value or None)
    commit()


def submit(convention: Convention, actor: User, version: int | None) -> None:
    check_stale(convention, version)
    workflow.require("submit", actor, convention)
    move(convention, actor, "submitted")
    convention.submitted_at = utcnow()
    student = convention.internship.student
    notify(staff_to_notify(actor),
           f"Convention {de(student.full_name)} soumise : à vérifier.", link_to(convention))
    commit()


def request_changes(convention: Convention, actor: User, comment: str | None,
                    version: int | None) -> None:
    check_stale(convention, version)
    workflow.require("request_changes", actor, convention)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Dites à l’étudiant·e ce qu’il faut corriger."), "comment")
    move(convention, actor, "changes_requested", comment[:2000])
    convention.comment = comment[:2000]
    notify([convention.internship.student],
           f"Votre convention de stage est à corriger : {comment[:300]}", link_to(convention),
           email_subject="Convention de stage : corrections demandées")
    commit()


def approve(convention: Convention, actor: User, version: int | None) -> None:
    """The academic tutor's pedagogical approval of the subject (any teacher until tutors are
    assigned); the approving teacher becomes the student's tutor when none is named."""
    check_stale(convention, version)
    workflow.require("approve", actor, convention)
    if convention.approved_by_id:
        raise DomainError(_("L’accord pédagogique est déjà donné."))
    if convention.academic_tutor_id is None:
        _take_on(convention, actor)
    # Written after the tutor's queries: a convention approved meanwhile by another teacher
    # is then refused by its version at the commit (never by an early flush).
    convention.approved_by_id = actor.id
    convention.approved_at = utcnow()
    note(convention, actor, "Accord pédagogique sur le sujet")
    notify([convention.internship.student],
           f"{actor.full_name} a donné son accord pédagogique sur le sujet de votre stage.",
           link_to(convention))
    commit()


def _take_on(convention: Convention, actor: User) -> None:
    """The approving teacher becomes the tutor of a student who has none; if another teacher
    became it meanwhile, the approval is theirs to give."""
    i = convention.internship
    try:
        tutoring.take_on(actor, i.student, i.academic_year,
                         _("A donné l’accord pédagogique sur le sujet"))
    except DomainError:
        db.session.rollback()
        tutor = tutoring.tutor_of(i.student, i.academic_year)
        if tutor is None or tutor.id == actor.id:
            raise
        raise DomainError(_("%(student)s a reçu entre-temps un tuteur ou une tutrice "
                            "(%(teacher)s) : c’est à lui ou à elle de donner l’accord "
                            "pédagogique.", student=i.student.full_name,
                            teacher=tutor.full_name)) from None


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
    check_stale(convention, version)
    workflow.require("validate", actor, convention)
    lock_host(convention)
    db.session.refresh(convention)   # what the previous validation at this host wrote
    check_stale(convention, version)
    failing = problems(convention, today)
    if failing:
        raise DomainError(_("Validation impossible : %(problems)s",
                            problems=" ; ".join(failing)))
    terms = live_terms(convention).to_json()   # frozen from now on
    move(convention, actor, "validated")
    convention.terms = terms
    notify(concerned(convention, actor, staff=False),
           f"Convention {de(convention.internship.student.full_name)} validée par le "
           "secrétariat : elle part en signature.", link_to(convention),
           email_subject="Convention de stage validée")
    commit()


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
    check_stale(convention, version)
    workflow.require("send", actor, convention)
    move(convention, actor, "out_for_signature")
    commit()


def record_signature(convention: Convention, actor: User, party: str, signed_on: date | None,
                     version: int | None, today: date) -> None:
    check_stale(convention, version)
    workflow.require("sign", actor, convention)
    if party not in SIGNATORIES:
        raise DomainError(_("Signataire inconnu."))
    if signed_on is None:
        raise DomainError(_("Indiquez la date de signature."), "signed_on")
    if signed_on > today:
        raise DomainError(_("La date de signature ne peut pas être dans le futur."), "signed_on")
    _signed_after_validation(convention, signed_on)
    setattr(convention, f"{party}_signed_on", signed_on)
    if convention.status == "validated":
        move(convention, actor, "out_for_signature")
    if convention.all_signed:
        _mark_signed(convention, actor, max(convention.signed_on(p) for p in SIGNATORIES),
                     today)
    commit()


def upload_signed(convention: Convention, actor: User, raw: bytes, filename: str | None,
                  signed_on: date | None, version: int | None, today: date) -> None:
    check_stale(convention, version)
    workflow.require("sign", actor, convention)
    if signed_on is None or signed_on > today:
        raise DomainError(_("Indiquez la date de la dernière signature (pas dans le futur)."),
                            "signed_on")
    _signed_after_validation(convention, signed_on)
    stored = files.store_pdf(raw, filename, actor.id, field="file",
                             what="la convention signée numérisée")
    convention.signed_pdf = stored
    for party in SIGNATORIES:
        if convention.signed_on(party) is None:
            setattr(convention, f"{party}_signed_on", signed_on)
    _mark_signed(convention, actor, signed_on, today, comment="Version signée déposée")
    commit()


def _signed_after_validation(convention: Convention, signed_on: date) -> None:
    """What is signed is the validated document: no signature before its validation."""
    validated = validated_on(convention)
    if validated is not None and signed_on < validated:
        raise DomainError(_("La convention a été validée le %(date)s : elle n’a pas pu être "
                            "signée avant.", date=fr_date(validated)), "signed_on")


def _mark_signed(convention: Convention, actor: User, signed_on: date, today: date,
                 comment: str | None = None) -> None:
    from app.conventions import pdf

    move(convention, actor, "signed", comment)
    # The legal minimum in force on this day applies to the whole internship (RULES §2).
    convention.internship.convention_signed_on = signed_on
    # The document as signed: what it states never changes afterwards.
    raw = pdf.build(convention, today)
    convention.document = files.store_pdf(
        raw, f"convention-{convention.number}.pdf", actor.id)
    notify(concerned(convention, actor),
           f"La convention {de(convention.internship.student.full_name)} est signée par "
           f"toutes les parties : le stage peut commencer le "
           f"{fr_date(convention.internship.start_date)}.", link_to(convention),
           email_subject="Convention de stage signée")
