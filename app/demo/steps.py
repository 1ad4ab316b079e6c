"""What the stories of the demo's years share: the cast, the clock, the usual steps.

Every step goes through the service a user's click would call; the services stamp what they
write with the real clock, so each step runs inside ``at(moment)``, which then moves the new
rows' timestamps to the step's moment.
"""
from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import DateTime, func, select, update

from app.accounts.models import User
from app.extensions import db
from app.hosts.models import Host

DOMAIN = "demo-iut.fr"
SUBJECTS = [
    ("Traitement d’un fonds d’archives contemporaines",
     "Tri, classement et description d’un fonds de 40 mètres linéaires ; rédaction de "
     "l’instrument de recherche.",
     ["Décrire 30 boîtes selon ISAD(G) avant la fin du 2e mois",
      "Publier l’instrument de recherche sur le portail du service avant la fin du stage"]),
    ("Refonte de la veille documentaire",
     "Audit des sources, mise en place d’un outil de veille et d’une lettre mensuelle.",
     ["Recenser et qualifier 60 sources avant la 4e semaine",
      "Diffuser trois lettres de veille aux services d’ici la fin du stage"]),
    ("Catalogue de données ouvertes",
     "Inventaire des jeux de données, documentation des métadonnées (DCAT) et publication.",
     ["Documenter 25 jeux de données au format DCAT avant la fin du 3e mois",
      "Publier 10 jeux sur le portail open data avant la dernière semaine"]),
    ("Numérisation et description de plans anciens",
     "Préparation matérielle, suivi de la numérisation et indexation des plans.",
     ["Indexer 200 plans numérisés avant la fin du 2e mois",
      "Rédiger le guide de numérisation du service la dernière semaine"]),
    ("Records management : plan de classement de la GED",
     "Entretiens avec les services, cartographie des flux et nouveau plan de classement.",
     ["Mener 12 entretiens avec les services avant la 5e semaine",
      "Faire valider le plan de classement par le comité de pilotage avant la fin du stage"]),
    ("Médiation numérique et enquête des publics",
     "Animation d’ateliers, questionnaire auprès des usagers et analyse des résultats.",
     ["Animer 8 ateliers numériques pendant le stage",
      "Remettre l’analyse de 150 questionnaires avant la dernière semaine"]),
]
SKILLS = ("Décrire et indexer des documents ; conduire un entretien ; rédiger un livrable "
          "professionnel ; gérer un projet documentaire.")
MENTIONS = {
    "supervision": "Point hebdomadaire avec le tuteur de l’organisme ; au moins deux échanges "
                   "du tuteur de l’organisme avec l’enseignant·e référent·e.",
    "payment_terms": "Gratification versée mensuellement par virement, à terme échu.",
    "leave_conditions": "Deux jours de congé par mois de présence, à poser en accord avec le "
                        "tuteur ; absences autorisées pour les examens du département.",
    "benefits": "Accès au restaurant administratif ; remboursement de 50 % de l’abonnement "
                "de transport.",
    "social_protection": "L’étudiant·e reste affilié·e à la sécurité sociale étudiante ; "
                         "accident du travail couvert par l’établissement.",
}


def stamped_models():
    from app.applications.models import Application, ApplicationEvent
    from app.conventions.models import Amendment, Convention, ConventionCheck, ConventionEvent
    from app.evaluations.models import Evaluation
    from app.feedback.models import Debrief, Feedback, GoodPractice
    from app.files.models import StoredFile
    from app.internships.models import Internship, InternshipEvent
    from app.notifications.models import Notification, OutboxMail
    from app.tutoring.models import FollowUp, TutorAssignment

    return [Application, ApplicationEvent, Amendment, Convention, ConventionCheck,
            ConventionEvent, Evaluation, Debrief, Feedback, GoodPractice, StoredFile,
            Internship, InternshipEvent, Notification, OutboxMail, FollowUp, TutorAssignment]


