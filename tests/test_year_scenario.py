"""A whole academic year through HTTP, with the clock moved step by step (time-machine).

A small cohort of 2026-2027 — three BUT3 students on the initial track and an apprentice —,
two teachers (one the coordinator), the secretariat, and the host tutors through their
emailed link, from the offers of November to the defences, evaluations and attestations of
September and the next October. At each step it checks what each person sees on their home
page, the notifications they received, and that no student is lost: every active BUT3
initial-track student has exactly one stage in the cohort follow-up, the apprentice apart.
"""
from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import time_machine

from app.applications.models import Application
from app.conventions.models import MANUAL_ITEMS, SIGNATORIES, Convention
from app.defenses.models import Defense, DefenseSession
from app.evaluations.models import Evaluation
from app.extensions import db
from app.internships.models import Internship
from app.notifications.models import Notification
from app.offers.models import Offer
from tests.conftest import PDF, Browser, login, text

OFFER = {"domain": "archives", "description": "Un stage au sein du service.",
         "country": "France", "duration_weeks": "12", "weekly_hours": "35",
         "gratification_monthly": "700", "deadline": "2027-03-01"}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


@contextmanager
def at(day: date, hour: int = 10):
    with time_machine.travel(datetime(day.year, day.month, day.day, hour,
                                      tzinfo=UTC), tick=False):
        yield


_logged_in: dict = {}


def browser(app, user) -> Browser:
    """``user``'s browser, logged in anew on each day of the scenario, as people do (one
    login a day: the login rate limit stays out of the way)."""
    key = (user.id, date.today())
    if key not in _logged_in:
        c = app.test_client()
        login(c, user)
        _logged_in[key] = Browser(c, user)
    return _logged_in[key]


def told(user) -> list[str]:
    db.session.expire_all()
    return [n.message for n in db.session.query(Notification).filter_by(user_id=user.id)
            .order_by(Notification.id)]


def heard(user, *fragments) -> None:
    messages = told(user)
    for fragment in fragments:
        assert any(fragment in m for m in messages), (user.full_name, fragment, messages)


def internship_form(i: Internship | None = None, **kw) -> dict:
    data = {"subject": "Inventaire du fonds", "start_date": "2027-04-12",
            "end_date": "2027-07-02", "weekly_hours": "35", "work_days": WEEKDAYS,
            "zone": "metropole", "country": "France", "agreed_amount": "700",
            "agreed_unit": "month", "missions": "Inventaire et indexation",
            "skills": "Description archivistique", "host_tutor_name": "Jeanne Roy",
            "objectives": "Décrire 40 boîtes avant le 15 juin\n\nPrésenter un bilan en juillet"}
    if i is not None:
        data.update(subject=i.subject, start_date=i.start_date.isoformat(),
                    end_date=i.end_date.isoformat(), host_id=i.host_id, version=i.version_id)
    data.update(kw)
    return data


def errors(resp) -> str:
    """The messages of a refused form, for a failing assertion."""
    body = text(resp)
    found = re.findall(r'<(?:small|p|li|div)[^>]*(?:error|invalid|alert)[^>]*>(.*?)</', body, re.S)
    return " | ".join(m.strip() for m in found if m.strip()) or body[-3000:]


