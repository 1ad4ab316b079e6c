from datetime import date, timedelta

import pytest

from app.tutoring import services
from app.tutoring.models import FollowUp, TutorAssignment
from app.years import services as years
from tests.conftest import text


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())


@pytest.fixture
def interns(make, year):
    from app.internships import services as internships

    def _make(n):
        out = []
        start = max(year.earliest_start, date.today() + timedelta(days=1))
        for _ in range(n):
            student = make.user("student")
            internships.create_internship(student, internships.InternshipData(
                host_id=make.host().id, subject="S", start_date=start,
                end_date=start + timedelta(weeks=12, days=-1)))
            out.append(student)
        return out

    return _make



@pytest.fixture
def coord(as_role, db):
    b = as_role("teacher")
    b.user.is_coordinator = True
    db.session.commit()
    return b


def test_only_coordinators_assign(as_role, make, interns, year, db):
    student = interns(1)[0]
    teacher = make.user("teacher")
    plain = as_role("teacher")
    assert plain.get("/tutorat/").status_code == 403
    assert plain.post("/tutorat/affecter", {"student_id": student.id,
                                            "teacher_id": teacher.id}).status_code == 403
    assert as_role("secretariat").post("/tutorat/affecter", {
        "student_id": student.id, "teacher_id": teacher.id}).status_code == 403
    assert as_role("student").get("/tutorat/mes-tutores").status_code == 403
    assert db.session.query(TutorAssignment).count() == 0


def test_assign_inline_updates_loads_and_lists(coord, make, interns, year, db):
    students = interns(2)
    teacher = make.user("teacher", last_name="Renaud")
    page = text(coord.get("/tutorat/"))
    assert "Sans tuteur (2)" in page
    resp = coord.post("/tutorat/affecter", {"student_id": students[0].id,
                                            "teacher_id": teacher.id}, htmx=True)
    body = text(resp)
    assert 'id="board"' in body and "<html" not in body
    assert "Sans tuteur (1)" in body and "Déjà affecté·es (1)" in body
    assert f'id="teacher-{teacher.id}"' in body and "1 / 16" in body


def test_over_capacity_is_refused(coord, make, interns, year, db):
    students = interns(2)
    teacher = make.user("teacher")
    teacher.tutee_capacity = 1
    db.session.commit()
    coord.post("/tutorat/affecter", {"student_id": students[0].id, "teacher_id": teacher.id})
    resp = coord.post("/tutorat/affecter", {"student_id": students[1].id,
                                            "teacher_id": teacher.id}, htmx=True)
    assert "a déjà 1 tutoré·es sur 1 possibles" in text(resp)
    assert db.session.query(TutorAssignment).count() == 1


def test_ticked_students_go_to_the_teacher_chosen_under_the_list(coord, make, interns, year,
                                                                 db):
    students = interns(3)
    teacher = make.user("teacher", last_name="Renaud")
    make.user("teacher", last_name="Autre")
    page = text(coord.get("/tutorat/"))
    # one picker for the list, not one per student: the board stays light with many teachers
    assert page.count('name="teacher_id"') == 1 and page.count('name="student_id"') == 3
    resp = text(coord.post("/tutorat/affecter", {
        "student_id": [students[0].id, students[2].id], "teacher_id": teacher.id}, htmx=True))
    assert "2 étudiant·es confié·es à" in resp and "Renaud" in resp
    assert "Sans tuteur (1)" in resp and "Déjà affecté·es (2)" in resp
    assert {services.tutor_of(s, year).id for s in (students[0], students[2])} == {teacher.id}
    assert services.tutor_of(students[1], year) is None
    # the assigned list has its own picker, to change the tutor of the ticked students
    assert resp.count('name="teacher_id"') == 2


