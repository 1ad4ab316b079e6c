from datetime import date, datetime, timedelta

from app.defenses.models import Defense
from tests.conftest import Browser, login, text


def _add_day(s, day="2027-09-06", room="A101", start="09:00", end="11:00"):
    return s.post("/soutenances/journees", {"day": day, "room": room, "start_time": start,
                                            "end_time": end, "slot_minutes": "30"})


def test_schedule_publish_and_everyone_sees_theirs(setup, db, app, smtp):
    year, interns, tutors, s = setup
    assert _add_day(s).status_code == 303
    resp = _add_day(s, start="10:00", end="12:00")
    assert "La salle A101 est déjà réservée ce jour-là" in text(resp)
    s.post("/soutenances/proposer")
    defenses = db.session.query(Defense).all()
    assert len(defenses) == 3
    for d in defenses:
        assert d.second_teacher_id != d.tutor_id
    assert len({d.starts_at for d in defenses}) == 3  # one room: three different slots
    # the jury by full names, the second member chosen among full names too
    planning = text(s.get("/soutenances/"))
    assert "Tutorat :</small> Camille Tuteur0" in planning
    assert ">Camille Second</option>" in planning
    # nobody sees an unpublished defence
    c = app.test_client()
    login(c, interns[0].student)
    student = Browser(c, interns[0].student)
    assert "Aucune soutenance publiée" in text(student.get("/soutenances/mes-soutenances"))
    s.post("/soutenances/publier")
    page = text(student.get("/soutenances/mes-soutenances"))
    assert "salle A101" in page
    assert any("tuteur0@example.org" in m["to"] for m in smtp.messages)  # host invited
    # the private calendar feed
    token = db.session.get(type(interns[0].student), interns[0].student.id).calendar_token
    feed = app.test_client().get(f"/soutenances/calendrier/{token}.ics")
    assert feed.mimetype == "text/calendar" and b"BEGIN:VEVENT" in feed.data
    assert b"Soutenance" in feed.data
    assert app.test_client().get("/soutenances/calendrier/faux.ics").status_code == 404


def test_move_refuses_conflicts_with_the_reason(setup, db, make):
    year, interns, tutors, s = setup
    _add_day(s)
    _add_day(s, room="B202")
    s.post("/soutenances/proposer")
    defenses = sorted(db.session.query(Defense).all(), key=lambda d: d.starts_at)
    a, b = defenses[0], defenses[1]
    # put b in a's room and time: refused
    resp = s.post(f"/soutenances/{b.id}/deplacer", {
        "slot": f"{a.session_id}|{a.starts_at:%Y-%m-%dT%H:%M}",
        "second_teacher_id": b.second_teacher_id, "version": b.version_id}, htmx=True)
    assert "Déplacement impossible" in text(resp)
    assert f'id="defense-{b.id}"' in text(resp) and "<html" not in text(resp)
    # a free slot is fine
    free = datetime.combine(date(2027, 9, 6), datetime.min.time()).replace(hour=10, minute=30)
    resp = s.post(f"/soutenances/{b.id}/deplacer", {
        "slot": f"{a.session_id}|{free:%Y-%m-%dT%H:%M}",
        "second_teacher_id": b.second_teacher_id, "version": b.version_id}, htmx=True)
    assert "Déplacement impossible" not in text(resp)
    db.session.refresh(b)
    assert b.starts_at == free


def test_unavailability_is_respected(setup, db, app):
    year, interns, tutors, s = setup
    c = app.test_client()
    login(c, tutors[0])
    t = Browser(c, tutors[0])
    resp = t.post("/soutenances/indisponibilites", {"starts_at": "2027-09-06T09:00",
                                                    "ends_at": "2027-09-06T08:00"})
    assert "La fin doit suivre le début." in text(resp)
    t.post("/soutenances/indisponibilites", {"starts_at": "2027-09-06T09:00",
                                             "ends_at": "2027-09-06T10:30"})
    _add_day(s, end="12:00")
    s.post("/soutenances/proposer")
    for d in db.session.query(Defense).all():
        if tutors[0].id in (d.tutor_id, d.second_teacher_id):
            assert d.starts_at >= datetime(2027, 9, 6, 10, 30)


def test_only_the_secretariat_plans(setup, as_role):
    year, interns, tutors, s = setup
    teacher = as_role("teacher")
    assert teacher.post("/soutenances/proposer").status_code == 403
    assert teacher.post("/soutenances/publier").status_code == 403
    assert teacher.get("/soutenances/").status_code == 302
    assert as_role("student").post("/soutenances/journees", {}).status_code == 403



def test_cohort_shows_defended_students(setup, db):
    from app.internships.services import stage_of

    year, interns, tutors, s = setup
    _add_day(s)
    s.post("/soutenances/proposer")
    s.post("/soutenances/publier")
    internship = interns[0]
    db.session.refresh(internship)
    assert internship.defense is not None
    assert stage_of(internship, internship.defense.starts_at.date()) == "defended"
    assert stage_of(internship, internship.defense.starts_at.date() - timedelta(days=1)) \
        != "defended"


def test_planning_counts_what_remains_to_schedule(setup, db, make):
    from app.internships import services as internships

    year, interns, tutors, s = setup
    start = interns[0].start_date
    internships.create_internship(make.user("student", last_name="Sanstuteur"),
                                  internships.InternshipData(
                                      host_id=make.host().id, subject="S", start_date=start,
                                      end_date=start + timedelta(weeks=12, days=-1)))
    page = text(s.get("/soutenances/"))
    assert "3 stages prêts à planifier" in page
    assert "1 stage sans enseignant·e référent·e" in page
    _add_day(s, end="10:00")  # two slots: two of the three are placed
    s.post("/soutenances/proposer")
    assert db.session.query(Defense).count() == 2
    page = text(s.get("/soutenances/"))
    assert "1 stage prêt à planifier" in page and "1 stage sans enseignant·e" in page
