"""Evaluations: opened when an internship ends, a signed link for the host tutor, forms that
rate the SMART objectives, reminders and who has not answered."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import access, links, signed_links
from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.evaluations.models import KINDS, RATINGS, Evaluation
from app.extensions import db
from app.internships.models import Internship
from app.notifications import mail
from app.signed_links import LinkRefused

QUESTIONS = {
    "host_tutor": [("appreciation", "Appréciation générale du travail du stagiaire"),
                   ("strengths", "Points forts"), ("improve", "Points à améliorer")],
    "academic_tutor": [("defense", "Appréciation de la soutenance (présentation, réponses)"),
                       ("grade", "Note proposée (sur 20, facultative)")],
    "student_host": [("welcome", "Accueil et intégration dans l’organisme"),
                     ("supervision", "Encadrement par le tuteur"),
                     ("recommend", "Recommanderiez-vous cet organisme ? Pourquoi ?")],
}


SALT = "evaluation-link"


def link_token(evaluation: Evaluation) -> str:
    return signed_links.make(SALT, "e", evaluation.id, evaluation.token_nonce)


ALREADY_SENT = "Cette évaluation a déjà été envoyée : merci ! Le lien ne sert qu’une fois."


class AlreadyAnswered(DomainError):
    """The evaluation was answered (by another request) since it was read."""

    def __init__(self):
        super().__init__("Cette évaluation a déjà été envoyée : elle ne se modifie plus.")


def evaluation_for_token(token: str) -> Evaluation:
    evaluation_id, nonce = signed_links.record_id(
        SALT, "e", token, current_app.config.get("EVALUATION_LINK_DAYS", 30),
        "Ce lien a expiré. Demandez-en un nouveau au secrétariat du département.")
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None or evaluation.kind != "host_tutor" \
            or not signed_links.same_nonce(evaluation.token_nonce, nonce):
        raise LinkRefused(signed_links.INVALID)
    if evaluation.submitted_at is not None:
        raise LinkRefused(ALREADY_SENT)
    return evaluation


def _send_host_link(evaluation: Evaluation, reminder: bool = False) -> bool:
    i = evaluation.internship
    if not i.host_tutor_email:
        return False
    link = links.external(links.path("evaluations.by_link", token=link_token(evaluation)))
    subject = ("Rappel : " if reminder else "") + f"Évaluation du stage de {i.student.full_name}"
    body = (f"Bonjour {i.host_tutor_name or ''},\n\n{i.student.full_name} a terminé son stage "
            f"dans votre organisme ({i.host.name}). Merci d’évaluer son stage (quelques "
            "minutes, sans compte) :\n"
            f"{link}\n\nLe lien est valable "
            f"{current_app.config.get('EVALUATION_LINK_DAYS', 30)} jours.\n\n"
            "— Le secrétariat du département\n")
    mail.queue(i.host_tutor_email, subject, body)  # sent after the caller's commit
    return True


def _defense_day(internship: Internship) -> date | None:
    """The day of ``internship``'s published defence (None while it is not set)."""
    defense = internship.defense
    if defense is None or not defense.published:
        return None
    return defense.starts_at.date()


