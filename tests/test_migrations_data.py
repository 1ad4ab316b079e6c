"""A database of the first release, with data, migrates forward to head and keeps it all."""
from flask_migrate import upgrade
from sqlalchemy import select as sa_select
from sqlalchemy import text

from app import create_app
from config import TestingConfig

FIRST = "6b6da9e1b2dd"  # accounts, hosts and offers


def test_first_release_with_data_migrates_to_head(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'old.db'}"

    app = create_app(Config)
    from app.extensions import db

    with app.app_context():
        upgrade(revision=FIRST)
        db.session.execute(text(
            "INSERT INTO users (email, password_hash, first_name, last_name, role, active, "
            "must_change_password, cohort, track, created_at, search_text, version_id) VALUES "
            "('lea@test-iut.fr', 'x', 'Léa', 'Martin', 'student', 1, 0, 'BUT3', 'initial', "
            "'2026-01-01', 'lea martin', 1)"))
        db.session.execute(text(
            "INSERT INTO hosts (name, city, country, search_text, created_at, updated_at, "
            "version_id) VALUES ('Archives', 'Lyon', 'France', 'archives lyon', '2026-01-01', "
            "'2026-01-01', 1)"))
        db.session.execute(text(
            "INSERT INTO offers (title, host_id, domain, description, city, country, remote, "
            "status, search_text, created_at, updated_at, version_id) VALUES ('Inventaire', "
            "1, 'archives', 'Classement', 'Lyon', 'France', 0, 'published', "
            "'inventaire classement lyon', '2026-01-01', '2026-01-01', 1)"))
        db.session.commit()
        upgrade()
        row = db.session.execute(text(
            "SELECT email, is_coordinator, calendar_token FROM users")).one()
        assert row.email == "lea@test-iut.fr" and not row.is_coordinator
        assert row.calendar_token is None
        assert db.session.execute(text("SELECT name FROM hosts")).scalar_one() == "Archives"
        # the offer's text now holds its host's name, and the search finds it by either
        offer_text = db.session.execute(text("SELECT search_text FROM offers")).scalar_one()
        assert offer_text == "inventaire classement lyon archives"
        from app.offers.models import Offer
        from app.search import matching

        found = db.session.execute(sa_select(Offer.title).where(
            matching("archives inventaire", Offer.search_text))).scalars().all()
        assert found == ["Inventaire"]
        rates = db.session.execute(text("SELECT year FROM gratification_rates")).scalars()
        assert set(rates) == {2024, 2025, 2026}
        db.session.remove()
        db.engine.dispose()


def test_mentions_ticked_before_the_checks_table_are_carried_over_and_back(tmp_path):
    from flask_migrate import downgrade

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'ticks.db'}"

    app = create_app(Config)
    from app.extensions import db

    with app.app_context():
        upgrade(revision="613055b89dfa")  # ticks were a JSON column of the convention
        db.session.execute(text(
            "INSERT INTO conventions (id, internship_id, status, manual_checks, created_at, "
            "updated_at, version_id) VALUES (7, 1, 'submitted', "
            "'{\"benefits\": true, \"programme\": false, \"not_a_job\": true}', "
            "'2026-11-02 09:00:00', '2026-11-03 10:00:00', 4)"))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT item, checked_by_id FROM convention_checks WHERE convention_id = 7 "
            "ORDER BY item")).all()
        assert [tuple(r) for r in rows] == [("benefits", None), ("not_a_job", None)]
        version = db.session.execute(text("SELECT version_id FROM conventions")).scalar_one()
        assert version == 4
        db.session.commit()
        downgrade(revision="613055b89dfa")
        ticked = db.session.execute(text("SELECT manual_checks FROM conventions")).scalar_one()
        assert '"benefits": true' in ticked and '"not_a_job": true' in ticked
        db.session.remove()
        db.engine.dispose()


def test_previous_release_internships_and_applications_get_their_search_text(tmp_path):
    """The release before the internships' and applications' own search texts: migrated
    forward, the rows already there get theirs, and the convention queue and the staff's
    list of applications find them by student, host and offer."""
    from datetime import date

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'previous.db'}"

    app = create_app(Config)
    from app.extensions import db

    with app.app_context():
        upgrade(revision="c1d8e2f4a9b7")
        for statement in (
            "INSERT INTO users (id, email, password_hash, first_name, last_name, role, active, "
            "must_change_password, is_coordinator, cohort, track, created_at, search_text, "
            "version_id) VALUES (1, 'zoe@test-iut.fr', 'x', 'Zoé', 'Éluard', 'student', 1, 0, "
            "0, 'BUT3', 'initial', '2026-01-01', 'zoe eluard zoe@test-iut.fr', 1)",
            "INSERT INTO hosts (id, name, city, country, search_text, created_at, updated_at, "
            "version_id) VALUES (1, 'Musée Gadagne', 'Lyon', 'France', 'musee gadagne lyon', "
            "'2026-01-01', '2026-01-01', 1)",
            "INSERT INTO offers (id, title, host_id, domain, description, city, country, remote, "
            "status, search_text, created_at, updated_at, version_id) VALUES (1, 'Inventaire "
            "des plans', 1, 'archives', 'Classement', 'Lyon', 'France', 0, 'published', "
            "'inventaire des plans musee gadagne', '2026-01-01', '2026-01-01', 1)",
            "INSERT INTO stored_files (id, filename, content_type, size, sha256, data, "
            "created_at) VALUES (1, 'cv.pdf', 'application/pdf', 4, 'x', x'25504446', "
            "'2026-01-01')",
            "INSERT INTO applications (id, offer_id, student_id, message, cv_id, status, "
            "created_at, updated_at, version_id) VALUES (1, 1, 1, 'Motivée', 1, 'sent', "
            "'2026-01-02', '2026-01-02', 1)",
            "INSERT INTO academic_years (id, start_year, label, earliest_start, min_weeks, "
            "max_weeks, tutee_limit, version_id) VALUES (1, 2026, '2026-2027', '2027-04-08', "
            "12, 16, 16, 1)",
            "INSERT INTO internships (id, student_id, academic_year_id, host_id, offer_id, "
            "subject, start_date, end_date, work_days, weekly_hours, holidays_worked, zone, "
            "country, agreed_unit, status, created_at, updated_at, version_id) VALUES (1, 1, 1, "
            "1, 1, 'Numérisation', '2027-04-08', '2027-06-30', 'mon,tue,wed,thu,fri', 35, 0, "
            "'metropole', 'France', 'month', 'planned', '2026-01-03', '2026-01-03', 1)",
            "INSERT INTO conventions (id, internship_id, status, created_at, updated_at, "
            "version_id) VALUES (1, 1, 'submitted', '2026-01-04', '2026-01-04', 1)",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        texts = db.session.execute(text(
            "SELECT (SELECT search_text FROM internships), "
            "(SELECT search_text FROM applications)")).one()
        assert texts == ("zoe eluard zoe@test-iut.fr musee gadagne lyon numerisation",
                         "zoe eluard zoe@test-iut.fr inventaire des plans musee gadagne")
        from app.applications.services import StaffFilters, staff_query
        from app.conventions.services import QueueFilters, queue_query

        def queue(q):
            return [c.id for c in db.session.execute(
                queue_query(QueueFilters(q=q), date(2026, 11, 1))).unique().scalars()]

        assert queue("eluard gadag") == [1] and queue("numerisation") == [1]
        assert queue("inconnu") == []
        found = db.session.execute(
            staff_query(StaffFilters(q="zoe inventaire"))).unique().scalars()
        assert [a.id for a in found] == [1]
        db.session.remove()
        db.engine.dispose()
