"""Defences come after the internship (its end plus the year's gap); defence days and
unavailabilities can be deleted; a tutor change reaches the jury; a published defence that
moves tells the student and the jury, and its calendar event is RFC 5545 valid."""
from datetime import date, datetime

from icalendar import Calendar

from app.defenses.models import Defense, DefenseSession, Unavailability
from tests.conftest import Browser, login, text
from tests.defenses.test_defenses import _add_day


def _slot(session_id, when: datetime) -> str:
    return f"{session_id}|{when:%Y-%m-%dT%H:%M}"


def test_the_proposal_skips_students_whose_internship_is_not_over(setup, db):
    year, interns, tutors, s = setup
    _add_day(s, day="2027-03-26")
    resp = s.post("/soutenances/proposer", follow_redirects=True)
    assert db.session.query(Defense).count() == 0
    page = text(resp)
    assert "leur stage n’est pas terminé à la dernière journée de soutenance" in page
    assert interns[0].student.full_name in page
    assert "au plus tôt le " in page
    # a day after the internships: everyone is placed there, never on 26 March
    _add_day(s, day="2027-09-06", end="12:00")
    s.post("/soutenances/proposer")
    assert {d.starts_at.date() for d in db.session.query(Defense)} == {date(2027, 9, 6)}


def test_the_year_gap_pushes_the_first_day_and_a_move_too_early_is_refused(setup, db):
    year, interns, tutors, s = setup
    end = interns[0].end_date
    resp = s.post(f"/annees/{year.id}/modifier", {
        "start_year": year.start_year, "earliest_start": year.earliest_start.isoformat(),
        "min_weeks": year.min_weeks, "max_weeks": year.max_weeks,
        "tutee_limit": year.tutee_limit, "defense_gap_days": "10",
        "version": year.version_id})
    assert resp.status_code == 303
    db.session.refresh(year)
    assert year.defense_gap_days == 10
    assert "10 jours après la fin du stage" in text(s.get("/annees/"))
    early = end.replace(day=end.day)  # the internship's last day: before the gap
    _add_day(s, day=early.isoformat())
    _add_day(s, day="2027-09-06", room="B202")
    s.post("/soutenances/proposer")
    defenses = db.session.query(Defense).all()
    assert defenses and all(d.starts_at.date() == date(2027, 9, 6) for d in defenses)
    d = defenses[0]
    day = db.session.query(DefenseSession).filter_by(day=early).one()
    resp = s.post(f"/soutenances/{d.id}/deplacer", {
        "slot": _slot(day.id, datetime.combine(early, day.start_time)),
        "second_teacher_id": d.second_teacher_id, "version": d.version_id}, htmx=True)
    page = text(resp)
    assert "Déplacement impossible" in page and "première date possible" in page
    db.session.refresh(d)
    assert d.starts_at.date() == date(2027, 9, 6)


def test_defence_days_and_unavailabilities_can_be_deleted(setup, db, app):
    year, interns, tutors, s = setup
    _add_day(s, end="12:00")
    s.post("/soutenances/proposer")
    day = db.session.query(DefenseSession).one()
    assert db.session.query(Defense).count() == 3
    assert s.post(f"/soutenances/journees/{day.id}/supprimer").status_code == 303
    assert db.session.query(DefenseSession).count() == 0
    assert db.session.query(Defense).count() == 0  # the proposals go back to be planned
    # a day with a published defence is kept
    _add_day(s, end="12:00")
    s.post("/soutenances/proposer")
    s.post("/soutenances/publier")
    day = db.session.query(DefenseSession).one()
    page = text(s.post(f"/soutenances/journees/{day.id}/supprimer", follow_redirects=True))
    assert "déplacez-les d’abord" in page
    assert db.session.query(DefenseSession).count() == 1
    # a teacher deletes their own unavailability, not someone else's
    c = app.test_client()
    login(c, tutors[0])
    t = Browser(c, tutors[0])
    t.post("/soutenances/indisponibilites", {"starts_at": "2027-09-06T09:00",
                                             "ends_at": "2027-09-06T10:30"})
    u = db.session.query(Unavailability).one()
    c2 = app.test_client()
    login(c2, tutors[1])
    assert Browser(c2, tutors[1]).post(
        f"/soutenances/indisponibilites/{u.id}/supprimer").status_code == 404
    assert "Supprimer" in text(t.get("/soutenances/mes-soutenances"))
    assert t.post(f"/soutenances/indisponibilites/{u.id}/supprimer").status_code == 303
    assert db.session.query(Unavailability).count() == 0