def test_a_selection_beyond_the_room_left_assigns_nobody_and_keeps_the_choice(coord, make,
                                                                              interns, db):
    students = interns(3)
    teacher = make.user("teacher", last_name="Pleine")
    teacher.tutee_capacity = 2
    db.session.commit()
    resp = text(coord.post("/tutorat/affecter", {
        "list": "waiting", "student_id": [s.id for s in students], "teacher_id": teacher.id},
        htmx=True))
    assert "il reste 2 places pour les 3 étudiant·es coché·es" in resp
    assert db.session.query(TutorAssignment).count() == 0
    assert "Sans tuteur (3)" in resp
    # nothing to tick again: the boxes and the teacher are as they were
    assert resp.count("checked") == 3
    assert f'value="{teacher.id}"  selected' in resp or f'value="{teacher.id}" selected' in resp


def test_assigning_needs_a_ticked_student_and_a_teacher(coord, make, interns, db):
    student = interns(1)[0]
    teacher = make.user("teacher")
    resp = text(coord.post("/tutorat/affecter", {"teacher_id": teacher.id}, htmx=True))
    assert "Cochez au moins un·e étudiant·e." in resp
    resp = text(coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": ""},
                           htmx=True))
    assert "Choisissez un·e enseignant·e." in resp and "checked" in resp
    resp = coord.post("/tutorat/affecter", {"student_id": "abc", "teacher_id": "x"})
    assert resp.status_code == 303  # a plain form: the message is flashed on the board
    assert "Cochez au moins" in text(coord.get("/tutorat/"))
    assert db.session.query(TutorAssignment).count() == 0


def test_reassignment_keeps_history_and_updates_convention(coord, make, interns, year, db):

    from app.conventions import services as conventions
    from app.internships.models import Internship

    student = interns(1)[0]
    first, second = make.user("teacher"), make.user("teacher")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": first.id})
    internship = db.session.query(Internship).filter_by(student_id=student.id).one()
    c = conventions.create(internship, student)
    assert c.academic_tutor_id == first.id
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": second.id})
    history = services.history(student, year)
    assert [a.teacher_id for a in history] == [first.id, second.id]
    assert history[0].ended_at is not None and history[1].ended_at is None
    db.session.refresh(c)
    assert c.academic_tutor_id == second.id
    # after signature, a change goes through an amendment
    c.status = "signed"
    db.session.commit()
    resp = coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": first.id},
                      htmx=True)
    assert "passe par un avenant" in text(resp)


def test_suggestion_then_apply(coord, make, interns, year, db):
    import re

    students = interns(5)
    for _ in range(2):
        make.user("teacher")
    page = text(coord.get("/tutorat/suggestion", htmx=True))
    assert 'id="suggestion-panel"' in page and "Appliquer cette répartition (5)" in page
    assert page.count('name="drop"') == 5 and 'name="teacher_id"' not in page.split(
        'id="waiting"')[0]  # the review has no picker per student
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    # one student set aside stays without a tutor; the others get what was shown
    resp = coord.post("/tutorat/suggestion/appliquer",
                      {"plan": plan, "drop": students[0].id}, htmx=True)
    assert "4 affectations appliquées." in text(resp)
    assert services.tutor_of(students[0], year) is None
    shown = services.parse_plan(plan, set())
    assert {s.id: services.tutor_of(s, year).id for s in students[1:]} == {
        s.id: shown[s.id] for s in students[1:]}
    loads = services.loads(year)
    assert sum(loads.values()) == 4


def test_a_stale_proposal_applies_nothing(coord, make, interns, year, db):
    import re

    students = interns(2)
    teacher = make.user("teacher", last_name="Seule")
    coord.user.tutee_capacity = 0
    db.session.commit()
    page = text(coord.get("/tutorat/suggestion", htmx=True))
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    # meanwhile someone gives the first student a tutor by hand
    coord.post("/tutorat/affecter", {"student_id": students[0].id, "teacher_id": teacher.id})
    resp = text(coord.post("/tutorat/suggestion/appliquer", {"plan": plan}, htmx=True))
    assert "est déjà le tuteur ou la tutrice" in resp
    assert services.tutor_of(students[1], year) is None  # all or nothing
    resp = text(coord.post("/tutorat/suggestion/appliquer", {"plan": "x:y;;²:5"}, htmx=True))
    assert "Aucune affectation à appliquer." in resp


