"""Test fixtures: one app per session on its own database, emptied after every test.

SQLite by default (a file in a temporary folder). With ``DATABASE_URL`` pointing to a
PostgreSQL server, the suite creates its own database there and drops it at the end;
it never touches another database. The schema is built by the Alembic migrations.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import uuid
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import g, request_started
from flask_migrate import upgrade

from app import create_app
from app.extensions import db as _db
from app.extensions import limiter
from config import TestingConfig

TEST_PASSWORD = "motdepasse-test-1"


def _postgres_server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        url = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)
        return url
    return None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = _postgres_server_url()
    if server is None:
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
        return
    name = f"intranet_test_{uuid.uuid4().hex[:10]}"
    admin_url = sa.engine.make_url(server).set(database="postgres")
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _fresh_request_globals(sender, **extra):
    g.__dict__.clear()


@pytest.fixture(scope="session")
def app(database_url):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashes for tests only

    application = create_app(Config)
    # Tests keep an app context pushed, and Flask reuses it for each request: start every
    # request with an empty ``g``, as a real server does (no user cached from the last one).
    request_started.connect(_fresh_request_globals, application)
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request, app):
    """Every test starts from empty tables and a fresh rate limiter."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    yield
    _db.session.rollback()
    _db.session.remove()
    with _db.engine.begin() as conn:
        for table in reversed(_db.metadata.sorted_tables):
            conn.execute(table.delete())
    ctx.pop()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


# ------------------------------------------------------------------ factories

class Factory:
    def __init__(self):
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def user(self, role="student", *, email=None, first_name="Camille", last_name=None,
             cohort="BUT3", track="initial", group="A", active=True, password=TEST_PASSWORD,
             must_change_password=False):
        from app.accounts.models import User
        from app.accounts.services import hash_password

        n = self._next()
        user = User(
            email=email or f"{role}{n}@test-iut.fr", first_name=first_name,
            last_name=last_name or f"Test{n}", role=role, active=active,
            cohort=cohort if role == "student" else None,
            track=track if role == "student" else None,
            group_name=group if role == "student" else None,
            password_hash=hash_password(password), must_change_password=must_change_password,
        )
        _db.session.add(user)
        _db.session.commit()
        return user

    def host(self, name=None, city="Lyon", country="France", **kw):
        from app.hosts import services

        n = self._next()
        return services.create_host(services.HostData(
            name=name or f"Archives municipales {n}", city=city, country=country, **kw))

    def offer(self, host=None, status="published", author=None, **kw):
        from app.offers import services

        host = host or self.host()
        author = author or self.user("secretariat")
        defaults = dict(
            title=f"Stage n°{self._next()}", host_id=host.id, domain="archives",
            description="Un stage au sein du service.", city=host.city,
            country=host.country, start_date=date(2027, 4, 12), duration_weeks=12,
            weekly_hours=Decimal("35"), gratification_monthly=Decimal("693.00"),
            deadline=date(2027, 3, 1),
        )
        defaults.update(kw)
        offer = services.create_offer(services.OfferData(**defaults), author)
        if status != "draft":
            if status == "archived":
                services.change_status(offer, "archived", offer.version_id)
            else:
                services.change_status(offer, "published", offer.version_id)
                if status == "closed":
                    services.change_status(offer, "closed", offer.version_id)
        return offer


@pytest.fixture
def make():
    return Factory()


# ------------------------------------------------------------------ HTTP helpers

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_token(client, path="/connexion") -> str:
    page = client.get(path, follow_redirects=True)
    m = CSRF_RE.search(page.get_data(as_text=True))
    assert m, f"no CSRF token on {path}"
    return m.group(1) or m.group(2)


def login(client, user, password=TEST_PASSWORD):
    token = csrf_token(client)
    resp = client.post("/connexion", data={"email": user.email, "password": password,
                                           "csrf_token": token})
    assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:500]
    return resp


class Browser:
    """A logged-in test client that adds the CSRF token to unsafe requests, like the pages do."""

    def __init__(self, client, user=None):
        self.client = client
        self.user = user
        self._token = None

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = csrf_token(self.client, "/" if self.user else "/connexion")
        return self._token

    def get(self, url, htmx=False, **kw):
        headers = kw.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.get(url, headers=headers, **kw)

    def post(self, url, data=None, htmx=False, **kw):
        headers = kw.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.token
        data = dict(data or {})
        if not htmx:
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, headers=headers, **kw)


def browser_for(app, user) -> Browser:
    """A Browser logged in as an existing ``user``."""
    c = app.test_client()
    login(c, user)
    return Browser(c, user)


@pytest.fixture
def as_role(app, make):
    """``as_role("secretariat")`` gives a Browser logged in as a new user of that role."""

    def _as(role="student", **kw):
        user = make.user(role, **kw)
        c = app.test_client()
        login(c, user)
        return Browser(c, user)

    return _as


@pytest.fixture
def count_queries(app):
    @contextmanager
    def counter():
        statements: list[str] = []
        # Requests share the test's session: forget what it holds, as a new request would.
        _db.session.expire_all()

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(_db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(_db.engine, "before_cursor_execute", before)

    return counter


def text(resp) -> str:
    return resp.get_data(as_text=True)


def page(resp) -> str:
    """The page's text with its non-breaking spaces as plain ones."""
    return text(resp).replace("\u202f", " ").replace("\u00a0", " ")



# ------------------------------------------------------------------ mail and files


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append({"to": envelope.rcpt_tos, "subject": message["subject"],
                              "body": message.get_body().get_content()})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if address in m["to"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on localhost; the app sends its mail there during the test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = "127.0.0.1", controller.port
    try:
        yield inbox
    finally:
        app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = saved
        controller.stop()


PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
       b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def pdf():
    return PDF
