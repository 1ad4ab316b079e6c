"""Demo data, continued: a whole department year, told through the project's services.

``seed_years(today)`` writes two academic years around ``today``:

- the previous one, completed: internships from April to August with signed conventions,
  defences held in September (published schedule), the three evaluations answered, the
  gratification paid recorded for some, feedback and good practices published, one debrief
  shared with the tutor;
- the running one, in progress: applications in every status, internships declared,
  conventions in every state (one amended, one cancelled and its student's new internship),
  tutors for most, a few waiting, a draft defence schedule for September.

Every step goes through the service a user's click would call (``create_internship``,
``apply``, ``convention.validate``, ``record_signature``, ``amend``, ``assign``…), so the
data obeys the rules. The services stamp what they write with the real clock: each step
runs inside ``_at(moment)``, which then moves the new rows' timestamps to the step's
moment (the history reads January, February… for the past year; the last weeks for the
running one). The past year's notifications are marked read.

Idempotent by year: the previous year's story is told when that year has no internship,
the running year's when none of its internships has a convention.
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
from app.rules.years import academic_start_year

DOMAIN = "demo-iut.fr"
# The previous year's students: graduated since, named apart from the current cohorts.
GRADUATES = [
    ("Agathe", "Lebrun"), ("Bastien", "Marchal"), ("Capucine", "Poirier"), ("Dorian", "Vidal"),
    ("Eva", "Renard"), ("Florian", "Carré"), ("Garance", "Colas"), ("Hippolyte", "Aubert"),
    ("Iris", "Langlois"), ("Joachim", "Hamel"), ("Klara", "Besnard"), ("Lilian", "Ferrand"),
    ("Mila", "Pasquier"), ("Noé", "Lacroix"),
]
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


def _stamped_models():
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
def _at(moment: datetime, read: bool = False):
    """Run a step, then date the rows it created at ``moment`` (the services stamp them with
    the real clock). ``read``: its notifications were read long ago (the previous year)."""
    from app.notifications.models import Notification

    models = _stamped_models()
    marks = {m: db.session.execute(select(func.max(m.id))).scalar() or 0 for m in models}
    yield
    db.session.commit()
    for model in models:
        table = model.__table__
        for column in table.columns:
            if isinstance(column.type, DateTime):
                db.session.execute(update(table).where(table.c.id > marks[model],
                                                       column.is_not(None))
                                   .values({column.name: moment}))
        if read and model is Notification:
            db.session.execute(update(table).where(table.c.id > marks[model])
                               .values(read_at=moment))
    db.session.commit()


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _weekday_on_or_after(day: date, weekday: int) -> date:
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


def _user(email: str) -> User:
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _ensure_year(start_year: int):
    """The academic year with the programme's yearly hours (a convention needs them)."""
    from app.years import services as years

    year = db.session.execute(select(years.AcademicYear).where(
        years.AcademicYear.start_year == start_year)).scalar_one_or_none()
    if year is None:
        return years.create_year(years.YearData(start_year=start_year, programme_hours=1800))
    if not year.programme_hours:
        years.update_year(year, years.YearData(
            start_year=year.start_year, earliest_start=year.earliest_start,
            min_weeks=year.min_weeks, max_weeks=year.max_weeks, tutee_limit=year.tutee_limit,
            programme_hours=1800, defense_gap_days=year.defense_gap_days or 0),
            year.version_id)
    return year


def seed_years(today: date, password_hash: str) -> dict[str, int]:
    from app.conventions.models import Convention
    from app.internships.models import Internship
    from app.years import services as years

    years.ensure_default_rates()
    running = academic_start_year(today)
    previous = _ensure_year(running - 1)
    current = _ensure_year(running)
    hosts = list(db.session.execute(
        select(Host).where(Host.country == "France", Host.headcount.is_not(None))
        .order_by(Host.id)).scalars())
    teachers = list(db.session.execute(select(User).where(
        User.role == "teacher", User.active.is_(True)).order_by(User.id)).scalars())
    cast = Cast(_user(f"secretariat@{DOMAIN}"), _user(f"enseignant@{DOMAIN}"), teachers,
                hosts)
    if not cast.coordinator.is_coordinator:
        cast.coordinator.is_coordinator = True
        db.session.commit()
    report = {}
    done = db.session.execute(select(func.count(Internship.id)).where(
        Internship.academic_year_id == previous.id)).scalar_one()
    if not done:
        report["stages de l’an dernier"] = seed_previous_year(cast, previous, today,
                                                                password_hash)
    started = db.session.execute(
        select(func.count(Convention.id)).join(Convention.internship)
        .where(Internship.academic_year_id == current.id)).scalar_one()
    if not started:
        report["conventions de l’année"] = seed_running_year(cast, current, today)
    from app.grants.models import GrantProgramme

    if not db.session.execute(select(GrantProgramme.id).where(
            GrantProgramme.academic_year_id == current.id)).first():
        report["bourses de mobilité"] = seed_abroad(cast, current, today)
    return report


