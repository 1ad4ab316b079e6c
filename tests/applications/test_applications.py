import io
from datetime import date, timedelta

import pytest

from app.applications.models import Application, ApplicationEvent
from app.files.models import StoredFile
from app.internships.models import Internship
from app.notifications.models import Notification
from tests.conftest import text


def _apply(b, offer, pdf, message="Je suis très motivée par ce stage.", name="cv.pdf",
           **extra):
    return b.client.post(f"/offres/{offer.id}/candidater", data={
        "csrf_token": b.token, "message": message, "cv": (io.BytesIO(pdf), name), **extra},
        content_type="multipart/form-data")


def test_student_applies_and_follows_the_application(as_role, make, db, pdf, smtp):
    staff = make.user("secretariat", email="secretariat@test-iut.fr")
    offer = make.offer(title="Archivage des plans", author=staff)
    b = as_role("student", first_name="Léa")
    page = text(b.get(f"/offres/{offer.id}"))
    assert "Candidater à cette offre" in page
    resp = _apply(b, offer, pdf)
    assert resp.status_code == 303
    application = db.session.query(Application).one()
    assert application.status == "sent" and application.cv.size == len(pdf)
    assert len(application.cv.sha256) == 64
    mine = text(b.get("/candidatures"))
    assert "Archivage des plans" in mine and "Envoyée" in mine
    # staff were told, in the intranet and by email
    assert db.session.query(Notification).filter_by(user_id=staff.id).count() == 1
    assert smtp.to("secretariat@test-iut.fr")
    assert "Nouvelle candidature" in smtp.to("secretariat@test-iut.fr")[0]["body"]
    # one application per offer
    again = text(b.get(f"/offres/{offer.id}"))
    assert "Vous avez candidaté le" in again
    resp = _apply(b, offer, pdf)
    assert "Vous avez déjà candidaté à cette offre" in text(resp)
    assert db.session.query(Application).count() == 1


@pytest.mark.parametrize("content, name, message", [
    (b"GIF89a not a pdf", "cv.pdf", "n’est pas un PDF valide"),
    (b"%PDF-1.4 truncated", "cv.pdf", "n’est pas un PDF valide"),
    (b"", "cv.pdf", "Le fichier est vide."),
])
def test_bad_cv_is_refused_and_nothing_stored(as_role, make, db, content, name, message):
    offer = make.offer()
    b = as_role("student")
    resp = _apply(b, offer, content, name=name)
    assert message in text(resp)
    assert db.session.query(Application).count() == 0
    assert db.session.query(StoredFile).count() == 0


def test_missing_cv_is_refused(as_role, make, db):
    b = as_role("student")
    offer = make.offer()
    resp = b.client.post(f"/offres/{offer.id}/candidater", data={
        "csrf_token": b.token, "message": "Motivée"}, content_type="multipart/form-data")
    assert "Joignez votre CV en PDF." in text(resp)
    assert db.session.query(Application).count() == 0


@pytest.mark.parametrize("megabytes", [5, 15])
def test_oversize_cv_is_refused(as_role, make, db, pdf, megabytes):
    offer = make.offer()
    b = as_role("student")
    big = pdf[:-7] + b" " * (megabytes * 1024 * 1024) + b"%%EOF\n"
    resp = _apply(b, offer, big, message="Ma lettre, à garder.")
    assert resp.status_code == 200
    assert "Le fichier dépasse 5 Mo." in text(resp)
    assert "Ma lettre, à garder." in text(resp)     # the letter is kept
    assert db.session.query(StoredFile).count() == 0


def test_path_like_file_name_is_cleaned(as_role, make, db, pdf):
    offer = make.offer()
    b = as_role("student")
    _apply(b, offer, pdf, name="../../etc/passwd.pdf")
    assert db.session.query(StoredFile).one().filename == "passwd.pdf"


def test_empty_message_is_refused(as_role, make, db, pdf):
    b = as_role("student")
    resp = _apply(b, make.offer(), pdf, message="   ")
    assert "Écrivez quelques lignes de motivation." in text(resp)
    assert db.session.query(Application).count() == 0


def test_apprentices_cannot_apply(as_role, make, db, pdf):
    offer = make.offer()
    b = as_role("student", track="apprentice")
    page = text(b.get(f"/offres/{offer.id}"))
    assert "Candidater à cette offre" not in page
    assert "Vous êtes en alternance" in page
    resp = _apply(b, offer, pdf)
    assert "Vous êtes en alternance" in text(resp)
    assert db.session.query(Application).count() == 0


