from tests.conftest import TEST_PASSWORD, Browser, csrf_token, login, text


def test_login_page_is_french_and_login_works(client, make):
    user = make.user("student", first_name="Léa")
    page = client.get("/connexion")
    assert "Se connecter" in text(page)
    resp = login(client, user)
    assert resp.headers["Location"].endswith("/")
    home = client.get("/")
    assert "Bonjour Léa" in text(home)


def test_wrong_credentials_give_a_clear_message(client, make):
    user = make.user("teacher")
    token = csrf_token(client)
    for email, password in ((user.email, "mauvais"), ("inconnu@test-iut.fr", TEST_PASSWORD)):
        resp = client.post("/connexion", data={"email": email, "password": password,
                                               "csrf_token": token})
        assert resp.status_code == 200
        assert "Adresse électronique ou mot de passe incorrect." in text(resp)
    assert "Bonjour" not in text(client.get("/", follow_redirects=True))


def test_deactivated_user_cannot_log_in_and_is_logged_out(client, make, db):
    user = make.user("student")
    login(client, user)
    user.active = False
    db.session.commit()
    resp = client.get("/offres/")
    assert resp.status_code == 302 and "/connexion" in resp.headers["Location"]
    token = csrf_token(client)
    resp = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": token})
    assert "incorrect" in text(resp)


def test_login_is_rate_limited(client, make):
    user = make.user("student")
    token = csrf_token(client)
    statuses = [client.post("/connexion", data={"email": user.email, "password": "x",
                                                "csrf_token": token}).status_code
                for _ in range(11)]
    assert statuses[:10] == [200] * 10  # TestingConfig: 10 per minute
    assert statuses[10] == 429
    resp = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": token})
    assert resp.status_code == 429
    assert "Trop de tentatives" in text(resp)


def test_login_without_csrf_token_is_refused(client, make):
    user = make.user("student")
    resp = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD})
    assert resp.status_code == 400
    assert "jeton CSRF" in text(resp)


def test_next_parameter_only_redirects_inside_the_site(client, make):
    user = make.user("student")
    token = csrf_token(client)
    resp = client.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": token, "next": "//evil.example/x"})
    assert resp.headers["Location"] == "/"
    client2 = client.application.test_client()
    token = csrf_token(client2)
    resp = client2.post("/connexion", data={"email": user.email, "password": TEST_PASSWORD,
                                            "csrf_token": token, "next": "/organismes/"})
    assert resp.headers["Location"] == "/organismes/"


def test_anonymous_page_request_goes_to_login_with_next(client):
    resp = client.get("/offres/?q=archives")
    assert resp.status_code == 302
    assert "/connexion?next=" in resp.headers["Location"]


def test_expired_session_on_htmx_request_answers_401_with_hx_redirect(client):
    resp = client.get("/offres/?q=x", headers={"HX-Request": "true"})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/connexion")
    assert resp.get_data() == b""


def test_logout_needs_post_with_csrf(as_role):
    b = as_role("student")
    assert b.client.get("/deconnexion").status_code == 405
    assert b.client.post("/deconnexion").status_code == 400
    assert b.get("/offres/").status_code == 200
    resp = b.post("/deconnexion")
    assert resp.status_code == 303
    assert b.get("/offres/").status_code == 302


def test_change_password_flow(as_role):
    b = as_role("teacher")
    resp = b.post("/mot-de-passe", {"current_password": "faux", "password": "nouveau-secret-1",
                                    "confirm": "nouveau-secret-1"})
    assert resp.status_code == 200
    assert "Le mot de passe actuel est incorrect." in text(resp)
    resp = b.post("/mot-de-passe", {"current_password": TEST_PASSWORD, "password": "court",
                                    "confirm": "court"}, htmx=True)
    assert resp.status_code == 200
    assert "au moins 10 caractères" in text(resp)
    assert "<html" not in text(resp)  # only the form fragment came back
    resp = b.post("/mot-de-passe", {"current_password": TEST_PASSWORD,
                                    "password": "nouveau-secret-1",
                                    "confirm": "nouveau-secret-1"}, htmx=True)
    assert resp.status_code == 204 and resp.headers["HX-Redirect"] == "/"
    fresh = b.client.application.test_client()
    login(fresh, b.user, "nouveau-secret-1")


def test_temporary_password_must_be_changed_first(app, make):
    user = make.user("student", must_change_password=True)
    c = app.test_client()
    login(c, user)
    resp = c.get("/offres/")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/mot-de-passe")
    b = Browser(c, user)
    b.post("/mot-de-passe", {"current_password": TEST_PASSWORD, "password": "mon-secret-a-moi",
                             "confirm": "mon-secret-a-moi"})
    assert c.get("/offres/").status_code == 200
