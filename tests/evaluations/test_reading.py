"""Evaluations open when they are due and tell their evaluator; everyone concerned reads
them back once closed (submitted): the student the host's appraisal, the tutor their own
and the host's, and each objective's attainment on one page. Others get 404."""
from datetime import UTC, date

import pytest

from app.evaluations import services
from app.evaluations.models import Evaluation
from app.notifications.models import Notification, OutboxMail
from app.tutoring.models import TutorAssignment
from tests.conftest import Browser, login, text
from tests.evaluations.test_evaluations import ended, ended_undefended, held_defense  # noqa: F401


def _as(app, user) -> Browser:
    c = app.test_client()
    login(c, user)
    return Browser(c, user)


def _told(db, user) -> list[Notification]:
    return db.session.query(Notification).filter_by(user_id=user.id) \
        .order_by(Notification.id).all()


def _open(internship, today):
    return services.open_evaluations(internship, today)


def _kinds(db) -> dict[str, Evaluation]:
    return {e.kind: e for e in db.session.query(Evaluation)}


def _ratings(internship, *values) -> dict[str, str]:
    return {f"objective-{o.id}": v for o, v in zip(internship.objectives, values, strict=False)}


def test_the_defence_evaluation_opens_on_the_defence_day(ended_undefended, make,  # noqa: F811
                                                         db):
    internship, tutor = ended_undefended
    student = internship.student
    with pytest.raises(services.DomainError, match="une fois le stage terminé"):
        _open(internship, date(2026, 6, 30))
    assert db.session.query(Notification).count() == 0  # refused: nobody is told
    assert db.session.query(OutboxMail).count() == 0

    # the internship is over: the host's and the student's open, the defence's waits
    assert sorted(e.kind for e in _open(internship, date(2026, 7, 1))) == [
        "host_tutor", "student_host"]
    [notice] = _told(db, student)
    assert notice.link == f"/evaluations/{_kinds(db)['student_host'].id}"
    assert "évaluez l’organisme" in notice.message
    assert {m.recipient for m in db.session.query(OutboxMail)} == {
        "jeanne.roy@example.org", student.email}
    assert _told(db, tutor) == []

    # a defence on a draft schedule does not open it; a published one, on its day
    defense = held_defense(internship, tutor, make.user("teacher"), date(2026, 9, 15),
                           published=False)
    assert _open(internship, date(2026, 9, 20)) == []
    defense.published = True
    db.session.commit()
    assert _open(internship, date(2026, 9, 14)) == []
    assert [e.kind for e in _open(internship, date(2026, 9, 15))] == ["academic_tutor"]
    [notice] = _told(db, tutor)
    assert notice.link == f"/evaluations/{_kinds(db)['academic_tutor'].id}"
    assert "soutenance de" in notice.message and "15/09/2026" in notice.message
    assert db.session.query(OutboxMail).filter_by(recipient=tutor.email).count() == 1
    # once only
    assert _open(internship, date(2026, 9, 16)) == []
    assert len(_told(db, tutor)) == 1 and len(_told(db, student)) == 1


def test_the_daily_command_opens_the_defence_evaluation_once_its_day_has_come(
        app, ended_undefended, make, db):  # noqa: F811
    internship, tutor = ended_undefended
    runner = app.test_cli_runner()
    runner.invoke(args=["send-evaluation-reminders"])
    assert set(_kinds(db)) == {"host_tutor", "student_host"}  # no defence yet: it waits
    held_defense(internship, tutor, make.user("teacher"), date(2026, 9, 15))
    runner.invoke(args=["send-evaluation-reminders"])
    assert set(_kinds(db)) == {"host_tutor", "student_host", "academic_tutor"}
    assert len(_told(db, tutor)) == 1


def test_the_student_reads_the_hosts_appraisal_once_it_is_closed(app, ended, as_role,  # noqa: F811
                                                                 db):
    internship, tutor = ended
    _open(internship, date(2026, 9, 20))
    host = _kinds(db)["host_tutor"]
    me = _as(app, internship.student)
    assert me.get(f"/evaluations/{host.id}").status_code == 404  # not submitted yet
    assert f'href="/evaluations/{host.id}"' not in text(me.get("/evaluations/"))
    services.submit(host, {"appreciation": "Travail rigoureux", "strengths": "Méthode",
                           **_ratings(internship, "reached", "partly")}, date(2026, 9, 21))
    # told, in the submission's transaction
    [notice] = [n for n in _told(db, internship.student) if n.link == f"/evaluations/{host.id}"]
    assert "a évalué votre stage" in notice.message
    assert [n.link for n in _told(db, tutor)][-1] == f"/evaluations/{host.id}"
    page = text(me.get(notice.link))
    assert "Travail rigoureux" in page and "Méthode" in page
    assert "Décrire 40 boîtes" in page and "Atteint" in page
    assert "Partiellement atteint" in page and "Évaluation close" in page
    assert "<form method=\"post\" action=\"/evaluations/" not in page  # nothing to answer
    assert f'href="/evaluations/{host.id}"' in text(me.get("/evaluations/"))
    # not the defence's, nor another student
    assert me.get(f"/evaluations/{_kinds(db)['academic_tutor'].id}").status_code == 404
    assert as_role("student").get(f"/evaluations/{host.id}").status_code == 404