def test_late_closed_and_archived_offers_refuse_applications(as_role, make, db, pdf):
    b = as_role("student")
    late = make.offer(deadline=date.today() - timedelta(days=1),
                      start_date=date.today() + timedelta(days=60))
    assert "La date limite de candidature" in text(_apply(b, late, pdf))
    closed = make.offer(status="closed")
    assert _apply(b, closed, pdf).status_code == 404  # students do not see closed offers
    assert db.session.query(Application).count() == 0


def test_staff_cannot_apply(as_role, make, pdf):
    b = as_role("teacher")
    assert _apply(b, make.offer(), pdf).status_code == 403


def _application(make, pdf, student=None, offer=None):

    from app.applications import services

    student = student or make.user("student")
    offer = offer or make.offer()
    return services.apply(student, offer, "Motivé.", pdf, "cv.pdf", date.today())


def test_access_matrix(as_role, make, pdf, db):
    owner = as_role("student")
    other = as_role("student")
    a = _application(make, pdf, student=owner.user)
    for url in (f"/candidatures/{a.id}", f"/candidatures/{a.id}/cv"):
        assert owner.get(url).status_code == 200
        assert other.get(url).status_code == 404
    assert owner.get(f"/candidatures/{a.id}/cv").data == pdf
    assert other.post(f"/candidatures/{a.id}/retirer", {"version": a.version_id}).status_code \
        == 404
    assert owner.post(f"/candidatures/{a.id}/statut", {"status": "accepted",
                                                       "version": a.version_id}).status_code \
        == 403
    assert other.get("/candidatures/export.csv").status_code == 403
    # need to know: a teacher follows the applications, the CV is for the student's tutor
    teacher = as_role("teacher")
    page = teacher.get(f"/candidatures/{a.id}")
    assert page.status_code == 200 and "/cv" not in text(page) and "Motivé." not in text(page)
    assert teacher.get(f"/candidatures/{a.id}/cv").status_code == 404
    assert as_role("secretariat").get(f"/candidatures/{a.id}/cv").data == pdf
    from app.tutoring.models import TutorAssignment
    from app.years import services as years

    year = years.current_year(date(2027, 4, 12))  # the year the offer starts in
    db.session.add(TutorAssignment(student_id=owner.user.id, teacher_id=teacher.user.id,
                                   academic_year_id=year.id))
    db.session.commit()
    assert teacher.get(f"/candidatures/{a.id}/cv").data == pdf
    assert "Motivé." in text(teacher.get(f"/candidatures/{a.id}"))
    db.session.refresh(a)
    assert a.status == "sent"


def test_status_changes_inline_with_history_counters_and_email(as_role, make, pdf, db, smtp):
    student = make.user("student", email="lea@test-iut.fr")
    a = _application(make, pdf, student=student)
    staff = as_role("secretariat")
    resp = staff.post(f"/candidatures/{a.id}/statut",
                      {"status": "interview", "comment": "Entretien mardi 10 h",
                       "version": a.version_id}, htmx=True)
    body = text(resp)
    assert f'id="application-{a.id}"' in body and "Entretien" in body
    assert 'id="application-counts" class="stat-grid" data-hx-swap-oob="true"' in body
    assert "<html" not in body
    db.session.refresh(a)
    assert a.status == "interview" and a.comment == "Entretien mardi 10 h"
    event = db.session.query(ApplicationEvent).filter_by(to_status="interview").one()
    assert (event.from_status, event.actor_id) == ("sent", staff.user.id)
    assert any("Entretien mardi 10 h" in m["body"] for m in smtp.to("lea@test-iut.fr"))
    assert db.session.query(Notification).filter_by(user_id=student.id).count() == 1


def test_stale_status_change_is_refused(as_role, make, pdf, db):
    a = _application(make, pdf)
    version = a.version_id
    alice, bob = as_role("secretariat"), as_role("teacher")
    alice.post(f"/candidatures/{a.id}/statut", {"status": "refused", "version": version},
               htmx=True)
    resp = bob.post(f"/candidatures/{a.id}/statut", {"status": "accepted", "version": version},
                    htmx=True)
    assert "Quelqu’un d’autre a modifié cette candidature" in text(resp)
    db.session.refresh(a)
    assert a.status == "refused"