@contextmanager
def at(when: datetime, read: bool = False):
    """Run a step, then date the rows it created at ``when`` (the services stamp them with
    the real clock). ``read``: its notifications were read long ago (the previous year)."""
    from app.notifications.models import Notification

    models = stamped_models()
    marks = {m: db.session.execute(select(func.max(m.id))).scalar() or 0 for m in models}
    yield
    db.session.commit()
    for model in models:
        table = model.__table__
        for column in table.columns:
            if isinstance(column.type, DateTime):
                db.session.execute(update(table).where(table.c.id > marks[model],
                                                       column.is_not(None))
                                   .values({column.name: when}))
        if read and model is Notification:
            db.session.execute(update(table).where(table.c.id > marks[model])
                               .values(read_at=when))
    db.session.commit()


def moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def cv_pdf(student: User) -> bytes:
    """A one-page CV, generated: what the secretariat opens from an application."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(f"CV — {student.full_name}")
    page.setFont("Helvetica-Bold", 18)
    page.drawString(60, 780, student.full_name)
    page.setFont("Helvetica", 11)
    lines = [student.email, "",
             "Formation",
             "BUT Information-communication, parcours Information numérique dans les "
             "organisations (3e année)",
             "Baccalauréat général, spécialités histoire-géographie et SES", "",
             "Expériences",
             "Stage de BUT2 (10 semaines) : récolement et conditionnement d’archives",
             "Job d’été : accueil du public en médiathèque", "",
             "Compétences",
             "Description archivistique (ISAD(G)), catalogage UNIMARC, tableur, SQL de base,",
             "OpenRefine, rédaction web ; anglais B2"]
    y = 750
    for line in lines:
        page.drawString(60, y, line)
        y -= 18
    page.showPage()
    page.save()
    return buffer.getvalue()


@dataclass
class Cast:
    secretariat: User
    coordinator: User   # the demo teacher
    teachers: list[User]
    hosts: list[Host]

    def host_tutor(self, host: Host) -> tuple[str | None, str | None]:
        contact = host.contacts[0] if host.contacts else None
        return (contact.name, contact.email) if contact else (None, None)


def user_by_email(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def internship_data(cast: Cast, host: Host, start: date, weeks: int, n: int,
                    offer=None, amount: str = "760.00"):
    from app.internships.services import InternshipData

    subject, missions, objectives = SUBJECTS[n % len(SUBJECTS)]
    tutor_name, tutor_email = cast.host_tutor(host)
    return InternshipData(
        host_id=host.id, subject=offer.title if offer else subject,
        start_date=start, end_date=start + timedelta(days=weeks * 7 - 1),
        zone="alsace-moselle" if host.city in ("Strasbourg", "Metz", "Mulhouse")
        else "metropole", country=host.country, offer_id=offer.id if offer else None,
        domain=None if offer else ("archives", "documentation", "data")[n % 3],
        missions=(offer.missions if offer and offer.missions else missions), skills=SKILLS,
        objectives=list(objectives), host_tutor_name=tutor_name,
        host_tutor_position="Responsable du service", host_tutor_email=tutor_email,
        agreed_amount=Decimal(amount), agreed_unit="month")


def prepare_convention(cast: Cast, internship, student: User):
    """The student prepares the convention and fills its mentions."""
    from app.conventions import services as conventions

    convention = conventions.create(internship, student)
    conventions.update(convention, student, MENTIONS, convention.version_id)
    return convention


def tick_all(cast: Cast, convention, items=None) -> None:
    from app.conventions import services as conventions
    from app.conventions.models import MANUAL_ITEMS

    for item in items or MANUAL_ITEMS:
        conventions.set_manual_check(convention, cast.secretariat, item, True)


def sign_all(cast: Cast, convention, first: date, parties=None) -> None:
    """Record the parties' signatures, a day apart from ``first``."""
    from app.conventions import services as conventions
    from app.conventions.models import SIGNATORIES

    for k, party in enumerate(parties or SIGNATORIES):
        day = first + timedelta(days=k)
        conventions.record_signature(convention, cast.secretariat, party, day,
                                     convention.version_id, day)