# ---------------------------------------------------------------- abroad: grants and budget

def seed_abroad(cast: Cast, year, today: date) -> int:
    """The year's mobility grants (Erasmus+ by group of countries, the region's) and one
    student leaving for a host abroad: an Erasmus+ grant given in two parts, a regional one
    waiting for the secretariat, and her budget month by month."""
    from app.budget import services as budget
    from app.grants import services as grants
    from app.internships import services as internships
    from app.internships.models import Internship

    r = year.start_year + 1
    erasmus = grants.save_programme(year, grants.ProgrammeData(
        name=f"Erasmus+ stage {r}", funder="erasmus", deadline=date(r, 2, 15),
        first_part_percent=70, max_months=None,
        description="Contrat de mobilité (Learning Agreement for Traineeships) signé par "
                    "l’étudiant·e, l’organisme et le département avant le départ.",
        rates=[grants.RateData("Groupe 1", "Danemark, Finlande, Irlande, Islande, Norvège, "
                                           "Suède, Luxembourg, Suisse, Royaume-Uni", "600"),
               grants.RateData("Groupe 2", "Allemagne, Autriche, Belgique, Espagne, Italie, "
                                           "Pays-Bas, Portugal, Grèce", "540"),
               grants.RateData("Groupe 3", "*", "480")]))
    region = grants.save_programme(year, grants.ProgrammeData(
        name="Aide régionale à la mobilité internationale", funder="region",
        deadline=date(r, 3, 1), first_part_percent=100, max_months=3, description=None,
        rates=[grants.RateData("Tous pays", "", "300")]))
    from app.hosts import services as hosts

    host = db.session.execute(select(Host).where(Host.country != "France")
                              .order_by(Host.id)).scalars().first()
    if host is None:
        host = hosts.create_host(hosts.HostData(
            name="Arxiu Municipal de Barcelona", city="Barcelone", country="Espagne",
            address="Via Laietana 50", foreign_id="P0801900B", headcount=40,
            sector="Archives municipales", website="https://ajuntament.barcelona.cat/arxiu"))
    taken = select(Internship.student_id).where(Internship.academic_year_id == year.id)
    student = db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial", User.active.is_(True),
                           User.id.not_in(taken))
        .order_by(User.id.desc())).scalars().first()
    if host is None or student is None:
        return 0
    if host.headcount is None:
        host.headcount = 25
    data = internship_data(cast, host, year.earliest_start, 14, 3)
    data.host_tutor_name = data.host_tutor_name or "Marta Puig"
    data.host_tutor_email = data.host_tutor_email or "marta.puig@example.es"
    internship, _ = internships.create_internship(student, data)
    on = min(today, erasmus.deadline - timedelta(days=20))
    granted = grants.apply(student, internship, erasmus, "Logement en colocation prévu : "
                           "environ 600 € par mois.", on)
    grants.decide(cast.secretariat, granted, True, str(granted.requested_amount),
                  grants.default_payments(granted), "Bon séjour !", granted.version_id)
    grants.apply(student, internship, region, "",
                 min(today, region.deadline - timedelta(days=20)))
    months = [m for m, _ in budget.view(internship, today).gratification]
    for category, label, amount, timing in (
            ("travel", "Billet aller", "180", "before"),
            ("insurance", "Assurance rapatriement", "95", "before"),
            ("housing", "Chambre en colocation", "600", "monthly"),
            ("daily", "Repas et transports", "320", "monthly"),
            ("travel", "Billet retour", "160", f"{months[-1]:%Y-%m}")):
        budget.add_line(student, internship, {"category": category, "label": label,
                                              "amount": amount, "timing": timing}, months)
    return 2


# ---------------------------------------------------------------- shared steps

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


# ---------------------------------------------------------------- the previous year

