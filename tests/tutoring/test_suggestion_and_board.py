"""The suggestion's order and its reasons on the review page; the board's lists and the
teachers' loads agree whatever the assignments and the track changes."""
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.accounts.models import User
from app.errors import DomainError
from app.internships.models import Internship
from app.tutoring import services
from app.tutoring.models import TutorAssignment
from app.years import services as years
from tests.conftest import text


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())


def _intern(make, year, offer=None, **kw):
    from app.internships import services as internships

    student = make.user("student", **kw)
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    host = offer.host if offer else make.host()
    internships.create_internship(student, internships.InternshipData(
        host_id=host.id, subject="S", start_date=start, offer_id=offer.id if offer else None,
        end_date=start + timedelta(weeks=12, days=-1)))
    return student


@pytest.fixture
def coord(as_role, db):
    b = as_role("teacher", last_name="Coordo")
    b.user.is_coordinator = True
    b.user.tutee_capacity = 0  # the coordinator tutors nobody here
    db.session.commit()
    return b


def test_the_volunteer_and_the_teacher_who_taught_get_them_and_the_review_says_why(
        coord, make, year, db):
    """The issue's case: « Confier à Valérie Arnaud » and a student ticked as taught both
    went to a less loaded teacher. Now each goes to them, and the review says why."""
    offer = make.offer(domain="archives")
    volunteered = _intern(make, year, last_name="Volontariat")
    taught = _intern(make, year, last_name="Enseigne")
    archivist = _intern(make, year, offer=offer, last_name="Archiviste")
    plain = _intern(make, year, last_name="Simple")
    valerie = make.user("teacher", first_name="Valérie", last_name="Arnaud")
    taught_by = make.user("teacher", last_name="Professeur")
    archives = make.user("teacher", last_name="Fonds")
    idle = make.user("teacher", last_name="Libre")
    # Valérie and the teacher who taught already tutor two others: the least loaded are
    # the two others
    for teacher in (valerie, taught_by):
        for _ in range(2):
            services.assign(db.session.get(User, coord.user.id), _intern(make, year), teacher,
                            year)
    services.volunteer(valerie, volunteered, year)
    services.set_preferences(taught_by, [], "", [taught.id])
    services.set_preferences(archives, ["archives"], "", [])

    result = services.proposal(year)
    got = result.suggestion.assignment
    assert got[volunteered.id] == valerie.id and got[taught.id] == taught_by.id
    assert got[archivist.id] == archives.id
    assert got[plain.id] == idle.id
    page = text(coord.get(f"/tutorat/suggestion?year={year.start_year}", htmx=True))
    row = {name: page.split(name)[1].split("</li>")[0]
           for name in ("Volontariat", "Enseigne", "Archiviste", "Simple")}
    assert "— volontaire" in row["Volontariat"]
    assert "— l’a eu·e en cours" in row["Enseigne"]
    assert "— domaine : archives" in row["Archiviste"]
    limit = services.capacity(idle, year)
    assert f"— charge la plus faible (0/{limit})" in row["Simple"]


def test_a_student_back_from_the_apprenticeship_stays_on_the_board_with_their_tutor(
        coord, as_role, make, year, db):
    """The issue's case: switched from apprentice to initial track (no internship yet),
    the student vanished from both lists while still counted in the teacher's load."""
    from app.tracks import services as tracks

    student = make.user("student", last_name="Retour", track="apprentice")
    teacher = make.user("teacher", last_name="Referente")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": teacher.id})
    assert services.tutor_of(student, year).id == teacher.id
    tracks.change_track(make.user("secretariat"), student, "initial", date.today(),
                        "Fin du contrat")
    page = text(coord.get(f"/tutorat/?year={year.start_year}"))
    assigned = page.split('id="assigned"')[1].split('id="teacher-loads"')[0]
    assert "Retour" in assigned and teacher.full_name in assigned
    assert "Déjà affecté·es (1)" in page and "Sans tuteur (0)" in page
    assert "1 / " in page.split(f'id="teacher-{teacher.id}"')[1].split("</tr>")[0]


# ---------------------------------------------------------------- the property

def _board(year):
    """The board as the coordinator reads it: both lists whole, and the counts."""
    waiting = services.tutee_page(year, assigned=False, q=None, limit=100_000, offset=0)
    assigned = services.tutee_page(year, assigned=True, q=None, limit=100_000, offset=0)
    return waiting, assigned, services.tutee_counts(year)


def _expected_tutees(db, year) -> set[int]:
    """The year's tutees as the rules say: an active student with an internship of the
    year or on the apprentice track, and whoever has a tutor this year."""
    interned = {i.student_id for i in db.session.query(Internship).filter(
        Internship.academic_year_id == year.id, Internship.status != "cancelled")}
    need = {u.id for u in db.session.query(User).filter(User.active.is_(True)) if
            u.id in interned or (u.role == "student" and u.track == "apprentice")}
    tutored = {a.student_id for a in db.session.query(TutorAssignment).filter(
        TutorAssignment.academic_year_id == year.id, TutorAssignment.ended_at.is_(None))}
    return need | tutored


STEPS = st.lists(st.tuples(st.sampled_from(["assign", "assign", "track", "deactivate"]),
                           st.integers(0, 4), st.integers(0, 2)), min_size=1, max_size=12)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(tracks=st.lists(st.sampled_from(["initial", "initial-interned", "apprentice"]),
                       min_size=5, max_size=5), steps=STEPS)
def test_the_board_lists_and_the_loads_always_agree(app, make, db, year, tracks, steps):
    """After any assignments and track changes (initial ↔ apprentice, which cancels a
    planned internship), every student counted in a teacher's load is in that teacher's
    rows of the board, and the two lists split the year's tutees between them."""
    from app.tracks import services as track_services

    coordinator = make.user("teacher")
    coordinator.is_coordinator = True
    coordinator.tutee_capacity = 0
    db.session.commit()
    desk = make.user("secretariat")
    students = [_intern(make, year) if kind == "initial-interned"
                else make.user("student", track=kind) for kind in tracks]
    teachers = [make.user("teacher") for _ in range(3)]
    teachers[0].tutee_capacity = 2
    db.session.commit()
    for kind, i, j in steps:
        student = students[i]
        try:
            if kind == "assign":
                services.assign(coordinator, student, teachers[j], year)
            elif kind == "track":
                other = "initial" if student.track == "apprentice" else "apprentice"
                track_services.change_track(desk, student, other, date.today(), "Motif")
            else:
                student.active = False
                db.session.commit()
        except DomainError:
            db.session.rollback()
        db.session.expire_all()
        waiting, assigned, counts = _board(year)
        loads = services.loads(year)
        # every student counted in a load is in that teacher's rows, and only those
        assert Counter(r.assignment.teacher_id for r in assigned) == Counter(loads)
        assert {t.teacher.id: t.load for t in services.teacher_rows(year)
                if t.load} == {t: n for t, n in loads.items() if t in
                               {u.id for u in db.session.query(User).filter_by(
                                   role="teacher", active=True)}}
        waiting_ids = [r.student.id for r in waiting]
        assigned_ids = [r.student.id for r in assigned]
        assert len(set(waiting_ids)) == len(waiting_ids)
        assert len(set(assigned_ids)) == len(assigned_ids)
        assert not set(waiting_ids) & set(assigned_ids)
        assert set(waiting_ids) | set(assigned_ids) == _expected_tutees(db, year)
        assert all(r.assignment is None for r in waiting)
        assert counts == (len(waiting_ids), len(assigned_ids))
