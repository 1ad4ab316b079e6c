import pytest

from app.accounts import services
from app.accounts.models import User
from app.errors import DomainError, StaleEdit

HEADER = "nom;prenom;email;promotion;groupe;parcours\n"


def _count(db):
    return db.session.query(User).count()


def test_create_user_refuses_duplicate_email_case_insensitively(db, make):
    make.user("teacher", email="claire.dubois@test-iut.fr")
    with pytest.raises(DomainError) as err:
        services.create_user(services.NewUser("Claire", "Dubois", "Claire.DUBOIS@test-iut.fr",
                                              "teacher"))
    assert err.value.field == "email"
    assert "existe déjà" in err.value.message


def test_create_user_without_password_returns_a_temporary_one(db):
    user, temporary = services.create_user(
        services.NewUser("Léa", "Martin", "lea@test-iut.fr", "student", cohort="BUT3",
                         track="initial"))
    assert temporary and len(temporary) >= 10
    assert user.must_change_password
    assert services.authenticate("lea@test-iut.fr", temporary) == user


def test_student_needs_cohort_and_track(db):
    with pytest.raises(DomainError) as err:
        services.create_user(services.NewUser("A", "B", "ab@test-iut.fr", "student"))
    assert err.value.field == "cohort"


def test_authenticate_refuses_wrong_password_and_inactive_accounts(db, make):
    user = make.user("student", email="x@test-iut.fr")
    assert services.authenticate("x@test-iut.fr", "mauvais") is None
    assert services.authenticate("inconnu@test-iut.fr", "mauvais") is None
    user.active = False
    db.session.commit()
    from tests.conftest import TEST_PASSWORD
    assert services.authenticate("x@test-iut.fr", TEST_PASSWORD) is None


def test_change_password_checks_current_length_and_confirmation(db, make):
    from tests.conftest import TEST_PASSWORD
    user = make.user("teacher")
    with pytest.raises(DomainError, match="actuel"):
        services.change_password(user, "faux", "nouveau-mot-de-passe", "nouveau-mot-de-passe")
    with pytest.raises(DomainError, match="10 caractères"):
        services.change_password(user, TEST_PASSWORD, "court", "court")
    with pytest.raises(DomainError, match="correspondent"):
        services.change_password(user, TEST_PASSWORD, "nouveau-mot-de-passe", "autre-chose-xx")
    services.change_password(user, TEST_PASSWORD, "nouveau-mot-de-passe", "nouveau-mot-de-passe")
    assert services.authenticate(user.email, "nouveau-mot-de-passe") == user


def test_admin_cannot_deactivate_themself_and_stale_toggle_is_refused(db, make):
    admin = make.user("admin")
    with pytest.raises(DomainError):
        services.set_active(admin, False, admin)
    other = make.user("teacher")
    with pytest.raises(StaleEdit):
        services.set_active(other, False, admin, version=other.version_id + 1)
    assert other.active


def test_import_creates_every_student_of_a_valid_file(db):
    raw = (HEADER + "Martin;Léa;lea.martin@test-iut.fr;BUT3;A;initial\n"
           "Bernard;Hugo;hugo.bernard@test-iut.fr;but3;B;alternant\n").encode()
    result = services.import_students(raw)
    assert result.ok
    assert len(result.created) == 2
    hugo = services.get_by_email("hugo.bernard@test-iut.fr")
    assert (hugo.cohort, hugo.track, hugo.role) == ("BUT3", "apprentice", "student")
    assert hugo.must_change_password


def test_import_accepts_commas_and_windows_encoding(db):
    raw = ("nom,prenom,email,promotion,groupe,parcours\n"
           "Hérault,Zoé,zoe@test-iut.fr,BUT2,C,initial\n").encode("cp1252")
    result = services.import_students(raw)
    assert result.ok
    assert services.get_by_email("zoe@test-iut.fr").last_name == "Hérault"


def test_import_with_errors_reports_each_line_and_imports_nothing(db, make):
    make.user("student", email="deja@test-iut.fr")
    raw = (HEADER
           + "Martin;Léa;lea@test-iut.fr;BUT3;A;initial\n"          # line 2: fine
           + "Sans;Email;pas-une-adresse;BUT3;A;initial\n"          # line 3
           + "Petit;Jade;jade@test-iut.fr;BUT4;A;initial\n"         # line 4
           + "Roux;Tom;tom@test-iut.fr;BUT1;A;stagiaire\n"          # line 5
           + "Deja;La;deja@test-iut.fr;BUT1;A;initial\n"            # line 6
           + "Encore;Léa;LEA@test-iut.fr;BUT1;A;initial\n"          # line 7: twice in file
           + "Trop;Peu;colonnes@test-iut.fr\n").encode()           # line 8
    before = _count(db)
    result = services.import_students(raw)
    assert not result.ok
    lines = dict(result.errors)
    assert set(lines) == {3, 4, 5, 6, 7, 8}
    assert "pas-une-adresse" in lines[3]
    assert "promotion" in lines[4].lower() or "BUT1" in lines[4]
    assert "stagiaire" in lines[5]
    assert "existe déjà" in lines[6]
    assert "ligne 2" in lines[7]
    assert "colonnes" in lines[8]
    assert _count(db) == before
    assert services.get_by_email("lea@test-iut.fr") is None


@pytest.mark.parametrize("raw, message", [
    (b"", "vide"),
    (b"nom;prenom;email\nA;B;c@test-iut.fr\n", "Colonnes manquantes"),
    (HEADER.encode(), "aucun étudiant"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "CSV"),
])
def test_import_refuses_malformed_files(db, raw, message):
    with pytest.raises(DomainError, match=message):
        services.import_students(raw)
