"""The LDAP directory sync against a real OpenLDAP (slapd) started by the suite."""
from __future__ import annotations

import ldap3
import pytest

from app.accounts.models import User
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.servers.ldap import SUFFIX, start_slapd

UAI = "{UAI:0301796X}"
PEOPLE = {
    "adurand": {"givenName": "Alice", "sn": "Durand", "mail": "alice.durand@etu.univ.fr",
                    "eduPersonAffiliation": ["student", "member"],
                    "supannEtuEtape": f"{UAI}BUT3-ICDAD", "supannEtuGroupe": "TD1"},
    "bmartin": {"givenName": "Bruno", "sn": "Martin", "mail": "bruno.martin@etu.univ.fr",
                    "eduPersonAffiliation": ["student", "member"],
                    "supannEtuEtape": f"{UAI}BUT2-ICDAD", "supannEtuGroupe": "TD2"},
    "cprof": {"givenName": "Claire", "sn": "Prof", "mail": "claire.prof@univ.fr",
                  "eduPersonAffiliation": ["faculty", "member"]},
    "dautre": {"givenName": "Denis", "sn": "Autre", "mail": "denis.autre@etu.univ.fr",
                   "eduPersonAffiliation": ["student"], "supannEtuEtape": f"{UAI}LIC-DROIT"},
    "enomail": {"givenName": "Emma", "sn": "Sansmail", "eduPersonAffiliation": ["student"],
                    "supannEtuEtape": f"{UAI}BUT3-ICDAD"},
}


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    yield from start_slapd(tmp_path_factory.mktemp("slapd"))


def _conn(server):
    return ldap3.Connection(ldap3.Server(server.url), server.root_dn, server.root_pw,
                            auto_bind=True)


@pytest.fixture
def ldap(app, slapd, monkeypatch):
    """The tree of each test: ou=people with students of two cohorts, a teacher, a student of
    another department, a broken entry."""
    conn = _conn(slapd)
    conn.search(SUFFIX, "(objectClass=*)", attributes=[])
    for entry in sorted(conn.entries, key=lambda e: -len(e.entry_dn)):
        conn.delete(entry.entry_dn)
    conn.add(SUFFIX, ["dcObject", "organization"], {"o": "Univ", "dc": "univ"})
    conn.add(slapd.base_dn, ["organizationalUnit"], {"ou": "people"})
    for uid, attrs in PEOPLE.items():
        add_person(conn, slapd, uid, attrs)
    monkeypatch.setitem(app.config, "LDAP_URL", slapd.url)
    monkeypatch.setitem(app.config, "LDAP_BIND_DN", slapd.root_dn)
    monkeypatch.setitem(app.config, "LDAP_BIND_PASSWORD", slapd.root_pw)
    monkeypatch.setitem(app.config, "LDAP_BASE_DN", slapd.base_dn)
    monkeypatch.setitem(app.config, "DIRECTORY_STEPS", {"BUT3-ICDAD": "BUT3",
                                                        "BUT2-ICDAD": "BUT2"})
    yield conn
    conn.unbind()


def add_person(conn, server, uid, attrs):
    ok = conn.add(f"uid={uid},{server.base_dn}", ["inetOrgPerson", "testUnivPerson"],
                  {"uid": uid, "cn": f"{attrs['givenName']} {attrs['sn']}", **attrs})
    assert ok, conn.result


def sync(app, *args):
    result = app.test_cli_runner().invoke(args=["sync-directory", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _users(db):
    return {u.uid: u for u in db.session.execute(db.select(User)).scalars()}


def test_the_first_sync_creates_the_department_and_reports_the_errors(app, db, ldap):
    out = sync(app)
    users = _users(db)
    assert set(users) == {"adurand", "bmartin", "cprof"}
    assert (users["adurand"].role, users["adurand"].cohort, users["adurand"].group_name) == (
        "student", "BUT3", "TD1")
    assert users["bmartin"].cohort == "BUT2"
    assert users["cprof"].role == "teacher" and users["cprof"].cohort is None
    assert "Créés : 3" in out and "Erreurs : 1" in out
    assert "uid=enomail" in out and "mail" in out


def test_a_dry_run_reports_and_writes_nothing(app, db, ldap):
    out = sync(app, "--dry-run")
    assert "Créés : 3" in out and "rien n’a été écrit" in out
    assert _users(db) == {}


def test_changes_are_updated_and_those_who_left_cannot_log_in(app, db, make, client, ldap,
                                                              slapd):
    local_admin = make.user("admin", email="secours@iut.fr")
    local_teacher = make.user("teacher", email="vacataire@iut.fr")
    db.session.commit()
    sync(app)
    adurand = _users(db)["adurand"]
    adurand.password_hash = local_admin.password_hash  # to try a password login after
    db.session.commit()
    ldap.modify(f"uid=bmartin,{slapd.base_dn}",
                {"supannEtuEtape": [(ldap3.MODIFY_REPLACE, [f"{UAI}BUT3-ICDAD"])]})
    ldap.delete(f"uid=adurand,{slapd.base_dn}")
    out = sync(app, "--dry-run")
    assert "Désactivés : 1" in out and "Mis à jour : 1" in out
    db.session.expire_all()
    assert _users(db)["adurand"].active
    out = sync(app)
    assert "Désactivés : 1" in out and "adurand" in out
    db.session.expire_all()
    users = _users(db)
    assert not users["adurand"].active and users["bmartin"].cohort == "BUT3"
    # local accounts (break-glass, demo) stay
    assert local_admin.active and local_teacher.active
    resp = client.post("/connexion", data={"email": "alice.durand@etu.univ.fr",
                                           "password": TEST_PASSWORD,
                                           "csrf_token": csrf_token(client)})
    assert "incorrect" in resp.get_data(as_text=True)
    # nothing changed since: the next sync reports nothing
    out = sync(app)
    assert "Créés : 0" in out and "Mis à jour : 0" in out and "Désactivés : 0" in out


def test_an_empty_answer_deactivates_nobody(app, db, ldap, monkeypatch):
    sync(app)
    monkeypatch.setitem(app.config, "LDAP_FILTER", "(uid=nobody)")
    result = app.test_cli_runner().invoke(args=["sync-directory"])
    assert result.exit_code != 0 and "rien n’est désactivé" in result.output
    assert all(u.active for u in _users(db).values())


def test_an_unreachable_directory_is_said_plainly(app, ldap, monkeypatch):
    monkeypatch.setitem(app.config, "LDAP_URL", "ldap://127.0.0.1:1")
    result = app.test_cli_runner().invoke(args=["sync-directory"])
    assert result.exit_code != 0 and "Annuaire injoignable" in result.output
