"""Planning the defences, the refusals the main paths do not meet (app/defenses/services.py):
a defence day's bounds and its room, a move to a day or slot that is not one, the second
member, the teachers' unavailabilities, the private calendar address."""
from datetime import date, datetime, time

import pytest

from app.defenses import services
from app.defenses.models import Defense, DefenseSession, Unavailability
from app.errors import DomainError
from app.extensions import db

DAY = date(2027, 9, 6)


@pytest.mark.parametrize("args, field, message", [
    ((None, "A101", time(9), time(11), 30), "day", "Indiquez le jour."),
    ((DAY, "  ", time(9), time(11), 30), "room", "Indiquez la salle."),
    ((DAY, "A101", time(11), time(9), 30), "end_time",
     "L’heure de fin doit suivre l’heure de début."),
    ((DAY, "A101", time(9), None, 30), "end_time",
     "L’heure de fin doit suivre l’heure de début."),
    ((DAY, "A101", time(9), time(11), 10), "slot_minutes", "Un créneau dure de 15 à 120 minutes."),
    ((DAY, "A101", time(9), time(11), None), "slot_minutes",
     "Un créneau dure de 15 à 120 minutes."),
])
def test_a_defence_day_needs_a_day_a_room_and_sensible_hours(setup, args, field, message):
    year, _, _, s = setup
    with pytest.raises(DomainError) as err:
        services.add_session(s.user, year, *args)
    assert (err.value.field, err.value.message) == (field, message)
    assert db.session.query(DefenseSession).count() == 0


def test_a_room_is_booked_once_and_only_the_secretariat_books(setup, make):
    year, _, _, s = setup
    services.add_session(s.user, year, DAY, "A101", time(9), time(11), 30)
    with pytest.raises(DomainError) as err:
        services.add_session(s.user, year, DAY, "A101", time(10), time(12), 30)
    assert err.value.message == "La salle A101 est déjà réservée ce jour-là de 09:00 à 11:00."
    services.add_session(s.user, year, DAY, "A101", time(14), time(16), 30)   # afternoon
    with pytest.raises(DomainError, match="Seul le secrétariat organise les soutenances."):
        services.add_session(make.user("teacher"), year, DAY, "B202", time(9), time(11), 30)
    assert db.session.query(DefenseSession).count() == 2


def test_a_move_needs_a_day_of_the_year_a_slot_of_that_day_and_a_teacher(setup, make):
    year, _, _, s = setup
    session = services.add_session(s.user, year, DAY, "A101", time(9), time(11), 30)
    services.propose(s.user, year)
    d = db.session.query(Defense).order_by(Defense.starts_at).first()
    cases = [
        (999999, d.starts_at, d.second_teacher_id, "session_id",
         "Choisissez une journée de soutenance."),
        (session.id, datetime(2027, 9, 6, 9, 10), d.second_teacher_id, "starts_at",
         "Choisissez un créneau de la journée du 06/09/2027 en salle A101."),
        (session.id, None, d.second_teacher_id, "starts_at",
         "Choisissez un créneau de la journée du 06/09/2027 en salle A101."),
        (session.id, d.starts_at, make.user("student").id, "second_teacher_id",
         "Choisissez le second membre du jury."),
    ]
    for session_id, starts_at, second_id, field, message in cases:
        with pytest.raises(DomainError) as err:
            services.move(s.user, d, session_id, starts_at, second_id, d.version_id)
        assert (err.value.field, err.value.message) == (field, message)
        db.session.rollback()
    with pytest.raises(DomainError, match="Quelqu’un d’autre a modifié cette soutenance"):
        services.move(s.user, d, session.id, d.starts_at, d.second_teacher_id, d.version_id - 1)


def test_unavailabilities_are_the_teachers_own(setup, make):
    _, _, tutors, s = setup
    with pytest.raises(DomainError, match="Seul·es les enseignant·es déclarent"):
        services.add_unavailability(s.user, datetime(2027, 9, 6, 9), datetime(2027, 9, 6, 10),
                                    None)
    with pytest.raises(DomainError, match="La fin doit suivre le début."):
        services.add_unavailability(tutors[0], datetime(2027, 9, 6, 9), None, None)
    mine = services.add_unavailability(tutors[0], datetime(2027, 9, 6, 9),
                                       datetime(2027, 9, 6, 10), "  Jury de thèse ")
    assert mine.reason == "Jury de thèse"
    with pytest.raises(DomainError, match="Cette indisponibilité n’est pas la vôtre."):
        services.delete_unavailability(tutors[1], mine)
    services.delete_unavailability(tutors[0], mine)
    assert db.session.query(Unavailability).count() == 0


def test_the_private_calendar_address(make):
    teacher = make.user("teacher")
    token = services.calendar_token(teacher)
    assert services.calendar_token(teacher) == token   # the same address each time
    assert services.user_for_token(token) == teacher
    assert services.user_for_token("") is None and services.user_for_token("x" * 65) is None
    renewed = services.renew_calendar_token(teacher)
    assert renewed != token and services.user_for_token(token) is None
    teacher.active = False
    db.session.commit()
    assert services.user_for_token(renewed) is None   # a deactivated account's feed stops
