"""One open tutor per student and year: a database rule (a partial unique index), so two
coordinators assigning the same waiting student at the same instant give one tutor, and the
second one hears why, by every path that opens an assignment."""
from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.tutoring import services
from app.tutoring.models import TutorAssignment, Volunteer
from app.years import services as years
from tests.conftest import Browser, login, text
from tests.races import at_once, on_postgres, widened

TAKEN = "a déjà un·e tuteur·rice pour"


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())


@pytest.fixture
def intern(make, year):
    from app.internships import services as internships

    def _make(**kw):
        student = make.user("student", **kw)
        start = max(year.earliest_start, date.today() + timedelta(days=1))
        internships.create_internship(student, internships.InternshipData(
            host_id=make.host().id, subject="S", start_date=start,
            end_date=start + timedelta(weeks=12, days=-1)))
        return student

    return _make


@pytest.fixture
def coordinators(app, make, db):
    def _make(n):
        out = []
        for _ in range(n):
            user = make.user("teacher")
            user.is_coordinator = True
            db.session.commit()
            browser = Browser(app.test_client(), user)
            login(browser.client, user)
            _ = browser.token  # the CSRF token, read before the race
            out.append(browser)
        return out

    return _make


def _open(db, student, year):
    db.session.expire_all()
    return db.session.query(TutorAssignment).filter_by(
        student_id=student.id, academic_year_id=year.id, ended_at=None).all()


def test_the_database_refuses_a_second_open_assignment(make, year, db):
    student, t1, t2 = make.user("student"), make.user("teacher"), make.user("teacher")
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=t1.id,
                                   academic_year_id=year.id))
    db.session.commit()
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=t2.id,
                                   academic_year_id=year.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # ended assignments are history: any number of them, and one open beside them
    first = db.session.query(TutorAssignment).one()
    first.ended_at = first.started_at
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=t2.id,
                                   academic_year_id=year.id))
    db.session.commit()
    db.session.add(TutorAssignment(student_id=student.id, teacher_id=t1.id,
                                   academic_year_id=year.id, ended_at=first.started_at))
    db.session.commit()
    assert len(_open(db, student, year)) == 1


@pytest.fixture
def read_before_the_other(monkeypatch):
    """From now on, assigning reads the students' open assignments as they were before
    someone else's assignment was saved: what a request that read at the same instant
    saw."""
    real = services._context

    def stale(year, student_ids, teacher_ids):
        ctx = real(year, student_ids, teacher_ids)
        ctx.current.clear()
        ctx.read.clear()
        return ctx

    return lambda: monkeypatch.setattr(services, "_context", stale)


@pytest.mark.parametrize("path", ["board", "volunteer", "plan", "bulk"])
def test_a_double_assignment_gives_one_tutor_and_a_message(
        path, coordinators, intern, make, year, db, read_before_the_other):
    """Every way of opening an assignment: the second one, having read before the first was
    saved, is refused by the database with a message (no 500) and changes nothing."""
    (coord,) = coordinators(1)
    student = intern(last_name="Durand")
    other = intern()
    first, second = make.user("teacher"), make.user("teacher")
    services.assign(coord.user, student, first, year)
    read_before_the_other()
    if path == "board":
        resp = coord.post("/tutorat/affecter", {"list": "waiting", "student_id": student.id,
                                                "teacher_id": second.id}, htmx=True)
    elif path == "volunteer":
        db.session.add(Volunteer(student_id=student.id, teacher_id=second.id,
                                 academic_year_id=year.id))
        db.session.commit()
        resp = coord.post("/tutorat/affecter", {"pair": f"{student.id}:{second.id}"},
                          htmx=True)
    elif path == "plan":
        resp = coord.post("/tutorat/suggestion/appliquer",
                          {"plan": f"{other.id}:{second.id};{student.id}:{second.id}"},
                          htmx=True)
    else:
        resp = coord.post("/tutorat/affecter", {"list": "waiting", "teacher_id": second.id,
                                                "student_id": [other.id, student.id]},
                          htmx=True)
    assert resp.status_code == 200
    body = text(resp)
    assert f"Durand {TAKEN} {year.label} ({first.full_name})" in body
    assert "Rien n’a été changé" in body
    assert [a.teacher_id for a in _open(db, student, year)] == [first.id]
    assert _open(db, other, year) == []  # all or nothing
    if path == "volunteer":  # the offer stays for the coordinator to see
        assert db.session.query(Volunteer).count() == 1


