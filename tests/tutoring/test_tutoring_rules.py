"""Tutoring's refusals the main paths do not meet (app/tutoring/services.py): only the
coordinator assigns, to an active teacher a student; a ticked selection within bounds; a
volunteer offers once; the follow-up log is the tutor's, with a known kind and a past date."""
from datetime import date

import pytest

from app.errors import DomainError
from app.extensions import db
from app.tutoring import services
from app.tutoring.models import FollowUp, TutorAssignment, Volunteer
from app.years import services as years

TODAY = date(2026, 12, 7)


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026))


@pytest.fixture
def coordinator(make):
    user = make.user("teacher", last_name="Coordinatrice")
    user.is_coordinator = True
    db.session.commit()
    return user


def test_only_the_coordinator_assigns_an_active_teacher_to_a_student(make, year, coordinator):
    student, teacher = make.user("student"), make.user("teacher")
    with pytest.raises(DomainError, match="Seul·e un·e coordinateur·rice des stages affecte"):
        services.assign(make.user("teacher"), student, teacher, year)
    for who in (None, make.user("student"), make.user("teacher", active=False)):
        with pytest.raises(DomainError, match="Choisissez un·e enseignant·e."):
            services.assign(coordinator, student, who, year)
    with pytest.raises(DomainError, match="Étudiant·e inconnu·e."):
        services.assign(coordinator, make.user("teacher"), teacher, year)
    db.session.rollback()
    assert db.session.query(TutorAssignment).count() == 0


def test_a_ticked_selection_within_bounds(make, year, coordinator, monkeypatch):
    teacher = make.user("teacher")
    with pytest.raises(DomainError, match="Cochez au moins un·e étudiant·e."):
        services.assign_many(coordinator, [], teacher, year)
    monkeypatch.setattr(services, "MAX_PICKED", 2)
    ids = [make.user("student").id for _ in range(3)]
    with pytest.raises(DomainError, match="Cochez au plus 2 étudiant·es à la fois."):
        services.assign_many(coordinator, ids, teacher, year)
    with pytest.raises(DomainError, match="Choisissez un·e enseignant·e."):
        services.assign_many(coordinator, ids[:2], None, year)
    assert db.session.query(TutorAssignment).count() == 0


def test_a_volunteer_offers_once_for_a_student_without_a_tutor(make, year, coordinator):
    student, teacher = make.user("student", first_name="Inès", last_name="Roux"), \
        make.user("teacher")
    with pytest.raises(DomainError, match="Seul·e un·e enseignant·e se porte volontaire."):
        services.volunteer(make.user("secretariat"), student, year)
    services.volunteer(teacher, student, year)
    with pytest.raises(DomainError, match="Vous vous êtes déjà proposé·e pour cet·te"):
        services.volunteer(teacher, student, year)
    services.assign(coordinator, student, teacher, year)
    with pytest.raises(DomainError, match="Inès Roux a déjà un tuteur ou une tutrice."):
        services.volunteer(make.user("teacher"), student, year)
    assert db.session.query(Volunteer).filter_by(student_id=student.id).count() <= 1


def test_the_follow_up_log_is_the_tutors(make, year, coordinator):
    student, tutor = make.user("student"), make.user("teacher")
    services.assign(coordinator, student, tutor, year)
    cases = [
        (make.user("teacher"), "student", date(2026, 12, 1), None,
         "Seul·e le tuteur ou la tutrice de cet·te étudiant·e tient son suivi."),
        (tutor, "pigeon", date(2026, 12, 1), "kind", "Type d’échange inconnu."),
        (tutor, "student", None, "happened_on", "Indiquez la date."),
        (tutor, "student", date(2026, 12, 8), "happened_on",
         "La date ne peut pas être dans le futur."),
    ]
    for teacher, kind, day, field, message in cases:
        with pytest.raises(DomainError) as err:
            services.add_follow_up(teacher, student, year, kind, day, "Point", TODAY)
        assert (err.value.field, err.value.message) == (field, message)
    entry = services.add_follow_up(tutor, student, year, "student", TODAY, "  ", TODAY)
    assert entry.note is None
    assert [f.id for f in services.follow_ups(student, year)] == [entry.id]
    assert db.session.query(FollowUp).count() == 1