def open_evaluations(internship: Internship, today: date) -> list[Evaluation]:
    """Open the evaluations of an ended internship that are due (each once), in one
    transaction with what they cause: the host's and the student's once the internship has
    ended (the host tutor gets their link by email, the student a notification and an
    email); the defence's (``academic_tutor``) on the day of the published defence, not
    before: while the defence is not set it waits (the daily ``send-evaluation-reminders``
    and the secretariat's « Ouvrir » open it when its day comes), and the tutor is told."""
    from app.notifications.services import notify
    from app.tutoring.services import tutor_of

    if internship.status == "cancelled" or internship.end_date >= today:
        raise DomainError(_("Les évaluations s’ouvrent une fois le stage terminé."))
    existing = {e.kind: e for e in db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id)).scalars()}
    defense_day = _defense_day(internship)
    due = [kind for kind in KINDS if kind != "academic_tutor"
           or (defense_day is not None and defense_day <= today)]
    created = []
    for kind in due:
        if kind not in existing:
            e = Evaluation(internship=internship, kind=kind, answers={}, ratings={},
                           token_nonce=secrets.token_hex(8) if kind == "host_tutor" else None)
            db.session.add(e)
            created.append(e)
    if not created:
        return created
    db.session.flush()
    student = internship.student
    for e in created:
        if e.kind == "host_tutor":
            _send_host_link(e)
        elif e.kind == "student_host":
            notify([student], f"Votre stage ({internship.host.name}) est terminé : "
                              "évaluez l’organisme qui vous a accueilli·e (quelques minutes, "
                              "une obligation légale).",
                   links.path("evaluations.answer", evaluation_id=e.id),
                   email_subject="Évaluez votre organisme d’accueil")
        else:
            notify([tutor_of(student, internship.academic_year)],
                   f"L’évaluation de la soutenance de {student.full_name} "
                   f"({defense_day:%d/%m/%Y}) est ouverte : à vous de l’écrire.",
                   links.path("evaluations.answer", evaluation_id=e.id),
                   email_subject="Évaluation de soutenance à écrire")
    db.session.commit()
    return created


def open_all_ended(today: date) -> int:
    """Open what is due of every ended internship's evaluations; how many were opened."""
    ended = db.session.execute(
        select(Internship).options(joinedload(Internship.student), joinedload(Internship.host),
                                   selectinload(Internship.defense))
        .where(Internship.end_date < today, Internship.status != "cancelled",
               ~exists().where(Evaluation.internship_id == Internship.id,  # the last opened
                               Evaluation.kind == "academic_tutor"))).scalars().all()
    return sum(len(open_evaluations(i, today)) for i in ended)


def send_reminders(today: date, delay_days: int) -> int:
    """Remind whoever has not answered ``delay_days`` after the last message."""
    from app.notifications.services import notify
    from app.tutoring.services import tutor_of

    open_all_ended(today)
    limit = datetime.combine(today - timedelta(days=delay_days), datetime.min.time())
    sent = 0
    pending = db.session.execute(
        select(Evaluation).options(joinedload(Evaluation.internship).joinedload(
            Internship.student)).where(Evaluation.submitted_at.is_(None))).scalars().all()
    for e in pending:
        last = (e.last_reminded_at or e.created_at).replace(tzinfo=None)
        if last > limit:
            continue
        if e.kind == "host_tutor":
            ok = _send_host_link(e, reminder=True)
        else:
            who = e.internship.student if e.kind == "student_host" else tutor_of(
                e.internship.student, e.internship.academic_year)
            notify([who], f"Rappel : {e.kind_label.lower()} — stage de "
                          f"{e.internship.student.full_name}.",
                   links.path("evaluations.answer", evaluation_id=e.id),
                   email_subject=f"Rappel : {e.kind_label}")
            ok = who is not None
        if ok:
            e.reminders_sent += 1
            e.last_reminded_at = utcnow()
            sent += 1
    db.session.commit()
    return sent


def can_answer(user: User | None, evaluation: Evaluation) -> bool:
    return evaluation.submitted_at is None and answers_it(user, evaluation)


def answers_it(user: User | None, evaluation: Evaluation) -> bool:
    """Whether ``user`` is the one who answers ``evaluation`` (answered yet or not)."""
    from app.tutoring.services import tutor_of

    if user is None:
        return False
    i = evaluation.internship
    if evaluation.kind == "student_host":
        return user.id == i.student_id
    if evaluation.kind == "academic_tutor":
        tutor = tutor_of(i.student, i.academic_year)
        return tutor is not None and tutor.id == user.id
    return False


def _may_view(user: User, evaluation: Evaluation, concerned: bool,
              tutor_id: int | None) -> bool:
    """``can_view`` from what the caller read: ``concerned``, whether ``user`` may read the
    student's private records of the internship's year (``app.access``); ``tutor_id``, the
    student's current tutor of that year."""
    if access.sees_all(user):
        return True
    i = evaluation.internship
    if evaluation.kind == "student_host":
        return user.id == i.student_id
    if evaluation.kind == "academic_tutor":
        return tutor_id is not None and user.id == tutor_id
    # the host's evaluation of the intern, once closed (submitted)
    return evaluation.submitted_at is not None and (
        user.id == i.student_id or (user.role == "teacher" and concerned))