def test_acceptance_starts_the_internship_and_prompts_to_withdraw_others(as_role, make, pdf,
                                                                         db):
    from app.years import services as years
    years.ensure_default_rates()
    b = as_role("student")
    first = _application(make, pdf, student=b.user, offer=make.offer(
        title="Stage retenu", start_date=date(2027, 4, 12), duration_weeks=14))
    second = _application(make, pdf, student=b.user)
    staff = as_role("secretariat")
    resp = staff.post(f"/candidatures/{first.id}/statut", {"status": "accepted",
                                                           "version": first.version_id})
    assert resp.status_code == 303
    internship = db.session.query(Internship).one()
    assert (internship.offer_id, internship.start_date) == (first.offer_id, date(2027, 4, 12))
    assert (internship.end_date - internship.start_date).days + 1 == 14 * 7
    page = text(b.get(f"/candidatures/{first.id}"))
    assert "Acceptée" in page and "retirez-les" in page
    assert "pensez à retirer les autres" in text(b.get("/candidatures"))
    resp = b.post(f"/candidatures/{second.id}/retirer", {"version": second.version_id})
    assert resp.status_code == 303
    db.session.refresh(second)
    assert second.status == "withdrawn"
    # decided applications cannot be withdrawn
    resp = b.post(f"/candidatures/{first.id}/retirer", {"version": first.version_id},
                  follow_redirects=True)
    assert "ne peut plus être retirée" in text(resp)


def test_forbidden_transition(as_role, make, pdf):
    a = _application(make, pdf)
    staff = as_role("secretariat")
    staff.post(f"/candidatures/{a.id}/statut", {"status": "refused", "version": a.version_id})
    resp = staff.post(f"/candidatures/{a.id}/statut", {"status": "interview",
                                                       "version": a.version_id}, htmx=True)
    assert "ne peut pas passer" in text(resp)


def test_staff_lists_offer_and_student_with_constant_queries(as_role, make, pdf,
                                                             count_queries):
    staff = as_role("secretariat")
    offer = make.offer(title="Offre très demandée")

    def measure():
        with count_queries() as statements:
            assert staff.get("/candidatures").status_code == 200
        return len(statements)

    for _ in range(3):
        _application(make, pdf, offer=offer)
    few = measure()
    for _ in range(12):
        _application(make, pdf)
    assert measure() == few
    page = text(staff.get(f"/offres/{offer.id}"))
    assert "Candidatures reçues" in page and page.count('id="application-') >= 3
    frag = text(staff.get("/candidatures?status=sent", htmx=True))
    assert "<html" not in frag


def test_notifications_page_and_unread_count(as_role, make, pdf, db):
    b = as_role("student")
    a = _application(make, pdf, student=b.user)
    staff = as_role("secretariat")
    staff.post(f"/candidatures/{a.id}/statut", {"status": "refused", "comment": "Profil data",
                                                "version": a.version_id})
    home = text(b.get("/"))
    assert 'class="notif-count" aria-hidden="true">1<' in home
    assert "Notifications (1 non lue)" not in home
    assert '<span class="visually-hidden"> (1 non lue)</span>' in home
    page = text(b.get("/notifications/"))
    assert "refusée" in page and "Profil data" in page
    b.post("/notifications/lues")
    assert 'class="notif-count"' not in text(b.get("/"))


def test_cohort_shows_applied_students(as_role, make, pdf):
    from app.years import services as years
    years.create_year(years.YearData(start_year=years.academic_start_year(date.today())))
    student = make.user("student", last_name="Candidate")
    _application(make, pdf, student=student)
    page = text(as_role("secretariat").get("/stages/suivi"))
    row = page.split("Candidate")[1][:400]
    assert "A candidaté" in row


