from datetime import date
from decimal import Decimal

from app.conventions.models import Convention
from app.extensions import db
from app.internships.models import Internship
from tests.conftest import browser_for, text


def test_student_prepares_edits_and_submits(app, as_role, internship):
    b = as_role("student")
    i = internship(student=b.user)
    resp = b.post(f"/conventions/depuis-le-stage/{i.id}")
    assert resp.status_code == 303
    c = db.session.query(Convention).one()
    page = text(b.get(f"/conventions/{c.id}"))
    assert "Mentions obligatoires" in page and "Soumettre au secrétariat" in page
    resp = b.post(f"/conventions/{c.id}/mentions", {"leave_conditions": "2 jours par mois",
                                                    "version": c.version_id}, htmx=True)
    assert resp.status_code == 204
    db.session.refresh(c)
    assert c.leave_conditions == "2 jours par mois"
    b.post(f"/conventions/{c.id}/action/submit", {"version": c.version_id})
    db.session.refresh(c)
    assert c.status == "submitted" and c.submitted_at is not None
    # no more edits once submitted
    resp = b.post(f"/conventions/{c.id}/mentions", {"benefits": "Tickets",
                                                    "version": c.version_id})
    assert "Vous ne pouvez plus modifier cette convention" in text(resp)


def test_access(as_role, convention, app):
    c = convention()
    other = as_role("student")
    assert other.get(f"/conventions/{c.id}").status_code == 404
    assert other.get(f"/conventions/{c.id}/convention.pdf").status_code == 404
    assert other.post(f"/conventions/{c.id}/action/submit",
                      {"version": c.version_id}).status_code == 404
    assert other.get("/conventions/").status_code == 403
    owner = browser_for(app, c.internship.student)
    resp = owner.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                      follow_redirects=True)
    assert "Seul le secrétariat peut faire cela." in text(resp)
    # need to know: a teacher neither its tutor nor on its jury does not find it
    assert as_role("teacher").post(f"/conventions/{c.id}/action/validate",
                                   {"version": c.version_id}).status_code == 404
    teacher = browser_for(app, c.academic_tutor)   # the one who gave the approval
    resp = teacher.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                        follow_redirects=True)
    assert "Seul le secrétariat" in text(resp)
    db.session.refresh(c)
    assert c.status == "submitted"


def test_request_changes_correct_resubmit_validate(as_role, convention, app, db):
    c = convention()
    secretariat = as_role("secretariat")
    resp = secretariat.post(f"/conventions/{c.id}/action/request_changes",
                            {"version": c.version_id, "comment": ""}, htmx=True)
    assert "Dites à l’étudiant·e ce qu’il faut corriger." in text(resp)
    secretariat.post(f"/conventions/{c.id}/action/request_changes",
                     {"version": c.version_id, "comment": "Précisez les avantages"})
    db.session.refresh(c)
    assert c.status == "changes_requested"
    student = browser_for(app, c.internship.student)
    assert "Précisez les avantages" in text(student.get(f"/conventions/{c.id}"))
    student.post(f"/conventions/{c.id}/mentions", {"benefits": "Tickets restaurant",
                                                   "leave_conditions": "2 jours par mois",
                                                   "version": c.version_id})
    db.session.refresh(c)
    student.post(f"/conventions/{c.id}/action/submit", {"version": c.version_id})
    db.session.refresh(c)
    secretariat.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id})
    db.session.refresh(c)
    assert c.status == "validated"
    history = [(e.from_status, e.to_status) for e in c.events]
    assert ("submitted", "changes_requested") in history and ("submitted", "validated") in history


def test_validation_refused_while_a_check_fails_naming_each(as_role, convention, db):
    c = convention(agreed_amount=Decimal("3.00"), agreed_unit="hour", tick=False)
    secretariat = as_role("secretariat")
    resp = secretariat.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                            follow_redirects=True)
    body = text(resp)
    assert "Validation impossible" in body
    assert "Gratification au moins égale au minimum légal" in body
    assert "Protection sociale" in body  # a manual item not ticked yet
    db.session.refresh(c)
    assert c.status == "submitted"


