"""Hostile inputs answer 4xx (or the page with a clear message), never a server error, on
SQLite and on PostgreSQL: control characters, ids beyond the columns, query keys that
collide with ``url_for``'s own, non-ASCII digits, far dates, oversized searches."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token, text
from tests.security.test_routes import world  # noqa: F401  (fixture)

# The pages with a list and filters, as their users reach them
LISTS = ["/", "/admin/utilisateurs", "/organismes/", "/offres/", "/stages/", "/stages/suivi",
         "/candidatures", "/conventions/", "/tutorat/", "/tutorat/vue-ensemble",
         "/tutorat/mes-tutores", "/alternants", "/projets", "/soutenances/", "/evaluations/",
         "/retours/", "/retours/bonnes-pratiques", "/retours/moderation", "/statistiques/",
         "/notifications/", "/annees/", "/simulateur", "/organismes/choix",
         "/stages/etudiants/choix", "/tutorat/preferences/etudiants", "/stages/nouveau",
         "/offres/nouvelle"]
RESERVED = ["fmt", "_external", "_scheme", "_method", "_anchor", "endpoint", "values",
            "page", "_external_host"]
HOSTILE = ["\x00", "a\x00b", "\x01\x1b[31m", "x" * 5000, "²", "١٢", "2147483648",
           "9223372036854775808", "-1", "0", "1e309", "NaN", "9999-12-31", "0001-01-01",
           "https://evil.example", "//evil.example", "<script>", "' OR 1=1 --", "%00", ""]


def _staff(app, make, role="admin"):
    from tests.conftest import Browser, login

    user = make.user(role)
    if role == "teacher":
        user.is_coordinator = True
    client = app.test_client()
    login(client, user)
    return Browser(client, user)


# ------------------------------------------------------------------ control characters


def test_nul_in_the_login_email_is_a_wrong_login(client):
    token = csrf_token(client)
    resp = client.post("/connexion", data={"email": "a\x00@test-iut.fr", "password": "x",
                                           "csrf_token": token})
    assert resp.status_code == 200
    assert "incorrect" in text(resp) or "adresse" in text(resp).lower()


def test_nul_in_the_calendar_token_is_not_found(client):
    assert client.get("/soutenances/calendrier/abc%00def.ics").status_code == 404
    assert client.get("/evaluations/lien/abc%00def").status_code in (404, 410)


def test_nul_and_controls_in_a_form_are_dropped(app, make, db):
    from app.hosts.models import Host

    b = _staff(app, make, "secretariat")
    resp = b.post("/organismes/nouveau", data={
        "name": "Archives\x00 départementales\x07", "city": "Ly\x00on", "country": "France",
        "description": "Ligne 1\r\nLigne\t2\x00"})
    assert resp.status_code in (200, 303), resp.status_code
    host = db.session.query(Host).filter(Host.name.like("Archives%")).one()
    assert host.name == "Archives départementales" and host.city == "Lyon"


def test_nul_in_a_field_read_outside_a_form(app, make, world):  # noqa: F811
    owner, ids = world
    b = _staff(app, make, "secretariat")
    resp = b.post(f"/candidatures/{ids['application_id']}/statut",
                  data={"status": "interview\x00", "comment": "Bien\x00 reçu"})
    assert resp.status_code < 500


def test_nul_in_a_search(app, make):
    b = _staff(app, make)
    for url in LISTS:
        resp = b.get(url + "?q=a%00b&status=%00&year=%00")
        assert resp.status_code < 500, url


# ------------------------------------------------------------------ ids beyond the columns


@pytest.mark.parametrize("big", [2**31, 2**63, 10**30])
def test_ids_beyond_the_columns_are_not_found(app, make, big):
    b = _staff(app, make)
    for url in (f"/organismes/{big}", f"/offres/{big}", f"/stages/{big}",
                f"/candidatures/{big}", f"/conventions/{big}", f"/tutorat/suivi/{big}",
                f"/etudiants/{big}", f"/evaluations/{big}", f"/projets/{big}"):
        assert b.get(url).status_code == 404, url
    assert b.post(f"/organismes/{big}/modifier", data={}).status_code == 404


def test_ids_beyond_the_columns_in_forms(app, make):
    b = _staff(app, make, "secretariat")
    for value in ("2147483648", "9223372036854775808", "-9223372036854775809"):
        resp = b.post("/stages/nouveau", data={"student_id": value, "host_id": value,
                                               "offer_id": value, "subject": "S"})
        assert resp.status_code < 500, value
        resp = b.post("/offres/nouvelle", data={"host_id": value, "title": "T",
                                                "duration_weeks": value})
        assert resp.status_code < 500, value
        resp = b.get(f"/offres/nouvelle?host={value}")
        assert resp.status_code < 500, value


def test_int_or_none_refuses_values_beyond_the_columns():
    from app.web.forms import int_or_none

    assert int_or_none("2147483647") == 2147483647
    assert int_or_none("2147483648") is None
    assert int_or_none("²") is None and int_or_none("١٢") is None
    assert int_or_none(" 12 ") == 12


# ------------------------------------------------------------------ reserved query keys


def test_query_keys_that_url_for_owns_are_ignored(app, make):
    b = _staff(app, make)
    for url in LISTS:
        for query in ("fmt=x", "_external=1&_scheme=javascript", "_method=POST",
                      "endpoint=home.index", "_anchor=x", "values=1", "page=2&fmt=x"):
            resp = b.get(f"{url}?{query}")
            assert resp.status_code < 500, f"{url}?{query}: {resp.status_code}"
            assert "javascript:" not in text(resp), url


def test_pagination_links_keep_the_filters_but_not_reserved_keys(app, make):
    from app.web.pagination import page_url

    with app.test_request_context("/offres/?q=archives&_external=1&_scheme=javascript"
                                  "&_anchor=x&fmt=x&endpoint=y"):
        from flask import request

        request.url_rule = app.url_map.bind("localhost").match(
            "/offres/", return_rule=True)[0]
        url = page_url(2)
    assert url.startswith("/offres/?") and "q=archives" in url and "page=2" in url
    assert "javascript" not in url and "#" not in url and "_external" not in url
    assert "endpoint" not in url


# ------------------------------------------------------------------ non-ASCII digits


def test_non_ascii_digits_in_prefills(app, make):
    b = _staff(app, make, "secretariat")
    for value in ("²", "١٢", "𝟙"):
        assert b.get(f"/stages/nouveau?offer={value}&student={value}").status_code == 200
        assert b.get(f"/offres/nouvelle?host={value}").status_code == 200


# ------------------------------------------------------------------ far dates


@pytest.mark.parametrize("start,end,field", [
    ("9999-12-01", "9999-12-31", None), ("9999-12-31", "9999-12-31", None),
    ("0001-01-01", "0001-01-31", None), ("9998-12-01", "9999-12-31", None)])
def test_far_dates_in_the_gratification_api_give_json_400(client, start, end, field):
    resp = client.get("/api/v1/gratification", query_string={
        "start": start, "end": end, "weekly_hours": "35"})
    assert resp.status_code in (200, 400), resp.status_code
    data = resp.get_json()
    assert data is not None
    if resp.status_code == 400:
        assert data["error"]["parameter"] in ("start", "end")
        assert "doit être comprise entre 1900 et 2200" in data["error"]["message"]


def test_far_dates_in_the_simulator_give_a_form_error(client):
    resp = client.get("/simulateur", query_string={"start": "9999-12-01", "end": "9999-12-31",
                                                    "weekly_hours": "35"})
    assert resp.status_code == 200
    assert "La date de début doit être comprise entre 1900 et 2200." in text(resp)


# ------------------------------------------------------------------ oversized input


def test_a_huge_search_is_bounded(app, make, client):
    b = _staff(app, make)
    huge = "archives" * 12_500  # 100 kB
    for url in LISTS:
        resp = b.get(url, query_string={"q": huge})
        assert resp.status_code < 500, url
        assert len(resp.headers.get("Location", "")) < 4000, url
    resp = client.get("/offres/", query_string={"q": huge})  # anonymous: to the login page
    assert resp.status_code == 302 and len(resp.headers["Location"]) < 4000
    resp = b.post("/tutorat/affecter", data={"q": huge, "teacher_id": "1"})
    assert resp.status_code < 500 and len(resp.headers.get("Location", "")) < 4000


# ------------------------------------------------------------------ fuzz


QUERY_KEYS = ["q", "status", "role", "year", "page", "apage", "sort", "domain", "country",
              "city", "host", "offer", "student", "cohort", "track", "kind", "field",
              "blank", "min_pay", "mine", "remote", "ids", "start", "end"] + RESERVED
FUZZ_VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12),
                        st.integers(min_value=-2**70, max_value=2**70).map(str))


def test_fuzz_list_query_strings(app, make, world):  # noqa: F811
    """Hostile values under every query key of every list page, as a coordinator: a 4xx or
    the page, never a 500 (run on PostgreSQL in CI too)."""
    b = _staff(app, make, "teacher")
    admin = _staff(app, make, "admin")

    @settings(max_examples=300, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(url=st.sampled_from(LISTS), who=st.booleans(), htmx=st.booleans(),
           query=st.lists(st.tuples(st.sampled_from(QUERY_KEYS), FUZZ_VALUES), max_size=5))
    def check(url, who, htmx, query):
        browser = admin if who else b
        resp = browser.get(url, query_string=query, htmx=htmx)
        assert resp.status_code < 500, f"{url} {query!r}: {resp.status_code}"

    check()


def test_fuzz_dates_around_the_calendar_edges(client):
    edge = st.one_of(st.dates(min_value=date(9990, 1, 1), max_value=date(9999, 12, 31)),
                     st.dates(min_value=date(1, 1, 1), max_value=date(10, 12, 31))).map(str)

    @settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(start=edge, end=edge)
    def check(start, end):
        from app.extensions import limiter

        limiter.reset()
        resp = client.get("/api/v1/gratification", query_string={
            "start": start, "end": end, "weekly_hours": "35"})
        assert resp.status_code in (200, 400) and resp.get_json() is not None, (start, end)
        resp = client.get("/simulateur", query_string={"start": start, "end": end,
                                                        "weekly_hours": "35"})
        assert resp.status_code == 200, (start, end)

    check()


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "-9223372036854775809",
                                   "a\x00b", "١٢"])
def test_every_form_with_every_field_hostile(app, make, world, value):  # noqa: F811
    """Each POST route gets the same hostile value in every field name the forms know."""
    from tests.conftest import Browser, login
    from tests.security.test_fuzz_forms import FIELDS, _posts

    owner, ids = world
    posts = _posts(app, ids)
    for user in (make.user("admin"), make.user("secretariat"), owner):
        client = app.test_client()
        login(client, user)
        token = Browser(client, user).token
        for url in posts:
            data = {name: value for name in FIELDS}
            resp = client.post(url, data=data, headers={"X-CSRFToken": token})
            assert resp.status_code < 500, f"{user.role} {url} {value!r}: {resp.status_code}"
        assert client.get("/offres/").status_code == 200  # still logged in: the posts counted


def test_form_numbers_stay_within_the_columns(app):
    from wtforms import IntegerField, SelectField

    from app.web.forms import BaseForm

    class F(BaseForm):
        class Meta:
            csrf = False

        n = IntegerField("n")
        pick = SelectField("pick", coerce=int, validate_choice=False)

    from werkzeug.datastructures import MultiDict

    with app.test_request_context():
        form = F(MultiDict({"n": "2147483648", "pick": "9223372036854775808"}))
        assert not form.validate()
        assert form.n.errors == ["Ce nombre est trop grand."]
        assert form.pick.data is None and form.pick.errors
        form = F(MultiDict({"n": "12", "pick": "١٢"}))
        assert not form.validate() and form.n.data == 12 and form.pick.errors
        form = F(MultiDict({"n": "12", "pick": "34"}))
        assert form.validate() and (form.n.data, form.pick.data) == (12, 34)