def test_a_student_given_a_tutor_meanwhile_is_not_taken_from_them(coord, make, interns, year,
                                                                   db):
    import re

    students = interns(2)
    first, second = make.user("teacher", last_name="Premiere"), make.user("teacher")
    coord.user.tutee_capacity = 0
    db.session.commit()
    page = text(coord.get("/tutorat/suggestion", htmx=True))
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    # another coordinator gives the first student a tutor the plan did not choose
    planned = services.parse_plan(plan, set())[students[0].id]
    other = first if planned != first.id else second
    coord.post("/tutorat/affecter", {"student_id": students[0].id, "teacher_id": other.id})
    resp = text(coord.post("/tutorat/suggestion/appliquer", {"plan": plan}, htmx=True))
    assert "a reçu entre-temps un tuteur ou une tutrice" in resp
    assert services.tutor_of(students[0], year).id == other.id
    assert services.tutor_of(students[1], year) is None
    # the same from a stale list of those without a tutor, ticked or by a volunteer's button
    target = second if other.id == first.id else first
    for form in ({"list": "waiting", "student_id": [students[0].id, students[1].id],
                  "teacher_id": target.id},
                 {"pair": f"{students[0].id}:{target.id}"}):
        resp = text(coord.post("/tutorat/affecter", form, htmx=True))
        assert "a reçu entre-temps" in resp
        assert services.tutor_of(students[0], year).id == other.id
        assert services.tutor_of(students[1], year) is None
    # while the list of those with a tutor changes it, as asked
    coord.post("/tutorat/affecter", {"list": "assigned", "student_id": students[0].id,
                                     "teacher_id": target.id})
    assert services.tutor_of(students[0], year).id == target.id


def test_a_plan_is_applied_reading_its_context_once(coord, make, interns, year, db,
                                                   count_queries):
    from app.models import User

    students = interns(12)
    for _ in range(3):
        make.user("teacher")
    actor = db.session.get(User, coord.user.id)
    plan = services.proposal(year)
    with count_queries() as few:
        assert services.apply_assignment(actor, year, services.parse_plan(
            plan.plan, set())) == len(students)
    # the outbox's sender runs after the commit, on its own session: not the plan's reads
    reads = [q for q in few if q.lstrip().upper().startswith("SELECT") and "outbox" not in q]
    assert len(reads) <= 6  # the plan's context read once, not five queries a student
    assert sum(services.loads(year).values()) == 12


def test_suggestion_explains_infeasible(coord, make, interns, year, db):
    interns(3)
    t = make.user("teacher")
    t.tutee_capacity = 1
    db.session.commit()
    # the coordinator is a teacher too: give them no room
    coord.user.tutee_capacity = 0
    db.session.commit()
    page = text(coord.get("/tutorat/suggestion", htmx=True))
    assert "il manque 2 place(s)" in page


@pytest.mark.parametrize("back", ["//evil.example", "/\\evil.example", "/\t/evil.example",
                                  "https://evil.example/"])
def test_a_volunteer_is_sent_back_only_within_the_site(as_role, interns, back):
    student = interns(1)[0]
    resp = as_role("teacher").post(f"/tutorat/volontaire/{student.id}", {"back": back})
    assert resp.status_code == 303 and resp.headers["Location"] == "/"


def test_volunteer_then_confirm(as_role, coord, interns, year, db):
    student = interns(1)[0]
    volunteer = as_role("teacher", last_name="Volontaire")
    volunteer.post(f"/tutorat/volontaire/{student.id}")
    page = text(coord.get("/tutorat/"))
    assert volunteer.user.full_name in page
    assert f'name="pair" value="{student.id}:{volunteer.user.id}"' in page
    # the volunteer's button confirms at once, whatever else is ticked or chosen
    other = interns(1)[0]
    resp = text(coord.post("/tutorat/affecter", {
        "pair": f"{student.id}:{volunteer.user.id}", "student_id": other.id, "teacher_id": ""},
        htmx=True))
    assert f"{volunteer.user.full_name} tutore désormais {student.full_name}." in resp
    assert services.tutor_of(student, year).id == volunteer.user.id
    assert services.tutor_of(other, year) is None