def test_manual_items_are_ticked_inline_without_making_the_page_stale(as_role, convention, db):
    c = convention(tick=False)
    version = c.version_id
    secretariat = as_role("secretariat", first_name="Claire", last_name="Martin")
    resp = secretariat.post(f"/conventions/{c.id}/verifier/social_protection",
                            {"checked": "1"}, htmx=True)
    body = text(resp)
    # only the ticked line comes back, saying who checked it
    assert body.lstrip().startswith('<li id="check-social_protection" class="ok"')
    assert "<html" not in body and "checked" in body
    assert "vérifié par Claire Martin" in body
    # a second mention ticked at once is not refused, and the page's forms stay valid
    resp = secretariat.post(f"/conventions/{c.id}/verifier/benefits", {"checked": "1"},
                            htmx=True)
    assert 'id="check-benefits" class="ok"' in text(resp)
    db.session.refresh(c)
    assert {check.item for check in c.checks} == {"social_protection", "benefits"}
    assert c.version_id == version
    # ticking twice keeps one tick; unticking removes it
    secretariat.post(f"/conventions/{c.id}/verifier/benefits", {"checked": "1"}, htmx=True)
    resp = secretariat.post(f"/conventions/{c.id}/verifier/benefits", {"checked": "0"},
                            htmx=True)
    assert 'id="check-benefits" class="todo"' in text(resp)
    db.session.expire_all()
    assert [check.item for check in db.session.get(type(c), c.id).checks] == [
        "social_protection"]


def test_ticking_is_refused_once_validated_and_unknown_mentions_are_404(as_role, convention,
                                                                         db):
    c = convention()
    secretariat = as_role("secretariat")
    secretariat.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id})
    resp = secretariat.post(f"/conventions/{c.id}/verifier/benefits", {"checked": "0"},
                            htmx=True)
    assert "Impossible de vérifier une convention « validée »" in text(resp)
    db.session.expire_all()
    assert "benefits" in {check.item for check in db.session.get(type(c), c.id).checks}
    resp = secretariat.post(f"/conventions/{c.id}/verifier/nimporte", {"checked": "1"},
                            htmx=True)
    assert resp.status_code == 404


def test_only_the_secretariat_ticks_mentions(as_role, convention, db):
    c = convention(tick=False)
    for role in ("teacher", "student"):
        resp = as_role(role).post(f"/conventions/{c.id}/verifier/benefits", {"checked": "1"})
        assert resp.status_code in (403, 404)
    db.session.refresh(c)
    assert c.checks == []


def test_stale_action_is_refused(as_role, convention, db):
    c = convention()
    version = c.version_id
    a, b = as_role("secretariat"), as_role("secretariat")
    a.post(f"/conventions/{c.id}/action/validate", {"version": version})
    resp = b.post(f"/conventions/{c.id}/action/request_changes",
                  {"version": version, "comment": "Non"}, follow_redirects=True)
    assert "Quelqu’un d’autre a modifié cette convention" in text(resp)
    db.session.refresh(c)
    assert c.status == "validated"


def test_forbidden_transitions_say_why(as_role, convention, db):
    c = convention(submit=False, approve=False)
    secretariat = as_role("secretariat")
    resp = secretariat.post(f"/conventions/{c.id}/action/send", {"version": c.version_id},
                            follow_redirects=True)
    assert "Impossible d’envoyer en signature une convention « brouillon »" in text(resp)
    resp = secretariat.post(f"/conventions/{c.id}/action/validate", {"version": c.version_id},
                            follow_redirects=True)
    assert "Impossible de valider une convention « brouillon »" in text(resp)


