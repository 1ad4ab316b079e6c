import pytest
import sqlalchemy as sa

from app import create_app
from app.accounts.models import User
from app.hosts.models import Host
from app.offers.models import Offer
from config import ProductionConfig
from tests.conftest import text


def test_security_headers_and_csp_without_inline_script(client, as_role):
    for resp in (client.get("/connexion"), as_role("student").get("/offres/")):
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        body = text(resp)
        assert "<script>" not in body and " onclick=" not in body and " style=" not in body


def test_session_cookie_is_httponly_and_lax(client, make):
    from tests.conftest import login
    resp = login(client, make.user("student"))
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_public_url(monkeypatch):
    """The links of emails are made on PUBLIC_URL: production does not start without it."""
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    for missing in ("", "stages.example"):
        monkeypatch.setenv("PUBLIC_URL", missing)
        with pytest.raises(RuntimeError, match="PUBLIC_URL"):
            create_app(ProductionConfig)
    monkeypatch.delenv("PUBLIC_URL")
    with pytest.raises(RuntimeError, match="PUBLIC_URL"):
        ProductionConfig.check()


def test_the_benchmark_starts_the_production_app_with_its_public_url():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_run", Path(__file__).resolve().parents[1] / "bench" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.env_for("sqlite://", 8123)["PUBLIC_URL"] == "http://127.0.0.1:8123"
    assert bench.env_for("sqlite://")["PUBLIC_URL"].startswith("http://127.0.0.1")


def test_production_uses_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_unknown_page_gives_a_french_404(as_role):
    resp = as_role("student").get("/nulle-part")
    assert resp.status_code == 404 and "Page introuvable" in text(resp)


def test_unexpected_error_gives_a_clean_page_and_plain_message_for_htmx(app, as_role,
                                                                     monkeypatch):
    from app.offers import services

    def boom(*a, **k):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "offers_query", boom)
    b = as_role("student")
    resp = b.get("/offres/")
    assert resp.status_code == 500 and "rien n’a été enregistré" in text(resp)
    assert "database went away" not in text(resp)
    resp = b.get("/offres/", htmx=True)
    assert resp.status_code == 500 and resp.mimetype == "text/plain"


def test_an_error_after_the_action_was_saved_says_it_was_saved(app, as_role, monkeypatch, db):
    import app.home as home
    from app.notifications.models import Notification

    b = as_role("student")

    def saved_then_boom(*a, **k):
        db.session.add(Notification(user_id=b.user.id, message="enregistrée"))
        db.session.commit()
        raise RuntimeError("template went away")

    monkeypatch.setattr(home, "render", saved_then_boom)
    resp = b.get("/")
    assert resp.status_code == 500
    assert "est bien enregistré" in text(resp) and "rien n’a été enregistré" not in text(resp)
    assert db.session.query(Notification).filter_by(message="enregistrée").count() == 1


def test_seed_demo_is_realistic_and_idempotent(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.query(User).count(), db.session.query(Host).count(),
              db.session.query(Offer).count())
    assert db.session.query(User).filter_by(role="student").count() >= 120
    assert db.session.query(User).filter_by(role="teacher").count() == 12
    assert db.session.query(User).filter_by(role="secretariat").count() == 2
    assert db.session.query(User).filter_by(role="student", track="apprentice",
                                            cohort="BUT3").count() > 0
    assert counts[1] == 61 and counts[2] == 150  # 60 hosts and the archives in Barcelona
    assert {d for (d,) in db.session.query(Offer.domain).distinct()} == {
        "documentation", "archives", "data"}
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert (db.session.query(User).count(), db.session.query(Host).count(),
            db.session.query(Offer).count()) == counts
    skipped = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "rien à faire" in skipped.output


def test_import_students_command(app, db, tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text("nom;prenom;email;promotion;groupe;parcours\n"
                    "Martin;Léa;lea@test-iut.fr;BUT3;A;initial\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-students", str(good)])
    assert result.exit_code == 0 and "lea@test-iut.fr;" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("nom;prenom;email;promotion;groupe;parcours\n"
                   "Roux;Tom;tom@test-iut.fr;BUT7;A;initial\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import-students", str(bad)])
    assert result.exit_code != 0 and "ligne 2" in result.output
    assert db.session.query(User).filter_by(email="tom@test-iut.fr").count() == 0


def test_postgresql_connections_run_without_jit(app, db):
    """The JIT compiled the short queries of the lists for longer than they ran."""
    from config import engine_options

    pg = engine_options("postgresql+psycopg://u@h/d", {"pool_pre_ping": True})
    assert pg["connect_args"] == {"options": "-c jit=off"} and pg["pool_pre_ping"]
    assert "connect_args" not in engine_options("sqlite:///x.db", {})
    if db.engine.dialect.name == "postgresql":
        assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"


def test_gunicorn_workers_freeze_what_lives_as_long_as_they_do():
    """gunicorn.conf.py: the garbage collector no longer scans the app's own objects."""
    import gc
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(__file__).resolve().parent.parent / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    try:
        conf.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_jit_off_joins_connection_options_already_set():
    from config import engine_options

    given = {"connect_args": {"options": "-c statement_timeout=5000"}}
    assert engine_options("postgresql://h/d", given)["connect_args"]["options"] == (
        "-c statement_timeout=5000 -c jit=off")
    assert given["connect_args"]["options"] == "-c statement_timeout=5000"  # not changed
