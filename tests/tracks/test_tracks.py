from datetime import date, timedelta

import pytest

from app.tracks.models import Apprenticeship, TeamMember, TrackChange
from app.years import services as years
from tests.conftest import text


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())


def _apply(make, student, offer=None):

    from app.applications import services
    from tests.conftest import PDF

    return services.apply(student, offer or make.offer(), "Motivé.", PDF, "cv.pdf",
                          date.today())


def test_becoming_an_apprentice_withdraws_applications_and_keeps_history(as_role, make, db,
                                                                         year):
    student = make.user("student", last_name="Bascule")
    application = _apply(make, student)
    s = as_role("secretariat")
    resp = s.post(f"/etudiants/{student.id}", {"track": "apprentice", "effective_on": "",
                                               "reason": "Contrat signé"})
    assert "Ce champ est obligatoire." in text(resp)
    resp = s.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                               "effective_on": "2026-11-02",
                                               "reason": "Contrat signé avec la médiathèque"})
    assert resp.status_code == 303
    db.session.refresh(student)
    db.session.refresh(application)
    assert student.track == "apprentice" and application.status == "withdrawn"
    change = db.session.query(TrackChange).one()
    assert (change.from_track, change.to_track, change.effective_on) == (
        "initial", "apprentice", date(2026, 11, 2))
    page = text(s.get(f"/etudiants/{student.id}"))
    assert "Contrat signé avec la médiathèque" in page
    from app.notifications.models import Notification
    assert "votre candidature en cours a été retirée" in db.session.query(Notification).filter_by(
        user_id=student.id).one().message


def test_signed_convention_blocks_becoming_an_apprentice(as_role, make, db, year):

    from app.conventions import services as conventions
    from app.internships import services as internships

    student = make.user("student")
    start = max(year.earliest_start, date.today() + timedelta(days=1))
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="S", start_date=start,
        end_date=start + timedelta(weeks=12, days=-1)))
    c = conventions.create(internship, student)
    c.status = "signed"
    db.session.commit()
    s = as_role("secretariat")
    resp = s.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                               "effective_on": "2026-11-02", "reason": "x"})
    assert "annulez-la d’abord" in text(resp)
    db.session.refresh(student)
    assert student.track == "initial" and db.session.query(TrackChange).count() == 0


def test_only_the_secretariat_changes_tracks(as_role, make):
    student = make.user("student")
    teacher = as_role("teacher")
    assert teacher.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                                     "effective_on": "2026-11-02",
                                                     "reason": "x"}).status_code == 403
    assert as_role("student").get(f"/etudiants/{student.id}").status_code == 403


def test_apprenticeship_record_and_what_is_missing(as_role, make, db, year):
    apprentice = make.user("student", last_name="Apprentie", track="apprentice")
    employer = make.host(name="Médiathèque employeur")
    s = as_role("secretariat")
    page = text(s.get("/alternants"))
    assert "Apprentie" in page and "fiche d’alternance" in page
    resp = s.post(f"/alternants/{apprentice.id}/fiche", {
        "employer_id": employer.id, "contract_type": "apprentissage",
        "start_date": "2026-09-01", "end_date": "2026-08-31"})
    assert "La fin du contrat précède son début." in text(resp)
    assert f'<option selected value="{employer.id}">Médiathèque employeur' in text(resp)
    assert 'data-hx-get="/organismes/choix?field=employer_id"' in text(resp)  # its search picker
    assert db.session.query(Apprenticeship).count() == 0
    s.post(f"/alternants/{apprentice.id}/fiche", {
        "employer_id": employer.id, "contract_type": "apprentissage",
        "start_date": "2026-09-01", "end_date": "2027-08-31", "rhythm": "2 sem. / 3 sem.",
        "mentor_name": "Paul Roux", "mentor_email": "paul.roux@example.org"})
    page = text(s.get("/alternants"))
    assert "Médiathèque employeur" in page and "enseignant·e référent·e" in page
    assert "Médiathèque employeur" in text(s.get("/alternants/export.csv"))
    # the apprentice reads it, cannot change it; another student cannot see it
    from tests.conftest import Browser, login
    c = s.client.application.test_client()
    login(c, apprentice)
    me = Browser(c, apprentice)
    assert "Paul Roux" in text(me.get(f"/alternants/{apprentice.id}/fiche"))
    assert me.post(f"/alternants/{apprentice.id}/fiche", {"rhythm": "x"}).status_code == 403
    assert as_role("student").get(f"/alternants/{apprentice.id}/fiche").status_code == 404