def test_signatures_make_the_convention_signed_and_fix_the_rate_date(as_role, convention, db):
    c = convention(validate=True)   # on 24 November 2026
    s = as_role("secretariat")
    resp = s.post(f"/conventions/{c.id}/signature/student", {"signed_on": "2099-01-01",
                                                             "version": c.version_id},
                  follow_redirects=True)
    assert "ne peut pas être dans le futur" in text(resp)
    days = ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
    parties = ("student", "host", "host_tutor", "academic_tutor", "head")
    for party, day in zip(parties, days, strict=False):
        db.session.refresh(c)
        s.post(f"/conventions/{c.id}/signature/{party}", {"signed_on": day,
                                                          "version": c.version_id})
    db.session.refresh(c)
    assert c.status == "signed"
    assert db.session.get(Internship, c.internship_id).convention_signed_on == date(2026, 11, 29)
    pdf = s.get(f"/conventions/{c.id}/convention.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_signed_pdf_upload(as_role, convention, db):
    import io

    from tests.conftest import PDF
    c = convention(validate=True)   # on 24 November 2026
    s = as_role("secretariat")
    resp = s.client.post(f"/conventions/{c.id}/signee", data={
        "csrf_token": s.token, "version": c.version_id, "signed_on": "2026-11-25",
        "file": (io.BytesIO(b"not a pdf"), "signee.pdf")}, content_type="multipart/form-data",
        follow_redirects=True)
    assert "n’est pas un PDF valide" in text(resp)
    db.session.refresh(c)
    assert c.status == "validated"
    s.client.post(f"/conventions/{c.id}/signee", data={
        "csrf_token": s.token, "version": c.version_id, "signed_on": "2026-11-25",
        "file": (io.BytesIO(PDF), "signee.pdf")}, content_type="multipart/form-data")
    db.session.refresh(c)
    assert c.status == "signed" and c.signed_pdf is not None
    assert s.get(f"/conventions/{c.id}/signee.pdf").data == PDF


def _signed(convention, as_role, db):
    c = convention(validate=True)   # on 24 November 2026
    s = as_role("secretariat")
    s.post(f"/conventions/{c.id}/action/send", {"version": c.version_id})
    for party in ("student", "host", "host_tutor", "academic_tutor", "head"):
        db.session.refresh(c)
        s.post(f"/conventions/{c.id}/signature/{party}", {"signed_on": "2026-11-26",
                                                          "version": c.version_id})
    db.session.refresh(c)
    assert c.status == "signed"
    return c, s


def test_amendment_runs_the_checks_again(as_role, convention, db):
    c, s = _signed(convention, as_role, db)
    resp = s.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "Report", "start_date": "2027-04-08",
        "end_date": "2027-09-30", "version": c.version_id})
    assert "il doit durer de 12 à 16 semaines" in text(resp)
    assert c.amendments == []
    resp = s.post(f"/conventions/{c.id}/avenant", {
        "kind": "dates", "reason": "Prolongation", "start_date": "2027-04-08",
        "end_date": "2027-07-15", "version": c.version_id})
    assert resp.status_code == 303
    db.session.refresh(c)
    assert c.status == "signed"
    assert c.amendments[0].changes == {"end_date": ["2027-06-30", "2027-07-15"]}
    assert db.session.get(Internship, c.internship_id).end_date == date(2027, 7, 15)
    page = text(s.get(f"/conventions/{c.id}"))
    assert "Prolongation" in page and "Avenant" in page


def test_bulk_validation_validates_clean_ones_and_names_the_others(as_role, convention, db):
    clean = convention()
    dirty = convention(tick=False)
    s = as_role("secretariat")
    resp = s.post("/conventions/valider", {"ids": [clean.id, dirty.id]}, follow_redirects=True)
    body = text(resp)
    assert "1 convention validée." in body and "Validation impossible" in body
    db.session.refresh(clean)
    db.session.refresh(dirty)
    assert (clean.status, dirty.status) == ("validated", "submitted")


def test_queue_counts_filters_urgency_and_exports(as_role, convention, count_queries):
    convention()
    convention(submit=False, approve=False)
    s = as_role("secretariat")
    page = text(s.get("/conventions/"))
    assert "Soumise" in page and "Brouillon" in page
    frag = text(s.get("/conventions/?status=draft", htmx=True))
    assert "<html" not in frag and frag.count("conv-draft") >= 1
    assert "Nom;Prénom;Organisme" in text(s.get("/conventions/export.csv"))
    with count_queries() as few:
        s.get("/conventions/")
    for _ in range(6):
        convention()
    with count_queries() as many:
        s.get("/conventions/")
    assert len(few) == len(many)


def test_cohort_shows_convention_stages(as_role, convention):
    c = convention()
    page = text(as_role("secretariat").get("/stages/suivi?year=2026"))
    assert "Convention en cours" in page.split(c.internship.student.last_name)[1][:300]