EVALUATION_TEXTS = {
    "host_tutor": {
        "appreciation": "Stagiaire rigoureux·se et autonome, très bien intégré·e à l’équipe. "
                        "Le travail rendu est directement réutilisable par le service.",
        "strengths": "Méthode, qualité de la rédaction, aisance avec les outils numériques.",
        "improve": "Oser davantage prendre la parole en réunion.",
    },
    "student_host": {
        "welcome": "Accueil chaleureux : poste de travail prêt, présentation à tous les "
                   "services la première semaine.",
        "supervision": "Tuteur disponible, point chaque vendredi.",
        "recommend": "Oui : des missions variées et une vraie place dans le service.",
    },
    "academic_tutor": {
        "defense": "Présentation claire et bien construite ; réponses précises au jury, "
                   "bonne prise de recul sur les missions.",
    },
}
FEEDBACKS = [
    ("Service très structuré, on apprend énormément sur la chaîne de traitement des "
     "archives. Les collègues prennent le temps d’expliquer.",
     "Ville agréable, logement étudiant facile à trouver en avril.",
     "Prévoir des chaussures de sécurité pour les magasins."),
    ("Petite équipe, beaucoup d’autonomie dès la deuxième semaine ; idéal pour qui aime "
     "mener un projet de bout en bout.", None,
     "Bien cadrer le livrable avec le tuteur dès le début."),
    ("Les données sont riches mais peu documentées : excellent terrain pour apprendre le "
     "DCAT et OpenRefine.", "Transports en commun pratiques.", None),
    ("Accueil du public le samedi matin en plus des missions : à savoir avant de postuler, "
     "mais très formateur.", None, "Demander tôt l’accès aux logiciels métier."),
]
PRACTICES = [
    ("Un journal de bord partagé avec le tuteur",
     "Stage en service d’archives, tuteur souvent en réunion.",
     "Tenir un document partagé où l’on note chaque jour ce qui a été fait et les questions "
     "en suspens : le point hebdomadaire va droit à l’essentiel.", "archives"),
    ("Valider le plan du livrable dès la 3e semaine",
     "Projets documentaires de 12 à 16 semaines.",
     "Proposer au tuteur un plan du livrable (rapport, instrument de recherche, tableau de "
     "bord) dès la troisième semaine évite une fin de stage dans l’urgence.", "documentation"),
    ("Documenter ses scripts de nettoyage de données",
     "Stages orientés données ouvertes.",
     "Un court README par script (source, étapes, date) permet au service de refaire le "
     "traitement après le départ du stagiaire.", "data"),
]


