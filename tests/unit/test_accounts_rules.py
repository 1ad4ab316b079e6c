"""Accounts' checks beyond the main paths (app/accounts/services.py): a new account's fields,
a password that does not change, the admin's filters, and the students' import's edge cases
(unreadable encoding, blank lines, too many rows, too long names, a malformed CSV)."""
import pytest

from app.accounts import services
from app.accounts.models import User
from app.errors import DomainError
from tests.conftest import TEST_PASSWORD, text

HEADER = "nom;prenom;email;promotion;groupe;parcours\n"


def _new(**changes):
    data = dict(first_name="Léa", last_name="Martin", email="lea@test-iut.fr", role="teacher")
    data.update(changes)
    return services.NewUser(**data)


@pytest.mark.parametrize("changes, field, message", [
    ({"email": "  "}, "email", "L’adresse électronique est obligatoire."),
    ({"first_name": " "}, "first_name", "Le prénom est obligatoire."),
    ({"last_name": ""}, "last_name", "Le nom est obligatoire."),
    ({"role": "directeur"}, "role", "Rôle inconnu."),
    ({"role": "student", "cohort": "BUT2", "track": "autre"}, "track",
     "Choisissez le parcours (formation initiale ou alternance)."),
])
def test_a_new_account_names_what_is_wrong(db, changes, field, message):
    with pytest.raises(DomainError) as err:
        services.create_user(_new(**changes))
    assert (err.value.field, err.value.message) == (field, message)
    assert db.session.query(User).count() == 0


def test_staff_carry_no_cohort_group_or_track(db):
    user, password = services.create_user(_new(cohort="BUT3", group_name="A",
                                                track="initial"))
    assert (user.cohort, user.group_name, user.track) == (None, None, None)
    assert password   # a temporary one, to hand over


def test_a_new_password_differs_from_the_current_one(make):
    user = make.user("teacher")
    with pytest.raises(DomainError, match="doit être différent de l’actuel"):
        services.change_password(user, TEST_PASSWORD, TEST_PASSWORD, TEST_PASSWORD)


def test_the_admin_filters_accounts_by_role_and_status(as_role, make):
    make.user("teacher", last_name="Presente")
    make.user("teacher", last_name="Parti", active=False)
    make.user("student", last_name="Etudiante")
    admin = as_role("admin")
    body = text(admin.get("/admin/utilisateurs?role=teacher&status=active"))
    assert "Presente" in body and "Parti" not in body and "Etudiante" not in body
    body = text(admin.get("/admin/utilisateurs?status=inactive"))
    assert "Parti" in body and "Presente" not in body
    assert services.email_taken(make.user("teacher", email="x@test-iut.fr").email)
    assert not services.email_taken("x@test-iut.fr", exclude_id=services.get_by_email(
        "x@test-iut.fr").id)


# ---------------------------------------------------------------- the students' import

def test_an_unreadable_file_is_refused(db):
    with pytest.raises(DomainError, match="n’est pas un texte lisible"):
        services.import_students(HEADER.encode() + b"Martin;L\x81a;\x8d\n")


def test_blank_lines_are_skipped(db):
    raw = (HEADER + "\n;;;;;\nMartin;Léa;lea@test-iut.fr;BUT3;A;initial\n\n").encode()
    result = services.import_students(raw)
    assert result.ok and [u.email for u, _ in result.created] == ["lea@test-iut.fr"]


def test_a_file_too_long_is_refused_whole(db, monkeypatch):
    monkeypatch.setattr(services, "MAX_IMPORT_ROWS", 2)
    raw = (HEADER + "".join(f"Nom{n};Léa;lea{n}@test-iut.fr;BUT3;A;initial\n"
                            for n in range(3))).encode()
    with pytest.raises(DomainError, match="Le fichier dépasse 2 lignes ; découpez-le."):
        services.import_students(raw)
    assert db.session.query(User).count() == 0


def test_a_name_too_long_is_named_by_its_line(db):
    raw = (HEADER + "Martin;Léa;lea@test-iut.fr;BUT3;A;initial\n"
           + f"{'X' * 81};Jade;jade@test-iut.fr;BUT3;A;initial\n").encode()
    result = services.import_students(raw)
    assert result.errors == [(3, "un nom, prénom ou groupe est trop long.")]
    assert db.session.query(User).count() == 0


def test_a_malformed_csv_is_refused(db):
    raw = (HEADER + "Martin;Léa;lea@test-iut.fr;BUT3;A;" + "x" * 200_000 + "\n").encode()
    with pytest.raises(DomainError, match="Le fichier CSV est mal formé"):
        services.import_students(raw)
