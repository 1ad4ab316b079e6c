"""The demo department: accounts, hosts and offers, created by ``flask --app wsgi seed-demo``.

Deterministic (fixed random seed) and idempotent: records are keyed by email, by
host name and city, and by offer title and host, so running it twice adds nothing. The
previous and the running academic year (conventions, defences, evaluations…) are told by
``app/demo/years.py``, through the services.
"""
from __future__ import annotations

import contextlib
import random
from contextlib import contextmanager
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


def seed(today: date | None = None) -> dict[str, int]:
    today = today or date.today()
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    users = _add_users(rng, password_hash)
    hosts, new_hosts = _add_hosts(rng)
    new_offers = _add_offers(rng, hosts, today)
    db.session.commit()
    report = {"utilisateurs créés": len(users), "organismes créés": new_hosts,
              "offres créées": new_offers}
    report.update(_seed_years(today, password_hash))
    return report


def _people(rng: random.Random):
    """email, first name, last name, role, cohort, group, track of every demo account."""
    for local, first, last, role, cohort, group, track in DEMO_ACCOUNTS:
        yield f"{local}@{DEMO_DOMAIN}", first, last, role, cohort, group, track
    for first, last in TEACHERS[1:]:
        yield _email(first, last), first, last, "teacher", None, None, None
    # 120 students: 40 per cohort, 6 of the BUT3 and 4 of the BUT2 are apprentices
    names = [(first, last) for last in LAST_NAMES for first in FIRST_NAMES]
    rng.shuffle(names)
    picked = iter(names)
    for cohort, count, apprentices in (("BUT1", 40, 0), ("BUT2", 40, 4), ("BUT3", 39, 5)):
        for i in range(count):
            first, last = next(picked)
            track = "apprentice" if i < apprentices else "initial"
            group = "A" if i % 2 else "B"
            yield _email(first, last), first, last, "student", cohort, group, track


def _add_users(rng: random.Random, password_hash: str) -> list[User]:
    """The demo accounts that do not exist yet (by email)."""
    existing_emails = set(db.session.execute(select(User.email)).scalars())
    users: list[User] = []
    for email, first, last, role, cohort, group, track in _people(rng):
        if email in existing_emails:
            continue
        existing_emails.add(email)
        users.append(User(email=email, first_name=first, last_name=last, role=role,
                          cohort=cohort, group_name=group, track=track,
                          password_hash=password_hash, active=True, must_change_password=False))
    db.session.add_all(users)
    db.session.flush()
    return users


def _add_hosts(rng: random.Random) -> tuple[list[tuple[Host, list[str]]], int]:
    """Every demo host with its domains (the missing ones created), and how many were new."""
    existing_hosts = {(h.name, h.city): h for h in db.session.execute(select(Host)).scalars()}
    hosts: list[tuple[Host, list[str]]] = []
    new_hosts = 0
    n = 0
    for kind_index, (pattern, sector, headcounts, kind_domains) in enumerate(HOST_KINDS):
        for city, country in CITIES[kind_index % 4::2][:6]:
            n += 1
            name = pattern.format(city=city)
            host = existing_hosts.get((name, city))
            if host is None:
                host = _new_host(rng, n, name, city, country, sector, headcounts)
                db.session.add(host)
                new_hosts += 1
            hosts.append((host, kind_domains))
    db.session.flush()
    return hosts, new_hosts


def _new_host(rng: random.Random, n: int, name: str, city: str, country: str, sector: str,
              headcounts: tuple[int, int]) -> Host:
    lo, hi = headcounts
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
    return host


def _add_offers(rng: random.Random, hosts: list[tuple[Host, list[str]]], today: date) -> int:
    """150 offers spread over the hosts and their domains (the missing ones); how many new."""
    from app.rules.years import academic_start_year

    existing_offers = set(db.session.execute(select(Offer.title, Offer.host_id)).all())
    author = db.session.execute(
        select(User).where(User.email == f"secretariat@{DEMO_DOMAIN}")
    ).scalar_one()
    new_offers = 0
    spring = date(academic_start_year(today) + 1, 4, 8)   # the running year's window
    for i in range(150):
        host, kind_domains = hosts[i % len(hosts)]
        domain = kind_domains[(i // len(hosts)) % len(kind_domains)]
        title, description = OFFER_TEMPLATES[domain][(i // 3) % len(OFFER_TEMPLATES[domain])]
        if (i // len(hosts)) > 0:
            title = f"{title} ({['printemps', 'été', 'session 2'][(i // len(hosts)) % 3]})"
        if (title, host.id) in existing_offers:
            continue
        existing_offers.add((title, host.id))
        db.session.add(_new_offer(rng, i, host, domain, title, description, spring, author))
        new_offers += 1
    return new_offers


def _new_offer(rng: random.Random, i: int, host: Host, domain: str, title: str,
               description: str, spring: date, author: User) -> Offer:
    weeks = rng.choice([12, 12, 14, 15, 16, 16])
    hours = Decimal(rng.choice(["35.0", "35.0", "35.0", "32.0", "28.0"]))
    monthly = (Decimal("4.50") * hours * Decimal(22) / Decimal(5)).quantize(Decimal("0.01"))
    monthly += Decimal(rng.choice([0, 0, 0, 50, 120, 250]))
    start = spring + timedelta(days=rng.choice([0, 5, 12, 26, 40, 55]))
    status = "published" if i % 10 < 8 else ("draft" if i % 10 == 8 else "closed")
    return Offer(
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


def _seed_years(today: date, password_hash: str) -> dict[str, int]:
    """The previous year and the running one (``app/demo/years.py``)."""
    from contextlib import ExitStack

    from app.demo.years import seed_years

    with ExitStack() as stack:
        stack.enter_context(_no_mail())
        if db.engine.dialect.name == "sqlite":
            stack.enter_context(_sqlite_without_sync())
        return seed_years(today, password_hash)


@contextmanager
def _no_mail():
    """The demo's people are invented: the emails the services queue for them are dropped
    before they reach the outbox (the notifications in the intranet stay)."""
    from sqlalchemy import event

    from app.notifications.models import OutboxMail

    def drop(session, flush_context, instances):
        for obj in [o for o in session.new if isinstance(o, OutboxMail)]:
            session.expunge(obj)

    event.listen(db.session, "before_flush", drop)
    try:
        yield
    finally:
        event.remove(db.session, "before_flush", drop)


@contextmanager
def _sqlite_without_sync():
    """The services commit at each step (about a thousand commits): on SQLite, without
    waiting for the disk at each one while the demo is written, then as before."""
    from sqlalchemy import event

    touched = []

    def relax(dbapi_connection, connection_record, connection_proxy):
        level = dbapi_connection.execute("PRAGMA synchronous").fetchone()[0]
        touched.append((dbapi_connection, level))
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    db.session.remove()   # the next connection is checked out through ``relax``
    event.listen(db.engine, "checkout", relax)
    try:
        yield
    finally:
        event.remove(db.engine, "checkout", relax)
        db.session.commit()
        for dbapi_connection, level in touched:
            with contextlib.suppress(Exception):  # a connection closed meanwhile
                dbapi_connection.execute(f"PRAGMA synchronous = {int(level)}")