def test_my_tutees_log_and_warning(as_role, coord, make, year, db, monkeypatch):
    from app.internships import services as internships

    student = make.user("student", last_name="Suivie")
    start = year.earliest_start
    internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="S", start_date=start,
        end_date=start + timedelta(weeks=14, days=-1)))
    tutor = as_role("teacher")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": tutor.user.id})
    rows = services.my_tutees(tutor.user, year, start + timedelta(weeks=5))
    assert rows[0].no_contact_warning and rows[0].week == (6, 14)
    assert rows[0].silent_weeks == 5   # the real duration, not always « 4 semaines »
    assert services.my_tutees(tutor.user, year, start + timedelta(weeks=8))[0].silent_weeks == 8
    resp = tutor.post(f"/tutorat/suivi/{student.id}", {"kind": "student",
                                                      "happened_on": "2099-01-01"}, htmx=True)
    assert "ne peut pas être dans le futur" in text(resp)
    resp = tutor.post(f"/tutorat/suivi/{student.id}", {
        "kind": "visit", "happened_on": date.today().isoformat(), "note": "Visite sur place"},
        htmx=True)
    assert "Visite sur place" in text(resp) and "<html" not in text(resp)
    assert db.session.query(FollowUp).count() == 1
    page = text(tutor.get("/tutorat/mes-tutores"))
    assert "Suivie" in page
    # nobody but the tutor and staff reads the log
    assert as_role("teacher").get(f"/tutorat/suivi/{student.id}").status_code == 404
    assert as_role("student").get(f"/tutorat/suivi/{student.id}").status_code == 403
    assert as_role("secretariat").get(f"/tutorat/suivi/{student.id}").status_code == 200


def test_student_sees_their_tutor_and_secretariat_exports(as_role, coord, interns, make,
                                                          year, db):
    from tests.conftest import Browser, login
    student = interns(1)[0]
    teacher = make.user("teacher", last_name="Référente")
    coord.post("/tutorat/affecter", {"student_id": student.id, "teacher_id": teacher.id})
    c = coord.client.application.test_client()
    login(c, student)
    assert "Référente" in text(Browser(c, student).get("/"))
    s = as_role("secretariat")
    lines = text(s.get("/tutorat/export.csv")).splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Nom;Prénom;Promotion;Groupe;Parcours;")
    from app.internships.models import Internship

    internship = db.session.query(Internship).filter_by(student_id=student.id).one()
    row = next(line.split(";") for line in lines if line.startswith(student.last_name + ";"))
    assert row[4:] == ["Stage", internship.host.name, teacher.full_name, teacher.email]
    apprentice = make.user("student", last_name="Apprentie", track="apprentice")
    lines = text(s.get("/tutorat/export.csv")).splitlines()
    row = next(line.split(";") for line in lines if line.startswith("Apprentie;"))
    assert row[4] == "Alternance" and row[5:] == ["", "", ""]
    assert apprentice.first_name in row and len(lines) == 3  # header, intern, apprentice
    assert "Référente" in text(s.get("/tutorat/vue-ensemble"))
    assert "Affecter" not in text(s.get("/tutorat/vue-ensemble")).split("Sans tuteur")[1]


def test_apprentices_need_a_tutor_too(coord, make, year):
    make.user("student", last_name="Apprentie", track="apprentice", cohort="BUT2")
    page = text(coord.get("/tutorat/"))
    assert "Apprentie" in page and "Alternance" in page


