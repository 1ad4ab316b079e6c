"""The internship's own rules (app/internships/services.py) that the form does not already
stop: what the service refuses, each with its field; when its terms stop changing; the
absences; the record opened from an accepted application; the rupture's absences."""
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from flask import current_app

from app.errors import DomainError
from app.extensions import db
from app.internships import services
from app.internships.models import Internship
from tests.conftest import browser_for, page


@pytest.fixture
def data(make, year_2026):
    return services.InternshipData(host_id=make.host().id, subject="Inventaire",
                                   start_date=date(2027, 4, 8), end_date=date(2027, 6, 30))


@pytest.mark.parametrize("changes, field, message", [
    ({"subject": "  "}, "subject", "Le sujet du stage est obligatoire."),
    ({"host_id": 999999}, "host_id", "Choisissez l’organisme d’accueil dans l’annuaire."),
    ({"offer_id": 999999}, "offer_id", "Cette offre n’existe plus."),
    ({"zone": "lune"}, "zone", "Zone de jours fériés inconnue."),
    ({"agreed_unit": "week"}, "agreed_unit", "Unité de gratification inconnue."),
    ({"agreed_amount": Decimal("-1")}, "agreed_amount",
     "La gratification ne peut pas être négative."),
    ({"weekly_hours": None}, "weekly_hours", "Indiquez la durée hebdomadaire."),
    ({"weekly_hours": Decimal("0")}, "weekly_hours", "Indiquez la durée hebdomadaire."),
    ({"start_date": None}, "start_date", "Indiquez la date de début."),
    ({"end_date": None}, "end_date", "Indiquez la date de fin."),
])
def test_what_the_service_refuses_names_its_field(make, data, changes, field, message):
    student = make.user("student")
    with pytest.raises(services.InternshipInvalid) as err:
        services.create_internship(student, replace(data, **changes))
    assert [(p.field, p.message) for p in err.value.problems] == [(field, message)]
    assert db.session.query(Internship).count() == 0


def test_several_problems_come_back_together(make, data):
    with pytest.raises(services.InternshipInvalid) as err:
        services.create_internship(make.user("student"), replace(
            data, subject="", agreed_unit="week", work_days=frozenset()))
    assert [p.field for p in err.value.problems] == ["subject", "agreed_unit", "work_days"]
    assert "Le sujet du stage est obligatoire." in err.value.message


@pytest.mark.parametrize("who, message", [
    ({"role": "teacher"}, "Seuls les étudiants ont un stage."),
    ({"track": "apprentice"}, "Un alternant ne fait pas de stage"),
    ({"cohort": "BUT1"}, "concerne les étudiants de BUT3"),
])
def test_only_a_third_year_student_on_the_project_track_has_one(make, data, who, message):
    person = make.user(who.pop("role", "student"), **who)
    with pytest.raises(DomainError, match=message):
        services.create_internship(person, data)


def test_a_year_not_yet_opened_is_created_on_the_fly(make, year_2026):
    from app.years.models import AcademicYear

    student = make.user("student")
    i, _ = services.create_internship(student, services.InternshipData(
        host_id=make.host().id, subject="L’année d’après", start_date=date(2028, 4, 10),
        end_date=date(2028, 7, 7)))
    assert i.academic_year.label == "2027-2028"
    assert db.session.query(AcademicYear).count() == 2


# ---------------------------------------------------------------- when the terms freeze

def _form(i: Internship, **changes) -> dict:
    form = {"host_id": i.host_id, "subject": i.subject, "start_date": i.start_date.isoformat(),
            "end_date": i.end_date.isoformat(), "weekly_hours": "35",
            "work_days": ["mon", "tue", "wed", "thu", "fri"], "zone": "metropole",
            "country": "France", "agreed_amount": "700", "agreed_unit": "month",
            "version": i.version_id}
    form.update(changes)
    return form


def _with_convention(make, data, status):
    from app.conventions import services as conventions

    student = make.user("student")
    i, _ = services.create_internship(student, data)
    with current_app.test_request_context():
        c = conventions.create(i, student)
        if status != "draft":
            conventions.submit(c, student, c.version_id)
    return i


def test_the_student_changes_the_terms_until_the_convention_is_submitted(app, as_role, make,
                                                                         data):
    i = _with_convention(make, data, "draft")
    me = browser_for(app, i.student)
    resp = me.post(f"/stages/{i.id}/modifier", _form(i, subject="Nouveau sujet"),
                   follow_redirects=True)
    assert "Nouveau sujet" in page(resp)
    db.session.expire_all()
    i = db.session.get(Internship, i.id)
    from app.conventions import services as conventions

    with current_app.test_request_context():
        conventions.submit(i.convention, i.student, i.convention.version_id)
    resp = me.post(f"/stages/{i.id}/modifier", _form(i, subject="Encore un autre"),
                   follow_redirects=True)
    assert "La convention est soumise au secrétariat" in page(resp)
    assert "Encore un autre" not in page(me.get(f"/stages/{i.id}"))
    with pytest.raises(DomainError, match="La convention est soumise au secrétariat"):
        services.update_internship(i, replace(data, subject="Encore"), i.version_id, i.student)
    # the secretariat still corrects it until the validation
    desk = make.user("secretariat")
    assert services.terms_locked(desk, i) is None
    services.update_internship(i, replace(data, subject="Corrigé par le secrétariat"),
                               i.version_id, desk)
    assert db.session.get(Internship, i.id).subject == "Corrigé par le secrétariat"


