from datetime import date
from decimal import Decimal

import pytest

from app.internships import services
from app.internships.models import Internship
from tests.conftest import text

VALID = {"subject": "Inventaire du fonds Dupont", "start_date": "2027-04-08",
         "end_date": "2027-06-30", "weekly_hours": "35",
         "work_days": ["mon", "tue", "wed", "thu", "fri"], "zone": "metropole",
         "country": "France", "agreed_amount": "700", "agreed_unit": "month",
         "objectives": "Rédiger l’inventaire des 40 boîtes avant le 15 juin\n\n"
                       "Numériser 200 plans avant fin mai"}


def _post(b, url, data, **kw):
    return b.post(url, data, **kw)


def test_student_records_their_internship_and_sees_the_gratification(as_role, make, db,
                                                                     year_2026):
    host = make.host(name="Archives de Lyon")
    b = as_role("student", cohort="BUT3", track="initial")
    resp = _post(b, "/stages/nouveau", {**VALID, "host_id": host.id})
    assert resp.status_code == 303, text(resp)[:3000]
    internship = db.session.query(Internship).one()
    assert internship.student_id == b.user.id
    assert internship.academic_year.label == "2026-2027"
    assert [o.statement for o in internship.objectives] == [
        "Rédiger l’inventaire des 40 boîtes avant le 15 juin", "Numériser 200 plans avant fin mai"]
    page = text(b.get(resp.headers["Location"]))
    assert "Inventaire du fonds Dupont" in page
    assert "Gratification obligatoire" in page
    # 2027-04-08 (Thu) to 2027-06-30: Easter Monday 29 March is before; May 1 Sat, May 8 Sat,
    # Ascension May 6, Whit Monday May 17 are off.
    assert "jours de présence" in page
    assert b.get("/stages/").headers["Location"].endswith(f"/stages/{internship.id}")


@pytest.mark.parametrize("changes, message", [
    ({"start_date": "2027-04-07", "end_date": "2027-06-29"},
     "Le stage ne peut pas commencer avant le 8 avril 2027 (année 2026-2027)."),
    ({"end_date": "2027-06-20"}, "Le stage dure 10 semaines et 4 jours : il doit durer de 12 à 16 "
                                 "semaines."),
    ({"end_date": "2027-08-31"}, "il doit durer de 12 à 16 semaines"),
    ({"end_date": "2027-04-01"}, "La date de fin précède la date de début."),
    ({"weekly_hours": "49"}, "la durée maximale de présence est de 48 heures"),
    ({"work_days": []}, "Cochez au moins un jour travaillé."),
    ({"start_date": "2027-02-31"}, "date"),
    ({"subject": ""}, "Ce champ est obligatoire."),
    ({"agreed_amount": "-4"}, "Montant invalide."),
    ({"host_id": "0"}, "Choisissez l’organisme d’accueil dans l’annuaire, ou proposez-le"),
    ({"host_id": ""}, "Choisissez l’organisme d’accueil dans l’annuaire, ou proposez-le"),
])
def test_checks_give_clear_messages_and_write_nothing(as_role, make, db, year_2026, changes,
                                                      message):
    host = make.host()
    b = as_role("student")
    resp = _post(b, "/stages/nouveau", {**VALID, "host_id": host.id, **changes}, htmx=True)
    assert resp.status_code == 200
    assert message in text(resp)
    assert db.session.query(Internship).count() == 0


def test_more_than_35_hours_is_a_warning_not_a_refusal(as_role, make, db, year_2026):
    host = make.host()
    b = as_role("student")
    resp = _post(b, "/stages/nouveau", {**VALID, "host_id": host.id, "weekly_hours": "39"})
    assert resp.status_code == 303
    page = text(b.get(resp.headers["Location"]))
    assert "39" in page and "au-delà de 35 heures" in page


