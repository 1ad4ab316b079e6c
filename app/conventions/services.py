"""Conventions: the checklist of mandatory mentions, the secretariat's workflow, signatures
and amendments. Every transition is recorded; stale actions are refused."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User, utcnow
from app.conventions.models import (AMENDMENT_KINDS, IN_PROGRESS, MANUAL_ITEMS, SIGNATORIES,
                                    STATUSES, STUDENT_EDITABLE, Amendment, Convention,
                                    ConventionCheck, ConventionEvent)
from app.errors import DomainError, StaleEdit
from app.extensions import db
from app.files import services as files
from app.internships import services as internships
from app.internships.models import Internship
from app.notifications.services import notify
from app.rules.calendar import length_in_weeks
from app.rules.quotas import host_quota, tutor_can_take_another, weeks_over_quota
from app.search import matching

MANAGERS = ("secretariat", "admin")
SOON_DAYS = 15
MAX_HOURS = Decimal(924)
EDITABLE_FIELDS = ("supervision", "payment_terms", "leave_conditions", "benefits",
                   "special_hours", "social_protection")


def _fr(day: date) -> str:
    return internships.fr_date(day)


# ---------------------------------------------------------------- the checklist

@dataclass
class CheckItem:
    code: str
    label: str
    ok: bool
    detail: str = ""
    automatic: bool = True


def _others_at_host(convention: Convention) -> list[Internship]:
    internship = convention.internship
    return list(db.session.execute(
        select(Internship).join(Convention, Convention.internship_id == Internship.id)
        .where(Internship.host_id == internship.host_id, Internship.id != internship.id,
               Convention.status.in_(IN_PROGRESS), Internship.status != "cancelled")).scalars())


def _tutor_load(convention: Convention, today: date) -> int:
    i = convention.internship
    same = []
    if i.host_tutor_email:
        same.append(func.lower(Internship.host_tutor_email) == i.host_tutor_email.lower())
    if i.host_tutor_name:
        same.append((func.lower(Internship.host_tutor_name) == i.host_tutor_name.lower())
                    & (Internship.host_id == i.host_id))
    if not same:
        return 0
    return db.session.execute(
        select(func.count(Convention.id)).join(Internship, Convention.internship_id == Internship.id)
        .where(or_(*same), Convention.id != convention.id, Convention.status.in_(IN_PROGRESS),
               Internship.end_date >= today)).scalar_one()


def automatic_checks(convention: Convention, today: date) -> list[CheckItem]:
    i = convention.internship
    year = i.academic_year
    items: list[CheckItem] = []
    items.append(CheckItem(
        "window", "Dates dans la fenêtre de l’année", i.start_date >= year.earliest_start,
        f"Début le {_fr(i.start_date)} ; au plus tôt le {_fr(year.earliest_start)}."))
    weeks = length_in_weeks(i.start_date, i.end_date)
    items.append(CheckItem(
        "duration", f"Durée de {year.min_weeks} à {year.max_weeks} semaines",
        year.min_weeks <= weeks <= year.max_weeks,
        f"{internships.weeks_text(i.start_date, i.end_date)}."))
    try:
        g = internships.gratification_of(i, today)
    except DomainError as err:
        g = None
        items.append(CheckItem("gratification", "Gratification au moins égale au minimum légal",
                               False, err.message))
    if g is not None:
        items.append(CheckItem(
            "hours", "Durée totale de présence ≤ 924 heures", g.hours <= MAX_HOURS,
            f"{g.hours.normalize():f} heures de présence."))
        if i.is_abroad:
            gratification = CheckItem("gratification", "Gratification (stage à l’étranger)", True,
                                      "Le minimum français est indicatif à l’étranger.")
        elif not g.due:
            gratification = CheckItem("gratification", "Gratification", True,
                                      "Non obligatoire : 308 heures ou moins.")
        elif i.agreed_amount is None:
            gratification = CheckItem(
                "gratification", "Gratification au moins égale au minimum légal", False,
                "Gratification obligatoire : le montant convenu n’est pas renseigné.")
        else:
            gratification = CheckItem("gratification",
                                      "Gratification au moins égale au minimum légal",
                                      g.comparison.ok, g.comparison.message)
        items.append(gratification)
        leave_needed = g.days > 44
        items.append(CheckItem(
            "leave", "Congés et absences prévus (stage de plus de 2 mois)",
            (not leave_needed) or bool((convention.leave_conditions or "").strip()),
            "Obligatoire au-delà de 2 mois de présence (L124-13)." if leave_needed
            else "Stage de 2 mois ou moins."))
    items.append(CheckItem(
        "tutors", "Tuteurs nommés (organisme et enseignant·e référent·e)",
        bool(i.host_tutor_name) and convention.academic_tutor_id is not None,
        "; ".join(filter(None, [
            None if i.host_tutor_name else "tuteur de l’organisme à renseigner",
            None if convention.academic_tutor_id else "enseignant·e référent·e à désigner",
        ])) or "Les deux tuteurs sont nommés."))
    items.append(CheckItem(
        "approval", "Accord pédagogique sur le sujet", convention.approved_by_id is not None,
        f"Donné par {convention.approved_by.full_name}." if convention.approved_by
        else "En attente de l’enseignant·e référent·e."))
    host = i.host
    if host.headcount is None:
        items.append(CheckItem("quota", "Quota de stagiaires de l’organisme", False,
                               "Effectif de l’organisme inconnu : renseignez-le dans l’annuaire."))
    else:
        quota = host_quota(host.headcount)
        others = [(o.start_date, o.end_date) for o in _others_at_host(convention)]
        over = weeks_over_quota(i.start_date, i.end_date, others, quota)
        items.append(CheckItem(
            "quota", "Quota de stagiaires de l’organisme", not over,
            f"{quota} stagiaires au plus en même temps ({host.headcount} salariés)."
            + (f" Dépassé la semaine du {_fr(over[0])}"
               + (f" et {len(over) - 1} autre(s)" if len(over) > 1 else "") + "." if over
               else "")))
    load = _tutor_load(convention, today)
    items.append(CheckItem(
        "host_tutor_load", "Tuteur de l’organisme : moins de 3 conventions en cours",
        tutor_can_take_another(load),
        f"{i.host_tutor_name or 'Le tuteur'} est nommé·e dans {load} autre(s) convention(s) en "
        "cours."))
    return items


def manual_checks(convention: Convention) -> list[CheckItem]:
    """The mentions checked by hand, each with who ticked it and when."""
    ticked = {check.item: check for check in convention.checks}
    items = []
    for code, label in MANUAL_ITEMS.items():
        check = ticked.get(code)
        detail = ""
        if check is not None:
            who = check.checked_by.full_name if check.checked_by else "un compte supprimé"
            detail = f"vérifié par {who} le {check.checked_at:%d/%m/%Y}"
        items.append(CheckItem(code, label, check is not None, detail, automatic=False))
    return items


def manual_check(convention: Convention, item: str) -> CheckItem:
    return next(check for check in manual_checks(convention) if check.code == item)


# ---------------------------------------------------------------- access

def can_view(user: User, convention: Convention) -> bool:
    return user.is_staff or convention.internship.student_id == user.id


def can_edit(user: User, convention: Convention) -> bool:
    if user.role in MANAGERS:
        return convention.status in ("draft", "submitted", "changes_requested")
    return (convention.internship.student_id == user.id
            and convention.status in STUDENT_EDITABLE)


def get(convention_id: int) -> Convention | None:
    return db.session.execute(
        select(Convention)
        .options(joinedload(Convention.internship).joinedload(Internship.host),
                 joinedload(Convention.internship).joinedload(Internship.student),
                 joinedload(Convention.internship).joinedload(Internship.academic_year),
                 joinedload(Convention.academic_tutor), joinedload(Convention.approved_by),
                 selectinload(Convention.events).joinedload(ConventionEvent.actor),
                 selectinload(Convention.amendments))
        .where(Convention.id == convention_id)).unique().scalar_one_or_none()


def of_internship(internship: Internship) -> Convention | None:
    return db.session.execute(
        select(Convention).where(Convention.internship_id == internship.id)).scalar_one_or_none()


# ---------------------------------------------------------------- transitions

def _check_version(convention: Convention, version: int | None) -> None:
    if version != convention.version_id:
        raise StaleEdit("cette convention")


def _move(convention: Convention, actor: User, to_status: str, comment: str | None = None):
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=convention.status,
                                             to_status=to_status, comment=comment))
    convention.status = to_status


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit("cette convention")


def _refuse(convention: Convention, action: str) -> DomainError:
    return DomainError(f"Impossible de {action} une convention « "
                       f"{convention.status_label.lower()} ».")


def _link(convention: Convention) -> str:
    return url_for("conventions.show", convention_id=convention.id)


def create(internship: Internship, actor: User) -> Convention:
    if actor.is_student and internship.student_id != actor.id:
        raise DomainError("Ce stage n’est pas le vôtre.")
    if not (actor.is_student or actor.role in MANAGERS):
        raise DomainError("La convention est préparée par l’étudiant·e ou le secrétariat.")
    if internship.status == "cancelled":
        raise DomainError("Ce stage est annulé.")
    if of_internship(internship) is not None:
        raise DomainError("Ce stage a déjà sa convention.")
    from app.tutoring.services import tutor_of

    tutor = tutor_of(internship.student, internship.academic_year)
    convention = Convention(internship=internship, status="draft",
                            academic_tutor_id=tutor.id if tutor else None)
    convention.events.append(ConventionEvent(actor_id=actor.id, from_status=None,
                                             to_status="draft"))
    db.session.add(convention)
    db.session.commit()
    return convention


def update(convention: Convention, actor: User, data: dict, version: int | None) -> None:
    _check_version(convention, version)
    if not can_edit(actor, convention):
        raise DomainError("Vous ne pouvez plus modifier cette convention : "
                          f"elle est « {convention.status_label.lower()} ».")
    for name in EDITABLE_FIELDS:
        if name in data:
            value = (data[name] or "").strip()[:5000]
            setattr(convention, name, value or None)
    _commit()


def submit(convention: Convention, actor: User, version: int | None) -> None:
    _check_version(convention, version)
    if convention.internship.student_id != actor.id and actor.role not in MANAGERS:
        raise DomainError("Seul·e l’étudiant·e ou le secrétariat soumet la convention.")
    if convention.status not in STUDENT_EDITABLE:
        raise _refuse(convention, "soumettre")
    _move(convention, actor, "submitted")
    convention.submitted_at = utcnow()
    _commit()
    from app.notifications.services import staff_to_notify

    student = convention.internship.student
    notify(staff_to_notify(), f"Convention de {student.full_name} soumise : à vérifier.",
           _link(convention))
    db.session.commit()


def request_changes(convention: Convention, actor: User, comment: str | None,
                    version: int | None) -> None:
    _check_version(convention, version)
    _manager(actor)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Dites à l’étudiant·e ce qu’il faut corriger.", "comment")
    if convention.status != "submitted":
        raise _refuse(convention, "demander des corrections sur")
    _move(convention, actor, "changes_requested", comment[:2000])
    convention.comment = comment[:2000]
    _commit()
    notify([convention.internship.student],
           f"Votre convention de stage est à corriger : {comment[:300]}", _link(convention),
           email_subject="Convention de stage : corrections demandées")
    db.session.commit()


def approve(convention: Convention, actor: User, version: int | None) -> None:
    """The academic tutor's pedagogical approval of the subject (any teacher until tutors are
    assigned); the approving teacher becomes the academic tutor when none is named."""
    _check_version(convention, version)
    if actor.role != "teacher":
        raise DomainError("L’accord pédagogique est donné par un·e enseignant·e.")
    if convention.academic_tutor_id and convention.academic_tutor_id != actor.id:
        raise DomainError("Seul·e l’enseignant·e référent·e de ce stage donne l’accord.")
    if convention.status not in ("submitted", "changes_requested"):
        raise _refuse(convention, "approuver")
    if convention.approved_by_id:
        raise DomainError("L’accord pédagogique est déjà donné.")
    convention.approved_by_id = actor.id
    convention.approved_at = utcnow()
    if convention.academic_tutor_id is None:
        convention.academic_tutor_id = actor.id
    convention.events.append(ConventionEvent(
        actor_id=actor.id, from_status=convention.status, to_status=convention.status,
        comment="Accord pédagogique sur le sujet"))
    _commit()


def set_manual_check(convention: Convention, actor: User, item: str, checked: bool) -> None:
    """Tick or untick one mention. The request names the state wanted, so it is idempotent:
    ticking a mention someone has just ticked keeps their tick, and the convention's version
    does not change (the other forms of the page stay valid)."""
    _manager(actor)
    if item not in MANUAL_ITEMS:
        raise DomainError("Mention inconnue.")
    if convention.status not in ("submitted", "changes_requested"):
        raise _refuse(convention, "vérifier")
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


def problems(convention: Convention, today: date) -> list[str]:
    """What stops validation: each failing check, named."""
    failing = [f"{c.label} : {c.detail}" for c in automatic_checks(convention, today) if not c.ok]
    failing += [f"{c.label} (à vérifier)" for c in manual_checks(convention) if not c.ok]
    return failing


def validate(convention: Convention, actor: User, version: int | None, today: date) -> None:
    _check_version(convention, version)
    _manager(actor)
    if convention.status != "submitted":
        raise _refuse(convention, "valider")
    failing = problems(convention, today)
    if failing:
        raise DomainError("Validation impossible : " + " ; ".join(failing))
    _move(convention, actor, "validated")
    _commit()
    notify([convention.internship.student], "Votre convention de stage est validée par le "
           "secrétariat : elle part en signature.", _link(convention),
           email_subject="Convention de stage validée")
    db.session.commit()


def validate_many(ids: list[int], actor: User, today: date) -> tuple[list[Convention],
                                                                     list[tuple[Convention, str]]]:
    """Bulk validation: the clean ones are validated, the others say why not."""
    _manager(actor)
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
    _manager(actor)
    if convention.status != "validated":
        raise _refuse(convention, "envoyer en signature")
    _move(convention, actor, "out_for_signature")
    _commit()


def record_signature(convention: Convention, actor: User, party: str, signed_on: date | None,
                     version: int | None, today: date) -> None:
    _check_version(convention, version)
    _manager(actor)
    if party not in SIGNATORIES:
        raise DomainError("Signataire inconnu.")
    if convention.status not in ("validated", "out_for_signature"):
        raise _refuse(convention, "enregistrer une signature sur")
    if signed_on is None:
        raise DomainError("Indiquez la date de signature.", "signed_on")
    if signed_on > today:
        raise DomainError("La date de signature ne peut pas être dans le futur.", "signed_on")
    setattr(convention, f"{party}_signed_on", signed_on)
    if convention.status == "validated":
        _move(convention, actor, "out_for_signature")
    if convention.all_signed:
        _mark_signed(convention, actor, max(convention.signed_on(p) for p in SIGNATORIES))
    _commit()


def upload_signed(convention: Convention, actor: User, raw: bytes, filename: str | None,
                  signed_on: date | None, version: int | None, today: date) -> None:
    _check_version(convention, version)
    _manager(actor)
    if convention.status not in ("validated", "out_for_signature"):
        raise _refuse(convention, "déposer la version signée de")
    if signed_on is None or signed_on > today:
        raise DomainError("Indiquez la date de la dernière signature (pas dans le futur).",
                          "signed_on")
    stored = files.store_pdf(raw, filename, actor.id)
    convention.signed_pdf = stored
    for party in SIGNATORIES:
        if convention.signed_on(party) is None:
            setattr(convention, f"{party}_signed_on", signed_on)
    _mark_signed(convention, actor, signed_on, comment="Version signée déposée")
    _commit()


def _mark_signed(convention: Convention, actor: User, signed_on: date,
                 comment: str | None = None) -> None:
    _move(convention, actor, "signed", comment)
    # The legal minimum in force on this day applies to the whole internship (RULES §2).
    convention.internship.convention_signed_on = signed_on


def cancel(convention: Convention, actor: User, comment: str | None,
           version: int | None) -> None:
    _check_version(convention, version)
    _manager(actor)
    if convention.status == "cancelled":
        raise _refuse(convention, "annuler")
    if not (comment or "").strip():
        raise DomainError("Indiquez le motif de l’annulation.", "comment")
    _move(convention, actor, "cancelled", comment.strip()[:2000])
    convention.internship.convention_signed_on = None
    _commit()


def _manager(actor: User) -> None:
    if actor.role not in MANAGERS:
        raise DomainError("Seul le secrétariat peut faire cela.")


# ---------------------------------------------------------------- amendments

def amend(convention: Convention, actor: User, kind: str, reason: str, values: dict,
          version: int | None, today: date) -> Amendment:
    """Change a signed convention: the checks run again on the new values."""
    _check_version(convention, version)
    _manager(actor)
    if convention.status != "signed":
        raise DomainError("Un avenant ne concerne qu’une convention signée.")
    if kind not in AMENDMENT_KINDS:
        raise DomainError("Type d’avenant inconnu.", "kind")
    if not (reason or "").strip():
        raise DomainError("Indiquez le motif de l’avenant.", "reason")
    i = convention.internship
    if kind == "academic_tutor":
        return _amend_tutor(convention, actor, reason, values.get("academic_tutor_id"))
    fields = {
        "dates": ("start_date", "end_date"),
        "host_tutor": ("host_tutor_name", "host_tutor_position", "host_tutor_email",
                       "host_tutor_phone"),
        "gratification": ("agreed_amount", "agreed_unit"),
        "subject": ("subject", "missions"),
    }[kind]
    changes = {}
    for name in fields:
        if name in values and values[name] not in (None, "") and values[name] != getattr(i, name):
            changes[name] = [_plain(getattr(i, name)), _plain(values[name])]
    if not changes:
        raise DomainError("L’avenant ne change rien.")
    data = internships.InternshipData(
        host_id=i.host_id, subject=i.subject, start_date=i.start_date, end_date=i.end_date,
        work_days=i.schedule.days, weekly_hours=Decimal(i.weekly_hours),
        holidays_worked=i.holidays_worked, zone=i.zone, country=i.country, offer_id=i.offer_id,
        missions=i.missions, skills=i.skills, objectives=[o.statement for o in i.objectives],
        host_tutor_name=i.host_tutor_name, host_tutor_position=i.host_tutor_position,
        host_tutor_email=i.host_tutor_email, host_tutor_phone=i.host_tutor_phone,
        agreed_amount=i.agreed_amount, agreed_unit=i.agreed_unit)
    for name in changes:
        setattr(data, name, values[name])
    internships.validate(i.student, data, i.id)   # the department's and the law's checks
    for name in changes:
        setattr(i, name, values[name])
    failing = [f"{c.label} : {c.detail}" for c in automatic_checks(convention, today)
               if not c.ok and c.code not in ("approval",)]
    if failing:
        db.session.rollback()
        raise DomainError("Avenant refusé : " + " ; ".join(failing))
    amendment = Amendment(convention=convention, kind=kind, reason=reason.strip()[:2000],
                          changes=changes, actor_id=actor.id)
    db.session.add(amendment)
    convention.events.append(ConventionEvent(
        actor_id=actor.id, from_status="signed", to_status="signed",
        comment=f"Avenant ({AMENDMENT_KINDS[kind].lower()}) : {reason.strip()[:300]}"))
    _commit()
    return amendment


def _amend_tutor(convention: Convention, actor: User, reason: str, teacher_id) -> Amendment:
    from app.tutoring.services import assign

    teacher = db.session.get(User, teacher_id or 0)
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError("Choisissez le nouvel enseignant·e référent·e.", "academic_tutor_id")
    if teacher.id == convention.academic_tutor_id:
        raise DomainError("L’avenant ne change rien.")
    before = convention.academic_tutor.full_name if convention.academic_tutor else None
    i = convention.internship
    assign(actor, i.student, teacher, i.academic_year, f"Avenant : {reason.strip()[:200]}",
           commit=False, amendment=True)
    convention.academic_tutor_id = teacher.id
    amendment = Amendment(convention=convention, kind="academic_tutor",
                          reason=reason.strip()[:2000],
                          changes={"academic_tutor": [before, teacher.full_name]},
                          actor_id=actor.id)
    db.session.add(amendment)
    convention.events.append(ConventionEvent(
        actor_id=actor.id, from_status="signed", to_status="signed",
        comment=f"Avenant (enseignant·e référent·e) : {reason.strip()[:300]}"))
    _commit()
    return amendment


def _plain(value):
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


# ---------------------------------------------------------------- the queue

@dataclass
class QueueFilters:
    q: str = ""
    status: str = ""
    soon: bool = False


def queue_query(filters: QueueFilters, today: date):
    if filters.soon:  # the urgency looks at the internship's dates
        stmt = (select(Convention).join(Convention.internship).join(Internship.student)
                .join(Internship.host)
                .options(contains_eager(Convention.internship)
                         .contains_eager(Internship.student),
                         contains_eager(Convention.internship).contains_eager(Internship.host)))
    else:  # no join in the count: the page loads its internships, students and hosts
        stmt = select(Convention).options(
            joinedload(Convention.internship).joinedload(Internship.student),
            joinedload(Convention.internship).joinedload(Internship.host))
    if filters.status in STATUSES:
        stmt = stmt.where(Convention.status == filters.status)
    else:
        stmt = stmt.where(Convention.status.not_in(("cancelled",)))
    if filters.soon:
        stmt = stmt.where(Convention.status.not_in(("signed", "cancelled")),
                          Internship.start_date <= today + timedelta(days=SOON_DAYS))
    # the internship's text holds its student's and host's names: one index answers
    clause = matching(filters.q, Internship.search_text, key=Convention.internship_id)
    if clause is not None:
        stmt = stmt.where(clause)
    # oldest waiting first; drafts (never submitted) last. One status: the index serves.
    if filters.status and filters.status != "draft":
        return stmt.order_by(Convention.submitted_at.asc(), Convention.id)
    return stmt.order_by(Convention.submitted_at.asc().nulls_last(), Convention.id)


def counts() -> dict[str, int]:
    result = {s: 0 for s in STATUSES}
    result.update(dict(db.session.execute(
        select(Convention.status, func.count()).group_by(Convention.status)).all()))
    return result


def starts_soon(convention: Convention, today: date) -> bool:
    return (convention.status not in ("signed", "cancelled")
            and convention.internship.start_date <= today + timedelta(days=SOON_DAYS))


def teacher_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(User.id, User.last_name, User.first_name).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.last_name)).all()
    return [(r.id, f"{r.last_name} {r.first_name}") for r in rows]


def set_academic_tutor(convention: Convention, actor: User, teacher_id: int | None,
                       version: int | None) -> None:
    _check_version(convention, version)
    _manager(actor)
    teacher = db.session.get(User, teacher_id or 0)
    if teacher is None or teacher.role != "teacher" or not teacher.active:
        raise DomainError("Choisissez un·e enseignant·e.", "academic_tutor_id")
    if convention.status in ("signed", "cancelled"):
        raise DomainError("Après signature, le changement de tuteur passe par un avenant.")
    convention.academic_tutor_id = teacher.id
    if convention.approved_by_id and convention.approved_by_id != teacher.id:
        convention.approved_by_id = None  # the new tutor gives their own approval
        convention.approved_at = None
    _commit()
