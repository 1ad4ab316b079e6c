"""Sessions the server can end: password change, deactivation, logout, « tous les appareils »,
idle expiry; the current password is rate-limited like the login."""
from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD, Browser, csrf_token, login, text


def _logged_in(app, user) -> Browser:
    client = app.test_client()
    login(client, user)
    return Browser(client, user)


def _works(browser: Browser) -> bool:
    resp = browser.get("/offres/")
    if resp.status_code == 200:
        return True
    assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]
    return False


def _copy_cookie(source, target) -> None:
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, make):
    user = make.user("student")
    phone, laptop = _logged_in(app, user), _logged_in(app, user)
    assert _works(phone) and _works(laptop)
    resp = laptop.post("/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": "nouveau-mot-de-passe",
        "confirm": "nouveau-mot-de-passe"})
    assert resp.status_code == 303
    assert _works(laptop)
    assert not _works(phone)
    page = phone.client.get("/offres/", follow_redirects=True)
    assert "Votre session a été fermée" in text(page)


def test_a_cookie_copied_before_logout_is_refused_after_it(app, make):
    user = make.user("teacher")
    browser = _logged_in(app, user)
    thief = app.test_client()
    _copy_cookie(browser.client, thief)
    assert thief.get("/offres/").status_code == 200
    assert browser.post("/deconnexion").status_code == 303
    resp = thief.get("/offres/")
    assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]


def test_deactivation_then_reactivation_does_not_revive_old_sessions(app, make, as_role, db):
    student = make.user("student")
    old = _logged_in(app, student)
    admin = as_role("admin")
    db.session.refresh(student)
    resp = admin.post(f"/admin/utilisateurs/{student.id}/activation",
                      data={"active": "0", "version": student.version_id})
    assert resp.status_code == 303
    db.session.refresh(student)
    admin.post(f"/admin/utilisateurs/{student.id}/activation",
               data={"active": "1", "version": student.version_id})
    db.session.refresh(student)
    assert student.active
    assert not _works(old)
    assert _works(_logged_in(app, student))  # a new login works


def test_log_out_of_every_device(app, make):
    user = make.user("secretariat")
    here, there = _logged_in(app, user), _logged_in(app, user)
    page = here.get("/mot-de-passe")
    assert "Se déconnecter de tous les appareils" in text(page)
    resp = here.post("/deconnexion/partout")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/connexion")
    assert not _works(here) and not _works(there)
    # Without the CSRF token, nothing happens
    again = _logged_in(app, user)
    assert again.client.post("/deconnexion/partout").status_code == 400
    assert _works(again)


def test_logout_everywhere_over_htmx_redirects_the_whole_page(app, make):
    browser = _logged_in(app, make.user("student"))
    resp = browser.post("/deconnexion/partout", htmx=True)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/connexion"


@pytest.fixture
def clock(monkeypatch):
    from app.accounts import auth

    now = [1_900_000_000.0]
    monkeypatch.setattr(auth, "clock", lambda: now[0])

    def advance(minutes: float) -> None:
        now[0] += minutes * 60

    return advance


def test_idle_session_expires_and_activity_keeps_it(app, make, clock):
    assert app.config["SESSION_IDLE_MINUTES"] == 120
    browser = _logged_in(app, make.user("student"))
    clock(119)
    assert _works(browser)
    clock(119)
    assert _works(browser)  # each request counts as activity
    clock(121)
    resp = browser.get("/offres/")
    assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]
    assert "Votre session a expiré" in text(browser.client.get(resp.headers["Location"]))
    assert not _works(browser)  # it stays ended


def test_expired_session_on_htmx_answers_401_with_hx_redirect_to_login(app, make, clock):
    browser = _logged_in(app, make.user("teacher"))
    clock(121)
    resp = browser.get("/offres/?q=archives", htmx=True)
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/connexion?next=")
    assert resp.get_data() == b""  # never a login page swapped into a table cell


def test_a_session_without_generation_is_refused(app, make):
    """A session made before generations existed (or rebuilt from a remember-me cookie)
    does not log anyone in."""
    user = make.user("student")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    resp = client.get("/offres/")
    assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]


def test_wrong_current_passwords_are_rate_limited(app, make):
    browser = _logged_in(app, make.user("student"))
    statuses = [browser.post("/mot-de-passe", data={
        "current_password": f"faux-{n}", "password": "nouveau-mot-de-passe",
        "confirm": "nouveau-mot-de-passe"}).status_code for n in range(11)]
    assert statuses[:10] == [200] * 10  # TestingConfig: 10 per minute, like the login
    assert statuses[10] == 429
    resp = browser.post("/mot-de-passe", data={
        "current_password": TEST_PASSWORD, "password": "nouveau-mot-de-passe",
        "confirm": "nouveau-mot-de-passe"})
    assert resp.status_code == 429 and "Trop de tentatives" in text(resp)


def test_current_password_limit_follows_the_user_across_addresses(app, make):
    browser = _logged_in(app, make.user("student"))
    for n in range(10):
        address = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        resp = browser.post("/mot-de-passe", data={
            "current_password": "faux", "password": "nouveau-mot-de-passe",
            "confirm": "nouveau-mot-de-passe"}, environ_base=address)
        assert resp.status_code == 200
    resp = browser.post("/mot-de-passe", data={
        "current_password": "faux", "password": "nouveau-mot-de-passe",
        "confirm": "nouveau-mot-de-passe"}, environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert resp.status_code == 429


def test_login_form_gets_a_fresh_token_after_logout(app, make):
    user = make.user("student")
    browser = _logged_in(app, user)
    browser.post("/deconnexion")
    token = csrf_token(browser.client)
    resp = browser.client.post("/connexion", data={"email": user.email,
                                                   "password": TEST_PASSWORD,
                                                   "csrf_token": token})
    assert resp.status_code in (302, 303)
    assert _works(browser)
