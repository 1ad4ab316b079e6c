"""The rules of app/tracks/services.py a user runs into: who changes a student's track and
what it needs, what becoming an apprentice cancels, the apprenticeship record, and the
tutored projects (who composes teams, who may join, wishes), each refusal with its words."""
import gc
from datetime import date, timedelta

import pytest

from app.errors import DomainError
from app.extensions import db
from app.tracks import services
from app.tracks.models import Apprenticeship, Project, TeamMember, TeamWish, TrackChange
from app.years import services as years
from tests.conftest import browser_for, page, text


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())






# ---------------------------------------------------------------- the track

def test_a_track_change_needs_a_new_track_a_date_and_a_reason(as_role, make, year):
    student = make.user("student", first_name="Inès", last_name="Roux")
    desk = as_role("secretariat")
    resp = desk.post(f"/etudiants/{student.id}", {"track": "initial",
                                                  "effective_on": "2026-11-02",
                                                  "reason": "Erreur"})
    assert "Inès Roux est déjà en « formation initiale »." in page(resp)
    resp = desk.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                                  "effective_on": "2026-11-02", "reason": ""})
    assert "Indiquez le motif du changement." in page(resp)
    db.session.refresh(student)
    assert student.track == "initial" and db.session.query(TrackChange).count() == 0


def test_the_service_refuses_what_the_form_cannot_send(make, year):
    student = make.user("student", first_name="Inès", last_name="Roux")
    desk, teacher = make.user("secretariat"), make.user("teacher")
    cases = [
        (teacher, student, "apprentice", date(2026, 11, 2), "x",
         "Seul le secrétariat change le parcours d’un·e étudiant·e."),
        (desk, None, "apprentice", date(2026, 11, 2), "x", "Étudiant·e inconnu·e."),
        (desk, teacher, "apprentice", date(2026, 11, 2), "x", "Étudiant·e inconnu·e."),
        (desk, student, "stagiaire", date(2026, 11, 2), "x", "Parcours inconnu."),
        (desk, student, "apprentice", None, "x", "Indiquez la date d’effet."),
        (desk, student, "apprentice", date(2026, 11, 2), "  ",
         "Indiquez le motif du changement."),
    ]
    for actor, who, track, day, reason, message in cases:
        with pytest.raises(DomainError) as err:
            services.change_track(actor, who, track, day, reason)
        assert err.value.message == message
    assert student.track == "initial" and db.session.query(TrackChange).count() == 0


def test_back_and_forth_the_history_keeps_both_changes(as_role, make, year):
    student = make.user("student")
    desk = as_role("secretariat", first_name="Claire", last_name="Martin")
    desk.post(f"/etudiants/{student.id}", {"track": "apprentice", "effective_on": "2026-10-01",
                                           "reason": "Contrat signé"})
    resp = desk.post(f"/etudiants/{student.id}", {"track": "initial",
                                                  "effective_on": "2026-12-01",
                                                  "reason": "Contrat rompu"},
                     follow_redirects=True)
    body = page(resp)
    assert f"Parcours de {student.full_name} : formation initiale." in body
    assert body.index("Contrat signé") < body.index("Contrat rompu")
    db.session.refresh(student)
    assert student.track == "initial"
    assert [(c.from_track, c.to_track) for c in services.track_history(student)] == [
        ("initial", "apprentice"), ("apprentice", "initial")]
    # the form proposes the other track
    assert '<option selected value="apprentice">' in text(desk.get(f"/etudiants/{student.id}"))


def _internship_with_convention(make, year, student, submit=True):
    from app.conventions import services as conventions
    from app.internships import services as internships

    start = max(year.earliest_start, date.today() + timedelta(days=30))
    internship, _ = internships.create_internship(student, internships.InternshipData(
        host_id=make.host().id, subject="Inventaire", start_date=start,
        end_date=start + timedelta(weeks=12, days=-1), host_tutor_name="Paul Leroy",
        host_tutor_email="paul.leroy@archives.example.org"))
    convention = conventions.create(internship, student)
    if submit:
        conventions.submit(convention, student, convention.version_id)
    return internship, convention


