"""Property-based: random and malformed values posted to every form never give a 500."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_routes import world  # noqa: F401  (fixture)


def _field_names() -> list[str]:
    import app.accounts.forms  # noqa: F401
    import app.applications.forms  # noqa: F401
    import app.conventions.forms  # noqa: F401
    import app.defenses.forms  # noqa: F401
    import app.hosts.forms  # noqa: F401
    import app.internships.forms  # noqa: F401
    import app.offers.forms  # noqa: F401
    import app.tracks.forms  # noqa: F401
    import app.tutoring.forms  # noqa: F401
    import app.years.forms  # noqa: F401
    from app.web.forms import BaseForm

    names = {"status", "version", "comment", "ids", "slot", "student_id", "teacher_id",
             "team_id", "with_student_id", "second_teacher_id", "academic_tutor_id", "amount",
             "checked", "active", "back", "scope_offer", "q", "objective-1", "defense",
             "grade", "welcome", "appreciation", "pair", "plan", "drop", "list", "page",
             "apage", "taught"}
    stack = list(BaseForm.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        names.update(k for k, v in vars(cls).items() if hasattr(v, "field_class"))
    return sorted(names)


FIELDS = _field_names()
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "2027-02-30", "2027-04-08", "9999-12-31",
                     "12:61", "2027-09-06T09:00", "1|2027-09-06T09:00", "<script>x</script>",
                     "' OR 1=1 --", "\x00", "é" * 300, "99999999999999999999", "on", "y",
                     "1:1", "²:5", "1:2;3:4;x:y", "waiting", "/\\evil.example",
                     "2147483648", "9223372036854775808", "-2147483649", "a\x00b",
                     "\x01\x1b[0m", "١٢", "0001-01-01", "9999-12-31T23:59", "x" * 5000]),
    st.integers(min_value=-10**12, max_value=10**12).map(str),
)


def _posts(app, ids):
    out = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint in (
                "accounts.login", "accounts.logout", "accounts.logout_everywhere"):
            continue  # the fuzzing client stays logged in
        values = {a: ids.get(a, 1) for a in rule.arguments}
        for a, v in (("action", "submit"), ("party", "student"), ("item", "programme"),
                     ("token", "x")):
            if a in values:
                values[a] = v
        with app.test_request_context():
            out.append(app.url_for(rule.endpoint, **values))
    return sorted(out)


@pytest.mark.parametrize("role", ["admin", "secretariat", "teacher", "owner"])
def test_random_posts_never_fail(app, make, world, role):  # noqa: F811
    from tests.conftest import Browser, login

    owner, ids = world
    user = owner if role == "owner" else make.user(role)
    if role == "teacher":
        user.is_coordinator = True
    client = app.test_client()
    login(client, user)
    browser = Browser(client, user)
    token = browser.token
    posts = _posts(app, ids)

    @settings(max_examples=120, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(url=st.sampled_from(posts),
           data=st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
           htmx=st.booleans())
    def check(url, data, htmx):
        headers = {"X-CSRFToken": token}
        if htmx:
            headers["HX-Request"] = "true"
        resp = client.post(url, data=data, headers=headers)
        assert resp.status_code < 500, f"{url} {data!r}: {resp.status_code}"

    check()


API_PARAMETERS = ("start", "end", "weekly_hours", "days", "rate", "zone", "holidays_worked")
DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)).map(str)


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.fixed_dictionaries(
    {"start": DATES, "end": DATES},
    optional={"weekly_hours": st.one_of(VALUES, st.decimals(allow_nan=True).map(str)),
              "days": st.one_of(VALUES, st.lists(st.sampled_from(
                  ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "x"])).map(",".join)),
              "rate": st.one_of(VALUES, st.decimals(allow_nan=True).map(str)),
              "zone": st.one_of(VALUES, st.sampled_from(["metropole", "alsace-moselle"])),
              "holidays_worked": VALUES}) | st.dictionaries(st.sampled_from(API_PARAMETERS),
                                                            VALUES, max_size=7))
def test_gratification_api_answers_json_to_any_query(client, params):
    """The JSON endpoint answers 200 with a result, or 400 naming the faulty parameter in
    French; never a server error, never HTML."""
    from app.extensions import limiter

    limiter.reset()
    resp = client.get("/api/v1/gratification", query_string=params)
    assert resp.status_code in (200, 400), f"{params!r}: {resp.status_code}"
    data = resp.get_json()
    assert data is not None, f"{params!r}: not JSON"
    if resp.status_code == 400:
        assert data["error"]["parameter"] in API_PARAMETERS
        assert data["error"]["message"]
    else:
        assert data["hours"] >= 0 and "total" in data