def test_overlap_and_924_hours_at_the_same_host(make, db, year_2026):
    student = make.user("student")
    host = make.host()
    data = services.InternshipData(host_id=host.id, subject="A", start_date=date(2027, 4, 8),
                                   end_date=date(2027, 7, 28))
    first, _ = services.create_internship(student, data)
    # a second one in the same year is refused as such
    with pytest.raises(services.DomainError, match="a déjà un stage pour l’année 2026-2027"):
        services.create_internship(student, services.InternshipData(
            host_id=make.host().id, subject="B", start_date=date(2027, 8, 2),
            end_date=date(2027, 10, 24)))
    with pytest.raises(services.InternshipInvalid, match="chevauchent un autre stage"):
        services.create_internship(student, services.InternshipData(
            host_id=host.id, subject="B", start_date=date(2027, 5, 3),
            end_date=date(2027, 7, 30)))
    # an edit that overlaps another internship of the student is refused
    other_year = services.years.create_year(services.years.YearData(start_year=2027))
    later, _ = services.create_internship(student, services.InternshipData(
        host_id=host.id, subject="C", start_date=date(2028, 4, 10), end_date=date(2028, 7, 7)))
    assert later.academic_year_id == other_year.id
    with pytest.raises(services.InternshipInvalid) as err:
        services.update_internship(later, services.InternshipData(
            host_id=host.id, subject="C", start_date=date(2027, 7, 1),
            end_date=date(2027, 9, 30)), later.version_id, student)
    assert any("chevauchent un autre stage" in p.message for p in err.value.problems)
    assert first.id


def test_924_hours_per_host_per_year(make, db):
    from app.years import services as years
    years.create_year(years.YearData(start_year=2026, min_weeks=1, max_weeks=26))
    student = make.user("student")
    host = make.host(name="Grand Dépôt")
    with pytest.raises(services.InternshipInvalid) as err:
        services.create_internship(student, services.InternshipData(
            host_id=host.id, subject="Long", start_date=date(2027, 4, 8),
            end_date=date(2027, 8, 25), weekly_hours=Decimal(48)))
    assert "ne peut pas dépasser 924 heures" in str(err.value)
    assert "dans un même organisme (Grand Dépôt) sur l’année 2026-2027" in str(err.value)
    assert db.session.query(Internship).count() == 0
    # 20 weeks at 35 h stays under the ceiling
    services.create_internship(student, services.InternshipData(
        host_id=host.id, subject="Long", start_date=date(2027, 4, 8),
        end_date=date(2027, 8, 25), weekly_hours=Decimal(35)))


def test_apprentice_and_other_cohorts_cannot_have_an_internship(as_role, make, db, year_2026):
    host = make.host()
    apprentice = as_role("student", track="apprentice")
    page = apprentice.get("/stages/nouveau")
    assert "Un alternant ne fait pas de stage" in text(page)
    resp = _post(apprentice, "/stages/nouveau", {**VALID, "host_id": host.id})
    assert "Un alternant ne fait pas de stage" in text(resp)
    but2 = as_role("student", cohort="BUT2")
    assert "concerne les étudiants de BUT3" in text(but2.get("/stages/nouveau"))
    secretariat = as_role("secretariat")
    resp = _post(secretariat, "/stages/nouveau", {**VALID, "host_id": host.id,
                                                  "student_id": apprentice.user.id})
    assert "Un alternant ne fait pas de stage" in text(resp)
    assert db.session.query(Internship).count() == 0
    # and the secretariat's picker does not offer apprentices
    assert apprentice.user.last_name not in text(secretariat.get("/stages/nouveau"))


def test_secretariat_records_an_internship_for_a_student(as_role, make, db, year_2026):
    host = make.host()
    student = make.user("student", last_name="Garnier")
    b = as_role("secretariat")
    assert "Garnier" in text(b.get("/stages/nouveau"))
    resp = _post(b, "/stages/nouveau", {**VALID, "host_id": host.id, "student_id": student.id})
    assert resp.status_code == 303
    assert db.session.query(Internship).one().student_id == student.id


def _internship(make, student=None, **kw):
    student = student or make.user("student")
    host = kw.pop("host", None) or make.host()
    data = dict(host_id=host.id, subject="Sujet", start_date=date(2027, 4, 8),
                end_date=date(2027, 6, 30))
    data.update(kw)
    internship, _ = services.create_internship(student, services.InternshipData(**data))
    return internship


