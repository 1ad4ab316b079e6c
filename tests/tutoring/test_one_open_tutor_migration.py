"""A database with doubled open tutors (from before the rule) migrates: one stays open."""
import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app import create_app
from config import TestingConfig

BEFORE = "b7e2d4f6a8c1"  # the last revision without the one-open-tutor index


def test_doubled_open_tutors_are_closed_but_one(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'doubled.db'}"

    app = create_app(Config)
    from app.extensions import db

    with app.app_context():
        upgrade(revision=BEFORE)
        users = ", ".join(
            f"({n}, 'u{n}@test-iut.fr', 'x', 'P', 'N{n}', '{role}', 1, 0, 0, '2026-01-01', "
            f"'n{n}', 1)" for n, role in ((1, "student"), (2, "student"), (3, "teacher"),
                                         (4, "teacher"), (5, "teacher")))
        for statement in (
            "INSERT INTO users (id, email, password_hash, first_name, last_name, role, "
            "active, must_change_password, is_coordinator, created_at, search_text, "
            f"version_id) VALUES {users}",
            "INSERT INTO hosts (id, name, city, country, search_text, created_at, updated_at, "
            "version_id) VALUES (1, 'Musée', 'Lyon', 'France', 'musee', '2026-01-01', "
            "'2026-01-01', 1)",
            "INSERT INTO academic_years (id, start_year, label, earliest_start, min_weeks, "
            "max_weeks, tutee_limit, version_id) VALUES (1, 2026, '2026-2027', '2027-04-08', "
            "12, 16, 16, 1)",
            # student 1: the convention names teacher 3, the older of the two
            "INSERT INTO internships (id, student_id, academic_year_id, host_id, subject, "
            "start_date, end_date, work_days, weekly_hours, holidays_worked, zone, country, "
            "agreed_unit, status, created_at, updated_at, version_id) VALUES (1, 1, 1, 1, "
            "'S', '2027-04-08', '2027-06-30', 'mon', 35, 0, 'metropole', 'France', 'month', "
            "'planned', '2026-01-03', '2026-01-03', 1)",
            "INSERT INTO conventions (id, internship_id, status, academic_tutor_id, "
            "created_at, updated_at, version_id) VALUES (1, 1, 'draft', 3, '2026-01-04', "
            "'2026-01-04', 1)",
            "INSERT INTO tutor_assignments (id, student_id, teacher_id, academic_year_id, "
            "started_at, ended_at) VALUES "
            "(1, 1, 3, 1, '2026-02-01 10:00:00', NULL), (2, 1, 4, 1, '2026-02-01 10:00:00', "
            "NULL), "
            # student 2: no convention, three open (and one ended long ago): the latest stays
            "(3, 2, 5, 1, '2026-01-01 09:00:00', '2026-01-15 09:00:00'), "
            "(4, 2, 3, 1, '2026-02-01 10:00:00', NULL), (5, 2, 4, 1, '2026-02-01 10:00:00', "
            "NULL), (6, 2, 5, 1, '2026-02-01 10:00:00', NULL)",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT id, ended_at IS NULL, end_reason FROM tutor_assignments ORDER BY id")).all()
        assert [(r[0], bool(r[1])) for r in rows] == [
            (1, True), (2, False), (3, False), (4, False), (5, False), (6, True)]
        assert rows[1][2].startswith("Affectation en double")
        assert rows[2][2] is None  # the history before stays as it was
        # from now on the database refuses a second open tutor
        with pytest.raises(IntegrityError):
            db.session.execute(text(
                "INSERT INTO tutor_assignments (student_id, teacher_id, academic_year_id, "
                "started_at) VALUES (1, 5, 1, '2026-03-01')"))
        db.session.rollback()
        downgrade(revision=BEFORE)
        db.session.remove()
        db.engine.dispose()
