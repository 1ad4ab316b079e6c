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