def test_access_students_see_only_their_own(as_role, make, year_2026):
    mine = as_role("student")
    other = as_role("student")
    internship = _internship(make, student=mine.user)
    assert mine.get(f"/stages/{internship.id}").status_code == 200
    assert other.get(f"/stages/{internship.id}").status_code == 404
    assert other.get(f"/stages/{internship.id}/modifier").status_code == 404
    assert other.post(f"/stages/{internship.id}/absences",
                      {"start_date": "2027-05-03", "end_date": "2027-05-04"}).status_code == 404
    assert other.get("/stages/suivi").status_code == 403
    assert other.get("/stages/export.csv").status_code == 403
    teacher = as_role("teacher")   # need to know: not their tutee
    assert teacher.get(f"/stages/{internship.id}").status_code == 404
    from app.extensions import db
    from app.tutoring.models import TutorAssignment

    db.session.add(TutorAssignment(student_id=mine.user.id, teacher_id=teacher.user.id,
                                   academic_year_id=year_2026.id))
    db.session.commit()
    assert teacher.get(f"/stages/{internship.id}").status_code == 200
    assert teacher.get(f"/stages/{internship.id}/modifier").status_code == 403


def test_absences_reduce_hours_inline(as_role, make, year_2026):
    b = as_role("student")
    internship = _internship(make, student=b.user)
    before = services.gratification_of(internship, date(2026, 11, 24)).hours
    resp = b.post(f"/stages/{internship.id}/absences",
                  {"start_date": "2027-05-03", "end_date": "2027-05-04", "reason": "Maladie"},
                  htmx=True)
    assert resp.status_code == 200 and 'id="presence"' in text(resp)
    assert "<html" not in text(resp) and "Maladie" in text(resp)
    assert services.gratification_of(services.get(internship.id), date(2026, 11, 24)).hours \
        == before - 14
    resp = b.post(f"/stages/{internship.id}/absences",
                  {"start_date": "2027-03-01", "end_date": "2027-03-02"}, htmx=True)
    assert "L’absence doit tomber pendant le stage" in text(resp)
    resp = b.post(f"/stages/{internship.id}/absences",
                  {"start_date": "2027-05-04", "end_date": "2027-05-05"}, htmx=True)
    assert "chevauche une absence" in text(resp)


def test_the_student_records_absences_while_the_internship_is_in_progress(as_role, make, db,
                                                                         year_2026):
    """Their home page says « notez vos absences sur la fiche du stage » during the
    internship: the form is there and accepted, the terms stay locked."""
    b = as_role("student")
    internship = _internship(make, student=b.user)
    internship.status = "in_progress"
    db.session.commit()
    page = text(b.get(f"/stages/{internship.id}"))
    assert "Enregistrer une absence" in page and "Modifier le stage" not in page
    resp = b.post(f"/stages/{internship.id}/absences",
                  {"start_date": "2027-05-03", "end_date": "2027-05-04", "reason": "Maladie"},
                  htmx=True)
    assert resp.status_code == 200 and "Maladie" in text(resp)
    absence = services.get(internship.id).absences[0]
    assert b.post(f"/stages/{internship.id}/absences/{absence.id}/supprimer",
                  htmx=True).status_code == 200
    assert services.get(internship.id).absences == []
    # once it is over, the secretariat alone records them
    internship.status = "finished"
    db.session.commit()
    assert b.post(f"/stages/{internship.id}/absences",
                  {"start_date": "2027-05-03", "end_date": "2027-05-04"}).status_code == 403
    assert as_role("student").post(f"/stages/{internship.id}/absences", {
        "start_date": "2027-05-03", "end_date": "2027-05-04"}).status_code == 404


def test_agreed_gratification_below_minimum_shows_both_figures(as_role, make, year_2026):
    b = as_role("student")
    internship = _internship(make, student=b.user, agreed_amount=Decimal("4.00"),
                             agreed_unit="hour")
    page = text(b.get(f"/stages/{internship.id}"))
    assert "est inférieure au minimum légal" in page
    assert "4,00\xa0€ de l’heure" in page and "4,50\xa0€ de l’heure" in page


