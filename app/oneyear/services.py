"""« Un an après »: twelve months after an internship ended, the former student and the host
tutor are asked what it changed in the team's work; with their consent, the answer becomes a
good practice linked to the host (moderated like every good practice), and the statistics
count the internships that led to one."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import distinct, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import links, signed_links
from app.accounts.models import utcnow
from app.errors import DomainError
from app.extensions import db
from app.feedback.models import GoodPractice
from app.internships.models import CLOSED, Internship
from app.notifications import mail
from app.notifications.services import notify, staff_to_notify
from app.offers.services import domains
from app.oneyear.models import OneYearSurvey
from app.rules.formatting import de, period_text
from app.rules.oneyear import ended_between
from app.signed_links import LinkRefused

MAX_CHARS = 5000
ALREADY_SENT = ("Ce questionnaire a déjà été envoyé : merci ! Le lien ne sert qu’une fois.")


SALT = "one-year-survey"


def link_token(survey: OneYearSurvey) -> str:
    return signed_links.make(SALT, "s", survey.id, survey.token_nonce)


class AlreadyAnswered(DomainError):
    def __init__(self):
        super().__init__(ALREADY_SENT)


def survey_for_token(token: str) -> OneYearSurvey:
    survey_id, nonce = signed_links.record_id(
        SALT, "s", token, current_app.config["ONE_YEAR_LINK_DAYS"],
        "Ce lien a expiré. Écrivez au secrétariat du département si vous souhaitez encore "
        "répondre.")
    survey = db.session.get(OneYearSurvey, survey_id)
    if survey is None or not signed_links.same_nonce(survey.token_nonce, nonce):
        raise LinkRefused(signed_links.INVALID)
    if survey.answered_at is not None:
        raise LinkRefused(ALREADY_SENT)
    return survey


# ---------------------------------------------------------------- sending

def due_internships(today: date) -> list[Internship]:
    """The internships whose questionnaire is due on ``today`` (:mod:`app.rules.oneyear`):
    those that took place (a signed convention, not cancelled nor interrupted)."""
    first, last = ended_between(today)
    return list(db.session.execute(
        select(Internship).options(joinedload(Internship.student), joinedload(Internship.host))
        .where(Internship.end_date.between(first, last),
               Internship.convention_signed_on.is_not(None),
               Internship.status.not_in(CLOSED))
        .order_by(Internship.end_date, Internship.id)).scalars())


def _recipients(internship: Internship) -> list[tuple[str, str, str]]:
    """(respondent, email, greeting name) of each person asked."""
    people = [("student", internship.student.email, internship.student.first_name)]
    if internship.host_tutor_email:
        people.append(("host_tutor", internship.host_tutor_email,
                       internship.host_tutor_name or ""))
    return people


def _body(survey: OneYearSurvey, name: str, link: str) -> str:
    i = survey.internship
    if survey.respondent == "student":
        about = (f"il y a un an se terminait votre stage ({i.host.name}, "
                 f"{period_text(i.start_date, i.end_date)}).")
    else:
        about = (f"il y a un an se terminait le stage {de(i.student.full_name)} dans votre "
                 f"organisme, {period_text(i.start_date, i.end_date)}.")
    return (f"Bonjour {name},\n\n{about}\n\nQu’a-t-il changé dans le travail de l’équipe ? "
            "Une innovation, un progrès qu’il a inspiré ? Trois questions, quelques minutes, "
            f"sans compte :\n{link}\n\nAvec votre accord, votre réponse sera publiée comme "
            "bonne pratique pour les étudiant·es du département, après relecture.\n"
            f"Le lien est valable {current_app.config['ONE_YEAR_LINK_DAYS']} jours.\n\n"
            "— Le secrétariat du département\n")


def answer_link(survey: OneYearSurvey) -> str | None:
    """The address of the answer page in the email (on ``PUBLIC_URL``)."""
    return links.external(links.path("oneyear.answer", token=link_token(survey)))


def send_due(today: date) -> int:
    """Send the questionnaires due on ``today``, once per internship and respondent: each is
    written in its own savepoint, and the unique (internship, respondent) constraint makes a
    second sender (another worker, the same job run twice) skip it. Returns the number of
    questionnaires sent."""
    sent = 0
    for internship in due_internships(today):
        asked = set(db.session.execute(select(OneYearSurvey.respondent).where(
            OneYearSurvey.internship_id == internship.id)).scalars())
        for respondent, address, name in _recipients(internship):
            if respondent in asked:
                continue
            survey = OneYearSurvey(internship=internship, respondent=respondent,
                                   email=address, token_nonce=secrets.token_hex(8))
            try:
                with db.session.begin_nested():
                    db.session.add(survey)
                    db.session.flush()
                    mail.queue(address, "Un an après votre stage : ce qu’il a changé"
                               if respondent == "student" else
                               f"Un an après le stage {de(internship.student.full_name)}",
                               _body(survey, name, answer_link(survey)))
            except IntegrityError:  # sent by someone else in the meantime
                continue
            sent += 1
    db.session.commit()
    return sent


# ---------------------------------------------------------------- answering

def _text(value, field: str, label: str, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("« %(label)s » : ce champ est obligatoire.", label=label), field)
    if len(value) > MAX_CHARS:
        raise DomainError(_("« %(label)s » : %(chars)s caractères au plus.",
                          label=label, chars=MAX_CHARS), field)
    return value or None


def _domain(internship: Internship) -> str:
    return internship.domain or next(iter(domains()))


def answer(survey: OneYearSurvey, data: dict) -> OneYearSurvey:
    """Record the answer, once (a conditional UPDATE: of two sendings at the same instant the
    second gets :class:`AlreadyAnswered`). With consent, a good practice linked to the host
    waits for moderation and the secretariat is told."""
    changed = _text(data.get("changed"), "changed", "Ce que le stage a changé", required=True)
    inspired = _text(data.get("inspired"), "inspired", "Une innovation, un progrès inspiré")
    consent = bool(data.get("consent"))
    done = db.session.execute(
        update(OneYearSurvey).where(OneYearSurvey.id == survey.id,
                                    OneYearSurvey.answered_at.is_(None))
        .values(changed=changed, inspired=inspired, consent=consent, answered_at=utcnow())
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise AlreadyAnswered()
    if consent:
        practice = _practice_from(survey, changed, inspired)
        db.session.execute(update(OneYearSurvey).where(OneYearSurvey.id == survey.id)
                           .values(practice_id=practice.id)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.refresh(survey)
    return survey


def _practice_from(survey: OneYearSurvey, changed: str, inspired: str | None) -> GoodPractice:
    i = survey.internship
    who = ("l’ancien·ne stagiaire" if survey.respondent == "student"
           else f"{i.host_tutor_name or 'le tuteur'}, tuteur·rice dans l’organisme")
    description = changed + (f"\n\nInnovation ou progrès inspiré : {inspired}"
                             if inspired else "")
    practice = GoodPractice(
        author_id=i.student_id, title=f"Un an après un stage : {i.host.name}"[:200],
        context=(f"Réponse {de(who)} au questionnaire « un an après » du stage "
                 f"{de(i.student.full_name)}, {period_text(i.start_date, i.end_date)}."),
        description=description, domain=_domain(i), host_id=i.host_id, status="pending")
    db.session.add(practice)
    db.session.flush()
    notify(staff_to_notify(), f"Une réponse « un an après » sur {i.host.name} est à relire "
                              "avant publication comme bonne pratique.",
           links.path("feedback.moderation"))
    return practice


# ---------------------------------------------------------------- statistics

@dataclass(frozen=True)
class Counts:
    asked: int  # internships whose questionnaire was sent
    answered: int  # internships with at least one answer
    practices: int  # internships that led to a published good practice


def counts(year) -> Counts:
    base = (select(func.count(distinct(OneYearSurvey.internship_id)))
            .join(Internship, Internship.id == OneYearSurvey.internship_id)
            .where(Internship.academic_year_id == year.id))
    answered = base.where(OneYearSurvey.answered_at.is_not(None))
    published = (base.join(GoodPractice, GoodPractice.id == OneYearSurvey.practice_id)
                 .where(GoodPractice.status == "published"))
    return Counts(*(db.session.execute(q).scalar_one() for q in (base, answered, published)))
