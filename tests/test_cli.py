"""The flask commands an operator types (app/cli.py): the first administrator, an import
file that is not one, the worker and the directory sync without their servers; each answers
in words and with an exit code."""
from app.accounts.models import User


def test_create_admin_once(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "Chef@Test-IUT.fr",
                                 "--password", "un-mot-de-passe-long"])
    assert result.exit_code == 0 and "Administrateur chef@test-iut.fr créé." in result.output
    admin = db.session.query(User).filter_by(role="admin").one()
    assert not admin.must_change_password
    again = runner.invoke(args=["create-admin", "--email", "chef@test-iut.fr",
                                "--password", "un-mot-de-passe-long"])
    assert again.exit_code != 0 and "existe" in again.output
    short = runner.invoke(args=["create-admin", "--email", "autre@test-iut.fr",
                                "--password", "court"])
    assert short.exit_code != 0 and "10 caractères" in short.output
    assert db.session.query(User).filter_by(role="admin").count() == 1


def test_import_of_an_empty_file_says_so(app, db, tmp_path):
    empty = tmp_path / "vide.csv"
    empty.write_bytes(b"")
    result = app.test_cli_runner().invoke(args=["import-students", str(empty)])
    assert result.exit_code != 0 and "Le fichier est vide." in result.output


def test_the_worker_needs_redis(app):
    saved = app.config.get("REDIS_URL")
    app.config["REDIS_URL"] = None
    try:
        result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    finally:
        app.config["REDIS_URL"] = saved
    assert result.exit_code != 0 and "REDIS_URL n’est pas défini" in result.output


def test_the_directory_sync_needs_a_directory(app):
    saved = app.config.get("LDAP_URL")
    app.config["LDAP_URL"] = None
    try:
        result = app.test_cli_runner().invoke(args=["sync-directory", "--dry-run"])
    finally:
        app.config["LDAP_URL"] = saved
    assert result.exit_code != 0 and "LDAP_URL n’est pas défini" in result.output