def test_the_tutor_reads_their_own_evaluation_and_the_hosts(app, ended, as_role, make,  # noqa: F811
                                                            db):
    internship, tutor = ended
    _open(internship, date(2026, 9, 20))
    by_kind = _kinds(db)
    host, defence = by_kind["host_tutor"], by_kind["academic_tutor"]
    t = _as(app, tutor)
    assert t.get(f"/evaluations/{host.id}").status_code == 404  # not submitted yet
    services.submit(host, {"appreciation": "Travail rigoureux",
                           **_ratings(internship, "reached", "not")}, date(2026, 9, 21))
    assert "Travail rigoureux" in text(t.get(f"/evaluations/{host.id}"))
    t.post(f"/evaluations/{defence.id}", {"defense": "Exposé clair", "grade": "15,5",
                                          **_ratings(internship, "reached", "partly")})
    page = t.get(f"/evaluations/{defence.id}")
    assert page.status_code == 200
    assert "Exposé clair" in text(page) and "15,5" in text(page)
    index = text(t.get("/evaluations/?year=2025"))
    assert f'href="/evaluations/{host.id}"' in index
    assert f'href="/evaluations/{defence.id}"' in index
    # a teacher who is not the tutor reads neither
    other = as_role("teacher")
    assert other.get(f"/evaluations/{host.id}").status_code == 404
    assert other.get(f"/evaluations/{defence.id}").status_code == 404
    # a tutor replaced no longer reads the defence's; the host's stays theirs while they sit
    # on the published jury (app.access), as it is the second juror's
    assignment = db.session.query(TutorAssignment).one()
    assignment.ended_at = assignment.started_at
    db.session.commit()
    assert t.get(f"/evaluations/{defence.id}").status_code == 404
    assert t.get(f"/evaluations/{host.id}").status_code == 200
    juror = _as(app, internship.defense.second_teacher)
    assert juror.get(f"/evaluations/{host.id}").status_code == 200
    assert juror.get(f"/evaluations/{defence.id}").status_code == 404
    internship.defense.published = False
    db.session.commit()
    assert t.get(f"/evaluations/{host.id}").status_code == 404
    assert juror.get(f"/evaluations/{host.id}").status_code == 404


def test_each_objective_on_one_page_for_the_student_the_tutor_and_the_secretariat(
        app, ended, as_role, db):  # noqa: F811
    internship, tutor = ended
    _open(internship, date(2026, 9, 20))
    by_kind = _kinds(db)
    url = f"/evaluations/stage/{internship.id}/objectifs"
    me, t, desk = _as(app, internship.student), _as(app, tutor), as_role("secretariat")
    before = text(me.get(url))
    assert "Décrire 40 boîtes" in before and before.count("pas encore évalué") == 6
    assert "close, c’est-à-dire envoyée" in before
    me.post(f"/evaluations/{by_kind['student_host'].id}",
            {"welcome": "Bon accueil", **_ratings(internship, "reached", "partly")})
    services.submit(by_kind["host_tutor"], {"appreciation": "Bien",
                                            **_ratings(internship, "partly", "not")},
                    date(2026, 9, 21))
    t.post(f"/evaluations/{by_kind['academic_tutor'].id}",
           {"defense": "Clair", **_ratings(internship, "reached", "not")})
    for who in (me, t, desk):
        page = text(who.get(url))
        assert "pas encore évalué" not in page
        first = page.split("Décrire 40 boîtes", 1)[1].split("</tr>", 1)[0]
        assert first.count("Atteint") == 2 and "Partiellement atteint" in first
        second = page.split("Présenter un bilan", 1)[1].split("</tr>", 1)[0]
        assert second.count("Non atteint") == 2 and "Partiellement atteint" in second
    assert f'href="{url}"' in text(me.get("/evaluations/"))
    assert as_role("student").get(url).status_code == 404
    assert as_role("teacher").get(url).status_code == 404


def test_a_held_defence_whose_evaluation_is_not_opened_keeps_the_year_open(
        ended, db):  # noqa: F811
    from datetime import datetime

    from app.defenses.services import year_work

    internship, _ = ended
    services.open_evaluations(internship, date(2026, 9, 1))  # before the defence day
    for e in db.session.query(Evaluation):
        e.submitted_at = datetime.now(UTC)
    db.session.commit()
    assert set(_kinds(db)) == {"host_tutor", "student_host"}
    year = internship.academic_year
    assert year_work(year, date(2026, 9, 10)).open_evaluations == 0  # its day is to come
    assert year_work(year, date(2026, 9, 20)).open_evaluations == 1  # held, not yet opened
    _open(internship, date(2026, 9, 20))
    assert year_work(year, date(2026, 9, 20)).open_evaluations == 1  # opened, unanswered


def test_home_pages_say_the_hosts_appraisal_has_arrived(app, ended, db):  # noqa: F811
    import time_machine

    internship, tutor = ended
    _open(internship, date(2026, 9, 20))
    host = _kinds(db)["host_tutor"]
    link = f'href="/evaluations/{host.id}"'
    with time_machine.travel(date(2026, 9, 22), tick=False):
        student, teacher = _as(app, internship.student), _as(app, tutor)
        assert link not in text(student.get("/"))
        assert "Évaluations des organismes reçues" not in text(teacher.get("/"))
        services.submit(host, {"appreciation": "Travail rigoureux",
                               **_ratings(internship, "reached", "partly")}, date(2026, 9, 21))
        home = text(student.get("/"))
        assert link in home and "Lire son appréciation et les objectifs atteints" in home
        home = text(teacher.get("/"))
        assert "Évaluations des organismes reçues" in home and link in home
        assert internship.student.full_name in home.split("Évaluations des organismes reçues")[1]