def _project(as_role, db, year, **kw):
    teacher = as_role("teacher")
    data = {"title": "Audit documentaire", "cohort": "BUT2", "team_size": "3",
            "team_count": "2", **kw}
    resp = teacher.post("/projets/nouveau", data)
    assert resp.status_code == 303, text(resp)[:2000]
    from app.tracks.models import Project
    return teacher, db.session.query(Project).one()


def test_project_picker_excludes_apprentices_and_server_refuses_them(as_role, make, db, year):
    initial = [make.user("student", cohort="BUT2", last_name=f"Projet{i}") for i in range(3)]
    apprentice = make.user("student", cohort="BUT2", track="apprentice", last_name="Alternante")
    teacher, project = _project(as_role, db, year)
    page = text(teacher.get(f"/projets/{project.id}"))
    assert "Projet0" in page and "Alternante" not in page
    team = project.teams[0]
    resp = teacher.post(f"/projets/{project.id}/equipes", {"student_id": apprentice.id,
                                                          "team_id": team.id}, htmx=True)
    assert "les alternant·es ne participent pas aux projets tutorés" in text(resp)
    assert db.session.query(TeamMember).count() == 0
    resp = teacher.post(f"/projets/{project.id}/equipes", {"student_id": initial[0].id,
                                                          "team_id": team.id}, htmx=True)
    assert 'id="teams"' in text(resp) and "<html" not in text(resp)
    assert db.session.query(TeamMember).count() == 1


def test_auto_form_balances_and_keeps_wishes(as_role, make, db, year):
    students = [make.user("student", cohort="BUT2") for _ in range(5)]
    teacher, project = _project(as_role, db, year)
    from tests.conftest import Browser, login
    c = teacher.client.application.test_client()
    login(c, students[0])
    Browser(c, students[0]).post(f"/projets/{project.id}/souhait",
                                 {"with_student_id": students[4].id})
    resp = teacher.post(f"/projets/{project.id}/former", htmx=True)
    assert "1 souhait respecté sur 1" in text(resp)
    sizes = sorted(len(t.members) for t in project.teams)
    db.session.expire_all()
    from app.tracks.services import get_project, team_of
    p = get_project(project.id)
    assert sorted(len(t.members) for t in p.teams) == [2, 3]
    assert team_of(students[0], p).id == team_of(students[4], p).id
    assert sizes is not None


def test_auto_form_infeasible_is_explained(as_role, make, db, year):
    for _ in range(7):
        make.user("student", cohort="BUT2")
    teacher, project = _project(as_role, db, year)
    resp = teacher.post(f"/projets/{project.id}/former", htmx=True)
    assert "7 étudiant·es pour 2 équipe(s) de 3 au plus (6 places)" in text(resp)


def test_student_joins_a_team_and_sees_it_apprentice_cannot(as_role, make, db, year):
    teacher, project = _project(as_role, db, year)
    from tests.conftest import Browser, login
    student = make.user("student", cohort="BUT2", last_name="Joueuse")
    c = teacher.client.application.test_client()
    login(c, student)
    me = Browser(c, student)
    me.post(f"/projets/{project.id}/equipes", {"team_id": project.teams[1].id})
    assert "Équipe 2 :" in text(me.get(f"/projets/{project.id}"))
    resp = me.post(f"/projets/{project.id}/equipes", {"team_id": project.teams[0].id},
                   follow_redirects=True)
    assert "Vous êtes déjà dans une équipe" in text(resp)
    apprentice = as_role("student", cohort="BUT2", track="apprentice")
    assert apprentice.post(f"/projets/{project.id}/equipes",
                           {"team_id": project.teams[0].id}).status_code == 404
    assert "Vous êtes en alternance" in text(apprentice.get("/projets"))


