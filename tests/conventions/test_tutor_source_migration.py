"""The migration that makes tutoring the one record of a student's tutor keeps every tutor
that was named only on a convention, and a downgrade writes the copy back."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from config import TestingConfig

BEFORE = "e4b7a1c9d2f6"  # the last revision where conventions kept their own tutor


def test_a_tutor_named_only_on_a_convention_becomes_the_assignment(tmp_path):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'tutors.db'}"

    app = create_app(Config)
    from app.extensions import db

    with app.app_context():
        upgrade(revision=BEFORE)
        users = ", ".join(
            f"({n}, 'u{n}@test-iut.fr', 'x', 'P', 'N{n}', '{role}', 1, 0, 0, '2026-01-01', "
            f"'n{n}', 1)" for n, role in ((1, "student"), (2, "student"), (3, "teacher"),
                                         (4, "teacher"), (5, "teacher")))
        internship = ("INSERT INTO internships (id, student_id, academic_year_id, host_id, "
                      "subject, start_date, end_date, work_days, weekly_hours, "
                      "holidays_worked, zone, country, agreed_unit, status, created_at, "
                      "updated_at, version_id) VALUES ({0}, {0}, 1, 1, 'S', '2027-04-08', "
                      "'2027-06-30', 'mon', 35, 0, 'metropole', 'France', 'month', "
                      "'planned', '2026-01-03', '2026-01-03', 1)")
        convention = ("INSERT INTO conventions (id, internship_id, academic_year_id, status, "
                      "academic_tutor_id, created_at, updated_at, version_id) VALUES "
                      "({0}, {0}, 1, 'submitted', {1}, '2026-01-04', '2026-01-04', 1)")
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
            # student 1: teacher 3 approved the subject, no assignment was made
            internship.format(1), convention.format(1, 3),
            # student 2: the board says teacher 5, a stale copy on the convention says 4
            internship.format(2), convention.format(2, 4),
            "INSERT INTO tutor_assignments (id, student_id, teacher_id, academic_year_id, "
            "started_at, ended_at) VALUES (1, 2, 5, 1, '2026-02-01 10:00:00', NULL)",
        ):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        open_tutors = db.session.execute(text(
            "SELECT student_id, teacher_id FROM tutor_assignments WHERE ended_at IS NULL "
            "ORDER BY student_id")).all()
        assert [tuple(r) for r in open_tutors] == [(1, 3), (2, 5)]
        columns = [c[1] for c in db.session.execute(text("PRAGMA table_info(conventions)"))]
        assert "academic_tutor_id" not in columns
        db.session.commit()
        downgrade(revision=BEFORE)
        copies = db.session.execute(text(
            "SELECT id, academic_tutor_id FROM conventions ORDER BY id")).all()
        assert [tuple(r) for r in copies] == [(1, 3), (2, 5)]
        db.session.remove()
        db.engine.dispose()
