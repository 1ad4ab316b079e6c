"""Demo data: a realistic department, created by ``flask --app wsgi seed-demo``.

Deterministic (fixed random seed) and idempotent: records are keyed by email, by
host name and city, and by offer title and host, so running it twice adds nothing.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import User, utcnow
from app.accounts.services import hash_password
from app.extensions import db
from app.hosts.models import Host, HostContact
from app.offers.models import Offer
from app.search import fold

DEMO_PASSWORD = "stages-demo-2026"
DEMO_DOMAIN = "demo-iut.fr"
DEMO_ACCOUNTS = [
    # email, first name, last name, role, cohort, group, track
    ("admin", "Hélène", "Marchand", "admin", None, None, None),
    ("secretariat", "Sophie", "Lambert", "secretariat", None, None, None),
    ("secretariat2", "Karim", "Benali", "secretariat", None, None, None),
    ("enseignant", "Claire", "Dubois", "teacher", None, None, None),
    ("etudiant", "Léa", "Martin", "student", "BUT3", "A", "initial"),
    ("alternant", "Hugo", "Bernard", "student", "BUT3", "B", "apprentice"),
]
FIRST_NAMES = [
    "Emma", "Louise", "Jade", "Alice", "Chloé", "Inès", "Manon", "Camille", "Zoé", "Lina",
    "Gabriel", "Raphaël", "Louis", "Arthur", "Jules", "Adam", "Maël", "Noah", "Nathan", "Théo",
    "Sarah", "Yasmine", "Élise", "Margaux", "Océane", "Baptiste", "Mathis", "Enzo", "Lucas", "Tom",
]
LAST_NAMES = [
    "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia",
    "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
    "Dupont", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
]
TEACHERS = [
    ("Claire", "Dubois"), ("Philippe", "Renaud"), ("Nathalie", "Colin"), ("Olivier", "Brun"),
    ("Isabelle", "Gaillard"), ("Stéphane", "Barbier"), ("Valérie", "Arnaud"),
    ("Frédéric", "Martel"), ("Anne", "Lemoine"), ("Julien", "Carpentier"),
    ("Cécile", "Royer"), ("Thomas", "Huet"),
]
CITIES = [
    ("Paris", "France"), ("Lyon", "France"), ("Bordeaux", "France"), ("Lille", "France"),
    ("Nantes", "France"), ("Rennes", "France"), ("Strasbourg", "France"), ("Metz", "France"),
    ("Toulouse", "France"), ("Montpellier", "France"), ("Dijon", "France"), ("Besançon", "France"),
    ("Grenoble", "France"), ("Poitiers", "France"), ("Caen", "France"), ("Mulhouse", "France"),
    ("Bruxelles", "Belgique"), ("Genève", "Suisse"), ("Montréal", "Canada"),
    ("Édimbourg", "Royaume-Uni"), ("Barcelone", "Espagne"), ("Luxembourg", "Luxembourg"),
]
HOST_KINDS = [
    # name pattern, sector, headcount range, domains
    ("Archives départementales — {city}", "Collectivité territoriale", (40, 120), ["archives"]),
    ("Archives municipales de {city}", "Collectivité territoriale", (8, 30), ["archives"]),
    ("Médiathèque centrale de {city}", "Lecture publique", (25, 90), ["documentation"]),
    ("Bibliothèque universitaire de {city}", "Enseignement supérieur", (30, 150),
     ["documentation", "data"]),
    ("Centre de documentation du CHU de {city}", "Santé", (5, 15), ["documentation"]),
    ("Musée d’histoire de {city}", "Culture et patrimoine", (15, 60),
     ["archives", "documentation"]),
    ("Datalab — Métropole de {city}", "Collectivité territoriale", (10, 40), ["data"]),
    ("Archipel Données ({city})", "Entreprise du numérique", (12, 250), ["data"]),
    ("Cabinet Mémoire & Records, {city}", "Conseil en archivage", (4, 25), ["archives", "data"]),
    ("Service documentation — Chambre de commerce de {city}", "Organisme consulaire", (60, 300),
     ["documentation"]),
]
OFFER_TEMPLATES = {
    "archives": [
        ("Classement et description d’un fonds privé",
         "Vous participerez au traitement d’un fonds d’archives privées : tri, classement, "
         "rédaction d’un instrument de recherche conforme à la norme ISAD(G)."),
        ("Récolement et conditionnement des archives contemporaines",
         "Récolement des versements des services, conditionnement et mise à jour du tableau "
         "de gestion."),
        ("Archivage électronique : préparation des versements",
         "Analyse des flux documentaires numériques, préparation des bordereaux de versement "
         "vers le système d’archivage électronique (SAE)."),
        ("Valorisation des archives : exposition virtuelle",
         "Sélection de documents, rédaction de notices et mise en ligne d’une exposition "
         "virtuelle à partir des fonds iconographiques."),
    ],
    "documentation": [
        ("Veille documentaire et produits d’information",
         "Mise en place d’une veille thématique, rédaction d’une lettre d’information et "
         "gestion du portail documentaire."),
        ("Catalogage et signalement des collections",
         "Catalogage en UNIMARC, signalement dans le SUDOC et désherbage raisonné d’un fonds."),
        ("Médiation numérique en bibliothèque",
         "Accueil des publics, animation d’ateliers numériques et enquête sur les usages."),
        ("Refonte du plan de classement documentaire",
         "Audit de l’existant, entretiens avec les services et proposition d’un nouveau plan "
         "de classement de la GED."),
    ],
    "data": [
        ("Qualité des données et catalogue de données ouvertes",
         "Nettoyage et documentation de jeux de données, publication sur le portail open data, "
         "rédaction des métadonnées (DCAT)."),
        ("Tableaux de bord de l’activité documentaire",
         "Collecte des indicateurs, modélisation des données et réalisation de tableaux de bord."),
        ("Gouvernance des données et RGPD",
         "Cartographie des traitements, mise à jour du registre et sensibilisation des équipes."),
        ("Structuration de métadonnées patrimoniales",
         "Alignement de référentiels, conversion de notices et publication en données liées."),
    ],
}


def _siret_for(n: int) -> str:
    """A valid (Luhn) SIRET built from a number."""
    base = f"{n:013d}"[-13:]
    for key in range(10):
        candidate = base + str(key)
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError


def _email(first: str, last: str) -> str:
    return f"{fold(first).replace(' ', '-')}.{fold(last).replace(' ', '-')}@{DEMO_DOMAIN}"


def seed() -> dict[str, int]:
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    existing_emails = set(db.session.execute(select(User.email)).scalars())
    users: list[User] = []

    def add_user(email, first, last, role, cohort=None, group=None, track=None):
        if email in existing_emails:
            return
        existing_emails.add(email)
        users.append(User(email=email, first_name=first, last_name=last, role=role,
                          cohort=cohort, group_name=group, track=track,
                          password_hash=password_hash, active=True, must_change_password=False))

    for local, first, last, role, cohort, group, track in DEMO_ACCOUNTS:
        add_user(f"{local}@{DEMO_DOMAIN}", first, last, role, cohort, group, track)
    for first, last in TEACHERS[1:]:
        add_user(_email(first, last), first, last, "teacher")
    # 120 students: 40 per cohort, 6 of the BUT3 and 4 of the BUT2 are apprentices
    names = [(f, l) for l in LAST_NAMES for f in FIRST_NAMES]
    rng.shuffle(names)
    picked = iter(names)
    for cohort, count, apprentices in (("BUT1", 40, 0), ("BUT2", 40, 4), ("BUT3", 39, 5)):
        for i in range(count):
            first, last = next(picked)
            track = "apprentice" if i < apprentices else "initial"
            group = "A" if i % 2 else "B"
            add_user(_email(first, last), first, last, "student", cohort, group, track)
    db.session.add_all(users)
    db.session.flush()

    existing_hosts = {(h.name, h.city): h for h in db.session.execute(select(Host)).scalars()}
    hosts: list[tuple[Host, list[str]]] = []
    new_hosts = 0
    n = 0
    for kind_index, (pattern, sector, (lo, hi), kind_domains) in enumerate(HOST_KINDS):
        for city, country in CITIES[kind_index % 4::2][:6]:
            n += 1
            name = pattern.format(city=city)
            host = existing_hosts.get((name, city))
            if host is None:
                host = Host(
                    name=name, city=city, country=country, sector=sector,
                    headcount=rng.randint(lo, hi),
                    siret=_siret_for(21_000_000_000 + n * 7919) if country == "France" else None,
                    website=f"https://www.{fold(city).replace(' ', '-')}-{n}.example.org",
                    description=f"Secteur : {sector.lower()}, à {city}. Accueille "
                                "régulièrement des stagiaires du département.",
                )
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                host.contacts.append(HostContact(
                    name=f"{first} {last}", position="Responsable du service",
                    email=f"{fold(first)}.{fold(last)}@{fold(city).replace(' ', '')}.example.org",
                    phone=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                          f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                ))
                db.session.add(host)
                new_hosts += 1
            hosts.append((host, kind_domains))
    db.session.flush()

    existing_offers = set(db.session.execute(select(Offer.title, Offer.host_id)).all())
    author = db.session.execute(
        select(User).where(User.email == f"secretariat@{DEMO_DOMAIN}")
    ).scalar_one()
    new_offers = 0
    spring = date(2027, 4, 8)
    for i in range(150):
        host, kind_domains = hosts[i % len(hosts)]
        domain = kind_domains[(i // len(hosts)) % len(kind_domains)]
        title, description = OFFER_TEMPLATES[domain][(i // 3) % len(OFFER_TEMPLATES[domain])]
        if (i // len(hosts)) > 0:
            title = f"{title} ({['printemps', 'été', 'session 2'][(i // len(hosts)) % 3]})"
        if (title, host.id) in existing_offers:
            continue
        existing_offers.add((title, host.id))
        weeks = rng.choice([12, 12, 14, 15, 16, 16])
        hours = Decimal(rng.choice(["35.0", "35.0", "35.0", "32.0", "28.0"]))
        monthly = (Decimal("4.50") * hours * Decimal(22) / Decimal(5)).quantize(Decimal("0.01"))
        monthly += Decimal(rng.choice([0, 0, 0, 50, 120, 250]))
        start = spring + timedelta(days=rng.choice([0, 5, 12, 26, 40, 55]))
        status = "published" if i % 10 < 8 else ("draft" if i % 10 == 8 else "closed")
        offer = Offer(
            title=title, host=host, domain=domain, description=description,
            missions="— Participer à la vie du service et à ses réunions\n"
                     "— Mener à bien la mission décrite ci-dessus, avec le tuteur\n"
                     "— Rédiger un bilan des actions menées",
            city=host.city, country=host.country, remote=rng.random() < 0.3,
            start_date=start, duration_weeks=weeks, weekly_hours=hours,
            gratification_monthly=monthly if host.country == "France" or rng.random() < 0.5
            else None,
            deadline=start - timedelta(days=rng.choice([20, 35, 50])),
            contact_name=host.contacts[0].name if host.contacts else None,
            contact_email=host.contacts[0].email if host.contacts else None,
            status=status, created_by=author,
            published_at=utcnow() - timedelta(days=150 - i) if status != "draft" else None,
        )
        db.session.add(offer)
        new_offers += 1
    db.session.commit()
    new_internships = _seed_internships(rng, [h for h, _ in hosts])
    return {"utilisateurs créés": len(users), "organismes créés": new_hosts,
            "offres créées": new_offers, "stages créés": new_internships}


def _seed_internships(rng: random.Random, hosts: list[Host]) -> int:
    """Academic year 2026-2027, the rates table, and internships for half of the BUT3."""
    from app.internships.models import Internship, Objective
    from app.rules.calendar import format_days
    from app.years import services as years

    years.ensure_default_rates()
    year = years.year_for(date(2026, 10, 1)) or years.create_year(
        years.YearData(start_year=2026, programme_hours=1800))
    students = list(db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial").order_by(User.id)).scalars())
    has_one = set(db.session.execute(
        select(Internship.student_id).where(Internship.academic_year_id == year.id)).scalars())
    created = 0
    for i, student in enumerate(students):
        if i % 2 or student.id in has_one or student.email.startswith("etudiant@"):
            continue
        host = hosts[(i * 7) % len(hosts)]
        start = year.earliest_start + timedelta(days=rng.choice([0, 5, 12, 19]))
        weeks = rng.choice([12, 13, 14, 16])
        internship = Internship(
            student=student, academic_year=year, host=host, country=host.country,
            subject=rng.choice([
                "Traitement d’un fonds d’archives contemporaines",
                "Refonte de la veille documentaire", "Catalogue de données ouvertes",
                "Numérisation et description de plans anciens",
            ]),
            start_date=start, end_date=start + timedelta(days=weeks * 7 - 1),
            work_days=format_days(range(5)), weekly_hours=Decimal("35"),
            zone="alsace-moselle" if host.city in ("Strasbourg", "Metz", "Mulhouse")
            else "metropole",
            host_tutor_name=host.contacts[0].name if host.contacts else None,
            host_tutor_email=host.contacts[0].email if host.contacts else None,
            agreed_amount=Decimal(rng.choice(["693.00", "700.00", "750.00", "4.50"])),
            status="planned",
        )
        internship.agreed_unit = "hour" if internship.agreed_amount < 10 else "month"
        internship.objectives = [
            Objective(position=0, statement="Décrire 30 boîtes d’archives selon ISAD(G) avant "
                                            "la fin du 2e mois"),
            Objective(position=1, statement="Présenter un bilan chiffré au service la dernière "
                                            "semaine"),
        ]
        db.session.add(internship)
        created += 1
    db.session.commit()
    _seed_tutoring(year)
    return created


def _seed_tutoring(year) -> None:
    """The demo teacher coordinates; half of the interns already have a tutor."""
    from app.tutoring.models import TutorAssignment
    from app.tutoring.services import open_assignments

    coordinator = db.session.execute(
        select(User).where(User.email == f"enseignant@{DEMO_DOMAIN}")).scalar_one()
    coordinator.is_coordinator = True
    teachers = list(db.session.execute(select(User).where(User.role == "teacher")
                                       .order_by(User.id)).scalars())
    from app.internships.models import Internship

    interns = list(db.session.execute(select(Internship.student_id).where(
        Internship.academic_year_id == year.id).order_by(Internship.student_id)).scalars())
    taken = open_assignments(year)
    for n, student_id in enumerate(interns[::2]):
        if student_id not in taken:
            db.session.add(TutorAssignment(student_id=student_id, academic_year_id=year.id,
                                           teacher_id=teachers[n % len(teachers)].id,
                                           assigned_by_id=coordinator.id))
    db.session.commit()