def test_abroad_is_information_only(as_role, make, year_2026):
    b = as_role("student")
    host = make.host(city="Genève", country="Suisse")
    internship = _internship(make, student=b.user, host=host, country="Suisse",
                             agreed_amount=Decimal("100"))
    page = text(b.get(f"/stages/{internship.id}"))
    assert "le minimum légal français ne s’impose pas" in page


def test_stale_internship_edit_is_refused(as_role, make, db, year_2026):
    student = as_role("student")
    internship = _internship(make, student=student.user)
    secretariat = as_role("secretariat")
    form = {**VALID, "host_id": internship.host_id, "version": internship.version_id}
    assert secretariat.post(f"/stages/{internship.id}/modifier",
                            {**form, "subject": "Sujet A"}).status_code == 303
    resp = student.post(f"/stages/{internship.id}/modifier", {**form, "subject": "Sujet B"})
    assert "Quelqu’un d’autre a modifié ce stage" in text(resp)
    db.session.refresh(internship)
    assert internship.subject == "Sujet A"


def test_cohort_follow_up(as_role, make, year_2026, count_queries):
    b = as_role("secretariat")
    searching = make.user("student", last_name="Sansstage")
    found = make.user("student", last_name="Avecstage")
    make.user("student", last_name="Alternant", track="apprentice")
    make.user("student", last_name="Deuxieme", cohort="BUT2")
    _internship(make, student=found)
    page = text(b.get("/stages/suivi?year=2026"))
    assert "Sansstage" in page and "Avecstage" in page and "Deuxieme" not in page
    assert "Alternant" in page.split("Alternant·es</h2>")[1]
    frag = text(b.get("/stages/suivi?year=2026&view=sans-stage", htmx=True))
    assert "Sansstage" in frag and "Avecstage" not in frag and "<html" not in frag
    frag = text(b.get("/stages/suivi?year=2026&stage=found", htmx=True))
    assert "Avecstage" in frag and "Sansstage" not in frag
    assert searching.id
    for _ in range(10):
        _internship(make, student=make.user("student"))
    with count_queries() as statements:
        b.get("/stages/suivi?year=2026")
    assert len(statements) <= 9  # the page's keys, then its students and internships


def test_exports(as_role, make, year_2026):
    b = as_role("secretariat")
    _internship(make, student=make.user("student", last_name="Exporté"),
                agreed_amount=Decimal("700"))
    csv_body = text(b.get("/stages/export.csv?year=2026"))
    assert "Exporté" in csv_body and "Gratification due" in csv_body
    assert "Exporté" in text(b.get("/stages/suivi/export.csv?year=2026"))
    assert b.get("/stages/suivi/export.xlsx?year=2026").data[:2] == b"PK"
    # the export follows the view on the page: "sans stage" leaves out who has one
    make.user("student", last_name="Cherche")
    make.user("student", last_name="Apprentie", track="apprentice")
    without = text(b.get("/stages/suivi/export.csv?year=2026&view=sans-stage"))
    assert "Cherche" in without and "Exporté" not in without
    assert "Apprentie" in without and "Alternance" in without  # always listed, apart


def test_new_internship_prefilled_from_an_offer(as_role, make, year_2026):
    offer = make.offer(title="Archiviste junior")
    b = as_role("student")
    page = text(b.get(f"/stages/nouveau?offer={offer.id}"))
    assert 'value="Archiviste junior"' in page


def test_student_sees_their_progress_on_the_home_page(as_role, make, year_2026):
    b = as_role("student")
    assert "En recherche" in text(b.get("/")) and "J’ai trouvé mon stage" in text(b.get("/"))
    _internship(make, student=b.user, subject="Archives notariales")
    page = text(b.get("/"))
    assert "Stage trouvé" in page and "Archives notariales" in page


def test_cohort_is_paginated(as_role, make, year_2026):
    for n in range(55):
        make.user("student", last_name=f"Promo{n:02d}")
    b = as_role("secretariat")
    first = text(b.get("/stages/suivi?year=2026"))
    assert "Promo00" in first and "Promo54" not in first
    assert "En recherche" in first and ">55<" in first  # the count covers everyone
    second = text(b.get("/stages/suivi?year=2026&page=2", htmx=True))
    assert "Promo54" in second and "Promo00" not in second