def can_view(user: User, evaluation: Evaluation) -> bool:
    """Who reads an evaluation; the routes answer 404 to anyone else.

    - The secretariat, the admin and the coordinator: every evaluation, answered or not.
    - The one who answers it, before (to answer) and after (to read back what they sent):
      the student their evaluation of the host, the student's current tutor of the year
      the defence's.
    - The host's evaluation of the intern, once it is closed: the student, and the teachers
      concerned by the student that year (``app.access``: the current tutor, the jury of
      the published defence). There is no explicit closing step: an evaluation is closed
      when it is submitted, its answers never change afterwards (``submit``).
    """
    from app.tutoring.services import tutor_of

    i = evaluation.internship
    concerned = tutor_id = None
    if not access.sees_all(user) and user.role == "teacher":
        if evaluation.kind == "host_tutor":
            concerned = access.can_read_private(user, i.student_id, i.academic_year_id)
        elif evaluation.kind == "academic_tutor":
            tutor = tutor_of(i.student, i.academic_year)
            tutor_id = tutor.id if tutor else None
    return _may_view(user, evaluation, bool(concerned), tutor_id)


@dataclass
class Readers:
    """For a list of evaluations: what ``user`` may do with each, answered from two queries
    whatever the list's length."""
    user: User
    can_open: object  # access.opener(user)
    tutors: dict[tuple[int, int], int]  # (student, year) -> current tutor

    def view(self, evaluation: Evaluation) -> bool:
        i = evaluation.internship
        return _may_view(self.user, evaluation,
                         self.can_open(i.student_id, i.academic_year_id),
                         self.tutors.get((i.student_id, i.academic_year_id)))

    def answer(self, evaluation: Evaluation) -> bool:
        i = evaluation.internship
        if evaluation.submitted_at is not None:
            return False
        if evaluation.kind == "student_host":
            return self.user.id == i.student_id
        return (evaluation.kind == "academic_tutor"
                and self.tutors.get((i.student_id, i.academic_year_id)) == self.user.id)


def readers(user: User, rows: list[StatusRow]) -> Readers:
    from app.tutoring.models import TutorAssignment

    students = {r.internship.student_id for r in rows}
    tutors = {}
    if students:
        tutors = {(s, y): t for s, y, t in db.session.execute(
            select(TutorAssignment.student_id, TutorAssignment.academic_year_id,
                   TutorAssignment.teacher_id)
            .where(TutorAssignment.student_id.in_(students),
                   TutorAssignment.ended_at.is_(None)))}
    return Readers(user, access.opener(user), tutors)


@dataclass
class Attainment:
    """One SMART objective and how each evaluation rated it (None: not rated, or not sent)."""
    statement: str
    ratings: dict[str, str | None]


ATTAINMENT_KINDS = {"student_host": "Auto-évaluation de l’étudiant·e",
                    "host_tutor": "Organisme d’accueil",
                    "academic_tutor": "Enseignant·e référent·e"}


def can_read_attainment(user: User, internship: Internship) -> bool:
    """The combined view of the objectives: the student, the teachers concerned by them
    that year, the secretariat and the coordinator (``app.access``)."""
    return access.can_read_private(user, internship.student_id, internship.academic_year_id)


def attainment(internship: Internship) -> tuple[list[Attainment], dict[str, Evaluation]]:
    """Each objective of ``internship`` with its rating by the student (their evaluation of
    the host rates the objectives too: their self-assessment), the host and the tutor, from
    the closed (submitted) evaluations only; and those evaluations, by kind."""
    closed = {e.kind: e for e in db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id,
        Evaluation.submitted_at.is_not(None))).scalars()}
    rows = [Attainment(o.statement, {kind: RATINGS.get((closed[kind].ratings or {}).get(
        str(o.id))) if kind in closed else None for kind in ATTAINMENT_KINDS})
        for o in internship.objectives]
    return rows, closed


