"""Configuration classes, read from the environment.

`create_app()` picks one from ``FLASK_CONFIG`` (development, testing, production);
the database comes from ``DATABASE_URL`` (SQLite file under ``instance/`` by default).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{BASE_DIR / 'instance' / 'intranet.db'}"
    # Accept the usual postgres:// spelling and use the psycopg 3 driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _extra_domains() -> list[tuple[str, str]]:
    """OFFER_EXTRA_DOMAINS="records:Records management,museo:Muséologie" adds domains."""
    raw = os.environ.get("OFFER_EXTRA_DOMAINS", "")
    pairs = []
    for item in raw.split(","):
        if ":" in item:
            code, label = item.split(":", 1)
            if code.strip() and label.strip():
                pairs.append((code.strip(), label.strip()))
    return pairs


def engine_options(url: str, base: dict) -> dict:
    """``base`` with what the database of ``url`` needs (``create_app`` applies it to the
    final URL, whichever configuration set it)."""
    options = dict(base)
    if url.startswith("postgresql") and os.environ.get("PG_JIT", "0") != "1":
        # The pages' queries are short; PostgreSQL's JIT compiles any query it estimates
        # costly, which cost up to 170 ms per request on lists that run in 30 ms without it.
        args = dict(options.get("connect_args", {}))
        if "jit" not in args.get("options", ""):
            args["options"] = (args.get("options", "") + " -c jit=off").strip()
        options["connect_args"] = args
    return options


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"  # 0: benchmark only
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Production: memory storage only when one process serves (each worker would count apart)
    RATELIMIT_SINGLE_WORKER = os.environ.get("RATELIMIT_SINGLE_WORKER", "0") == "1"
    # A session left idle this long is ended (its next request goes to the login page)
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "120") or 120)
    HSTS = False  # Strict-Transport-Security on every response (production)
    # The server's limit on a request: well above the 5 MB of a PDF, so that a larger file
    # is refused next to its field with what was typed kept, not by a bare 413 page.
    MAX_CONTENT_LENGTH = 40 * 1024 * 1024
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0") or 0)
    # rows per page: the lists one browses (offers, hosts, applications, users), and the year's
    # working lists where staff tick and act on rows (the BUT3 follow-up, the tutor board)
    PER_PAGE = 20
    WORK_LIST_PER_PAGE = 50
    COUNTRIES_CACHE_SECONDS = 60  # the offers filter's country list
    # the statistics page shows the year's figures as counted at most this long ago
    FIGURES_MAX_AGE_SECONDS = int(os.environ.get("FIGURES_MAX_AGE_SECONDS", "600"))
    # Domains of offers: the department's three, plus any added by setting.
    OFFER_DOMAINS = [
        ("documentation", "Documentation"),
        ("archives", "Archives"),
        ("data", "Données"),
        *_extra_domains(),
    ]
    CSV_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    # Email: SMTP when MAIL_SERVER is set, else messages are printed to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25") or 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "") in ("1", "true", "yes")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Intranet des stages <stages@localhost>")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10") or 10)  # seconds per SMTP exchange
    # Emails wait in the outbox table and leave after the commit of the action: through the
    # RQ worker (`flask --app wsgi worker`) when REDIS_URL is set, in-process otherwise.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RQ_QUEUE = os.environ.get("RQ_QUEUE", "intranet")
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "5") or 5)
    # First retry after this many seconds, each next one 5 times later (1 min, 5, 25, ~2 h)
    OUTBOX_RETRY_SECONDS = int(os.environ.get("OUTBOX_RETRY_SECONDS", "60") or 60)
    # Without REDIS_URL, the scheduled jobs (app/rules/schedule.py) run in a thread of the
    # serving process; 0 leaves them to `flask --app wsgi run-due-jobs` (cron).
    JOBS_IN_PROCESS = os.environ.get("JOBS_IN_PROCESS", "1") != "0"
    # Exports of more rows than this are produced in the background
    EXPORT_BACKGROUND_ROWS = int(os.environ.get("EXPORT_BACKGROUND_ROWS", "3000") or 3000)
    # A background export's file is kept this many days, then deleted by the nightly job
    EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7") or 7)
    PROGRAMME_TITLE = os.environ.get(
        "PROGRAMME_TITLE", "BUT Information-Communication, parcours documentation, archives et "
                           "données")
    # The school as the convention names it (the other party with the host and the student)
    SCHOOL_NAME = os.environ.get("SCHOOL_NAME", "IUT — Université")
    SCHOOL_ADDRESS = os.environ.get("SCHOOL_ADDRESS", "")
    SCHOOL_CITY = os.environ.get("SCHOOL_CITY", "Nîmes")
    DEPARTMENT_NAME = os.environ.get("DEPARTMENT_NAME", "Département Information-Communication")
    DEPARTMENT_HEAD = os.environ.get("DEPARTMENT_HEAD", "")
    EVALUATION_LINK_DAYS = int(os.environ.get("EVALUATION_LINK_DAYS", "30") or 30)
    ONE_YEAR_LINK_DAYS = int(os.environ.get("ONE_YEAR_LINK_DAYS", "90") or 90)
    EVALUATION_REMINDER_DAYS = int(os.environ.get("EVALUATION_REMINDER_DAYS", "7") or 7)
    BENCH_INSTRUMENT = os.environ.get("BENCH_INSTRUMENT") == "1"
    # e.g. https://stages.iut.example: the links in emails; required in production
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # CAS single sign-on (protocol 3.0): « Se connecter avec l’ENT » when the server is set,
    # e.g. https://cas.univ.example/cas
    CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "").rstrip("/")
    # 0: no password login, except the break-glass accounts listed in BREAK_GLASS_EMAILS
    LOCAL_LOGIN_ENABLED = os.environ.get("LOCAL_LOGIN_ENABLED", "1") != "0"
    BREAK_GLASS_EMAILS = tuple(e.strip().lower() for e in
                               os.environ.get("BREAK_GLASS_EMAILS", "").split(",") if e.strip())
    # The directory's reading (app/rules/directory.py): attribute names (JSON object, keys
    # uid, email, first_name, last_name, affiliation, step, group), study steps → cohort
    # (JSON object, e.g. {"BUT3-INFO": "BUT3"}), uids given the secretariat role.
    DIRECTORY_ATTRIBUTES = json.loads(os.environ.get("DIRECTORY_ATTRIBUTES", "") or "{}")
    DIRECTORY_STEPS = json.loads(os.environ.get("DIRECTORY_STEPS", "") or "{}")
    DIRECTORY_SECRETARIAT_UIDS = tuple(u.strip() for u in os.environ.get(
        "DIRECTORY_SECRETARIAT_UIDS", "").split(",") if u.strip())
    # LDAP directory sync (`flask --app wsgi sync-directory`)
    LDAP_URL = os.environ.get("LDAP_URL", "")  # ldap://ldap.univ.example or ldaps://...
    LDAP_BIND_DN = os.environ.get("LDAP_BIND_DN", "")
    LDAP_BIND_PASSWORD = os.environ.get("LDAP_BIND_PASSWORD", "")
    LDAP_BASE_DN = os.environ.get("LDAP_BASE_DN", "ou=people,dc=univ,dc=fr")
    LDAP_FILTER = os.environ.get(
        "LDAP_FILTER", "(|(eduPersonAffiliation=student)(eduPersonAffiliation=faculty)"
                       "(eduPersonAffiliation=teacher))")


class DevelopmentConfig(Config):
    DEBUG = True
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = True  # the suite checks CSRF, it does not switch it off
    LOGIN_RATE_LIMIT = "10 per minute"
    COUNTRIES_CACHE_SECONDS = 0
    FIGURES_MAX_AGE_SECONDS = 0  # counted at each view; tests/figures sets it to test the cache
    REDIS_URL = ""  # emails in-process; the RQ tests set their own queue
    JOBS_IN_PROCESS = False  # the tests run the jobs themselves
    PUBLIC_URL = "http://localhost"  # the test client's address: the emailed links open


class ProductionConfig(Config):
    # Secure cookies (HTTPS only); SESSION_COOKIE_SECURE=0 only for a local benchmark over HTTP.
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = True

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY must be set in production (export SECRET_KEY=... before starting)."
            )
        public = os.environ.get("PUBLIC_URL", "")
        if not public.startswith(("https://", "http://")):
            raise RuntimeError(
                "PUBLIC_URL must be set in production, to the address people open the "
                "intranet at (export PUBLIC_URL=https://stages.iut.example): the links sent "
                "by email (evaluations, notifications) are made on it, never on whatever "
                "host a request or the command line happened to name."
            )
        storage = cls.RATELIMIT_STORAGE_URI or "memory://"
        if cls.RATELIMIT_ENABLED and storage.startswith("memory://"):
            workers = int(os.environ.get("WEB_CONCURRENCY", "1") or 1)
            if not cls.RATELIMIT_SINGLE_WORKER or workers > 1:
                raise RuntimeError(
                    "RATELIMIT_STORAGE_URI must name a storage that every worker shares in "
                    "production (export RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0): in "
                    "memory each worker counts on its own, and the login limit is multiplied "
                    "by the number of workers. With a single worker only, set "
                    "RATELIMIT_STORAGE_URI=memory:// and RATELIMIT_SINGLE_WORKER=1."
                )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
