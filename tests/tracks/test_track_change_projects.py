"""Becoming an apprentice takes the student out of this year's tutored projects (RULES.md §1:
apprentices take no part in them): their team, their wishes and the wishes naming them go
in the same transaction as the track change, and the confirmation says what went."""
from datetime import date

import pytest

from app.tracks import services
from app.tracks.models import Project, Team, TeamMember, TeamWish, TrackChange
from app.years import services as years
from tests.conftest import text


@pytest.fixture
def year(db):
    years.ensure_default_rates()
    return years.current_year(date.today())


def _project(db, make, year, title, cohort="BUT3"):
    teacher = make.user("teacher")
    return services.create_project(teacher, {"title": title, "cohort": cohort,
                                             "team_size": 4, "team_count": 3}, year)


def _member(db, project, team_number, student):
    team = next(t for t in project.teams if t.number == team_number)
    db.session.add(TeamMember(team_id=team.id, project_id=project.id, student_id=student.id))
    db.session.commit()


def _wish(db, project, student, other):
    db.session.add(TeamWish(project_id=project.id, student_id=student.id,
                            with_student_id=other.id))
    db.session.commit()


def test_becoming_an_apprentice_leaves_this_years_teams_and_wishes(as_role, make, db, year):
    student = make.user("student", last_name="Bascule")
    mates = [make.user("student", last_name=f"Camarade{i}") for i in range(3)]
    project = _project(db, make, year, "Inventaire des fonds")
    other = _project(db, make, year, "Veille documentaire")
    _member(db, project, 2, student)
    _member(db, project, 2, mates[0])
    _wish(db, project, mates[0], student)     # classmates naming the student
    _wish(db, other, mates[1], student)
    _wish(db, project, student, mates[2])     # the student's own wish
    _wish(db, project, mates[1], mates[2])    # someone else's: stays
    # last year's team is history and stays
    last = years.create_year(years.YearData(start_year=year.start_year - 1))
    past = _project(db, make, last, "Projet de l’an dernier")
    _member(db, past, 1, student)
    _wish(db, past, mates[0], student)

    s = as_role("secretariat")
    resp = s.post(f"/etudiants/{student.id}", {"track": "apprentice",
                                               "effective_on": date.today().isoformat(),
                                               "reason": "Contrat signé"},
                  follow_redirects=True)
    page = text(resp)
    assert ("Retiré·e de l’équipe 2 du projet « Inventaire des fonds » ; "
            "3 souhaits d’équipe retirés.") in page
    db.session.expire_all()
    assert [(m.project_id, m.student_id) for m in db.session.query(TeamMember)] == [
        (project.id, mates[0].id), (past.id, student.id)]
    assert sorted((w.project_id, w.student_id, w.with_student_id)
                  for w in db.session.query(TeamWish)) == sorted([
        (project.id, mates[1].id, mates[2].id), (past.id, mates[0].id, student.id)])
    # the project's page no longer lists them in the team
    team = db.session.query(Team).filter_by(project_id=project.id, number=2).one()
    assert [m.student_id for m in team.members] == [mates[0].id]


def test_nothing_to_remove_says_nothing_more(as_role, make, db, year):
    student = make.user("student", last_name="Seule")
    s = as_role("secretariat")
    page = text(s.post(f"/etudiants/{student.id}", {
        "track": "apprentice", "effective_on": date.today().isoformat(),
        "reason": "Contrat"}, follow_redirects=True))
    assert f"Parcours de {student.full_name} : alternance.</p>" in page
    assert "souhaits d’équipe retiré" not in page and "Retiré·e" not in page


def test_a_refused_change_removes_nothing(make, db, year, monkeypatch):
    """One transaction: when the change fails after the teams were emptied, nothing is
    kept (neither the team left nor the track)."""
    student = make.user("student")
    mate = make.user("student")
    project = _project(db, make, year, "Inventaire")
    _member(db, project, 1, student)
    _wish(db, project, mate, student)
    desk = make.user("secretariat")

    def broken(*args, **kwargs):
        raise RuntimeError("notification refused")

    from tests.tracks.test_tracks import _apply
    _apply(make, student)  # an open application: its withdrawal is notified
    monkeypatch.setattr("app.tracks.services.notify", broken)

    with pytest.raises(RuntimeError):
        services.change_track(desk, student, "apprentice", date.today(), "Contrat")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.query(TeamMember).count() == 1
    assert db.session.query(TeamWish).count() == 1
    assert db.session.query(TrackChange).count() == 0
    assert db.session.get(type(student), student.id).track == "initial"


def test_back_to_the_initial_track_touches_no_project(make, db, year):
    student = make.user("student", track="apprentice")
    mate = make.user("student")
    project = _project(db, make, year, "Inventaire")
    _wish(db, project, mate, student)
    desk = make.user("secretariat")
    done = services.change_track(desk, student, "initial", date.today(), "Fin du contrat")
    assert done.removed == [] and db.session.query(TeamWish).count() == 1
    assert isinstance(db.session.get(Project, project.id), Project)
