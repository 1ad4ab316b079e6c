"""The previous academic year, completed: signed, defended in September, evaluated, told."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select, update

from app.accounts.models import User
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
from app.extensions import db

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
    first_monday = weekday_on_or_after(year.earliest_start, 0)
    records = []
    with at(moment(date(r, 1, 12)), read=True):
        for n, (student, host) in enumerate(zip(students, hosts, strict=False)):
            start = first_monday + timedelta(days=7 * (n % 3))
            weeks = (12, 14, 16, 13, 15)[n % 5]
            data = internship_data(cast, host, start, weeks, n,
                                   amount=("760.00", "800.00", "850.00")[n % 3])
            records.append(internships.create_internship(student, data)[0])
    tutors = {}
    with at(moment(date(r, 1, 19)), read=True):
        for n, student in enumerate(students):
            teacher = cast.coordinator if n < 4 else cast.teachers[1 + n % (len(cast.teachers)
                                                                          - 1)]
            tutoring.assign(cast.coordinator, student, teacher, year, "Affectation de janvier")
            tutors[student.id] = teacher
    papers = []
    with at(moment(date(r, 2, 2)), read=True):
        for student, internship in zip(students, records, strict=False):
            convention = prepare_convention(cast, internship, student)
            conventions.submit(convention, student, convention.version_id)
            papers.append(convention)
    with at(moment(date(r, 2, 9)), read=True):
        for convention in papers:
            tutor = tutors[convention.internship.student_id]
            conventions.approve(convention, tutor, convention.version_id)
    validated_on = date(r, 2, 23)
    with at(moment(validated_on), read=True):
        for convention in papers:
            tick_all(cast, convention)
            conventions.validate(convention, cast.secretariat, convention.version_id,
                                 validated_on)
    with at(moment(date(r, 3, 9)), read=True):
        for n, convention in enumerate(papers):
            conventions.send_for_signature(convention, cast.secretariat,
                                           convention.version_id)
            sign_all(cast, convention, date(r, 3, 2) + timedelta(days=n % 3))
    with at(moment(first_monday), read=True):
        for internship in records:
            internships.mark_started(internship, cast.secretariat, internship.start_date)
    with at(moment(first_monday + timedelta(days=40)), read=True):
        for n, internship in enumerate(records):
            day = internship.start_date + timedelta(days=17 + n % 5)
            tutoring.add_follow_up(tutors[internship.student_id], internship.student, year,
                                   ("student", "host_tutor", "visit")[n % 3], day,
                                   "Premier point : le stagiaire est bien intégré, le "
                                   "calendrier des missions est tenu.", day)
    closed_on = date(r, 9, 1)
    with at(moment(closed_on), read=True):
        for internship in records:
            internships.move(internship, cast.secretariat, "finished", "Fin du stage")
            db.session.commit()
            evaluations.open_evaluations(internship, closed_on)
    # the defences: two days in September, proposed in June, published in July
    first_day = weekday_on_or_after(date(r, 9, 8), 1)
    with at(moment(date(r, 6, 15)), read=True):
        for k in range(2):
            defenses.add_session(cast.secretariat, year, first_day + timedelta(days=k),
                                 "B204", time(9, 0), time(17, 0), 45)
        defenses.propose(cast.secretariat, year)
    with at(moment(date(r, 7, 1)), read=True):
        defenses.publish(cast.secretariat, year)
    # the evaluations, answered in September (the tutor's on the defence day)
    from app.evaluations.models import Evaluation

    ratings = ("reached", "reached", "partly")
    for kind, day in (("host_tutor", date(r, 9, 4)), ("student_host", date(r, 9, 7)),
                      ("academic_tutor", first_day + timedelta(days=1))):
        with at(moment(day), read=True):
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
    with at(moment(date(r, 9, 20)), read=True):
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

    with at(moment(date(r, 10, 1)), read=True):
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
                       .values(approved_at=moment(date(r, 2, 9)),
                               updated_at=moment(date(r, 3, 9))))
    db.session.execute(update(Internship.__table__)
                       .where(Internship.__table__.c.id.in_([i.id for i in records]))
                       .values(updated_at=moment(closed_on)))
    for student in students:   # graduated since: no cohort any more
        student.cohort = None
    db.session.commit()
    return len(records)