def fresh(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def follow_up(staff: Browser, year: int = 2026) -> tuple[dict[str, int], str]:
    """The cohort follow-up page as the secretariat reads it: each stage's count, and the
    list of apprentices below it."""
    page = text(staff.get(f"/stages/suivi?year={year}"))
    shown = {label: int(n) for n, label in re.findall(
        r'<div class="stat"><strong>(\d+)</strong><span>([^<]+)</span>', page)}
    return shown, page.split("<h2>Alternant·es</h2>", 1)[1]


def no_student_lost(year, today, initial, apprentice, expected: dict[str, int] | None = None,
                    staff: Browser | None = None):
    from app.internships import services as internships

    counts = internships.cohort_counts(year, today)
    if staff is not None:   # the page says the same, the apprentice apart
        shown, apprentices = follow_up(staff, year.start_year)
        assert shown == {**{internships.STAGES[k]: n for k, n in counts.items()},
                         "Alternant·es (à part)": 1}, shown
        assert apprentice.last_name in apprentices
        assert all(s.last_name not in apprentices for s in initial)
    assert sum(counts.values()) == len(initial), counts
    if expected:
        assert {k: v for k, v in counts.items() if v} == expected, counts
    # each student in exactly one stage: filtering by name finds each once
    for s in initial:
        one = internships.cohort_counts(year, today, q=s.last_name)
        assert sum(one.values()) == 1, (s.last_name, one)
    assert sum(internships.cohort_counts(year, today, q=apprentice.last_name).values()) == 0
    rows, total = internships.cohort_apprentices(q=apprentice.last_name, limit=10)
    assert total == 1


def test_a_year_from_the_offers_to_the_next_october(app, make, smtp):
    from app.years import services as years

    _logged_in.clear()
    # ---------------------------------------------------------------- the people
    with at(date(2026, 11, 2)):
        years.ensure_default_rates()
        desk = make.user("secretariat", first_name="Claire", last_name="Martin",
                         email="secretariat@test-iut.fr")
        coord = make.user("teacher", first_name="Paul", last_name="Coordinateur")
        coord.is_coordinator = True
        tutor = make.user("teacher", first_name="Valérie", last_name="Arnaud")
        alice = make.user("student", first_name="Alice", last_name="Aubert")
        bruno = make.user("student", first_name="Bruno", last_name="Berger")
        chloe = make.user("student", first_name="Chloé", last_name="Caron")
        axel = make.user("student", first_name="Axel", last_name="Alternant", track="apprentice")
        initial = [alice, bruno, chloe]
        hosts = [make.host(name=n, headcount=50) for n in (
            "Archives de Lyon", "Bibliothèque de Grenoble", "Musée de Valence",
            "Archives de Savoie")]
        db.session.commit()

    # ---------------------------------------------------------------- November
    with at(date(2026, 11, 16)):
        s = browser(app, desk)
        assert s.post("/annees/nouvelle", {"start_year": "2026", "min_weeks": "12",
                                           "max_weeks": "16", "tutee_limit": "16"}
                      ).status_code == 303
        year = years.year_for(date.today())
        offers = []
        for host, title, start in ((hosts[0], "Inventaire des plans", "2027-04-12"),
                                   (hosts[1], "Données de la recherche", "2027-04-12")):
            resp = s.post("/offres/nouvelle", {**OFFER, "title": title, "host_id": host.id,
                                               "city": host.city, "start_date": start})
            assert resp.status_code == 303, text(resp)[:2000]
            offer = db.session.query(Offer).filter_by(title=title).one()
            s.post(f"/offres/{offer.id}/statut", {"status": "published",
                                                  "version": offer.version_id})
            assert fresh(Offer, offer.id).status == "published"
            offers.append(offer)
        home = text(s.get("/"))
        assert "Conventions 2026-2027" in home and "3 étudiant·es de BUT3 sans stage" in home

        a, b = browser(app, alice), browser(app, bruno)
        home = text(a.get("/"))
        assert "En recherche" in home and "Trouver votre stage" in home
        assert "Inventaire des plans" in home          # the latest offers
        assert "Vous êtes en alternance" in text(browser(app, axel).get("/"))
        for student, offer in ((a, offers[0]), (b, offers[1])):
            resp = student.client.post(f"/offres/{offer.id}/candidater", data={
                "csrf_token": student.token, "message": "Très motivé·e par ce stage.",
                "cv": (io.BytesIO(PDF), "cv.pdf")}, content_type="multipart/form-data")
            assert resp.status_code == 303, text(resp)[:2000]
        assert "Suivre vos candidatures" in text(a.get("/"))
        heard(desk, "Nouvelle candidature de Alice Aubert", "Nouvelle candidature de Bruno")
        assert any("Nouvelle candidature" in m["subject"]
                   for m in smtp.to("secretariat@test-iut.fr"))
        no_student_lost(year, date.today(), initial, axel, {"applied": 2, "searching": 1},
                        staff=browser(app, desk))

    # ---------------------------------------------------------------- December
    with at(date(2026, 12, 7)):
        s = browser(app, desk)
        for app_ in db.session.query(Application).order_by(Application.id):
            resp = s.post(f"/candidatures/{app_.id}/statut", {"status": "accepted",
                                                              "version": app_.version_id})
            assert resp.status_code == 303
        heard(alice, "Votre candidature à « Inventaire des plans » (Archives de Lyon) est "
                     "maintenant : acceptée.")
        heard(bruno, "Votre candidature à « Données de la recherche »")
        ia = db.session.query(Internship).filter_by(student_id=alice.id).one()
        ib = db.session.query(Internship).filter_by(student_id=bruno.id).one()
        # the interns complete their internship's record: tutor, missions, objectives
        a, b, c = browser(app, alice), browser(app, bruno), browser(app, chloe)
        for br, i, n in ((a, ia, 1), (b, ib, 2)):
            resp = br.post(f"/stages/{i.id}/modifier", internship_form(
                i, host_tutor_email=f"tuteur{n}@example.org"))
            assert resp.status_code == 303, errors(resp)
        # Chloé found her internship without an offer: she declares it
        resp = c.post("/stages/nouveau", internship_form(
            host_id=hosts[2].id, subject="Médiation numérique", start_date="2027-04-19",
            end_date="2027-07-16", host_tutor_email="tuteur3@example.org"))
        assert resp.status_code == 303, errors(resp)
        ic = db.session.query(Internship).filter_by(student_id=chloe.id).one()
        home = text(a.get("/"))
        assert "Stage trouvé" in home and "Préparer votre convention" in home
        assert "Archives de Lyon" in home
        no_student_lost(year, date.today(), initial, axel, {"found": 3},
                        staff=browser(app, desk))
        assert "Chaque étudiant·e de BUT3 a son stage." in text(s.get("/"))

    # ---------------------------------------------------------------- January
    with at(date(2027, 1, 11)):
        conventions = {}
        for student, i in ((alice, ia), (bruno, ib), (chloe, ic)):
            br = browser(app, student)
            assert br.post(f"/conventions/depuis-le-stage/{i.id}").status_code == 303
            conv = db.session.query(Convention).filter_by(internship_id=i.id).one()
            assert "Compléter et soumettre votre convention" in text(br.get("/"))
            br.post(f"/conventions/{conv.id}/mentions", {
                "leave_conditions": "Deux jours par mois", "version": conv.version_id})
            conv = fresh(Convention, conv.id)
            assert br.post(f"/conventions/{conv.id}/action/submit",
                           {"version": conv.version_id}).status_code == 303
            assert fresh(Convention, conv.id).status == "submitted"
            assert "Convention en vérification" in text(br.get("/"))
            conventions[student.last_name] = conv.id
        heard(desk, "Convention d’Alice Aubert soumise", "Convention de Chloé Caron soumise")
        no_student_lost(year, date.today(), initial, axel, {"convention": 3},
                        staff=browser(app, desk))

        # the coordinator sees who waits for a tutor and assigns them
        k = browser(app, coord)
        home = text(k.get("/"))
        assert "attendent leur enseignant·e référent·e" in home, home[home.find("Tutorat"):][:400]
        for student, teacher in ((alice, tutor), (bruno, tutor), (chloe, coord), (axel, tutor)):
            resp = k.post("/tutorat/affecter", {"student_id": student.id,
                                                "teacher_id": teacher.id})
            assert resp.status_code in (200, 303), text(resp)[:1000]
        assert "Chaque étudiant·e a son enseignant·e référent·e." in text(k.get("/"))
        heard(alice, "Votre enseignant·e référent·e pour 2026-2027 est Valérie Arnaud")
        heard(axel, "Votre enseignant·e référent·e pour 2026-2027 est Valérie Arnaud")
        heard(tutor, "Alice Aubert", "Bruno Berger")
        assert "Valérie Arnaud" in text(browser(app, alice).get("/"))

        # the tutor sees the approvals to give on her home page and gives them
        t = browser(app, tutor)
        home = text(t.get("/"))
        assert "Accords pédagogiques à donner" in home
        assert "Alice Aubert" in home and "Bruno Berger" in home and "Chloé" not in home
        for name, teacher in (("Aubert", t), ("Berger", t), ("Caron", k)):
            conv = fresh(Convention, conventions[name])
            resp = teacher.post(f"/conventions/{conv.id}/action/approve",
                                {"version": conv.version_id})
            assert resp.status_code == 303
            assert fresh(Convention, conv.id).approved_by_id == teacher.user.id
        assert "Accords pédagogiques à donner" not in text(t.get("/"))
        heard(alice, "Valérie Arnaud a donné son accord pédagogique")

        # the secretariat: the programme's hours, the mentions, validation, signatures
        s = browser(app, desk)
        home = text(s.get("/"))
        assert "Les plus anciennes à vérifier" in home and "Alice Aubert" in home
        conv = fresh(Convention, conventions["Aubert"])
        resp = s.post(f"/conventions/{conv.id}/action/validate", {"version": conv.version_id},
                      follow_redirects=True)
        assert "Validation impossible" in text(resp) and "Années et taux" in text(resp)
        y = fresh(type(year), year.id)
        assert s.post(f"/annees/{y.id}/modifier", {
            "start_year": "2026", "earliest_start": "2027-04-08", "min_weeks": "12",
            "max_weeks": "16", "tutee_limit": "16", "programme_hours": "1800",
            "defense_gap_days": "0", "version": y.version_id}).status_code == 303
        for name in conventions:
            cid = conventions[name]
            for item in MANUAL_ITEMS:
                s.post(f"/conventions/{cid}/verifier/{item}", {"checked": "1"}, htmx=True)
            conv = fresh(Convention, cid)
            resp = s.post(f"/conventions/{cid}/action/validate", {"version": conv.version_id},
                          follow_redirects=True)
            assert fresh(Convention, cid).status == "validated", text(resp)[:3000]
        heard(alice, "Convention d’Alice Aubert validée")
        for name in ("Aubert", "Caron"):
            cid = conventions[name]
            for party in SIGNATORIES:
                conv = fresh(Convention, cid)
                resp = s.post(f"/conventions/{cid}/signature/{party}", {
                    "signed_on": "2027-01-11", "version": conv.version_id})
                assert resp.status_code == 303
            assert fresh(Convention, cid).status == "signed"
        # the student is told that the convention is signed, the secretariat's desk counts it
        heard(alice, "La convention d’Alice Aubert est signée par toutes les parties")
        heard(tutor, "La convention d’Alice Aubert est signée")
        assert told(chloe)[-1].startswith("La convention de Chloé Caron est signée")
        home = text(browser(app, alice).get("/"))
        assert "Convention signée" in home and "Votre stage commence le 12 avril 2027" in home

        # an avenant: Alice's internship is extended by two weeks
        conv = fresh(Convention, conventions["Aubert"])
        resp = s.post(f"/conventions/{conv.id}/avenant", {
            "kind": "dates", "reason": "Prolongation du projet", "start_date": "2027-04-12",
            "end_date": "2027-07-16", "version": conv.version_id})
        assert resp.status_code == 303, text(resp)[:2000]
        assert fresh(Internship, ia.id).end_date == date(2027, 7, 16)
        assert "Prolongation du projet" in text(s.get(f"/conventions/{conv.id}"))
        heard(alice, "Avenant n° 1 à la convention d’Alice Aubert")
        assert any("Avenant n° 1" in m["subject"] for m in smtp.to("tuteur1@example.org"))
        # what each person received is on their notifications page too
        page = text(browser(app, alice).get("/notifications/"))
        assert "Avenant n° 1" in page and "est signée par toutes les parties" in page

        # Bruno's host withdraws: his convention is cancelled, he declares another internship
        conv = fresh(Convention, conventions["Berger"])
        resp = s.post(f"/conventions/{conv.id}/action/cancel", {
            "version": conv.version_id, "comment": "L’organisme renonce au stage"})
        assert fresh(Convention, conv.id).status == "cancelled"
        heard(bruno, "La convention de Bruno Berger est annulée")
        heard(tutor, "La convention de Bruno Berger est annulée")
        assert any("annulée" in m["subject"] for m in smtp.to("tuteur2@example.org"))
        b = browser(app, bruno)
        assert "J’ai trouvé mon stage" in text(b.get("/"))
        no_student_lost(year, date.today(), initial, axel,
                        {"signed": 2, "applied": 1},   # his application was accepted
                        staff=browser(app, desk))
        resp = b.post("/stages/nouveau", internship_form(
            host_id=hosts[3].id, subject="Archives orales", start_date="2027-04-26",
            end_date="2027-07-23", host_tutor_email="tuteur4@example.org"))
        assert resp.status_code == 303, errors(resp)
        ib = db.session.query(Internship).filter_by(student_id=bruno.id,
                                                    status="planned").one()
        no_student_lost(year, date.today(), initial, axel, {"signed": 2, "found": 1},
                        staff=browser(app, desk))

    with at(date(2027, 2, 8)):
        b = browser(app, bruno)
        assert b.post(f"/conventions/depuis-le-stage/{ib.id}").status_code == 303
        conv = db.session.query(Convention).filter_by(internship_id=ib.id).one()
        assert conv.academic_tutor_id == tutor.id    # the tutor of the year stays
        b.post(f"/conventions/{conv.id}/mentions", {"leave_conditions": "Deux jours par mois",
                                                    "version": conv.version_id})
        b.post(f"/conventions/{conv.id}/action/submit",
               {"version": fresh(Convention, conv.id).version_id})
        t = browser(app, tutor)
        assert "Convention de Bruno Berger" in text(t.get("/"))
        t.post(f"/conventions/{conv.id}/action/approve",
               {"version": fresh(Convention, conv.id).version_id})
        s = browser(app, desk)
        for item in MANUAL_ITEMS:
            s.post(f"/conventions/{conv.id}/verifier/{item}", {"checked": "1"}, htmx=True)
        s.post(f"/conventions/{conv.id}/action/validate",
               {"version": fresh(Convention, conv.id).version_id})
        for party in SIGNATORIES:
            s.post(f"/conventions/{conv.id}/signature/{party}", {
                "signed_on": "2027-02-08", "version": fresh(Convention, conv.id).version_id})
        assert fresh(Convention, conv.id).status == "signed"
        conventions["Berger"] = conv.id
        heard(bruno, "La convention de Bruno Berger est signée")
        home = text(s.get("/"))
        assert "Chaque étudiant·e de BUT3 a son stage." in home
        no_student_lost(year, date.today(), initial, axel, {"signed": 3},
                        staff=browser(app, desk))

    # ---------------------------------------------------------------- April–July
    for day, i in ((date(2027, 4, 12), ia), (date(2027, 4, 19), ic), (date(2027, 4, 26), ib)):
        with at(day):
            s = browser(app, desk)
            resp = s.post(f"/stages/{i.id}/commence", follow_redirects=True)
            assert "Début du stage enregistré." in text(resp)
            assert fresh(Internship, i.id).status == "in_progress"
    with at(date(2027, 5, 3)):
        a = browser(app, alice)
        home = text(a.get("/"))
        assert "Stage en cours" in home and "Semaine 4 sur 14" in home
        resp = a.post(f"/stages/{ia.id}/absences", {"start_date": "2027-05-03",
                                                    "end_date": "2027-05-04",
                                                    "reason": "Maladie"}, htmx=True)
        assert resp.status_code == 200 and "Maladie" in text(resp)
        t = browser(app, tutor)
        home = text(t.get("/"))
        assert "Mes tutoré·es" in home and "Alice Aubert" in home and "Bruno Berger" in home
        no_student_lost(year, date.today(), initial, axel, {"in_progress": 3},
                        staff=browser(app, desk))

    # ---------------------------------------------------------------- June: defence days
    with at(date(2027, 6, 10)):
        s = browser(app, desk)
        for day, start, end in (("2027-06-28", "09:00", "12:00"),   # before the ends
                                ("2027-09-06", "09:00", "10:00"),   # two slots
                                ("2027-09-28", "09:00", "10:00")):
            resp = s.post("/soutenances/journees", {
                "day": day, "room": "B204", "start_time": start, "end_time": end,
                "slot_minutes": "30", "year": "2026"})
            assert resp.status_code == 303, text(resp)[:2000]
        s.post("/soutenances/proposer", {"year": "2026"})
        placed = {d.internship.student.last_name: d.starts_at.date()
                  for d in db.session.query(Defense)}
        assert len(placed) == 3, placed
        # nobody defends before their internship has ended
        assert all(day >= date(2027, 9, 6) for day in placed.values()), placed
        first_day = db.session.query(Defense).filter(
            Defense.starts_at < datetime(2027, 9, 7)).first()
        june = db.session.query(DefenseSession).filter_by(day=date(2027, 6, 28)).one()
        resp = s.post(f"/soutenances/{first_day.id}/deplacer", {
            "slot": f"{june.id}|2027-06-28T09:00",
            "second_teacher_id": first_day.second_teacher_id,
            "version": first_day.version_id}, htmx=True)
        assert "Déplacement impossible" in text(resp)
        assert fresh(Defense, first_day.id).starts_at.date() >= date(2027, 9, 6)
        s.post("/soutenances/publier", {"year": "2026"})
        assert db.session.query(Defense).filter_by(published=True).count() == 3
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2026-2027" in page and "Alice Aubert" in page
        for student in initial:
            heard(student, "Soutenance")
        home = text(browser(app, tutor).get("/"))
        assert "Mes prochaines soutenances" in home
        late = next(name for name, day in placed.items() if day == date(2027, 9, 28))

    # ---------------------------------------------------------------- end of the internships
    with at(date(2027, 7, 26)):
        home = text(browser(app, alice).get("/"))
        assert "Terminé" in home and "Après le stage" in home
        no_student_lost(year, date.today(), initial, axel, {"finished": 3},
                        staff=browser(app, desk))

    # ---------------------------------------------------------------- September
    with at(date(2027, 9, 1)):
        # 1 September: the new year has begun, the running one stays on every page of its work
        s = browser(app, desk)
        assert "Soutenances — 2026-2027" in text(s.get("/soutenances/"))
        resp = s.post("/evaluations/ouvrir", follow_redirects=True)
        assert "6 évaluations ouvertes" in text(resp)   # host and student, each
        heard(alice, "évaluez l’organisme qui vous a accueilli·e")
        link = re.search(r"http://[^\s]+/evaluations/lien/[^\s]+",
                         smtp.to("tuteur1@example.org")[-1]["body"]).group(0)
        path = link.split("localhost", 1)[1]
        host = app.test_client()
        page = text(host.get(path))
        assert "Décrire 40 boîtes" in page
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        objectives = fresh(Internship, ia.id).objectives
        ratings = {f"objective-{o.id}": "reached" for o in objectives}
        resp = host.post(path, data={"csrf_token": token, "appreciation": "Très bon travail",
                                     **ratings})
        assert "Merci" in text(resp)
        heard(alice, "Archives de Lyon a évalué votre stage")
        a = browser(app, alice)
        mine = db.session.query(Evaluation).filter_by(internship_id=ia.id,
                                                      kind="student_host").one()
        a.post(f"/evaluations/{mine.id}", {**ratings, "welcome": "Accueil chaleureux",
                                           "supervision": "Présente", "recommend": "Oui"})
        assert fresh(Evaluation, mine.id).submitted_at is not None
        # the defence's evaluation is not open before the defence
        assert not db.session.query(Evaluation).filter_by(kind="academic_tutor").count()

    with at(date(2027, 9, 6), hour=14):
        s = browser(app, desk)
        s.post("/evaluations/ouvrir")
        held = [d for d in db.session.query(Defense) if d.starts_at.date() == date(2027, 9, 6)]
        assert len(held) == 2
        for d in held:
            heard(d.tutor, "L’évaluation de la soutenance de")
        assert placed["Aubert"] == date(2027, 9, 6)     # the first to end, the first day
        e = db.session.query(Evaluation).filter_by(internship_id=ia.id,
                                                   kind="academic_tutor").one()
        t = browser(app, tutor)
        home = text(t.get("/"))
        assert "Évaluations à rédiger" in home and f"/evaluations/{e.id}" in home
        t.post(f"/evaluations/{e.id}", {**ratings, "defense": "Claire et précise",
                                        "grade": "16"})
        assert fresh(Evaluation, e.id).submitted_at is not None
        assert f"/evaluations/{e.id}" not in text(t.get("/"))
        assert t.get(f"/evaluations/{e.id}").status_code == 200   # she reads it back
        # the attestation of a signed, ended internship
        pdf = s.get(f"/stages/{ia.id}/attestation.pdf")
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
        home = text(browser(app, alice).get("/"))
        assert "Soutenu" in home and "Partagez votre retour" in home

    with at(date(2027, 9, 25)):
        # one defence is still to come: the defences and tutees stay on 2026-2027
        s = browser(app, desk)
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2026-2027" in page and late in page
        assert "Pas encore de planning" not in page
        assert '<option value="2027"' in page
        t = browser(app, tutor)
        assert "Mes tutoré·es — 2026-2027" in text(t.get("/tutorat/mes-tutores"))
        assert "Mes tutoré·es" in text(t.get("/")) and "Alice Aubert" in text(t.get("/"))
        assert "2026-2027 (en cours)" in text(s.get("/evaluations/"))
        no_student_lost(year, date.today(), initial, axel,
                        staff=browser(app, desk))

    with at(date(2027, 9, 28), hour=14):
        s = browser(app, desk)
        s.post("/evaluations/ouvrir")
        for e in db.session.query(Evaluation).filter_by(submitted_at=None):
            i = e.internship
            ratings = {f"objective-{o.id}": "reached" for o in i.objectives}
            if e.kind == "host_tutor":   # each host tutor through their own link
                body = smtp.to(i.host_tutor_email)[-1]["body"]
                path = re.search(r"http://[^\s]+/evaluations/lien/[^\s]+",
                                 body).group(0).split("localhost", 1)[1]
                host = app.test_client()
                token = re.search(r'name="csrf_token" value="([^"]+)"',
                                  text(host.get(path))).group(1)
                resp = host.post(path, data={"csrf_token": token, "appreciation": "Bien",
                                             **ratings})
                assert "Merci" in text(resp)
                continue
            who = i.student if e.kind == "student_host" else i.defense.tutor
            br = browser(app, who)
            resp = br.post(f"/evaluations/{e.id}", {
                **ratings, "welcome": "Bien", "defense": "Bien", "grade": "14"})
            assert fresh(Evaluation, e.id).submitted_at is not None, text(resp)[:2000]
        assert not db.session.query(Evaluation).filter_by(submitted_at=None).count()
        assert db.session.query(Evaluation).count() == 9

    # ---------------------------------------------------------------- the next October
    with at(date(2027, 10, 5)):
        s = browser(app, desk)
        page = text(s.get("/soutenances/"))
        assert "Soutenances — 2027-2028" in page
        assert "Alice Aubert" in text(s.get("/soutenances/?year=2026"))
        t = browser(app, tutor)
        assert "Mes tutoré·es — 2027-2028" in text(t.get("/tutorat/mes-tutores"))
        old = text(t.get("/tutorat/mes-tutores?year=2026"))
        assert "Aubert" in old, old[old.find("<main"):][:3000]
        assert "2027-2028" in text(s.get("/stages/suivi"))
        old = text(s.get("/stages/suivi?year=2026"))
        assert "Alice Aubert" in old or "Aubert" in old
        no_student_lost(year, date.today(), initial, axel, {"defended": 3},
                        staff=browser(app, desk))
        pdf = s.get(f"/stages/{ib.id}/attestation.pdf")
        assert pdf.data.startswith(b"%PDF")