def test_internship_cannot_start_without_a_signed_convention(as_role, convention, db,
                                                             monkeypatch):
    import app.internships.routes as routes

    class Later(date):
        @classmethod
        def today(cls):
            return date(2027, 4, 12)

    monkeypatch.setattr(routes, "date", Later)
    c = convention()
    s = as_role("secretariat")
    resp = s.post(f"/stages/{c.internship_id}/commence", follow_redirects=True)
    assert "sa convention n’est pas signée" in text(resp)
    assert db.session.get(Internship, c.internship_id).status == "planned"
    c2, s2 = _signed(convention, as_role, db)
    resp = s2.post(f"/stages/{c2.internship_id}/commence", follow_redirects=True)
    assert "Début du stage enregistré." in text(resp)
    assert db.session.get(Internship, c2.internship_id).status == "in_progress"


def test_changing_the_academic_tutor_of_a_signed_convention_is_an_amendment(as_role, convention,
                                                                             db, make):
    from app.tutoring.services import history

    c, s = _signed(convention, as_role, db)
    new = make.user("teacher", last_name="Nouvelle")
    resp = s.post(f"/conventions/{c.id}/avenant", {
        "kind": "academic_tutor", "reason": "Congé de l’enseignante",
        "academic_tutor_id": new.id, "version": c.version_id})
    assert resp.status_code == 303, text(resp)[:500]
    db.session.refresh(c)
    assert c.academic_tutor_id == new.id and c.status == "signed"
    assert c.amendments[-1].kind == "academic_tutor"
    i = c.internship
    assert [a.teacher_id for a in history(i.student, i.academic_year)][-1] == new.id


def test_queue_search_finds_by_student_host_and_subject_and_follows_a_renamed_host(
        as_role, convention, make):
    gadagne = make.host(name="Musée Gadagne", city="Lyon", headcount=50)
    zoe = make.user("student", first_name="Zoé", last_name="Éluard")
    convention(student=zoe, host=gadagne, subject="Numérisation des plans")
    convention(student=make.user("student", last_name="Durand"),
               host=make.host(name="Archives de Brest", city="Brest", headcount=50))
    s = as_role("secretariat")

    def names(q):
        body = text(s.get("/conventions/", query_string={"q": q, "status": "all"}, htmx=True))
        return [n for n in ("Éluard", "Durand") if n in body]

    assert names("eluard") == ["Éluard"]              # the student, without accents
    assert names("GADAG") == ["Éluard"]               # the host, by a word's beginning
    assert names("brest") == ["Durand"]               # the host's city
    assert names("numerisation") == ["Éluard"]        # the subject
    assert names("zoe gadagne") == ["Éluard"]         # one word of each
    assert names("durand gadagne") == []              # every word must be found
    form = {"name": "Musée des Confluences", "city": "Lyon", "country": "France",
            "version": gadagne.version_id}
    assert s.post(f"/organismes/{gadagne.id}/modifier", form).status_code == 303
    assert names("confluences") == ["Éluard"]         # the new name finds it
    assert names("gadagne") == []                     # the old one no longer does


def test_the_queue_follows_an_internship_moved_to_another_year(convention, db):
    """The queue reads the year on the convention: moving the internship's dates to the next
    year moves the convention with them."""
    from app.conventions.services import QueueFilters, queue_query
    from app.internships import services as internships
    from app.years import services as years

    c = convention(submit=False, approve=False, tick=False)
    i = c.internship
    assert c.academic_year_id == i.academic_year_id
    later = years.create_year(years.YearData(start_year=2027, programme_hours=1800))
    data = internships.InternshipData(
        host_id=i.host_id, subject=i.subject, start_date=date(2028, 4, 10),
        end_date=date(2028, 7, 7), host_tutor_name=i.host_tutor_name,
        host_tutor_email=i.host_tutor_email)
    internships.update_internship(i, data, i.version_id, i.student)
    db.session.refresh(c)
    assert c.academic_year_id == later.id
    ids = db.session.execute(queue_query(QueueFilters(year_id=later.id), date(2027, 1, 1))
                             ).unique().scalars().all()
    assert [x.id for x in ids] == [c.id]
