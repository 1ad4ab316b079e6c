"""The previous academic year, completed: signed, defended in September, evaluated, told."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.conventions import services as conventions
from app.conventions.models import Convention
from app.defenses import services as defenses
from app.demo.steps import (
    DOMAIN,
    Cast,
    at,
    internship_data,
    moment,
    prepare_convention,
    sign_all,
    tick_all,
    weekday_on_or_after,
)
from app.evaluations import services as evaluations
from app.evaluations.models import Evaluation
from app.evaluations.services import QUESTIONS
from app.extensions import db
from app.feedback import services as feedback
from app.feedback.models import Feedback, GoodPractice
from app.internships import services as internships
from app.internships.attestation import expected_total
from app.internships.models import Internship
from app.tutoring import services as tutoring

# The previous year's students: graduated since, named apart from the current cohorts.
GRADUATES = [
    ("Agathe", "Lebrun"), ("Bastien", "Marchal"), ("Capucine", "Poirier"), ("Dorian", "Vidal"),
    ("Eva", "Renard"), ("Florian", "Carré"), ("Garance", "Colas"), ("Hippolyte", "Aubert"),
    ("Iris", "Langlois"), ("Joachim", "Hamel"), ("Klara", "Besnard"), ("Lilian", "Ferrand"),
    ("Mila", "Pasquier"), ("Noé", "Lacroix"),
]
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
RATINGS = ("reached", "reached", "partly")   # the objectives, in turn
GRADES = ("15", "13,5", "16", "12")


def seed_previous_year(cast: Cast, year, today: date, password_hash: str) -> int:
    """The year before: 14 internships, April to August, told from January to October."""
    r = year.start_year + 1   # the calendar year of the internships
    students = _graduates(password_hash)
    hosts = cast.hosts[1::4][:len(students)]
    first_monday = weekday_on_or_after(year.earliest_start, 0)
    records = _declare_internships(cast, students, hosts, first_monday, r)
    tutors = _assign_tutors(cast, year, students, r)
    papers = _sign_conventions(cast, students, records, tutors, r)
    _follow_internships(cast, year, records, tutors, first_monday)
    closed_on = date(r, 9, 1)
    _close_internships(cast, records, closed_on)
    first_day = _defences(cast, year, r)
    _answer_evaluations(records, r, first_day)
    _share_experience(cast, students, hosts, records, r)
    _moderate(cast, r)
    _record_history(records, papers, r, closed_on)
    for student in students:   # graduated since: no cohort any more
        student.cohort = None
    db.session.commit()
    return len(records)


def _on(day: date):
    """A step of the previous year: its notifications were read long ago."""
    return at(moment(day), read=True)


def _graduates(password_hash: str) -> list[User]:
    """The previous year's students, back in their BUT3 year while their story is told."""
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
    return students


def _declare_internships(cast: Cast, students, hosts, first_monday: date, r: int) -> list:
    """January: each student declares an internship, starting in April."""
    records = []
    with _on(date(r, 1, 12)):
        for n, (student, host) in enumerate(zip(students, hosts, strict=False)):
            start = first_monday + timedelta(days=7 * (n % 3))
            weeks = (12, 14, 16, 13, 15)[n % 5]
            data = internship_data(cast, host, start, weeks, n,
                                   amount=("760.00", "800.00", "850.00")[n % 3])
            records.append(internships.create_internship(student, data)[0])
    return records


def _assign_tutors(cast: Cast, year, students, r: int) -> dict[int, User]:
    """The coordinator's assignments in January: student id -> academic tutor."""
    tutors = {}
    with _on(date(r, 1, 19)):
        for n, student in enumerate(students):
            teacher = cast.coordinator if n < 4 else cast.teachers[1 + n % (len(cast.teachers)
                                                                          - 1)]
            tutoring.assign(cast.coordinator, student, teacher, year, "Affectation de janvier")
            tutors[student.id] = teacher
    return tutors


def _sign_conventions(cast: Cast, students, records, tutors, r: int) -> list:
    """February and March: prepared, submitted, approved, validated, signed."""
    papers = []
    with _on(date(r, 2, 2)):
        for student, internship in zip(students, records, strict=False):
            convention = prepare_convention(cast, internship, student)
            conventions.submit(convention, student, convention.version_id)
            papers.append(convention)
    with _on(date(r, 2, 9)):
        for convention in papers:
            tutor = tutors[convention.internship.student_id]
            conventions.approve(convention, tutor, convention.version_id)
    validated_on = date(r, 2, 23)
    with _on(validated_on):
        for convention in papers:
            tick_all(cast, convention)
            conventions.validate(convention, cast.secretariat, convention.version_id,
                                 validated_on)
    with _on(date(r, 3, 9)):
        for n, convention in enumerate(papers):
            conventions.send_for_signature(convention, cast.secretariat,
                                           convention.version_id)
            sign_all(cast, convention, date(r, 3, 2) + timedelta(days=n % 3))
    return papers