def seed_previous_year(cast: Cast, year, today: date, password_hash: str) -> int:
    """The year before: 14 internships, April to August, told from January to October."""
    from app.conventions import services as conventions
    from app.defenses import services as defenses
    from app.evaluations import services as evaluations
    from app.evaluations.services import QUESTIONS
    from app.feedback import services as feedback
    from app.internships import services as internships
    from app.tutoring import services as tutoring

    r = year.start_year + 1   # the calendar year of the internships
    students = []
    for first, last in GRADUATES:
        email = f"{first.lower()}.{last.lower()}@{DOMAIN}".replace("é", "e").replace("è", "e")
        user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
        if user is None:
            user = User(email=email, first_name=first, last_name=last, role="student",
                        cohort="BUT3", group_name="A" if len(students) % 2 else "B",
                        track="initial", password_hash=password_hash, active=True)
            db.session.add(user)
        else:
            user.cohort = "BUT3"  # back in their BUT3 year while their story is told
        students.append(user)
    db.session.commit()
    hosts = cast.hosts[1::4][:len(students)]
    first_monday = _weekday_on_or_after(year.earliest_start, 0)
    records = []
    with _at(_moment(date(r, 1, 12)), read=True):
        for n, (student, host) in enumerate(zip(students, hosts, strict=False)):
            start = first_monday + timedelta(days=7 * (n % 3))
            weeks = (12, 14, 16, 13, 15)[n % 5]
            data = internship_data(cast, host, start, weeks, n,
                                   amount=("760.00", "800.00", "850.00")[n % 3])
            records.append(internships.create_internship(student, data)[0])
    tutors = {}
    with _at(_moment(date(r, 1, 19)), read=True):
        for n, student in enumerate(students):
            teacher = cast.coordinator if n < 4 else cast.teachers[1 + n % (len(cast.teachers)
                                                                          - 1)]
            tutoring.assign(cast.coordinator, student, teacher, year, "Affectation de janvier")
            tutors[student.id] = teacher
    papers = []
    with _at(_moment(date(r, 2, 2)), read=True):
        for student, internship in zip(students, records, strict=False):
            convention = prepare_convention(cast, internship, student)
            conventions.submit(convention, student, convention.version_id)
            papers.append(convention)
    with _at(_moment(date(r, 2, 9)), read=True):
        for convention in papers:
            tutor = tutors[convention.internship.student_id]
            conventions.approve(convention, tutor, convention.version_id)
    validated_on = date(r, 2, 23)
    with _at(_moment(validated_on), read=True):
        for convention in papers:
            tick_all(cast, convention)
            conventions.validate(convention, cast.secretariat, convention.version_id,
                                 validated_on)
    with _at(_moment(date(r, 3, 9)), read=True):
        for n, convention in enumerate(papers):
            conventions.send_for_signature(convention, cast.secretariat,
                                           convention.version_id)
            sign_all(cast, convention, date(r, 3, 2) + timedelta(days=n % 3))
    with _at(_moment(first_monday), read=True):
        for internship in records:
            internships.mark_started(internship, cast.secretariat, internship.start_date)
    with _at(_moment(first_monday + timedelta(days=40)), read=True):
        for n, internship in enumerate(records):
            day = internship.start_date + timedelta(days=17 + n % 5)
            tutoring.add_follow_up(tutors[internship.student_id], internship.student, year,
                                   ("student", "host_tutor", "visit")[n % 3], day,
                                   "Premier point : le stagiaire est bien intégré, le "
                                   "calendrier des missions est tenu.", day)
    closed_on = date(r, 9, 1)
    with _at(_moment(closed_on), read=True):
        for internship in records:
            internships.move(internship, cast.secretariat, "finished", "Fin du stage")
            db.session.commit()
            evaluations.open_evaluations(internship, closed_on)
    # the defences: two days in September, proposed in June, published in July
    first_day = _weekday_on_or_after(date(r, 9, 8), 1)
    with _at(_moment(date(r, 6, 15)), read=True):
        for k in range(2):
            defenses.add_session(cast.secretariat, year, first_day + timedelta(days=k),
                                 "B204", time(9, 0), time(17, 0), 45)
        defenses.propose(cast.secretariat, year)
    with _at(_moment(date(r, 7, 1)), read=True):
        defenses.publish(cast.secretariat, year)
    # the evaluations, answered in September (the tutor's on the defence day)
    from app.evaluations.models import Evaluation

    ratings = ("reached", "reached", "partly")
    for kind, day in (("host_tutor", date(r, 9, 4)), ("student_host", date(r, 9, 7)),
                      ("academic_tutor", first_day + timedelta(days=1))):
        with _at(_moment(day), read=True):
            for n, internship in enumerate(records):
                if kind == "academic_tutor":   # it opens on the defence day
                    evaluations.open_evaluations(internship, day)
                    db.session.commit()
                e = db.session.execute(select(Evaluation).where(
                    Evaluation.internship_id == internship.id,
                    Evaluation.kind == kind)).scalar_one()
                form = {f"objective-{o.id}": ratings[(n + k) % 3]
                        for k, o in enumerate(internship.objectives)}
                form.update({key: EVALUATION_TEXTS[kind].get(key, "")
                             for key, _ in QUESTIONS[kind]})
                if kind == "academic_tutor":
                    form["grade"] = ("15", "13,5", "16", "12")[n % 4]
                evaluations.submit(e, form, day)
    with _at(_moment(date(r, 9, 20)), read=True):
        for n, internship in enumerate(records[:6]):
            about_host, about_place, pitfalls = FEEDBACKS[n % len(FEEDBACKS)]
            feedback.save_feedback(internship.student, internship,
                                   {"about_host": about_host, "about_place": about_place,
                                    "pitfalls": pitfalls, "contact_ok": n % 2 == 0},
                                   date(r, 9, 20))
        for n, (title, context, description, domain) in enumerate(PRACTICES):
            feedback.propose_practice(students[n + 4] if n < 2 else cast.coordinator,
                                      {"title": title, "context": context,
                                       "description": description, "domain": domain,
                                       "host_id": hosts[n + 4].id if n < 2 else None},
                                      {domain: domain})
        # the one debrief shared with the tutor: the demo teacher's first tutee
        feedback.save_debrief(students[0], records[0], {
            "my_side": "J’ai sous-estimé le temps du récolement au départ.",
            "host_side": "Le service attendait un instrument de recherche publiable.",
            "lesson_1": "Découper le fonds en lots dès la première semaine.",
            "lesson_2": "Montrer un état d’avancement chaque vendredi.",
            "lesson_3": "Garder une trace des choix de classement.",
            "interview_sentence": "J’ai mené seule la description d’un fonds de 40 mètres "
                                  "linéaires, publiée sur le portail du service.",
            "shared_with_tutor": True})
    from app.feedback.models import Feedback, GoodPractice

    with _at(_moment(date(r, 10, 1)), read=True):
        for model, kind in ((Feedback, "retour"), (GoodPractice, "pratique")):
            ids = db.session.execute(select(model.id).where(model.status == "pending")
                                     .order_by(model.id)).scalars().all()
            for item_id in ids[:-1] if model is Feedback else ids:
                feedback.moderate(cast.coordinator if kind == "pratique" else cast.secretariat,
                                  kind, item_id, True, None)
    # what the secretariat recorded by hand for the attestations (no service: a form field)
    from app.internships.attestation import expected_total

    for internship in records[::2]:
        internship.gratification_paid = expected_total(internship, closed_on)
    # the history as it happened: approvals in February, last changes at the signature
    from app.conventions.models import Convention
    from app.internships.models import Internship

    ids = [c.id for c in papers]
    db.session.execute(update(Convention.__table__).where(Convention.__table__.c.id.in_(ids))
                       .values(approved_at=_moment(date(r, 2, 9)),
                               updated_at=_moment(date(r, 3, 9))))
    db.session.execute(update(Internship.__table__)
                       .where(Internship.__table__.c.id.in_([i.id for i in records]))
                       .values(updated_at=_moment(closed_on)))
    for student in students:   # graduated since: no cohort any more
        student.cohort = None
    db.session.commit()
    return len(records)


