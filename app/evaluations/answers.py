"""Answering an evaluation, once: its questions, the ratings of the SMART objectives, and
what the host's answer tells the student and the tutor."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import update

from app import links
from app.accounts.models import utcnow
from app.errors import DomainError
from app.evaluations.models import RATINGS, Evaluation
from app.extensions import db

QUESTIONS = {
    "host_tutor": [("appreciation", "Appréciation générale du travail du stagiaire"),
                   ("strengths", "Points forts"), ("improve", "Points à améliorer")],
    "academic_tutor": [("defense", "Appréciation de la soutenance (présentation, réponses)"),
                       ("grade", "Note proposée (sur 20, facultative)")],
    "student_host": [("welcome", "Accueil et intégration dans l’organisme"),
                     ("supervision", "Encadrement par le tuteur"),
                     ("recommend", "Recommanderiez-vous cet organisme ? Pourquoi ?")],
}


class AlreadyAnswered(DomainError):
    """The evaluation was answered (by another request) since it was read."""

    def __init__(self):
        super().__init__("Cette évaluation a déjà été envoyée : elle ne se modifie plus.")


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
