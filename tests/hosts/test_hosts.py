import pytest

from app.hosts.models import Host
from tests.conftest import text

VALID = {"name": "Archives départementales du Rhône", "city": "Lyon", "country": "France",
         "siret": "732 829 320 00074", "sector": "Collectivité", "headcount": "80",
         "website": "archives.example.org"}


def test_everyone_logged_in_browses_and_searches_without_accents(as_role, make):
    make.host(name="Médiathèque Émile-Zola", city="Montpellier")
    make.host(name="Datalab régional", city="Nantes")
    b = as_role("student")
    resp = b.get("/organismes/?q=EMILE zola", htmx=True)
    assert "Médiathèque Émile-Zola" in text(resp) and "Datalab" not in text(resp)
    assert "<html" not in text(resp)
    full = b.get("/organismes/?q=emile")
    assert "<html" in text(full) and 'value="emile"' in text(full)
    assert b.get("/organismes/nouveau").status_code == 403
    assert b.post("/organismes/nouveau", VALID).status_code == 403


def test_abroad_filter(as_role, make):
    make.host(name="Archives de Genève", city="Genève", country="Suisse")
    make.host(name="Archives de Lille", city="Lille")
    b = as_role("teacher")
    resp = b.get("/organismes/?country=abroad")
    assert "Archives de Genève" in text(resp) and "Archives de Lille" not in text(resp)


def test_staff_creates_a_host(as_role, db):
    b = as_role("secretariat")
    resp = b.post("/organismes/nouveau", VALID)
    assert resp.status_code == 303
    host = db.session.query(Host).one()
    assert host.siret == "73282932000074"
    assert host.website == "https://archives.example.org"
    page = b.get(resp.headers["Location"])
    assert "Archives départementales du Rhône" in text(page)


@pytest.mark.parametrize("changes, message", [
    ({"name": ""}, "Ce champ est obligatoire."),
    ({"siret": "732 829 320 00075"}, "clé de contrôle incorrecte"),
    ({"siret": "12345"}, "14 chiffres"),
    ({"headcount": "-3"}, "Indiquez un effectif entre 0 et 10 000 000."),
    ({"headcount": "beaucoup"}, "entier"),
    ({"name": "N" * 201}, "200"),
])
def test_bad_host_input_is_refused_next_to_the_field(as_role, db, changes, message):
    b = as_role("secretariat")
    resp = b.post("/organismes/nouveau", {**VALID, **changes}, htmx=True)
    assert resp.status_code == 200
    assert message in text(resp)
    assert db.session.query(Host).count() == 0


def test_duplicate_siret_and_duplicate_name_in_city_are_refused(as_role, make, db):
    make.host(name="Existant", city="Paris", siret="73282932000074")
    b = as_role("teacher")
    resp = b.post("/organismes/nouveau", VALID)
    assert "Ce SIRET est déjà celui de « Existant »." in text(resp)
    resp = b.post("/organismes/nouveau", {**VALID, "siret": "", "name": "existant",
                                          "city": "paris"})
    assert "existe déjà dans cette ville" in text(resp)
    assert db.session.query(Host).count() == 1


def test_a_siret_saved_meanwhile_by_someone_else_is_refused_with_a_message(as_role, make,
                                                                          db, monkeypatch):
    """The SIRET's uniqueness is the database's: a host saved with the same SIRET after the
    check (by a request at the same instant) is refused with the form's message, not a
    500."""
    from app.hosts import services

    make.host(name="Existant", city="Paris", siret="73282932000074")
    real = services._check

    def read_before_the_other(data, host_id=None):
        siret, data.siret = data.siret, None
        real(data, host_id)
        data.siret = siret.replace(" ", "")

    monkeypatch.setattr(services, "_check", read_before_the_other)
    resp = as_role("secretariat").post("/organismes/nouveau", VALID)
    assert resp.status_code == 200
    assert "Ce SIRET vient d’être enregistré pour un autre organisme." in text(resp)
    assert db.session.query(Host).count() == 1


def test_stale_host_edit_is_refused_and_loses_nothing(as_role, make, db):
    host = make.host(name="Musée", city="Dijon")
    alice, bob = as_role("secretariat"), as_role("teacher")
    form = {"name": "Musée", "city": "Dijon", "country": "France", "version": host.version_id}
    assert alice.post(f"/organismes/{host.id}/modifier",
                      {**form, "sector": "Patrimoine"}).status_code == 303
    resp = bob.post(f"/organismes/{host.id}/modifier", {**form, "sector": "Culture"})
    assert "Quelqu’un d’autre a modifié cet organisme" in text(resp)
    assert 'value="Culture"' in text(resp)  # Bob's input is still in the form
    db.session.refresh(host)
    assert host.sector == "Patrimoine"


def test_contacts_are_added_and_removed_inline(as_role, make, db):
    host = make.host()
    b = as_role("secretariat")
    resp = b.post(f"/organismes/{host.id}/contacts", {"name": "Jeanne Roy"}, htmx=True)
    assert "Indiquez au moins une adresse électronique ou un téléphone." in text(resp)
    resp = b.post(f"/organismes/{host.id}/contacts",
                  {"name": "Jeanne Roy", "email": "j.roy@example.org"}, htmx=True)
    assert 'id="contacts"' in text(resp) and "Jeanne Roy" in text(resp)
    assert "<html" not in text(resp)
    db.session.refresh(host)
    contact = host.contacts[0]
    student = as_role("student")
    assert student.post(f"/organismes/{host.id}/contacts/{contact.id}/supprimer").status_code \
        == 403
    resp = b.post(f"/organismes/{host.id}/contacts/{contact.id}/supprimer", htmx=True)
    assert "Jeanne Roy" not in text(resp)


def test_unknown_host_is_404(as_role):
    assert as_role("student").get("/organismes/999999").status_code == 404


def test_host_page_shows_only_published_offers_to_students(as_role, make):
    host = make.host()
    make.offer(host=host, title="Offre publiée")
    make.offer(host=host, title="Offre en brouillon", status="draft")
    page = text(as_role("student").get(f"/organismes/{host.id}"))
    assert "Offre publiée" in page and "Offre en brouillon" not in page
    page = text(as_role("teacher").get(f"/organismes/{host.id}"))
    assert "Offre en brouillon" in page
