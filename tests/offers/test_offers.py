from datetime import date
from decimal import Decimal

import pytest

from app.offers.models import Offer
from tests.conftest import text


@pytest.fixture
def catalogue(make):
    lyon = make.host(name="Bibliothèque de Lyon", city="Lyon")
    geneve = make.host(name="Archives d’État", city="Genève", country="Suisse")
    author = make.user("secretariat")
    return {
        "data": make.offer(host=lyon, author=author, title="Gestion des données de la recherche",
                           domain="data", start_date=date(2027, 4, 12),
                           gratification_monthly=Decimal("800"), remote=True),
        "archives": make.offer(host=geneve, author=author, city="Genève", country="Suisse",
                               title="Inventaire en archivistique", domain="archives",
                               start_date=date(2027, 5, 3), gratification_monthly=None),
        "doc": make.offer(host=lyon, author=author, title="Veille documentaire",
                          domain="documentation", start_date=date(2027, 4, 20),
                          gratification_monthly=Decimal("693.00")),
        "draft": make.offer(host=lyon, author=author, title="Brouillon secret", status="draft"),
    }


def titles(resp):
    body = text(resp)
    return {t for t in ("Gestion des données de la recherche", "Inventaire en archivistique",
                        "Veille documentaire", "Brouillon secret") if t in body}


def test_student_sees_published_offers_only(as_role, catalogue):
    b = as_role("student")
    assert titles(b.get("/offres/")) == {"Gestion des données de la recherche",
                                         "Inventaire en archivistique", "Veille documentaire"}
    assert b.get(f"/offres/{catalogue['draft'].id}").status_code == 404
    # and cannot widen the list with the staff-only status filter
    assert "Brouillon secret" not in text(b.get("/offres/?status=draft"))


def test_staff_see_drafts(as_role, catalogue):
    b = as_role("teacher")
    assert "Brouillon secret" in titles(b.get("/offres/"))
    assert titles(b.get("/offres/?status=draft")) == {"Brouillon secret"}


@pytest.mark.parametrize("query, expected", [
    ("donnees", {"Gestion des données de la recherche"}),
    ("ARCHIV", {"Inventaire en archivistique"}),
    ("genève", {"Inventaire en archivistique"}),      # the host's city
    ("bibliotheque veille", {"Veille documentaire"}),  # host name + title, every word
    ("100%", set()),                                   # LIKE wildcards are literal
])
def test_active_search_is_case_and_accent_insensitive(as_role, catalogue, query, expected):
    b = as_role("student")
    assert titles(b.get("/offres/", query_string={"q": query}, htmx=True)) == expected


@pytest.mark.parametrize("args, expected", [
    ({"domain": "archives"}, {"Inventaire en archivistique"}),
    ({"where": "abroad"}, {"Inventaire en archivistique"}),
    ({"where": "france"}, {"Gestion des données de la recherche", "Veille documentaire"}),
    ({"where": "Suisse"}, {"Inventaire en archivistique"}),
    ({"remote": "y"}, {"Gestion des données de la recherche"}),
    ({"start": "2027-05"}, {"Inventaire en archivistique"}),
    ({"min_pay": "700"}, {"Gestion des données de la recherche"}),
    ({"domain": "data", "where": "abroad"}, set()),
])
def test_filters(as_role, catalogue, args, expected):
    b = as_role("student")
    assert titles(b.get("/offres/", query_string=args)) == expected


def test_bad_filter_values_are_explained_and_ignored(as_role, catalogue):
    b = as_role("student")
    resp = b.get("/offres/?start=2027-13&min_pay=abc&domain=cuisine")
    assert resp.status_code == 200
    assert "Mois invalide (aaaa-mm)." in text(resp)
    assert len(titles(resp)) == 3


def test_sort_orders(as_role, catalogue):
    b = as_role("student")
    body = text(b.get("/offres/?sort=start"))
    assert body.index("Gestion des données") < body.index("Veille documentaire") \
        < body.index("Inventaire en archivistique")
    body = text(b.get("/offres/?sort=pay"))
    assert body.index("Gestion des données") < body.index("Veille documentaire") \
        < body.index("Inventaire en archivistique")


def test_french_dates_and_amounts(as_role, catalogue):
    body = text(as_role("student").get(f"/offres/{catalogue['data'].id}"))
    assert "12 avril 2027" in body
    assert "800,00\xa0€" in body or "800,00\u202f€" in body


def test_abroad_offer_is_shown_clearly(as_role, catalogue):
    body = text(as_role("student").get(f"/offres/{catalogue['archives'].id}"))
    assert "Stage à l’étranger" in body


