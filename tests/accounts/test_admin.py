import io

import pytest

from app.accounts.models import User
from tests.conftest import text

ADMIN_PAGES = ["/admin/utilisateurs", "/admin/utilisateurs/nouveau", "/admin/import",
               "/admin/utilisateurs/export.csv"]


@pytest.mark.parametrize("role", ["student", "teacher", "secretariat"])
def test_only_admins_reach_user_administration(as_role, role):
    b = as_role(role)
    for url in ADMIN_PAGES:
        if url == "/admin/import" and role == "secretariat":
            assert b.get(url).status_code == 200   # the secretariat imports its students
            continue
        assert b.get(url).status_code == 403, url
    assert b.post("/admin/utilisateurs/nouveau", {"first_name": "X"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    for url in ADMIN_PAGES:
        resp = client.get(url)
        assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]


def test_admin_creates_a_student_and_sees_the_temporary_password(as_role, db):
    b = as_role("admin")
    resp = b.post("/admin/utilisateurs/nouveau", {
        "first_name": "Inès", "last_name": "Garnier", "email": "ines.garnier@test-iut.fr",
        "role": "student", "cohort": "BUT2", "group_name": "B", "track": "initial"})
    assert resp.status_code == 200
    assert "Mot de passe provisoire" in text(resp)
    user = db.session.query(User).filter_by(email="ines.garnier@test-iut.fr").one()
    assert (user.cohort, user.track, user.must_change_password) == ("BUT2", "initial", True)


@pytest.mark.parametrize("data, message", [
    ({"first_name": "", "last_name": "X", "email": "a@test-iut.fr", "role": "teacher"},
     "Ce champ est obligatoire."),
    ({"first_name": "A" * 81, "last_name": "X", "email": "a@test-iut.fr", "role": "teacher"},
     "80"),
    ({"first_name": "A", "last_name": "X", "email": "pas-une-adresse", "role": "teacher"},
     "n’est pas une adresse électronique valide"),
    ({"first_name": "A", "last_name": "X", "email": "a@test-iut.fr", "role": "student"},
     "Choisissez la promotion"),
    ({"first_name": "A", "last_name": "X", "email": "a@test-iut.fr", "role": "teacher",
      "password": "court"}, "au moins 10 caractères"),
])
def test_bad_user_input_is_shown_next_to_the_field_and_nothing_created(as_role, db, data,
                                                                       message):
    b = as_role("admin")
    before = db.session.query(User).count()
    resp = b.post("/admin/utilisateurs/nouveau", data, htmx=True)
    assert resp.status_code == 200
    assert message in text(resp)
    assert 'aria-invalid="true"' in text(resp)
    assert db.session.query(User).count() == before


def test_duplicate_email_is_refused(as_role, make, db):
    make.user("teacher", email="deja@test-iut.fr")
    b = as_role("admin")
    resp = b.post("/admin/utilisateurs/nouveau", {
        "first_name": "A", "last_name": "B", "email": "DEJA@test-iut.fr", "role": "teacher"})
    assert "Un compte existe déjà avec l’adresse deja@test-iut.fr." in text(resp)
    assert db.session.query(User).filter_by(email="deja@test-iut.fr").count() == 1


def test_deactivate_and_reactivate_inline(as_role, make, db):
    b = as_role("admin")
    user = make.user("teacher", last_name="Renaud")
    resp = b.post(f"/admin/utilisateurs/{user.id}/activation",
                  {"active": "0", "version": user.version_id}, htmx=True)
    assert resp.status_code == 200
    assert f'id="user-{user.id}"' in text(resp) and "Réactiver" in text(resp)
    assert "<html" not in text(resp)
    db.session.refresh(user)
    assert not user.active
    # A second click from a page showing the old version is refused, not applied.
    resp = b.post(f"/admin/utilisateurs/{user.id}/activation",
                  {"active": "1", "version": user.version_id - 1}, htmx=True)
    assert "Quelqu’un d’autre a modifié" in text(resp)
    db.session.refresh(user)
    assert not user.active


def test_admin_cannot_deactivate_themself(as_role, db):
    b = as_role("admin")
    resp = b.post(f"/admin/utilisateurs/{b.user.id}/activation",
                  {"active": "0", "version": b.user.version_id}, htmx=True)
    assert "votre propre compte" in text(resp)
    db.session.refresh(b.user)
    assert b.user.active


def test_users_list_searches_and_filters(as_role, make):
    b = as_role("admin")
    make.user("teacher", last_name="Hérault")
    make.user("student", last_name="Dupont")
    resp = b.get("/admin/utilisateurs?q=herault", htmx=True)
    assert "Hérault" in text(resp) and "Dupont" not in text(resp)
    resp = b.get("/admin/utilisateurs?role=student")
    assert "Dupont" in text(resp) and "Hérault" not in text(resp)


def _upload(b, content: bytes, name="etudiants.csv"):
    return b.client.post("/admin/import", data={
        "csrf_token": b.token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def test_csv_import_page_reports_lines_and_imports_nothing(as_role, db):
    b = as_role("admin")
    before = db.session.query(User).count()
    resp = _upload(b, ("nom;prenom;email;promotion;groupe;parcours\n"
                       "Martin;Léa;lea@test-iut.fr;BUT3;A;initial\n"
                       "Roux;Tom;tom@test-iut.fr;BUT9;A;initial\n").encode())
    body = text(resp)
    assert "Rien n’a été importé" in body
    assert "Ligne 3" in body
    assert db.session.query(User).count() == before


def test_csv_import_success_lists_temporary_passwords(as_role, db):
    b = as_role("admin")
    resp = _upload(b, ("nom;prenom;email;promotion;groupe;parcours\n"
                       "Martin;Léa;lea@test-iut.fr;BUT3;A;initial\n"
                       "Bernard;Hugo;hugo@test-iut.fr;BUT3;B;apprentice\n").encode())
    assert "2 étudiants importés" in text(resp)
    assert db.session.query(User).filter_by(role="student", track="apprentice").count() == 1


def test_csv_import_refuses_other_file_types(as_role, db):
    b = as_role("admin")
    resp = _upload(b, b"%PDF-1.4 ...", name="liste.pdf")
    assert "Seuls les fichiers .csv sont acceptés." in text(resp)


def test_user_export_csv_and_xlsx(as_role, make):
    b = as_role("admin")
    make.user("student", last_name="=HYPERLINK(1)")
    resp = b.get("/admin/utilisateurs/export.csv")
    assert resp.mimetype == "text/csv"
    assert "'=HYPERLINK(1)" in text(resp)  # no formula injection
    resp = b.get("/admin/utilisateurs/export.xlsx")
    assert resp.data[:2] == b"PK"


def test_the_secretariat_imports_students(as_role, db):
    b = as_role("secretariat")
    resp = _upload(b, ("nom;prenom;email;promotion;groupe;parcours\n"
                       "Martin;Léa;lea.import@test-iut.fr;BUT3;A;initial\n").encode())
    assert resp.status_code == 200
    assert db.session.query(User).filter_by(email="lea.import@test-iut.fr").count() == 1