def submit(evaluation: Evaluation, form, today: date) -> Evaluation:
    """Record the answers: a rating for each objective and the open questions. An evaluation
    is answered once: the answers are written by a conditional UPDATE (``submitted_at`` still
    unset), so of two requests sending it at the same instant the second changes nothing and
    gets ``AlreadyAnswered``."""
    if evaluation.submitted_at is not None:
        raise AlreadyAnswered()
    ratings = {}
    for objective in evaluation.internship.objectives:
        value = form.get(f"objective-{objective.id}", "")
        if value not in RATINGS:
            raise DomainError(_("Évaluez l’objectif « %(statement)s ».",
                              statement=objective.statement[:80]),
                              f"objective-{objective.id}")
        ratings[str(objective.id)] = value
    answers = {}
    for key, label in QUESTIONS[evaluation.kind]:
        value = (form.get(key) or "").strip()
        if len(value) > 5000:
            raise DomainError(_("« %(label)s » : 5000 caractères au plus.", label=label), key)
        answers[key] = value
    if evaluation.kind == "academic_tutor" and answers.get("grade"):
        try:
            grade = float(answers["grade"].replace(",", "."))
        except ValueError:
            grade = -1
        if not 0 <= grade <= 20:
            raise DomainError(_("La note est un nombre de 0 à 20."), "grade")
    first_key = QUESTIONS[evaluation.kind][0][0]
    if not answers[first_key]:
        raise DomainError(_("Ce champ est obligatoire."), first_key)
    answered = db.session.execute(
        update(Evaluation).where(Evaluation.id == evaluation.id,
                                 Evaluation.submitted_at.is_(None))
        .values(ratings=ratings, answers=answers, submitted_at=utcnow())
        .execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered()
    if evaluation.kind == "host_tutor":
        _tell_host_answered(evaluation)
    db.session.commit()  # and the evaluation is read again, answered
    return evaluation


def _tell_host_answered(evaluation: Evaluation) -> None:
    """The host's evaluation is closed: the student may read it (a notification and an
    email), and their tutor (a notification); in the submission's transaction."""
    from app.notifications.services import notify
    from app.tutoring.services import tutor_of

    i = evaluation.internship
    link = links.path("evaluations.answer", evaluation_id=evaluation.id)
    notify([i.student], f"{i.host.name} a évalué votre stage : son appréciation et les "
                        "objectifs atteints sont à lire.", link,
           email_subject="L’évaluation de votre stage est arrivée")
    notify([tutor_of(i.student, i.academic_year)],
           f"{i.host.name} a évalué le stage de {i.student.full_name}.", link)


@dataclass
class StatusRow:
    internship: Internship
    evaluations: dict[str, Evaluation]


def status_rows(user: User, year=None) -> list[StatusRow]:
    """The evaluations ``user`` follows, of the internships of ``year`` (all years: None)."""
    stmt = (select(Evaluation).join(Evaluation.internship)
            .options(joinedload(Evaluation.internship).joinedload(Internship.student),
                     joinedload(Evaluation.internship).joinedload(Internship.host))
            .order_by(Internship.end_date.desc(), Evaluation.id))
    if year is not None:
        stmt = stmt.where(Internship.academic_year_id == year.id)
    if user.is_student:
        stmt = stmt.where(Internship.student_id == user.id)
    elif user.role == "teacher":
        from app.tutoring.models import TutorAssignment

        tutored = select(TutorAssignment.student_id).where(
            TutorAssignment.teacher_id == user.id, TutorAssignment.ended_at.is_(None))
        if year is not None:
            tutored = tutored.where(TutorAssignment.academic_year_id == year.id)
        stmt = stmt.where(Internship.student_id.in_(tutored))
    rows: dict[int, StatusRow] = {}
    for e in db.session.execute(stmt).unique().scalars():
        rows.setdefault(e.internship_id, StatusRow(e.internship, {})).evaluations[e.kind] = e
    return list(rows.values())


def get(evaluation_id: int) -> Evaluation | None:
    return db.session.execute(
        select(Evaluation).options(joinedload(Evaluation.internship).selectinload(
            Internship.objectives)).where(Evaluation.id == evaluation_id)).unique() \
        .scalar_one_or_none()