def _follow_internships(cast: Cast, year, records, tutors, first_monday: date) -> None:
    """The internships start; a first follow-up by each tutor a few weeks later."""
    with _on(first_monday):
        for internship in records:
            internships.mark_started(internship, cast.secretariat, internship.start_date)
    with _on(first_monday + timedelta(days=40)):
        for n, internship in enumerate(records):
            day = internship.start_date + timedelta(days=17 + n % 5)
            tutoring.add_follow_up(tutors[internship.student_id], internship.student, year,
                                   ("student", "host_tutor", "visit")[n % 3], day,
                                   "Premier point : le stagiaire est bien intégré, le "
                                   "calendrier des missions est tenu.", day)


def _close_internships(cast: Cast, records, closed_on: date) -> None:
    """Finished: their evaluations open."""
    with _on(closed_on):
        for internship in records:
            internships.move(internship, cast.secretariat, "finished", "Fin du stage")
            db.session.commit()
            evaluations.open_evaluations(internship, closed_on)


def _defences(cast: Cast, year, r: int) -> date:
    """The defences: two days in September, proposed in June, published in July. Returns
    the first day."""
    first_day = weekday_on_or_after(date(r, 9, 8), 1)
    with _on(date(r, 6, 15)):
        for k in range(2):
            defenses.add_session(cast.secretariat, year, first_day + timedelta(days=k),
                                 "B204", time(9, 0), time(17, 0), 45)
        defenses.propose(cast.secretariat, year)
    with _on(date(r, 7, 1)):
        defenses.publish(cast.secretariat, year)
    return first_day


def _answer_evaluations(records, r: int, first_day: date) -> None:
    """The evaluations, answered in September (the tutor's on the defence day)."""
    for kind, day in (("host_tutor", date(r, 9, 4)), ("student_host", date(r, 9, 7)),
                      ("academic_tutor", first_day + timedelta(days=1))):
        with _on(day):
            for n, internship in enumerate(records):
                if kind == "academic_tutor":   # it opens on the defence day
                    evaluations.open_evaluations(internship, day)
                    db.session.commit()
                _answer_evaluation(internship, kind, n, day)


def _answer_evaluation(internship, kind: str, n: int, day: date) -> None:
    e = db.session.execute(select(Evaluation).where(
        Evaluation.internship_id == internship.id,
        Evaluation.kind == kind)).scalar_one()
    form = {f"objective-{o.id}": RATINGS[(n + k) % 3]
            for k, o in enumerate(internship.objectives)}
    form.update({key: EVALUATION_TEXTS[kind].get(key, "")
                 for key, _ in QUESTIONS[kind]})
    if kind == "academic_tutor":
        form["grade"] = GRADES[n % 4]
    evaluations.submit(e, form, day)


def _share_experience(cast: Cast, students, hosts, records, r: int) -> None:
    """After the defences: feedback on the hosts, good practices, one debrief."""
    with _on(date(r, 9, 20)):
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


def _moderate(cast: Cast, r: int) -> None:
    """October: the feedback published but the last one, every good practice."""
    with _on(date(r, 10, 1)):
        for model, kind in ((Feedback, "retour"), (GoodPractice, "pratique")):
            ids = db.session.execute(select(model.id).where(model.status == "pending")
                                     .order_by(model.id)).scalars().all()
            for item_id in ids[:-1] if model is Feedback else ids:
                feedback.moderate(cast.coordinator if kind == "pratique" else cast.secretariat,
                                  kind, item_id, True, None)


def _record_history(records, papers, r: int, closed_on: date) -> None:
    """What the secretariat recorded by hand for the attestations (no service: a form
    field), and the history as it happened: approvals in February, last changes at the
    signature."""
    for internship in records[::2]:
        internship.gratification_paid = expected_total(internship, closed_on)
    ids = [c.id for c in papers]
    db.session.execute(update(Convention.__table__).where(Convention.__table__.c.id.in_(ids))
                       .values(approved_at=moment(date(r, 2, 9)),
                               updated_at=moment(date(r, 3, 9))))
    db.session.execute(update(Internship.__table__)
                       .where(Internship.__table__.c.id.in_([i.id for i in records]))
                       .values(updated_at=moment(closed_on)))