def test_becoming_an_apprentice_cancels_the_planned_internship_and_its_convention(
        app, as_role, make, year):
    student = make.user("student")
    internship, convention = _internship_with_convention(make, year, student)
    desk = as_role("secretariat")
    resp = desk.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                                  "effective_on": date.today().isoformat(),
                                                  "reason": "Contrat d’apprentissage"},
                     follow_redirects=True)
    assert f"Parcours de {student.full_name} : alternance. Stage prévu annulé." in page(resp)
    db.session.expire_all()
    assert db.session.get(type(internship), internship.id).status == "cancelled"
    assert db.session.get(type(convention), convention.id).status == "cancelled"
    assert "Stage annulé" in page(browser_for(app, student).get(f"/stages/{internship.id}"))


def test_the_cancellations_of_a_track_change_are_in_the_history(as_role, make, year):
    from app.conventions.models import Convention
    from app.internships.models import Internship

    student = make.user("student")
    internship, convention = _internship_with_convention(make, year, student)
    desk = as_role("secretariat")
    desk.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                           "effective_on": date.today().isoformat(),
                                           "reason": "Contrat d’apprentissage"})
    db.session.expire_all()
    i = db.session.get(Internship, internship.id)
    c = db.session.get(Convention, convention.id)
    assert (i.events[-1].from_status, i.events[-1].to_status) == ("planned", "cancelled")
    assert (c.events[-1].from_status, c.events[-1].to_status) == ("submitted", "cancelled")
    assert "Annulée" in page(desk.get(f"/conventions/{c.id}")).split('id="history"')[1]
    # the student and the host tutor (who has no account) are told the convention is cancelled
    from app.notifications.models import Notification, OutboxMail

    told = db.session.query(Notification).filter_by(user_id=student.id).all()
    assert any("est annulée, et son stage avec elle : « Passage en alternance : Contrat "
               "d’apprentissage »" in n.message for n in told)
    host_mail = db.session.query(OutboxMail).filter_by(
        recipient="paul.leroy@archives.example.org").one()
    assert host_mail.subject == "Convention de stage annulée"


# ---------------------------------------------------------------- the apprenticeship record

def test_the_record_is_for_apprentices_with_a_known_employer(as_role, make, year):
    intern = make.user("student", first_name="Inès", last_name="Roux")
    apprentice = make.user("student", track="apprentice")
    desk = as_role("secretariat")
    resp = desk.post(f"/alternants/{intern.id}/fiche", {"contract_type": "apprentissage"})
    assert "Inès Roux n’est pas en alternance." in page(resp)
    resp = desk.post(f"/alternants/{apprentice.id}/fiche", {
        "contract_type": "apprentissage", "employer_id": "999999"})
    assert "Choisissez l’employeur dans l’annuaire." in page(resp)
    assert db.session.query(Apprenticeship).count() == 0
    with pytest.raises(DomainError, match="Type de contrat inconnu"):
        services.save_record(desk.user, apprentice, {"contract_type": "stage"}, None)
    with pytest.raises(DomainError, match="Seul le secrétariat tient les fiches"):
        services.save_record(make.user("teacher"), apprentice,
                             {"contract_type": "apprentissage"}, None)


def test_the_record_is_updated_and_a_stale_form_refused(as_role, make, year):
    apprentice = make.user("student", track="apprentice")
    alice, bob = as_role("secretariat"), as_role("secretariat")
    alice.post(f"/alternants/{apprentice.id}/fiche", {"contract_type": "apprentissage",
                                                      "rhythm": "2 / 3"})
    record = db.session.query(Apprenticeship).one()
    version = record.version_id
    resp = alice.post(f"/alternants/{apprentice.id}/fiche", {
        "contract_type": "professionnalisation", "rhythm": "1 / 1", "version": version},
        follow_redirects=True)
    assert "Fiche d’alternance enregistrée." in page(resp)
    resp = bob.post(f"/alternants/{apprentice.id}/fiche", {
        "contract_type": "apprentissage", "rhythm": "3 / 3", "version": version})
    assert "Quelqu’un d’autre a modifié cette fiche d’alternance" in page(resp)
    db.session.expire_all()
    record = db.session.query(Apprenticeship).one()
    assert (record.contract_type, record.rhythm) == ("professionnalisation", "1 / 1")


