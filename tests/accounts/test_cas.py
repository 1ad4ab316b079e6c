"""CAS single sign-on against a real CAS server (django-cas-server) started by the suite:
the Flask test client follows the intranet's redirects, requests fills in the CAS's login form."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests

from app.accounts.models import CasSession, User
from tests.conftest import TEST_PASSWORD, csrf_token, login
from tests.servers.cas import start_cas

UAI = "{UAI:0301796X}"
USERS = {
    "cdupont": {"password": "secret-etu", "attributes": {
        "uid": "cdupont", "mail": "Camille.Dupont@etu.univ.fr", "givenName": "Camille",
        "sn": "Dupont", "eduPersonAffiliation": ["student", "member"],
        "supannEtuEtape": f"{UAI}BUT3-ICDAD", "supannEtuGroupe": "TD1"}},
    "mprof": {"password": "secret-prof", "attributes": {
        "uid": "mprof", "mail": "marie.prof@univ.fr", "givenName": "Marie", "sn": "Prof",
        "eduPersonAffiliation": ["faculty", "employee", "member"]}},
    "xstaff": {"password": "secret-staff", "attributes": {
        "uid": "xstaff", "mail": "x.staff@univ.fr", "givenName": "Xavier", "sn": "Staff",
        "eduPersonAffiliation": ["staff", "member"]}},
}


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory):
    yield from start_cas(tmp_path_factory.mktemp("cas"), USERS)


@pytest.fixture
def cas(app, cas_server, monkeypatch):
    monkeypatch.setitem(app.config, "CAS_SERVER_URL", cas_server.url)
    monkeypatch.setitem(app.config, "DIRECTORY_STEPS", {"BUT3-ICDAD": "BUT3"})
    while not cas_server.logout_requests.empty():
        cas_server.logout_requests.get_nowait()
    return cas_server


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("name") and attrs.get("type") != "checkbox":
            self.fields[attrs["name"]] = attrs.get("value") or ""


def cas_authenticate(client, username, password, next_path=None):
    """Click « Se connecter avec l’ENT », log in on the CAS; the CAS's redirect back
    (``/auth/cas?ticket=...``) as a path, and the browser's CAS session."""
    resp = client.get("/connexion/ent" + (f"?next={next_path}" if next_path else ""))
    assert resp.status_code == 302
    browser = requests.Session()
    page = browser.get(resp.headers["Location"], timeout=10)
    assert page.status_code == 200
    form = _Inputs()
    form.feed(page.text)
    form.fields.update(username=username, password=password)
    action = requests.compat.urljoin(page.url, form.action or page.url)
    back = browser.post(action, data=form.fields, allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    location = urlsplit(back.headers["Location"])
    assert location.netloc == "localhost" and location.path == "/auth/cas"
    return f"{location.path}?{location.query}", browser


def cas_login(client, username, password, next_path=None):
    callback, browser = cas_authenticate(client, username, password, next_path)
    return client.get(callback), callback, browser


def test_login_page_offers_the_ent_only_when_a_cas_is_set(client, app, cas):
    page = client.get("/connexion").get_data(as_text=True)
    assert "Se connecter avec l’ENT" in page
    app.config["CAS_SERVER_URL"] = ""
    assert "Se connecter avec l’ENT" not in client.get("/connexion").get_data(as_text=True)
    assert client.get("/connexion/ent").status_code == 404


def test_a_first_time_student_lands_on_their_home_page_as_a_student(client, db, cas):
    resp, _, _ = cas_login(client, "cdupont", "secret-etu")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Camille" in home.get_data(as_text=True)
    user = db.session.execute(db.select(User).where(User.uid == "cdupont")).scalar_one()
    assert (user.role, user.cohort, user.group_name, user.email) == (
        "student", "BUT3", "TD1", "camille.dupont@etu.univ.fr")


def test_the_return_goes_to_the_page_asked_for(client, cas):
    resp, _, _ = cas_login(client, "mprof", "secret-prof", next_path="/mot-de-passe")
    assert resp.headers["Location"] == "/mot-de-passe"


def test_an_existing_account_is_matched_by_email_then_by_uid(client, db, make, cas):
    teacher = make.user("teacher", email="marie.prof@univ.fr", first_name="M.", last_name="P")
    db.session.commit()
    cas_login(client, "mprof", "secret-prof")
    db.session.expire_all()
    assert teacher.uid == "mprof" and teacher.first_name == "Marie"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    client.post("/deconnexion", data={"csrf_token": _token(client)})
    teacher.email = "ancienne@univ.fr"
    db.session.commit()
    cas_login(client, "mprof", "secret-prof")
    db.session.expire_all()
    assert teacher.email == "marie.prof@univ.fr"
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_someone_the_department_does_not_know_is_refused_clearly(client, db, cas):
    resp, _, _ = cas_login(client, "xstaff", "secret-staff")
    assert resp.status_code == 403
    assert "ne donne pas accès à l’intranet" in resp.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert client.get("/").status_code == 302  # not logged in


def test_a_replayed_ticket_is_refused(client, app, cas):
    resp, callback, _ = cas_login(client, "cdupont", "secret-etu")
    assert resp.status_code == 302
    other = app.test_client()
    replay = other.get(callback)
    assert replay.status_code == 403
    assert "déjà servi" in replay.get_data(as_text=True)
    assert other.get("/").status_code == 302


def test_a_forged_ticket_is_refused_by_the_cas(client, cas):
    resp = client.get("/auth/cas?ticket=ST-forged-0123456789")
    assert resp.status_code == 403
    assert "n’est pas valide" in resp.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_deactivated_account_cannot_come_back_by_the_cas(client, db, make, cas):
    make.user("teacher", email="marie.prof@univ.fr", active=False)
    db.session.commit()
    resp, _, _ = cas_login(client, "mprof", "secret-prof")
    assert resp.status_code == 403
    assert "désactivé" in resp.get_data(as_text=True)


def _token(client) -> str:
    return csrf_token(client, "/mot-de-passe")


def test_logout_ends_the_cas_session_too(client, db, cas):
    cas_login(client, "mprof", "secret-prof")
    resp = client.post("/deconnexion", data={"csrf_token": _token(client)})
    assert resp.status_code == 303
    assert resp.headers["Location"].startswith(cas.url + "/logout?service=")
    assert client.get("/").status_code == 302
    assert db.session.scalar(db.select(db.func.count(CasSession.ticket))) == 0


def test_single_logout_from_the_cas_ends_the_intranet_session(client, app, db, cas):
    _resp, callback, browser = cas_login(client, "cdupont", "secret-etu")
    assert client.get("/").status_code == 200
    bystander = app.test_client()
    cas_login(bystander, "mprof", "secret-prof")
    # the user logs out at the university (another application): the CAS tells every service
    browser.get(cas.url + "/logout", timeout=10)
    body = cas.logout_requests.get(timeout=15)
    assert callback.split("ticket=")[1] in body
    # the CAS posts it without any CSRF token
    assert client.post("/auth/cas", data={"logoutRequest": body}).status_code == 200
    assert client.get("/").status_code == 302
    assert bystander.get("/").status_code == 200


def test_other_posts_still_need_their_csrf_token(client, cas):
    cas_login(client, "mprof", "secret-prof")
    assert client.post("/deconnexion").status_code == 400


def test_local_login_can_be_switched_off_but_the_break_glass_admin_stays(client, app, make,
                                                                         db, monkeypatch, cas):
    admin = make.user("admin", email="secours@iut.fr")
    teacher = make.user("teacher", email="prof@iut.fr")
    db.session.commit()
    monkeypatch.setitem(app.config, "LOCAL_LOGIN_ENABLED", False)
    monkeypatch.setitem(app.config, "BREAK_GLASS_EMAILS", ())
    page = client.get("/connexion").get_data(as_text=True)
    assert "Se connecter avec l’ENT" in page and 'name="password"' not in page
    monkeypatch.setitem(app.config, "BREAK_GLASS_EMAILS", ("secours@iut.fr",))
    assert "Accès de secours" in client.get("/connexion").get_data(as_text=True)
    refused = client.post("/connexion", data={"email": teacher.email, "password": TEST_PASSWORD,
                                              "csrf_token": csrf_token(client)})
    assert "incorrect" in refused.get_data(as_text=True)
    assert login(client, admin).status_code in (302, 303)