def test_admin_sets_coordinator_and_capacity(as_role, make, db):
    teacher = make.user("teacher")
    admin = as_role("admin")
    admin.post(f"/tutorat/enseignant/{teacher.id}", {"is_coordinator": "y",
                                                     "tutee_capacity": "8"})
    db.session.refresh(teacher)
    assert teacher.is_coordinator and teacher.tutee_capacity == 8
    resp = admin.post(f"/tutorat/enseignant/{teacher.id}", {"tutee_capacity": "40"})
    assert "Entre 0 et 24." in text(resp)
    assert as_role("teacher").post(f"/tutorat/enseignant/{teacher.id}",
                                   {"is_coordinator": "y"}).status_code == 403


def test_board_is_paged_and_searched_and_keeps_both_after_an_assignment(coord, make, interns,
                                                                         db):
    students = interns(53)  # 50 a page
    for n, student in enumerate(students):
        student.last_name = f"Eleve{n:02d}"
    db.session.commit()
    teacher = make.user("teacher", last_name="Renaud")
    first = text(coord.get("/tutorat/"))
    assert "Sans tuteur (53)" in first and first.count('name="student_id"') == 50
    assert "Eleve49" in first and "Eleve50" not in first
    second = text(coord.get("/tutorat/?page=2", htmx=True))
    assert second.lstrip().startswith('<div id="board">')
    assert second.count('name="student_id"') == 3 and "Eleve52" in second
    found = text(coord.get("/tutorat/", query_string={"q": "eleve5"}, htmx=True))
    assert "Sans tuteur (3)" in found and "Eleve51" in found and "Eleve07" not in found
    # assigning from the searched list: the search stays, the lists and counts follow
    resp = text(coord.post("/tutorat/affecter", {
        "student_id": students[51].id, "teacher_id": teacher.id, "q": "eleve5", "page": "1",
        "apage": "1"}, htmx=True))
    assert "Sans tuteur (2)" in resp and "Déjà affecté·es (1)" in resp
    assert 'name="q" value="eleve5"' in resp and "Eleve07" not in resp
    assert "Sans tuteur (52)" in text(coord.get("/tutorat/"))
    assert "Personne sans tuteur ne correspond" in text(
        coord.get("/tutorat/", query_string={"q": "inconnu"}))


def test_preferences_tick_taught_students_found_by_a_search(as_role, make, db, monkeypatch):
    from app import pickers as picker

    monkeypatch.setattr(picker, "PICKER_LIMIT", 3)
    students = [make.user("student", last_name=f"Promo{n}", cohort="BUT3") for n in range(6)]
    make.user("student", last_name="Promo9", cohort="BUT2")  # not in BUT3: never offered
    teacher = as_role("teacher")
    page = text(teacher.get("/tutorat/preferences"))
    assert page.count('name="taught"') == 3 and "Promo2" in page and "Promo3" not in page
    # the search keeps what is ticked, and finds the others
    found = text(teacher.get("/tutorat/preferences/etudiants", query_string={
        "taught": [students[0].id], "taught_q": "promo5"}, htmx=True))
    assert found.lstrip().startswith('<div id="taught-lists">')
    assert f'value="{students[0].id}" checked' in found and "Promo5" in found
    assert "Promo4" not in found and "Promo9" not in text(teacher.get(
        "/tutorat/preferences/etudiants", query_string={"taught_q": "promo9"}, htmx=True))
    resp = teacher.post("/tutorat/preferences", {
        "domains": ["archives"], "cities": "Lyon ; Metz",
        "taught": [students[0].id, students[5].id]})
    assert resp.status_code == 303
    assert services.taught_ids(teacher.user) == {students[0].id, students[5].id}
    assert services.preferences_of(teacher.user).cities == ["Lyon", "Metz"]
    page = text(teacher.get("/tutorat/preferences"))
    assert "2 étudiant·es coché·es" in page
    assert f'value="{students[5].id}" checked' in page  # beyond the first three, still shown
    assert as_role("student").get("/tutorat/preferences/etudiants").status_code == 403