def test_what_a_record_still_misses(make, year):
    from app.tutoring.models import TutorAssignment

    apprentice = make.user("student", track="apprentice")
    employer = make.host()
    db.session.add(Apprenticeship(student_id=apprentice.id, contract_type="apprentissage",
                                  employer_id=employer.id, start_date=date(2026, 9, 1),
                                  end_date=date(2027, 8, 31), rhythm="2 / 3",
                                  mentor_name="Paul Roux", mentor_phone="04 00 00 00 00"))
    db.session.commit()
    [row] = services.apprentice_rows(year)
    assert row.missing == ["enseignant·e référent·e"]
    db.session.add(TutorAssignment(student_id=apprentice.id, academic_year_id=year.id,
                                   teacher_id=make.user("teacher").id))
    db.session.commit()
    [row] = services.apprentice_rows(year)
    assert row.missing == []
    bare = Apprenticeship(student_id=apprentice.id, contract_type="apprentissage")
    assert services.ApprenticeRow(apprentice, bare, None).missing == [
        "employeur", "dates du contrat", "rythme", "maître d’apprentissage",
        "enseignant·e référent·e"]
    assert services.ApprenticeRow(apprentice, None, None).missing == ["fiche d’alternance"]


# ---------------------------------------------------------------- tutored projects

def _project(make, year, teacher=None, **kw):
    data = {"title": "Audit documentaire", "cohort": "BUT2", "team_size": 2, "team_count": 2,
            **kw}
    return services.create_project(teacher or make.user("teacher"), data, year)


@pytest.mark.parametrize("changes, message", [
    ({"title": "  "}, "Le titre est obligatoire."),
    ({"cohort": "BUT4"}, "Choisissez la promotion."),
    ({"team_size": 13}, "Une équipe compte de 1 à 12 étudiant·es."),
    ({"team_count": 0}, "De 1 à 40 équipes."),
    ({"team_count": 41}, "De 1 à 40 équipes."),
])
def test_a_project_needs_a_title_a_cohort_and_sensible_teams(make, year, changes, message):
    with pytest.raises(DomainError) as err:
        _project(make, year, **changes)
    assert err.value.message == message
    assert db.session.query(Project).count() == 0


def test_only_teachers_create_projects(as_role, make, year):
    with pytest.raises(DomainError, match="créés par les enseignant·es"):
        _project(make, year, teacher=make.user("secretariat"))
    assert as_role("secretariat").post("/projets/nouveau", {
        "title": "x", "cohort": "BUT2", "team_size": "2", "team_count": "2"}).status_code == 403
    resp = as_role("admin").post("/projets/nouveau", {
        "title": "Projet de l’admin", "cohort": "BUT2", "team_size": "2", "team_count": "1"},
        follow_redirects=True)
    assert "Projet créé : formez les équipes." in page(resp)


def test_the_teacher_places_moves_and_removes_students(as_role, make, year):
    teacher = as_role("teacher")
    project = _project(make, year, teacher=teacher.user)
    one, two = project.teams
    lea = make.user("student", cohort="BUT2", first_name="Léa", last_name="Petit")
    other_cohort = make.user("student", cohort="BUT3", first_name="Marc", last_name="Blanc")
    url = f"/projets/{project.id}"
    resp = teacher.post(f"{url}/equipes", {"student_id": other_cohort.id, "team_id": one.id},
                        follow_redirects=True)
    assert "Marc Blanc n’est pas en BUT2." in page(resp)
    resp = teacher.post(f"{url}/equipes", {"student_id": lea.id, "team_id": 999999},
                        follow_redirects=True)
    assert "Équipe inconnue." in page(resp)
    resp = teacher.post(f"{url}/equipes", {"student_id": lea.id, "team_id": one.id},
                        follow_redirects=True)
    assert "Équipe mise à jour." in page(resp)
    resp = teacher.post(f"{url}/equipes", {"student_id": lea.id, "team_id": one.id},
                        htmx=True)
    assert "Léa Petit est déjà dans l’équipe 1." in page(resp)
    # moving her to team 2 keeps one membership
    teacher.post(f"{url}/equipes", {"student_id": lea.id, "team_id": two.id})
    db.session.expire_all()
    assert [(m.team_id, m.student_id) for m in db.session.query(TeamMember)] == [
        (two.id, lea.id)]
    # removal
    resp = as_role("teacher").post(f"{url}/retirer/{lea.id}", follow_redirects=True)
    assert "Seul·e l’enseignant·e du projet compose les équipes." in page(resp)
    resp = teacher.post(f"{url}/retirer/{lea.id}", follow_redirects=True)
    assert "Étudiant·e retiré·e de l’équipe." in page(resp)
    resp = teacher.post(f"{url}/retirer/{lea.id}", htmx=True)
    assert "Cet·te étudiant·e n’est dans aucune équipe." in page(resp)
    assert db.session.query(TeamMember).count() == 0