def test_cohort_stage_in_sql_agrees_with_stage_of_in_every_case(make, year_2026, db):
    """The follow-up classifies in SQL; each case of ``stage_of`` gives the same stage."""
    from datetime import datetime, time

    from app.applications.models import Application
    from app.conventions.models import Convention
    from app.defenses.models import Defense, DefenseSession
    from app.files.models import StoredFile

    teacher = make.user("teacher")
    session = DefenseSession(academic_year_id=year_2026.id, day=date(2027, 7, 1), room="B12",
                             start_time=time(9), end_time=time(12), slot_minutes=30)
    db.session.add(session)
    cv = StoredFile(filename="cv.pdf", content_type="application/pdf", size=3, sha256="0" * 64,
                    data=b"%PD")
    db.session.add(cv)
    db.session.flush()

    def student_with(convention=None, status=None, defense=None, applied=None, cancelled=False):
        student = make.user("student")
        internship = None
        if convention or status or defense or cancelled:
            internship = _internship(make, student=student)
            if status:
                internship.status = status
            if cancelled:
                internship.status = "cancelled"
            if convention:
                db.session.add(Convention(internship=internship, status=convention))
            if defense:
                db.session.add(Defense(internship=internship, session=session,
                                       starts_at=defense[0], published=defense[1],
                                       tutor_id=teacher.id, second_teacher_id=teacher.id))
        if applied:
            db.session.add(Application(offer_id=make.offer().id, student_id=student.id,
                                       message="m", cv_id=cv.id, status=applied))
        return student

    students = [
        student_with(),
        student_with(applied="sent"),
        student_with(applied="refused"),
        student_with(applied="accepted", cancelled=True),
        student_with(status="planned"),
        student_with(convention="submitted"),
        student_with(convention="validated"),
        student_with(convention="cancelled"),
        student_with(convention="signed"),
        student_with(convention="signed", status="finished"),
        student_with(status="finished"),
        student_with(convention="signed", defense=(datetime(2027, 7, 1, 9, 30), True)),
        student_with(convention="signed", defense=(datetime(2027, 7, 1, 9, 30), False)),
        student_with(convention="signed", defense=(datetime(2027, 7, 2, 9, 0), True)),
        student_with(convention="ended_early", status="ended_early"),
    ]
    # ended early, then a new internship at another host: the new one is the student's stage
    again = student_with(convention="ended_early", status="ended_early")
    services.of_student(again)[0].end_date = date(2027, 4, 30)
    db.session.flush()
    _internship(make, student=again, start_date=date(2027, 5, 10), end_date=date(2027, 8, 1))
    students.append(again)
    db.session.commit()
    # before, during and after the internship (April 8 – June 30), the day of a defence
    for today in (date(2027, 3, 1), date(2027, 4, 8), date(2027, 5, 20), date(2027, 6, 30),
                  date(2027, 7, 1), date(2027, 9, 1)):
        rows = {r.student.id: r.stage for r in services.cohort_rows(year_2026, today)}
        counts = services.cohort_counts(year_2026, today)
        applied = {s.id for s in students if any(
            a.status in ("sent", "interview", "accepted") for a in db.session.query(
                Application).filter_by(student_id=s.id))}
        expected = {}
        for s in students:
            current = next((i for i in services.of_student(s) if i.status != "cancelled"), None)
            expected[s.id] = services.stage_of(current, today, s.id in applied)
        assert rows == expected, today
        assert sum(counts.values()) == len(students)
        assert counts == {code: list(expected.values()).count(code) for code in services.STAGES}
    # the day of the defence, all the stages show up at least once over the year
    seen = {services.stage_of(None, date(2027, 1, 1))}
    for today in (date(2027, 3, 1), date(2027, 5, 20), date(2027, 7, 1)):
        seen |= {r.stage for r in services.cohort_rows(year_2026, today)}
    assert seen == set(services.STAGES)