def test_a_double_assignment_by_the_service_is_a_domain_error(intern, make, year, db,
                                                              read_before_the_other):
    from app.errors import DomainError

    coordinator = make.user("teacher")
    coordinator.is_coordinator = True
    db.session.commit()
    student = intern(last_name="Martin")
    first, second = make.user("teacher"), make.user("teacher")
    services.assign(coordinator, student, first, year)
    read_before_the_other()
    with pytest.raises(DomainError, match=f"Martin {TAKEN} {year.label} "):
        services.assign(coordinator, student, second, year)
    assert [a.teacher_id for a in _open(db, student, year)] == [first.id]


def test_a_sequential_double_submit_gives_one_tutor(coordinators, intern, make, year, db):
    (coord,) = coordinators(1)
    student = intern()
    first, second = make.user("teacher"), make.user("teacher")
    form = {"list": "waiting", "student_id": student.id}
    coord.post("/tutorat/affecter", dict(form, teacher_id=first.id), htmx=True)
    resp = coord.post("/tutorat/affecter", dict(form, teacher_id=second.id), htmx=True)
    assert resp.status_code == 200 and "a reçu entre-temps un tuteur" in text(resp)
    again = coord.post("/tutorat/affecter", dict(form, teacher_id=first.id), htmx=True)
    assert again.status_code == 200 and "est déjà le tuteur ou la tutrice" in text(again)
    assert [a.teacher_id for a in _open(db, student, year)] == [first.id]


@on_postgres
def test_two_coordinators_at_the_same_instant_give_one_tutor(app, coordinators, intern, make,
                                                             year, db):
    """Two coordinators, each by one way of assigning, give the same waiting student a
    different tutor at the same instant: one wins, the other is told, never a 500."""
    from app.conventions import services as conventions
    from app.internships.models import Internship

    a, b = coordinators(2)
    rounds = [
        ("board", "board"),
        ("plan", "board"),
        ("volunteer", "plan"),
        ("board", "volunteer"),
    ]
    for n, (way_a, way_b) in enumerate(rounds):
        student = intern()
        if n == 3:  # with a draft convention naming the tutor, changed by both
            conventions.create(db.session.query(Internship).filter_by(
                student_id=student.id).one(), student)
        t1, t2 = make.user("teacher"), make.user("teacher")

        def request(browser, way, teacher, student=student):  # made before the threads start
            url, form = "/tutorat/affecter", {"list": "waiting", "student_id": student.id,
                                              "teacher_id": teacher.id}
            if way == "plan":
                url, form = "/tutorat/suggestion/appliquer", {
                    "plan": f"{student.id}:{teacher.id}"}
            elif way == "volunteer":
                form = {"pair": f"{student.id}:{teacher.id}"}
            return lambda: browser.post(url, form, htmx=True)

        with widened(db.engine, "tutor_assignments"):
            responses = at_once(request(a, way_a, t1), request(b, way_b, t2))
        assert [r.status_code for r in responses] == [200, 200], (way_a, way_b)
        bodies = [text(r) for r in responses]
        won = [i for i, body in enumerate(bodies) if 'role="alert"' not in body]
        assert len(won) == 1, (way_a, way_b, bodies)
        assert "flash-success" in bodies[won[0]]
        lost = bodies[1 - won[0]]
        assert f"{TAKEN} {year.label}" in lost, lost
        assert [x.teacher_id for x in _open(db, student, year)] == [(t1, t2)[won[0]].id]