def test_the_secretariat_composes_teams_too(as_role, make, year):
    project = _project(make, year)
    lea = make.user("student", cohort="BUT2")
    desk = as_role("secretariat")
    resp = desk.post(f"/projets/{project.id}/former", follow_redirects=True)
    assert "Équipes formées : 0 souhait respecté sur 0." in page(resp)
    resp = desk.post(f"/projets/{project.id}/retirer/{lea.id}", follow_redirects=True)
    assert "Étudiant·e retiré·e de l’équipe." in page(resp)
    resp = desk.post(f"/projets/{project.id}/equipes",
                     {"student_id": lea.id, "team_id": project.teams[1].id},
                     follow_redirects=True)
    assert "Équipe mise à jour." in page(resp)
    assert [m.team_id for m in db.session.query(TeamMember)] == [project.teams[1].id]


def test_forming_the_teams_again_once_someone_is_placed(as_role, make, year):
    teacher = as_role("teacher")
    project = _project(make, year, teacher=teacher.user)
    lea = make.user("student", cohort="BUT2")
    make.user("student", cohort="BUT2")
    teacher.post(f"/projets/{project.id}/equipes",
                 {"student_id": lea.id, "team_id": project.teams[0].id})
    try:
        resp = teacher.post(f"/projets/{project.id}/former", follow_redirects=True)
    finally:
        # the failed flush leaves states the identity map lost track of: drop them now, not
        # during a later garbage collection (which would break pytest's report of this test)
        db.session.rollback()
        db.session.expunge_all()
        gc.collect()
    assert resp.status_code == 200
    assert "Équipes formées : 0 souhait respecté sur 0." in page(resp)
    assert db.session.query(TeamMember).count() == 2


def test_another_teacher_cannot_form_the_teams(as_role, make, year):
    project = _project(make, year)
    make.user("student", cohort="BUT2")
    resp = as_role("teacher").post(f"/projets/{project.id}/former", follow_redirects=True)
    assert "Seul·e l’enseignant·e du projet compose les équipes." in page(resp)
    assert db.session.query(TeamMember).count() == 0


def test_a_student_registers_only_themselves(make, year):
    project = _project(make, year)
    lea, marc = make.user("student", cohort="BUT2"), make.user("student", cohort="BUT2")
    with pytest.raises(DomainError, match="Vous ne pouvez inscrire que vous-même."):
        services.put_in_team(lea, project, marc, project.teams[0], joining=True)
    inactive = make.user("student", cohort="BUT2", active=False)
    with pytest.raises(DomainError, match="Étudiant·e inconnu·e."):
        services.put_in_team(project.teacher, project, inactive, project.teams[0])
    assert db.session.query(TeamMember).count() == 0


def test_team_wishes(app, make, year):
    project = _project(make, year)
    me = make.user("student", cohort="BUT2")
    mates = [make.user("student", cohort="BUT2", first_name="Camarade", last_name=f"N{n}")
             for n in range(4)]
    apprentice = make.user("student", cohort="BUT2", track="apprentice",
                           first_name="Alex", last_name="Alternant")
    b = browser_for(app, me)
    url = f"/projets/{project.id}/souhait"
    resp = b.post(url, {"with_student_id": mates[0].id}, follow_redirects=True)
    assert "Souhait noté : travailler avec Camarade N0." in page(resp)
    resp = b.post(url, {"with_student_id": mates[0].id}, follow_redirects=True)
    assert "Vous avez déjà demandé à travailler avec Camarade N0." in page(resp)
    resp = b.post(url, {"with_student_id": me.id}, follow_redirects=True)
    assert "Choisissez un·e camarade." in page(resp)
    resp = b.post(url, {"with_student_id": apprentice.id}, follow_redirects=True)
    assert ("Alex Alternant est en alternance : les alternant·es ne participent pas aux "
            "projets tutorés") in page(resp)
    resp = b.post(url, {"with_student_id": 999999}, follow_redirects=True)
    assert "Étudiant·e inconnu·e." in page(resp)
    b.post(url, {"with_student_id": mates[1].id})
    b.post(url, {"with_student_id": mates[2].id})
    resp = b.post(url, {"with_student_id": mates[3].id}, follow_redirects=True)
    assert "Trois souhaits au plus." in page(resp)
    assert sorted(w for _, w in services.wishes(project)) == sorted(m.id for m in mates[:3])
    # an apprentice expresses no wish (the page is not even theirs)
    with pytest.raises(DomainError, match="est en alternance"):
        services.add_wish(apprentice, project, mates[0])
    assert db.session.query(TeamWish).count() == 3
