"""Evaluations: opened when an internship ends, a signed link for the host tutor, forms that
rate the SMART objectives, reminders and who has not answered."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User, utcnow
from app.errors import DomainError
from app.evaluations.models import KINDS, RATINGS, Evaluation
from app.extensions import db
from app.internships.models import Internship
from app.notifications import mail

QUESTIONS = {
    "host_tutor": [("appreciation", "Appréciation générale du travail du stagiaire"),
                   ("strengths", "Points forts"), ("improve", "Points à améliorer")],
    "academic_tutor": [("defense", "Appréciation de la soutenance (présentation, réponses)"),
                       ("grade", "Note proposée (sur 20, facultative)")],
    "student_host": [("welcome", "Accueil et intégration dans l’organisme"),
                     ("supervision", "Encadrement par le tuteur"),
                     ("recommend", "Recommanderiez-vous cet organisme ? Pourquoi ?")],
}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="evaluation-link")


def link_token(evaluation: Evaluation) -> str:
    return _serializer().dumps({"e": evaluation.id, "n": evaluation.token_nonce})


ALREADY_SENT = "Cette évaluation a déjà été envoyée : merci ! Le lien ne sert qu’une fois."


class AlreadyAnswered(DomainError):
    """The evaluation was answered (by another request) since it was read."""

    def __init__(self):
        super().__init__("Cette évaluation a déjà été envoyée : elle ne se modifie plus.")


class LinkRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def evaluation_for_token(token: str) -> Evaluation:
    days = current_app.config.get("EVALUATION_LINK_DAYS", 30)
    try:
        data = _serializer().loads(token, max_age=days * 86400)
    except SignatureExpired:
        raise LinkRefused("Ce lien a expiré. Demandez-en un nouveau au secrétariat du "
                          "département.")
    except BadSignature:
        raise LinkRefused("Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier.")
    evaluation = db.session.get(Evaluation, data.get("e") if isinstance(data, dict) else None)
    if evaluation is None or evaluation.kind != "host_tutor" \
            or not secrets.compare_digest(evaluation.token_nonce or "", str(data.get("n"))):
        raise LinkRefused("Ce lien n’est pas valide.")
    if evaluation.submitted_at is not None:
        raise LinkRefused(ALREADY_SENT)
    return evaluation


def _send_host_link(evaluation: Evaluation, reminder: bool = False) -> bool:
    i = evaluation.internship
    if not i.host_tutor_email:
        return False
    link = url_for("evaluations.by_link", token=link_token(evaluation), _external=True)
    if current_app.config.get("PUBLIC_URL"):
        link = current_app.config["PUBLIC_URL"].rstrip("/") + url_for(
            "evaluations.by_link", token=link_token(evaluation))
    subject = ("Rappel : " if reminder else "") + f"Évaluation du stage de {i.student.full_name}"
    body = (f"Bonjour {i.host_tutor_name or ''},\n\n{i.student.full_name} a terminé son stage "
            f"chez {i.host.name}. Merci d’évaluer son stage (quelques minutes, sans compte) :\n"
            f"{link}\n\nLe lien est valable "
            f"{current_app.config.get('EVALUATION_LINK_DAYS', 30)} jours.\n\n"
            "— Le secrétariat du département\n")
    mail.queue(i.host_tutor_email, subject, body)  # sent after the caller's commit
    return True


def open_evaluations(internship: Internship, today: date) -> list[Evaluation]:
    """Create the three evaluations of an ended internship (once) and send the host's link."""
    if internship.status == "cancelled" or internship.end_date >= today:
        raise DomainError("Les évaluations s’ouvrent une fois le stage terminé.")
    existing = {e.kind: e for e in db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id)).scalars()}
    created = []
    for kind in KINDS:
        if kind not in existing:
            e = Evaluation(internship=internship, kind=kind, answers={}, ratings={},
                           token_nonce=secrets.token_hex(8) if kind == "host_tutor" else None)
            db.session.add(e)
            created.append(e)
    db.session.flush()
    for e in created:
        if e.kind == "host_tutor":
            _send_host_link(e)
    db.session.commit()
    return created


def open_all_ended(today: date) -> int:
    ended = db.session.execute(
        select(Internship).options(joinedload(Internship.student), joinedload(Internship.host))
        .where(Internship.end_date < today, Internship.status != "cancelled")).scalars().all()
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
                   f"/evaluations/{e.id}", email_subject=f"Rappel : {e.kind_label}")
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


def can_view(user: User, evaluation: Evaluation) -> bool:
    if user.role in ("secretariat", "admin"):
        return True
    return can_answer(user, evaluation) or (
        evaluation.kind == "student_host" and evaluation.internship.student_id == user.id)


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
            raise DomainError(f"Évaluez l’objectif « {objective.statement[:80]} ».",
                              f"objective-{objective.id}")
        ratings[str(objective.id)] = value
    answers = {}
    for key, label in QUESTIONS[evaluation.kind]:
        value = (form.get(key) or "").strip()
        if len(value) > 5000:
            raise DomainError(f"« {label} » : 5000 caractères au plus.", key)
        answers[key] = value
    if evaluation.kind == "academic_tutor" and answers.get("grade"):
        try:
            grade = float(answers["grade"].replace(",", "."))
        except ValueError:
            grade = -1
        if not 0 <= grade <= 20:
            raise DomainError("La note est un nombre de 0 à 20.", "grade")
    first_key = QUESTIONS[evaluation.kind][0][0]
    if not answers[first_key]:
        raise DomainError("Ce champ est obligatoire.", first_key)
    answered = db.session.execute(
        update(Evaluation).where(Evaluation.id == evaluation.id,
                                 Evaluation.submitted_at.is_(None))
        .values(ratings=ratings, answers=answers, submitted_at=utcnow())
        .execution_options(synchronize_session=False))
    if answered.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered()
    db.session.commit()  # and the evaluation is read again, answered
    return evaluation


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