def test_staff_search_finds_by_student_offer_and_host_newest_first(as_role, make, pdf):
    staff = as_role("secretariat")
    musee = make.host(name="Musée Gadagne")
    plans = make.offer(title="Numérisation des plans", host=musee)
    fonds = make.offer(title="Inventaire du fonds Lumière")
    zoe = make.user("student", first_name="Zoé", last_name="Éluard")
    _application(make, pdf, student=zoe, offer=fonds)
    _application(make, pdf, student=make.user("student", last_name="Durand"), offer=plans)

    def names(q):
        body = text(staff.get("/candidatures", query_string={"q": q}, htmx=True))
        return [n for n in ("Éluard", "Durand") if n in body]

    assert names("eluard") == ["Éluard"]          # the student, without accents
    assert names("gadag") == ["Durand"]           # the host, by a word's beginning
    assert names("numerisation") == ["Durand"]    # the offer's title
    assert names("zoe lumiere") == ["Éluard"]     # one word from the student, one from the offer
    assert names("durand lumiere") == []          # each word must match
    assert names("inconnu") == []
    body = text(staff.get("/candidatures"))
    assert body.index("Durand") < body.index("Éluard")  # newest first
    # the offer retitled, its host renamed: the search follows
    from dataclasses import replace

    from app.offers import services as offers

    old = offers.OfferData(title=plans.title, host_id=musee.id, domain=plans.domain,
                           description=plans.description, city=plans.city)
    offers.update_offer(plans, replace(old, title="Indexation des cartes"), plans.version_id)
    assert names("cartes") == ["Durand"] and names("numerisation") == []
    brest = make.host(name="Archives de Brest", city="Brest")
    offers.update_offer(plans, replace(old, title="Indexation des cartes", host_id=brest.id),
                        plans.version_id)
    assert names("brest") == ["Durand"] and names("gadagne") == []  # moved to another host
    offers.update_offer(plans, replace(old, title="Indexation des cartes"), plans.version_id)
    form = {"name": "Musée des Confluences", "city": "Lyon", "country": "France",
            "version": musee.version_id}
    assert staff.post(f"/organismes/{musee.id}/modifier", form).status_code == 303
    assert names("confluences") == ["Durand"] and names("gadagne") == []


def test_a_broad_search_counts_its_first_rows_only_and_says_so(as_role, make, pdf,
                                                               monkeypatch):
    from app import search
    from app.applications import routes

    monkeypatch.setattr(routes, "SEARCH_CAP", 2)
    monkeypatch.setattr(search, "BROAD", 1)  # and the broad search's own way, on both bases
    offer = make.offer(title="Inventaire du fonds Lumière")
    for n in range(3):
        _application(make, pdf, student=make.user("student", last_name=f"Lumineux{n}"),
                     offer=offer)
    staff = as_role("secretariat")
    body = text(staff.get("/candidatures", query_string={"q": "lumiere"}, htmx=True))
    assert "Plus de 2 résultats : seuls les 2 premiers sont proposés." in body
    assert all(f"Lumineux{n}" in body for n in range(3))  # the page itself is not cut
    body = text(staff.get("/candidatures", query_string={"q": "lumineux1"}, htmx=True))
    assert "Lumineux1" in body and "Plus de" not in body and "Lumineux2" not in body
    assert "Plus de" not in text(staff.get("/candidatures"))  # a list without search: exact


def test_a_withdrawn_application_can_be_sent_again_while_the_offer_is_open(as_role, make, db,
                                                                           pdf):
    b = as_role("student")
    offer = make.offer()
    _apply(b, offer, pdf)
    application = db.session.query(Application).one()
    b.post(f"/candidatures/{application.id}/retirer", {"version": application.version_id})
    db.session.refresh(application)
    assert application.status == "withdrawn"
    assert "Candidater à nouveau" in text(b.get(f"/offres/{offer.id}"))
    resp = _apply(b, offer, pdf, message="Je renouvelle ma candidature.")
    assert resp.status_code == 303
    db.session.refresh(application)
    assert db.session.query(Application).count() == 1
    assert application.status == "sent" and application.message.startswith("Je renouvelle")
    assert [e.to_status for e in application.events] == ["sent", "withdrawn", "sent"]


def test_an_applicant_reads_the_offer_once_closed_others_do_not(as_role, make, db, pdf):
    from app.offers import services as offers

    b = as_role("student")
    offer = make.offer()
    _apply(b, offer, pdf)
    offers.change_status(offer, "closed", offer.version_id)
    page = text(b.get(f"/offres/{offer.id}"))
    assert "Cette offre est close" in page and offer.title in page
    assert as_role("student").get(f"/offres/{offer.id}").status_code == 404


def test_no_application_once_the_convention_is_signed(as_role, make, db, pdf):
    from app.conventions.models import Convention
    from app.internships import services as internships
    from app.years import services as years

    b = as_role("student")
    year = years.current_year(date.today())
    internship, _ = internships.create_internship(b.user, internships.InternshipData(
        host_id=make.host(name="Archives municipales").id, subject="Inventaire",
        start_date=year.earliest_start, end_date=year.earliest_start + timedelta(weeks=13)))
    db.session.add(Convention(internship=internship, status="signed"))
    db.session.commit()
    offer = make.offer()
    assert "Votre convention de stage (Archives municipales) est signée" in text(
        b.get(f"/offres/{offer.id}"))
    resp = _apply(b, offer, pdf)
    assert "Votre convention de stage" in text(resp)
    assert db.session.query(Application).count() == 0