def test_fragment_vs_full_page(as_role, catalogue):
    b = as_role("student")
    full = b.get("/offres/?q=donnees")
    assert "<html" in text(full) and 'id="results"' in text(full)
    assert "HX-Request" in full.headers.get("Vary", "")
    frag = b.get("/offres/?q=donnees", htmx=True)
    assert "<html" not in text(frag) and text(frag).lstrip().startswith('<section id="results"')
    assert "HX-Request" in frag.headers.get("Vary", "")
    boosted = b.get("/offres/?q=donnees", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in text(boosted)
    restore = b.get("/offres/?q=donnees", headers={"HX-Request": "true",
                                                   "HX-History-Restore-Request": "true"})
    assert "<html" in text(restore)


def test_pagination_keeps_filters(as_role, make):
    host = make.host()
    author = make.user("secretariat")
    for i in range(25):
        make.offer(host=host, author=author, title=f"Archives {i:02d}", description="Classement.")
    b = as_role("student")
    page1 = text(b.get("/offres/?q=archives&sort=title"))
    assert "Archives 00" in page1 and "Archives 20" not in page1
    assert "/offres/?q=archives&amp;sort=title&amp;page=2" in page1
    page2 = text(b.get("/offres/?q=archives&sort=title&page=2", htmx=True))
    assert "Archives 20" in page2 and "Archives 00" not in page2
    assert "Archives 24" in text(b.get("/offres/?q=archives&sort=title&page=99"))


def test_list_runs_a_constant_number_of_queries(as_role, make, count_queries):
    b = as_role("teacher")
    author = make.user("secretariat")
    hosts = [make.host() for _ in range(5)]

    def measure():
        with count_queries() as statements:
            assert b.get("/offres/").status_code == 200
        return len(statements)

    for i in range(10):
        make.offer(host=hosts[i % 5], author=author)
    with_10 = measure()
    from app.extensions import db
    from app.offers.models import Offer as O
    base = db.session.get(O, 1) or db.session.query(O).first()
    db.session.add_all([
        O(title=f"Offre {i}", host_id=hosts[i % 5].id, domain="data", description="d",
          city="Lyon", country="France", status="published", search_text="offre")
        for i in range(490)
    ])
    db.session.commit()
    assert base is not None
    with_500 = measure()
    assert with_10 == with_500
    assert with_500 <= 6


def test_xss_in_offer_text_is_escaped(as_role, make):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    offer = make.offer(title=payload, description=payload, missions=payload)
    b = as_role("student")
    for url in ("/offres/", f"/offres/{offer.id}", "/offres/?q=script"):
        body = text(b.get(url))
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;" in body


VALID = {"title": "Archivage numérique", "domain": "archives", "description": "Un beau stage.",
         "city": "Lyon", "country": "France", "start_date": "2027-04-12",
         "duration_weeks": "12", "weekly_hours": "35", "gratification_monthly": "693",
         "deadline": "2027-03-01"}


def test_staff_create_an_offer_as_draft_then_publish(as_role, make, db):
    host = make.host()
    b = as_role("teacher")
    resp = b.post("/offres/nouvelle", {**VALID, "host_id": host.id})
    assert resp.status_code == 303
    offer = db.session.query(Offer).one()
    assert offer.status == "draft" and offer.gratification_monthly == Decimal("693.00")
    resp = b.post(f"/offres/{offer.id}/statut", {"status": "published",
                                                 "version": offer.version_id}, htmx=True)
    assert resp.status_code == 200 and 'id="status-panel"' in text(resp)
    assert "Publiée" in text(resp) and "<html" not in text(resp)
    db.session.refresh(offer)
    assert offer.status == "published"
    assert "Archivage numérique" in text(as_role("student").get("/offres/"))


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "Ce champ est obligatoire."),
    ({"host_id": ""}, "Choisissez un organisme de l’annuaire."),  # the blank « — Choisir — »
    ({"host_id": "0"}, "Choisissez un organisme de l’annuaire."),
    ({"host_id": "999999"}, "Choisissez un organisme de l’annuaire."),
    ({"start_date": "2027-02-30"}, "date"),
    ({"start_date": "1850-04-12"}, "Cette date n’est pas plausible."),
    ({"deadline": "2027-05-01"}, "La date limite de candidature doit précéder le début du stage."),
    ({"weekly_hours": "50"}, "Entre 1 et 48 heures par semaine."),
    ({"gratification_monthly": "-5"}, "Montant invalide."),
    ({"gratification_monthly": "beaucoup"}, "décimal"),
    ({"duration_weeks": "0"}, "Entre 1 et 52 semaines."),
    ({"title": "T" * 201}, "200"),
])
def test_bad_offer_input_is_refused_with_a_clear_message(as_role, make, db, changes, message):
    host = make.host()
    b = as_role("secretariat")
    resp = b.post("/offres/nouvelle", {**VALID, "host_id": host.id, **changes}, htmx=True)
    assert resp.status_code == 200
    assert message in text(resp)
    assert db.session.query(Offer).count() == 0


