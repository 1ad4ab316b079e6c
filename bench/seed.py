"""Seed a university-scale data set fast (bulk inserts), for the benchmark.

    python bench/seed.py --scale 0.02      # the default small scale
    python bench/seed.py --scale 1         # 150,000 internships, 50,000 offers, ...

The database is the one of DATABASE_URL, migrated to head beforehand.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FULL = {"internships": 150_000, "offers": 50_000, "applications": 300_000,
        "students": 20_000, "teachers": 500, "years": 10, "hosts": 5_000}
PASSWORD = "bench-password-1"
CHUNK = 5_000


def chunks(rows):
    for i in range(0, len(rows), CHUNK):
        yield rows[i:i + CHUNK]


def seed(scale: float, start_id: int = 0) -> dict:
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.extensions import db
    from app.models import Application, Convention, Host, Internship, Offer, StoredFile, User
    from app.search import fold
    from app.tutoring.models import TutorAssignment
    from app.years.models import AcademicYear, GratificationRate

    n = {k: max(2 if k == "years" else 20, int(v * scale)) for k, v in FULL.items()}
    n["years"] = max(2, min(FULL["years"], int(FULL["years"] * max(scale, 0.2))))
    rng = random.Random(42 + start_id)
    app = create_app("production")
    now = datetime.now(UTC)
    tag = f"b{start_id}"
    with app.app_context():
        conn = db.session
        pw = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        this_year = date.today().year if date.today().month >= 9 else date.today().year - 1
        years = []
        existing = {y.start_year: y for y in conn.query(AcademicYear).all()}
        for k in range(n["years"]):
            sy = this_year - k
            if sy not in existing:
                y = AcademicYear(start_year=sy, label=f"{sy}-{sy + 1}",
                                 earliest_start=date(sy + 1, 4, 8), min_weeks=12, max_weeks=16,
                                 tutee_limit=16)
                conn.add(y)
                existing[sy] = y
            years.append(existing[sy])
        if not conn.query(GratificationRate).count():
            for yr, rate in ((2024, "4.35"), (2025, "4.35"), (2026, "4.50")):
                conn.add(GratificationRate(year=yr, hourly_rate=Decimal(rate)))
        conn.flush()

        def users(role, count):
            rows = []
            for i in range(count):
                first, last = f"Prénom{i}", f"Nom{tag}{role}{i}"
                email = f"{role}{i}.{tag}@bench.example.org"
                rows.append(dict(email=email, password_hash=pw, first_name=first,
                                 last_name=last, role=role, active=True,
                                 must_change_password=False, is_coordinator=False,
                                 search_text=fold(f"{first} {last} {email}"), version_id=1,
                                 created_at=now))
            return rows

        def insert(model, rows):
            for part in chunks(rows):
                conn.execute(model.__table__.insert(), part)

        teachers = users("teacher", n["teachers"])
        teachers[0]["is_coordinator"] = True  # teacher0: the coordinator of the tutor board
        insert(User, teachers)
        insert(User, users("secretariat", 2))
        students = users("student", n["students"])
        for i, r in enumerate(students):
            r.update(cohort=("BUT1", "BUT2", "BUT3")[i % 3], group_name="AB"[i % 2],
                     track="apprentice" if i % 17 == 0 else "initial")
        insert(User, students)
        student_ids = [u for (u,) in conn.query(User.id).filter(
            User.role == "student", User.email.like(f"%.{tag}@bench.example.org"))]
        teacher_ids = [u for (u,) in conn.query(User.id).filter(
            User.role == "teacher", User.email.like(f"%.{tag}@bench.example.org"))]

        cities = ["Paris", "Lyon", "Lille", "Nantes", "Metz", "Genève", "Bruxelles", "Rennes"]
        hosts = []
        for i in range(n["hosts"]):
            city = cities[i % len(cities)]
            country = {"Genève": "Suisse", "Bruxelles": "Belgique"}.get(city, "France")
            name = f"Organisme {tag}-{i} {['Archives', 'Médiathèque', 'Datalab'][i % 3]}"
            hosts.append(dict(name=name, city=city, country=country, sector="Culture",
                              headcount=rng.randint(5, 400), search_text=fold(
                                  f"{name} {city} {country}"), created_at=now, updated_at=now,
                              version_id=1))
        insert(Host, hosts)
        host_names, host_cities = {}, {}
        for hid, name, city in conn.query(Host.id, Host.name, Host.city).filter(
                Host.name.like(f"Organisme {tag}-%")):
            host_names[hid], host_cities[hid] = name, city
        host_ids = list(host_names)
        student_words = {uid: f"{first} {last} {email}" for uid, first, last, email in conn.query(
            User.id, User.first_name, User.last_name, User.email).filter(
            User.role == "student", User.email.like(f"%.{tag}@bench.example.org"))}

        words = ["archives", "données", "documentation", "numérisation", "veille", "catalogue",
                 "inventaire", "métadonnées", "GED", "open data"]
        offers = []
        for i in range(n["offers"]):
            domain = ("archives", "documentation", "data")[i % 3]
            title = f"Stage {words[i % len(words)]} {words[(i * 7) % len(words)]} n°{tag}-{i}"
            y = years[i % len(years)]
            start = y.earliest_start + timedelta(days=rng.randint(0, 60))
            offers.append(dict(
                title=title, host_id=host_ids[i % len(host_ids)], domain=domain,
                description=f"Mission de {words[i % len(words)]} pour le service.",
                city=cities[i % len(cities)], country="France", remote=i % 4 == 0,
                start_date=start, duration_weeks=12 + i % 5, weekly_hours=Decimal("35"),
                gratification_monthly=Decimal("693.00") + i % 200, deadline=start -
                timedelta(days=30), status="published" if i % 10 < 8 else "archived",
                published_at=now - timedelta(minutes=i), search_text=fold(
                    f"{title} mission de {words[i % len(words)]} {domain} "
                    f"{host_names[host_ids[i % len(host_ids)]]}"),
                created_at=now, updated_at=now, version_id=1))
        insert(Offer, offers)
        offer_words = {o: f"{title} {host_names[host_id]}" for o, title, host_id in conn.query(
            Offer.id, Offer.title, Offer.host_id).filter(Offer.title.like(f"%n°{tag}-%"))}
        offer_ids = list(offer_words)

        cv = StoredFile(filename="cv.pdf", content_type="application/pdf", size=20,
                        sha256=hashlib.sha256(b"%PDF-1.4 bench %%EOF").hexdigest(),
                        data=b"%PDF-1.4 bench %%EOF", created_at=now)
        conn.add(cv)
        conn.flush()
        pairs = set()
        apps = []
        while len(apps) < n["applications"]:
            s, o = rng.choice(student_ids), rng.choice(offer_ids)
            if (s, o) in pairs:
                continue
            pairs.add((s, o))
            apps.append(dict(offer_id=o, student_id=s, message="Motivé·e.", cv_id=cv.id,
                             search_text=fold(f"{student_words[s]} {offer_words[o]}"),
                             status=("sent", "interview", "refused", "accepted")[len(apps) % 4],
                             created_at=now, updated_at=now, version_id=1))
        insert(Application, apps)

        internships = []
        used = set()
        for i in range(n["internships"]):
            s = student_ids[i % len(student_ids)]
            y = years[(i // len(student_ids)) % len(years)]
            if (s, y.id) in used:
                continue
            used.add((s, y.id))
            start = y.earliest_start + timedelta(days=rng.randint(0, 30))
            host_id = rng.choice(host_ids)
            internships.append(dict(
                student_id=s, academic_year_id=y.id, host_id=host_id,
                search_text=fold(f"{student_words[s]} {host_names[host_id]} "
                                 f"{host_cities[host_id]} Stage"),
                offer_id=rng.choice(offer_ids), subject="Stage", start_date=start,
                end_date=start + timedelta(weeks=12, days=-1), work_days="mon,tue,wed,thu,fri",
                weekly_hours=Decimal("35"), holidays_worked=False, zone="metropole",
                country="France", host_tutor_name="Tuteur", agreed_amount=Decimal("700"),
                agreed_unit="month", status="planned", created_at=now, updated_at=now,
                version_id=1))
        insert(Internship, internships)
        rows = [(i, y) for (i, y) in conn.query(Internship.id, Internship.academic_year_id).join(
            User, User.id == Internship.student_id).filter(
            User.email.like(f"%.{tag}@bench.example.org"))]
        all_internships = [i for i, _ in rows]
        statuses = ("draft", "submitted", "changes_requested", "validated", "out_for_signature",
                    "signed")
        insert(Convention, [dict(internship_id=iid, academic_year_id=year_id,
                                 status=statuses[k % len(statuses)],
                                 created_at=now, updated_at=now,
                                 submitted_at=now - timedelta(minutes=k) if k % 6 else None,
                                 version_id=1)
                            for k, (iid, year_id) in enumerate(rows)])
        # Tutors: each teacher takes twelve of each year's interns (three quarters of the
        # year's limit of sixteen), so the board has both lists to page through.
        by_year: dict[int, list[int]] = {}
        for s, y in sorted(used):
            by_year.setdefault(y, []).append(s)
        insert(TutorAssignment, [
            dict(student_id=s, teacher_id=teacher_ids[k % len(teacher_ids)], academic_year_id=y,
                 started_at=now)
            for y, ids in by_year.items() for k, s in enumerate(ids[:12 * len(teacher_ids)])])
        conn.commit()
        if start_id == 0:
            _ready_convention(conn, now, teacher_ids[0], host_ids[0], all_internships[0])
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load: without statistics the
            # planner takes the 10,000 BUT3 students for one row and loops where it should
            # hash; without the visibility map no index-only scan serves the late pages.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.exec_driver_sql("VACUUM ANALYZE")
        elif db.engine.dialect.name == "sqlite":
            # SQLite keeps no statistics by itself (README: ANALYZE from cron): without them
            # it drives a search of the convention queue from the status index (every
            # submitted convention) instead of from the few ids the full-text index gives.
            with db.engine.connect() as raw:
                raw.exec_driver_sql("ANALYZE")
        counts = {k: conn.query(m).count() for k, m in (
            ("users", User), ("hosts", Host), ("offers", Offer), ("applications", Application),
            ("internships", Internship), ("conventions", Convention),
            ("tutor assignments", TutorAssignment))}
        return counts


def _ready_convention(conn, now, teacher_id, host_id, internship_id) -> None:
    """One submitted convention that passes every check: two secretaries will race on it."""
    from app.conventions.models import MANUAL_ITEMS, Convention, ConventionCheck
    from app.hosts.models import Host
    from app.internships.models import Internship
    from app.tutoring.models import TutorAssignment

    conn.get(Host, host_id).headcount = 400
    internship = conn.get(Internship, internship_id)
    internship.host_id = host_id
    internship.host_tutor_name = "Tuteur unique"
    internship.host_tutor_email = "tuteur.unique@bench.example.org"
    internship.missions = "Inventaire et description du fonds"
    internship.skills = "Description archivistique, indexation"
    internship.academic_year.programme_hours = 1800
    c = conn.query(Convention).filter_by(internship_id=internship_id).one()
    c.status, c.submitted_at = "submitted", now
    # The tutor is tutoring's open assignment of the year (the convention reads it).
    tutor = conn.query(TutorAssignment).filter_by(
        student_id=internship.student_id, academic_year_id=internship.academic_year_id,
        ended_at=None).one_or_none()
    if tutor is None:
        conn.add(TutorAssignment(student_id=internship.student_id, teacher_id=teacher_id,
                                 academic_year_id=internship.academic_year_id, started_at=now))
    else:
        tutor.teacher_id = teacher_id
    c.approved_by_id = teacher_id
    c.approved_at = now
    c.leave_conditions = "Deux jours par mois"
    conn.add_all(ConventionCheck(convention_id=c.id, item=k, checked_by_id=teacher_id)
                 for k in MANUAL_ITEMS)
    conn.commit()
    print(f"READY_CONVENTION={c.id}")


def racers(count: int, spare: int) -> dict:
    """What the concurrent run of the benchmark writes to, seeded after the measured pages:
    ``count`` BUT3 students without an internship this year (each will send the internship
    form and an application twice at once), a second coordinator (two coordinators give
    each racer a tutor at the same instant), offers open to applications, conventions
    waiting for the secretariat's checks (not ``spare``, the one two secretaries validate),
    teachers with room for tutees. Returns their ids."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.extensions import db
    from app.models import Convention, Host, Offer, User
    from app.search import fold
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    app = create_app("production")
    now = datetime.now(UTC)
    today = date.today()
    with app.app_context():
        conn = db.session
        year = years.current_year(today)
        pw = generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")
        conn.execute(User.__table__.insert(), [dict(
            email=f"racer{i}.mixed@bench.example.org", password_hash=pw, first_name=f"Prénom{i}",
            last_name=f"Coureur{i}", role="student", active=True, must_change_password=False,
            is_coordinator=False, cohort="BUT3", group_name="A", track="initial",
            search_text=fold(f"Prénom{i} Coureur{i} racer{i}.mixed@bench.example.org"),
            version_id=1, created_at=now) for i in range(count)])
        students = [u for (u,) in conn.execute(select(User.id).where(
            User.email.like("racer%.mixed@bench.example.org")).order_by(User.id))]
        coordinators = ["teacher0.b0@bench.example.org", "teacher1.b0@bench.example.org"]
        conn.execute(User.__table__.update().where(User.email.in_(coordinators))
                     .values(is_coordinator=True))
        # Offers open to applications whatever the date of the run.
        offers = [o for (o,) in conn.execute(select(Offer.id).where(
            Offer.status == "published").order_by(Offer.id).limit(8))]
        conn.execute(Offer.__table__.update().where(Offer.id.in_(offers))
                     .values(deadline=today + timedelta(days=60)))
        conventions = [c for (c,) in conn.execute(select(Convention.id).where(
            Convention.status == "submitted", Convention.id != spare)
            .order_by(Convention.id).limit(8))]
        loads = dict(conn.execute(select(TutorAssignment.teacher_id, func.count()).where(
            TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))
            .group_by(TutorAssignment.teacher_id)).all())
        teachers = [t for (t,) in conn.execute(select(User.id).where(
            User.role == "teacher", User.active.is_(True), User.email.notin_(coordinators))
            .order_by(User.id).limit(500))
            if loads.get(t, 0) <= year.tutee_limit - 4][:2 * count]
        host = conn.execute(select(Host.id).order_by(Host.id.desc()).limit(1)).scalar_one()
        start = year.earliest_start
        conn.commit()
        return {"students": students, "offers": offers, "conventions": conventions,
                "teachers": teachers, "host": host, "year": year.id,
                "start": start.isoformat(),
                "end": (start + timedelta(weeks=14, days=-1)).isoformat()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--batch", type=int, default=0, help="distinguishes repeated seeds")
    args = parser.parse_args()
    print(seed(args.scale, args.batch))


if __name__ == "__main__":
    main()