def test_cohort_lists_its_first_apprentices_and_counts_them_all(as_role, make, db):
    for n in range(53):
        make.user("student", last_name=f"Alterne{n:02d}", cohort="BUT3", track="apprentice")
    page = text(as_role("secretariat").get("/stages/suivi"))
    assert '<strong>53</strong><span>Alternant·es (à part)' in page
    assert "Alterne49" in page and "Alterne50" not in page
    assert "… et 3 autres :" in page and 'href="/alternants"' in page
    lines = text(as_role("secretariat").get("/stages/suivi/export.csv")).splitlines()
    assert sum("Alternance" in line for line in lines) == 53  # the export keeps them all


def test_a_student_proposes_a_missing_host_from_the_internship_form(as_role, make, db,
                                                                   year_2026):
    from app.hosts.models import Host
    from app.notifications.models import Notification

    desk = as_role("secretariat")
    b = as_role("student", cohort="BUT3")
    form = {"subject": "Inventaire", "start_date": "2027-04-08", "end_date": "2027-06-30",
            "weekly_hours": "35", "zone": "metropole", "agreed_unit": "month",
            "work_days": ["mon", "tue", "wed", "thu", "fri"]}
    # neither chosen nor proposed: the message says how to go on, what was typed is kept
    resp = b.post("/stages/nouveau", form)
    assert "proposez-le ci-dessous s’il n’y est pas" in text(resp)
    assert 'value="Inventaire"' in text(resp)
    # a name without its city
    resp = b.post("/stages/nouveau", {**form, "new_host_name": "Archives de l’abbaye"})
    assert "Indiquez la ville de l’organisme." in text(resp)
    # a bad internship with a proposed host writes neither
    resp = b.post("/stages/nouveau", {**form, "end_date": "2027-04-20",
                                      "new_host_name": "Archives de l’abbaye",
                                      "new_host_city": "Cluny"})
    assert "il doit durer de 12 à 16 semaines" in text(resp)
    assert db.session.query(Host).filter_by(name="Archives de l’abbaye").count() == 0
    resp = b.post("/stages/nouveau", {**form, "new_host_name": "Archives de l’abbaye",
                                      "new_host_city": "Cluny"})
    assert resp.status_code == 303
    host = db.session.query(Host).filter_by(name="Archives de l’abbaye").one()
    assert not host.checked and host.proposed_by_id == b.user.id
    internship = db.session.query(Internship).filter_by(student_id=b.user.id).one()
    assert internship.host_id == host.id
    assert db.session.query(Notification).filter(
        Notification.user_id == desk.user.id,
        Notification.message.contains("Archives de l’abbaye")).count() == 1
    # the secretariat checks it from the host's page
    assert "Fiche vérifiée" in text(desk.get(f"/organismes/{host.id}"))
    desk.post(f"/organismes/{host.id}/verifie")
    db.session.refresh(host)
    assert host.checked
    assert b.post(f"/organismes/{host.id}/verifie").status_code == 403


def test_the_internship_has_its_own_domain_prefilled_from_the_offer(as_role, make, db,
                                                                    year_2026):
    host = make.host(name="Archives de Lyon")
    offer = make.offer(host=host, domain="data")
    b = as_role("student", cohort="BUT3", track="initial")
    prefilled = text(b.get(f"/stages/nouveau?offer={offer.id}"))
    assert '<option selected value="data">Données</option>' in prefilled
    # a value not in the list comes back next to the field, what was typed kept
    refused = text(_post(b, "/stages/nouveau", {**VALID, "host_id": host.id,
                                                "domain": "astrologie"}))
    assert "Choisissez un domaine de la liste." in refused
    assert "Inventaire du fonds Dupont" in refused
    assert db.session.query(Internship).count() == 0
    resp = _post(b, "/stages/nouveau", {**VALID, "host_id": host.id, "domain": "archives"})
    assert resp.status_code == 303, text(resp)[:2000]
    internship = db.session.query(Internship).one()
    assert internship.domain == "archives"
    edit = text(b.get(f"/stages/{internship.id}/modifier"))
    assert '<option selected value="archives">Archives</option>' in edit
    resp = _post(b, f"/stages/{internship.id}/modifier",
                 {**VALID, "host_id": host.id, "domain": "documentation",
                  "version": internship.version_id})
    assert resp.status_code == 303, text(resp)[:2000]
    db.session.refresh(internship)
    assert internship.domain == "documentation"