def test_students_cannot_write_offers(as_role, catalogue):
    b = as_role("student")
    offer = catalogue["data"]
    assert b.get("/offres/nouvelle").status_code == 403
    assert b.post("/offres/nouvelle", VALID).status_code == 403
    assert b.get(f"/offres/{offer.id}/modifier").status_code == 403
    assert b.post(f"/offres/{offer.id}/statut", {"status": "closed",
                                                 "version": offer.version_id}).status_code == 403
    assert b.get("/offres/export.csv").status_code == 403


def test_csrf_is_enforced_on_htmx_requests(as_role, catalogue, db):
    b = as_role("secretariat")
    offer = catalogue["data"]
    resp = b.client.post(f"/offres/{offer.id}/statut",
                         data={"status": "closed", "version": offer.version_id},
                         headers={"HX-Request": "true"})
    assert resp.status_code == 400
    db.session.refresh(offer)
    assert offer.status == "published"


def test_stale_status_change_is_refused(as_role, catalogue, db):
    offer = catalogue["data"]
    version = offer.version_id
    alice, bob = as_role("secretariat"), as_role("teacher")
    alice.post(f"/offres/{offer.id}/statut", {"status": "closed", "version": version}, htmx=True)
    resp = bob.post(f"/offres/{offer.id}/statut", {"status": "archived", "version": version},
                    htmx=True)
    assert "Quelqu’un d’autre a modifié cette offre" in text(resp)
    db.session.refresh(offer)
    assert offer.status == "closed"


def test_stale_offer_edit_keeps_the_input(as_role, catalogue, db):
    offer = catalogue["doc"]
    form = {**VALID, "host_id": offer.host_id, "version": offer.version_id}
    alice, bob = as_role("secretariat"), as_role("teacher")
    assert alice.post(f"/offres/{offer.id}/modifier", {**form, "title": "Titre A"}) \
        .status_code == 303
    resp = bob.post(f"/offres/{offer.id}/modifier", {**form, "title": "Titre B"})
    assert "Quelqu’un d’autre a modifié cette offre" in text(resp)
    assert 'value="Titre B"' in text(resp)
    db.session.refresh(offer)
    assert offer.title == "Titre A"


def test_forbidden_transition_gives_a_message(as_role, catalogue, db):
    offer = catalogue["draft"]
    b = as_role("secretariat")
    resp = b.post(f"/offres/{offer.id}/statut", {"status": "closed",
                                                 "version": offer.version_id}, htmx=True)
    assert "ne peut pas passer" in text(resp)


def test_export(as_role, catalogue):
    b = as_role("secretariat")
    csv_body = text(b.get("/offres/export.csv?domain=data"))
    assert "Gestion des données de la recherche" in csv_body
    assert "Veille documentaire" not in csv_body
    assert b.get("/offres/export.xlsx").data[:2] == b"PK"
    assert b.get("/offres/export.pdf").status_code == 404


def test_home_pages_per_role(as_role, catalogue):
    staff = text(as_role("secretariat").get("/"))
    assert "Brouillons" in staff and "Saisir une offre" in staff
    student = text(as_role("student", cohort="BUT3").get("/"))
    assert "Votre stage de BUT3" in student and "Saisir une offre" not in student
    apprentice = text(as_role("student", track="apprentice").get("/"))
    assert "Vous êtes en alternance" in apprentice


def test_students_no_longer_see_an_offer_past_its_deadline(as_role, make, db):
    """Under « Date limite la plus proche » an expired offer came first: once its deadline
    has passed, a student's list, a host's page and the home page no longer show it; the
    secretariat still does (to close or extend it)."""
    from datetime import date, timedelta

    host = make.host(name="Archives de Lyon")
    soon, start = date.today() + timedelta(days=30), date.today() + timedelta(days=90)
    expired = make.offer(host=host, title="Inventaire expiré", deadline=soon,
                         start_date=start)
    make.offer(host=host, title="Récolement ouvert", deadline=soon,
                         start_date=start)
    make.offer(host=host, title="Sans date limite", deadline=None, start_date=start)
    expired.deadline = date.today() - timedelta(days=1)  # the deadline has passed since
    db.session.commit()
    student = as_role("student")
    listing = text(student.get("/offres/?sort=deadline"))
    assert "Récolement ouvert" in listing and "Sans date limite" in listing
    assert "Inventaire expiré" not in listing
    assert "Inventaire expiré" not in text(student.get(f"/organismes/{host.id}"))
    assert "Inventaire expiré" not in text(student.get("/"))
    assert "Inventaire expiré" in text(as_role("secretariat").get("/offres/?sort=deadline"))
