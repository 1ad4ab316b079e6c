"""Opening the evaluations when an internship ends (the defence's on its day), the host
tutor's signed link, and the reminders to whoever has not answered."""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from app import links, signed_links
from app.accounts.models import utcnow
from app.errors import DomainError
from app.evaluations.models import KINDS, Evaluation
from app.extensions import db
from app.internships.models import Internship
from app.notifications import mail
from app.signed_links import LinkRefused

SALT = "evaluation-link"


def link_token(evaluation: Evaluation) -> str:
    return signed_links.make(SALT, "e", evaluation.id, evaluation.token_nonce)


ALREADY_SENT = "Cette évaluation a déjà été envoyée : merci ! Le lien ne sert qu’une fois."


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