def test_a_tutor_change_updates_a_proposed_jury_and_flags_a_published_one(setup, db, make):
    from app.tutoring import services as tutoring

    year, interns, tutors, s = setup
    coordinator = make.user("admin")
    newcomer = make.user("teacher", last_name="Nouvelle")
    _add_day(s, end="12:00")
    s.post("/soutenances/proposer")
    d0 = db.session.query(Defense).filter_by(internship_id=interns[0].id).one()
    tutoring.assign(coordinator, interns[0].student, newcomer, year, "Changement")
    db.session.refresh(d0)
    assert d0.tutor_id == newcomer.id and not d0.jury_outdated
    s.post("/soutenances/publier")
    d1 = db.session.query(Defense).filter_by(internship_id=interns[1].id).one()
    tutoring.assign(coordinator, interns[1].student, newcomer, year, "Changement")
    db.session.refresh(d1)
    assert d1.tutor_id != newcomer.id and d1.jury_outdated
    assert "jury à revoir" in text(s.get("/soutenances/"))
    # the next move, even in the same slot, sets the jury and tells everyone
    s.post(f"/soutenances/{d1.id}/deplacer", {
        "slot": _slot(d1.session_id, d1.starts_at), "second_teacher_id": d1.second_teacher_id,
        "version": d1.version_id})
    db.session.refresh(d1)
    assert d1.tutor_id == newcomer.id and not d1.jury_outdated and d1.sequence == 1


def test_moving_a_published_defence_notifies_and_updates_the_calendar(setup, db, app, smtp):
    from app.notifications.models import Notification

    year, interns, tutors, s = setup
    _add_day(s, end="12:00")
    s.post("/soutenances/proposer")
    s.post("/soutenances/publier")
    d = db.session.query(Defense).filter_by(internship_id=interns[0].id).one()
    student = interns[0].student
    c = app.test_client()
    login(c, student)
    Browser(c, student).get("/soutenances/mes-soutenances")  # makes the calendar token
    db.session.refresh(student)
    feed = app.test_client().get(f"/soutenances/calendrier/{student.calendar_token}.ics")
    cal = Calendar.from_ical(feed.data)
    event = cal.walk("VEVENT")[0]
    assert event.get("DTSTAMP") is not None and int(event.get("SEQUENCE")) == 0
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"]
    assert b"DTSTART;TZID=Europe/Paris:" in feed.data
    before = db.session.query(Notification).count()
    taken = {x.starts_at for x in db.session.query(Defense)}
    free = next(t for t in d.session.slots() if t not in taken)
    s.post(f"/soutenances/{d.id}/deplacer", {"slot": _slot(d.session_id, free),
                                             "second_teacher_id": d.second_teacher_id,
                                             "version": d.version_id})
    db.session.refresh(d)
    assert d.starts_at == free and d.sequence == 1
    moved = [n for n in db.session.query(Notification) if "Soutenance déplacée" in n.message]
    assert db.session.query(Notification).count() == before + 3
    assert {n.user_id for n in moved} == {student.id, d.tutor_id, d.second_teacher_id}
    assert any("nouvelle convocation" in m["subject"] for m in smtp.to(student.email))
    assert any("nouvelle date" in m["subject"] for m in smtp.to("tuteur0@example.org"))
    feed = app.test_client().get(f"/soutenances/calendrier/{student.calendar_token}.ics")
    event = Calendar.from_ical(feed.data).walk("VEVENT")[0]
    assert int(event.get("SEQUENCE")) == 1
    assert event.decoded("DTSTART").replace(tzinfo=None) == free
    # « Publier » has nothing new: the move was announced already
    assert "Rien de nouveau à publier" in text(s.post("/soutenances/publier",
                                                      follow_redirects=True))