def test_full_team_and_non_owner_refused(as_role, make, db, year):
    teacher, project = _project(as_role, db, year, team_size="1")
    a, b = make.user("student", cohort="BUT2"), make.user("student", cohort="BUT2")
    team = project.teams[0]
    teacher.post(f"/projets/{project.id}/equipes", {"student_id": a.id, "team_id": team.id})
    resp = teacher.post(f"/projets/{project.id}/equipes", {"student_id": b.id,
                                                          "team_id": team.id}, htmx=True)
    assert "L’équipe 1 est complète" in text(resp)
    other_teacher = as_role("teacher")
    resp = other_teacher.post(f"/projets/{project.id}/equipes", {"student_id": b.id,
                                                                "team_id": team.id}, htmx=True)
    assert "Seul·e l’enseignant·e du projet compose les équipes." in text(resp)


def test_bad_project_input(as_role, db, year):
    teacher = as_role("teacher")
    resp = teacher.post("/projets/nouveau", {"title": "", "cohort": "BUT2", "team_size": "0",
                                             "team_count": "2"})
    assert "Ce champ est obligatoire." in text(resp)
    assert as_role("student").post("/projets/nouveau", {"title": "x"}).status_code == 403


def test_lists_count_tracks_apart(as_role, make, year):
    make.user("student", track="apprentice")
    make.user("student")
    admin = as_role("admin")
    assert "1 en formation initiale (parcours projet), 1 en alternance" in text(
        admin.get("/admin/utilisateurs"))
    assert "Dont 1 étudiant·es en formation initiale et 1 en alternance" in text(admin.get("/"))
    assert "Alternant·es (à part)" in text(as_role("secretariat").get("/stages/suivi"))


def test_apprentices_list_shows_their_own_tutor(as_role, make, db, year):
    from app.tutoring.models import TutorAssignment

    apprentice = make.user("student", last_name="Apprentie", track="apprentice")
    make.user("student", last_name="Sanstuteur", track="apprentice")
    intern = make.user("student", last_name="Stagiaire")
    for student, teacher in ((apprentice, "Renaud"), (intern, "Lambert")):
        db.session.add(TutorAssignment(student_id=student.id, academic_year_id=year.id,
                                       teacher_id=make.user("teacher", last_name=teacher).id))
    db.session.commit()
    page = text(as_role("secretariat").get("/alternants"))
    row = page.split("Apprentie")[1].split("</tr>")[0]
    assert "Renaud" in row
    assert "Lambert" not in page and "Stagiaire" not in page  # interns are listed elsewhere
    assert "—" in page.split("Sanstuteur")[1].split("</tr>")[0]


def test_apprentices_list_is_paged_and_searched_with_constant_queries(as_role, make, db, year,
                                                                       count_queries):
    for n in range(53):  # 50 a page
        make.user("student", last_name=f"Alternant{n:02d}", cohort="BUT3", track="apprentice")
    s = as_role("secretariat")
    first = text(s.get("/alternants"))
    assert "53 alternant·es" in first and "Alternant49" in first and "Alternant50" not in first
    with count_queries() as few:
        s.get("/alternants?page=2", htmx=True)
    second = text(s.get("/alternants?page=2", htmx=True))
    assert second.lstrip().startswith('<section id="results">')
    assert "Alternant52" in second and "Alternant00" not in second
    for n in range(53, 120):
        make.user("student", last_name=f"Alternant{n:03d}", cohort="BUT3", track="apprentice")
    with count_queries() as many:
        s.get("/alternants?page=2", htmx=True)
    assert len(many) == len(few)  # a page costs the same whatever the number of apprentices
    found = text(s.get("/alternants", query_string={"q": "alternant07"}, htmx=True))
    assert "1 alternant·e" in found and "Alternant07" in found and "Alternant08" not in found
    assert "Aucun·e alternant·e ne correspond" in text(
        s.get("/alternants", query_string={"q": "inconnu"}))