# ---------------------------------------------------------------- the running year

# Who does what this year, in the order the students are taken (the first the most useful)
ROLES = ["signed_offer", "signed", "signed", "signed", "amended", "signing_half", "signing",
         "validated", "validated", "submitted_checked", "submitted_no_tutor", "submitted",
         "changes", "changes", "draft", "draft_offer", "cancelled", "found", "found_no_tutor",
         "apps_refused_sent", "apps_withdrawn_interview", "apps_sent", "apps_interview"]
# The demo teacher's tutees (by role index), besides the demo student
COORDINATOR_TUTEES = (0, 4, 7, 12)
NO_TUTOR = ("submitted_no_tutor", "found_no_tutor")
MOTIVATION = ("Madame, Monsieur,\n\nÉtudiant·e en troisième année de BUT, je souhaite "
              "effectuer mon stage au sein de votre service : la mission proposée rejoint le "
              "projet que je mène depuis la deuxième année. Vous trouverez mon CV joint.\n\n"
              "Je me tiens à votre disposition pour un entretien.")
CHANGES = ["Les modalités de versement de la gratification sont à préciser (date et mode de "
           "versement).",
           "Les activités confiées sont trop générales : détaillez les missions sur la fiche "
           "du stage, puis soumettez à nouveau."]


def seed_running_year(cast: Cast, year, today: date) -> int:
    """The running year, as it stands in late autumn."""
    from app.applications import services as applications
    from app.conventions import amendments
    from app.conventions import services as conventions
    from app.conventions.models import MANUAL_ITEMS
    from app.defenses import services as defenses
    from app.internships import services as internships
    from app.internships.models import Internship
    from app.offers.models import Offer
    from app.tutoring import services as tutoring

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)

    def ago(days: int) -> datetime:
        return now - timedelta(days=days)

    demo_student = _user(f"etudiant@{DOMAIN}")
    has_one = set(db.session.execute(select(Internship.student_id).where(
        Internship.academic_year_id == year.id)).scalars())
    pool = [s for s in db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial", User.active.is_(True),
                           User.id != demo_student.id).order_by(User.id)).scalars()
            if s.id not in has_one]
    cast_of = list(zip(ROLES, pool, strict=False))
    # offers open to applications, one host each; the hosts of the others apart
    offers, seen = [], set()
    for offer in db.session.execute(
            select(Offer).join(Offer.host)
            .where(Offer.status == "published", Offer.deadline >= today,
                   Offer.start_date >= year.earliest_start, Host.country == "France",
                   Host.headcount.is_not(None)).order_by(Offer.id)).scalars():
        if offer.host_id not in seen and len(offers) < 12:
            seen.add(offer.host_id)
            offers.append(offer)
    free_hosts = [h for h in cast.hosts if h.id not in seen]
    offer_of = iter(offers)
    host_of = iter(free_hosts)

    # October: applications, with a CV each
    plans = {}   # student id -> [(offer, [statuses after « sent »])]
    if demo_student.id not in has_one:
        plans[demo_student.id] = [(next(offer_of), ["refused"]),
                                  (next(offer_of), ["interview", "accepted"])]
    for role, student in cast_of:
        if role == "signed_offer":
            plans[student.id] = [(next(offer_of), ["interview", "accepted"])]
        elif role == "draft_offer":
            plans[student.id] = [(next(offer_of), ["accepted"])]
        elif role == "apps_refused_sent":
            plans[student.id] = [(next(offer_of), ["refused"]), (next(offer_of), [])]
        elif role == "apps_withdrawn_interview":
            plans[student.id] = [(next(offer_of), ["withdrawn"]),
                                 (next(offer_of), ["interview"])]
        elif role == "apps_sent":
            plans[student.id] = [(next(offer_of), []), (next(offer_of), [])]
        elif role == "apps_interview":
            plans[student.id] = [(next(offer_of), ["interview"])]
    people = {u.id: u for u in [demo_student] + [s for _, s in cast_of]}
    sent = {}
    with _at(ago(50)):
        for student_id, plan in plans.items():
            student = people[student_id]
            cv = cv_pdf(student)
            for offer, _ in plan:
                sent[(student_id, offer.id)] = applications.apply(
                    student, offer, MOTIVATION, cv, f"CV-{student.last_name}.pdf", ago(50).date())
    accepted = {}
    for step, days in ((0, 36), (1, 29)):
        with _at(ago(days)):
            for student_id, plan in plans.items():
                for offer, statuses in plan:
                    if len(statuses) <= step:
                        continue
                    application = sent[(student_id, offer.id)]
                    if statuses[step] == "withdrawn":
                        applications.withdraw(people[student_id], application,
                                              application.version_id)
                        continue
                    _, internship = applications.change_status(
                        cast.secretariat, application, statuses[step],
                        "Entretien fixé avec le tuteur de l’organisme."
                        if statuses[step] == "interview" else None,
                        application.version_id, ago(days).date())
                    if internship is not None:
                        accepted[student_id] = (internship, offer)

    # early November: the internships are declared, or completed from the accepted offer
    records = {}
    with _at(ago(27)):
        for n, (role, student) in enumerate(cast_of):
            if role.startswith("apps_"):
                continue
            if student.id in accepted:
                internship, offer = accepted[student.id]
                weeks = max(year.min_weeks, min(year.max_weeks, offer.duration_weeks or 12))
                data = internship_data(cast, internship.host, internship.start_date, weeks, n,
                                       offer=offer)
                data.weekly_hours = Decimal(internship.weekly_hours)
                internships.update_internship(internship, data, internship.version_id, student)
            else:
                start = _weekday_on_or_after(year.earliest_start, 0) + timedelta(
                    days=7 * (n % 4))
                weeks = 12 if role == "amended" else (12, 13, 14, 16)[n % 4]
                internship, _ = internships.create_internship(
                    student, internship_data(cast, next(host_of), start, weeks, n))
            records[student.id] = internship
        if demo_student.id in accepted:
            internship, offer = accepted[demo_student.id]
            data = internship_data(cast, internship.host, internship.start_date, 14, 2,
                                   offer=offer)
            data.weekly_hours = Decimal(internship.weekly_hours)
            internships.update_internship(internship, data, internship.version_id,
                                          demo_student)
            records[demo_student.id] = internship

    # tutors: the coordinator assigns most, a few wait (apprentices too)
    others = cast.teachers[1:]
    with _at(ago(22)):
        if demo_student.id in records:
            tutoring.assign(cast.coordinator, demo_student, cast.coordinator, year)
        for n, (role, student) in enumerate(cast_of):
            if student.id not in records or role in NO_TUTOR:
                continue
            teacher = cast.coordinator if n in COORDINATOR_TUTEES else others[n % len(others)]
            tutoring.assign(cast.coordinator, student, teacher, year)
        taken = tutoring.open_assignments(year)
        apprentices = [s for s in db.session.execute(
            select(User).where(User.role == "student", User.track == "apprentice",
                               User.active.is_(True)).order_by(User.cohort.desc(), User.id)
        ).scalars() if s.id not in taken]
        for n, student in enumerate(apprentices[:-3]):
            tutoring.assign(cast.coordinator, student, others[(n + 5) % len(others)], year)

    # conventions: prepared, submitted, approved, checked, validated, signed…
    papers = {}
    with _at(ago(18)):
        for role, student in cast_of:
            if student.id in records and role not in ("found", "found_no_tutor"):
                papers[student.id] = prepare_convention(cast, records[student.id], student)
        if demo_student.id in records:
            papers[demo_student.id] = prepare_convention(cast, records[demo_student.id],
                                                         demo_student)
    beyond_draft = [(r, s) for r, s in cast_of if s.id in papers
                    and not r.startswith("draft")]
    with _at(ago(15)):
        for _, student in beyond_draft + [("submitted", demo_student)]:
            c = papers.get(student.id)
            if c is not None:
                conventions.submit(c, student, c.version_id)
    # submitted over two weeks, not all at once: the queue shows the oldest first
    from app.conventions.models import Convention

    for k, c in enumerate(c for c in papers.values() if c.submitted_at is not None):
        db.session.execute(update(Convention.__table__)
                           .where(Convention.__table__.c.id == c.id)
                           .values(submitted_at=ago(16) + timedelta(hours=5 * k)))
    db.session.commit()
    will_validate = ("signed", "signed_offer", "amended", "signing_half", "signing",
                     "validated", "cancelled")
    with _at(ago(12)):
        for role, student in beyond_draft:
            if role in will_validate or role in ("submitted_checked", "changes"):
                c = papers[student.id]
                conventions.approve(c, c.academic_tutor, c.version_id)
    with _at(ago(9)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role in will_validate:
                tick_all(cast, c)
                conventions.validate(c, cast.secretariat, c.version_id, ago(9).date())
            elif role == "submitted_checked":
                tick_all(cast, c, list(MANUAL_ITEMS)[:6])
    with _at(ago(8)):
        for k, (_, student) in enumerate(r for r in beyond_draft if r[0] == "changes"):
            c = papers[student.id]
            conventions.request_changes(c, cast.secretariat, CHANGES[k % 2], c.version_id)
    with _at(ago(6)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role in ("signed", "signed_offer", "amended", "signing"):
                conventions.send_for_signature(c, cast.secretariat, c.version_id)
            if role in ("signed", "signed_offer", "amended"):
                sign_all(cast, c, ago(6).date())
            elif role == "signing_half":
                sign_all(cast, c, ago(6).date(), ["student", "host"])
    with _at(ago(4)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role == "cancelled":
                conventions.cancel(c, cast.secretariat,
                                   "L’organisme a gelé le poste faute de budget (courriel du "
                                   "service du personnel).", c.version_id, ago(4).date())
    with _at(ago(2)):
        for role, student in beyond_draft:
            c = papers[student.id]
            if role == "amended":
                i = c.internship
                amendments.amend(
                    c, cast.secretariat, "dates",
                    "Prolongation de deux semaines à la demande de l’organisme, pour achever "
                    "le récolement.", {"end_date": (i.end_date + timedelta(days=14)).isoformat()},
                    c.version_id, ago(2).date())
    with _at(ago(1)):
        # the student whose convention was cancelled has found another internship
        for n, (role, student) in enumerate(cast_of):
            if role == "cancelled":
                start = _weekday_on_or_after(year.earliest_start, 0) + timedelta(days=21)
                internship, _ = internships.create_internship(
                    student, internship_data(cast, next(host_of), start, 12, n + 1))
                prepare_convention(cast, internship, student)
        # a draft defence schedule for September: three days, the proposal not published
        first_day = _weekday_on_or_after(date(year.start_year + 1, 9, 7), 1)
        if not defenses.sessions(year):
            for k in range(3):
                defenses.add_session(cast.secretariat, year, first_day + timedelta(days=k),
                                     "B204", time(9, 0), time(17, 0), 45)
            defenses.propose(cast.secretariat, year)
    return len(papers)