def test_a_closed_internship_is_never_changed(make, data):
    i = _with_convention(make, data, "draft")
    i.status = "cancelled"
    db.session.commit()
    desk = make.user("secretariat")
    assert services.terms_locked(desk, i) == "Ce stage est « annulé »."
    with pytest.raises(DomainError, match="Ce stage est « annulé »."):
        services.update_internship(i, data, i.version_id, desk)
    assert not services.can_edit(desk, i)


def test_a_stale_edit_is_refused(make, data):
    i = _with_convention(make, data, "draft")
    with pytest.raises(DomainError, match="Quelqu’un d’autre a modifié ce stage"):
        services.update_internship(i, data, i.version_id - 1, i.student)


# ---------------------------------------------------------------- absences

def test_absences_fall_in_the_internship_and_do_not_overlap(make, data):
    i, _ = services.create_internship(make.user("student"), data)
    for start, end, message in [
        (None, date(2027, 5, 3), "Indiquez le début et la fin de l’absence."),
        (date(2027, 5, 5), date(2027, 5, 3), "La fin de l’absence précède son début."),
        (date(2027, 4, 1), date(2027, 4, 9), "L’absence doit tomber pendant le stage"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.add_absence(i, start, end, "Maladie")
    services.add_absence(i, date(2027, 5, 3), date(2027, 5, 5), "  ")
    with pytest.raises(DomainError, match="chevauche une absence déjà saisie"):
        services.add_absence(i, date(2027, 5, 5), date(2027, 5, 7), None)
    assert [(a.start_date, a.reason) for a in i.absences] == [(date(2027, 5, 3), None)]


def test_an_absence_removed_twice(as_role, make, data):
    i, _ = services.create_internship(make.user("student"), data)
    absence = services.add_absence(i, date(2027, 5, 3), date(2027, 5, 5), "Maladie")
    desk = as_role("secretariat")
    resp = desk.post(f"/stages/{i.id}/absences/{absence.id}/supprimer", follow_redirects=True)
    assert resp.status_code == 200
    resp = desk.post(f"/stages/{i.id}/absences/{absence.id}/supprimer", follow_redirects=True)
    assert "Cette absence n’existe plus." in page(resp)
    other, _ = services.create_internship(make.user("student"), data)
    theirs = services.add_absence(other, date(2027, 5, 3), date(2027, 5, 5), "Maladie")
    with pytest.raises(DomainError, match="Cette absence n’existe plus."):
        services.remove_absence(i, theirs.id)   # never another internship's absence
    assert len(db.session.get(Internship, other.id).absences) == 1


def test_a_rupture_cuts_an_absence_that_runs_past_the_last_day(make, data):
    i, _ = services.create_internship(make.user("student"), data)
    services.add_absence(i, date(2027, 5, 12), date(2027, 5, 20), "Maladie")
    services.end_early(i, make.user("secretariat"), date(2027, 5, 14), "Mésentente")
    db.session.commit()
    assert [(a.start_date, a.end_date) for a in i.absences] == [
        (date(2027, 5, 12), date(2027, 5, 14))]
    assert i.status == "ended_early" and i.end_date == date(2027, 5, 14)


# ---------------------------------------------------------------- from an accepted application

def test_the_record_from_an_accepted_application(make, year_2026):
    student = make.user("student")
    offer = make.offer(start_date=date(2027, 4, 12), duration_weeks=30)   # too long
    i = services.start_from_offer(student, offer, date(2027, 1, 10))
    db.session.commit()
    assert i.start_date == date(2027, 4, 12)
    assert (i.end_date - i.start_date).days + 1 == year_2026.max_weeks * 7   # kept in bounds
    assert [(e.from_status, e.to_status) for e in i.events] == [(None, "planned")]
    # once only a year; never for an apprentice
    assert services.start_from_offer(student, make.offer(), date(2027, 1, 10)) is None
    assert services.start_from_offer(make.user("student", track="apprentice"), offer,
                                     date(2027, 1, 10)) is None


def test_an_offer_without_a_start_date_starts_in_the_current_year(make, year_2026):
    offer = make.offer(start_date=None, duration_weeks=None, deadline=None)
    i = services.start_from_offer(make.user("student"), offer, date(2026, 12, 1))
    assert i.start_date == year_2026.earliest_start
    assert (i.end_date - i.start_date).days + 1 == year_2026.min_weeks * 7


def test_several_internships_at_one_host_add_up(make, data):
    student = make.user("student")
    first, _ = services.create_internship(student, replace(
        data, start_date=date(2027, 4, 8), end_date=date(2027, 6, 30)))
    assert services.same_host_year_map([]) == {}
    other = make.user("student")
    theirs, _ = services.create_internship(other, data)
    found = services.same_host_year_map([first, theirs])
    assert found == {first.id: [], theirs.id: []}
