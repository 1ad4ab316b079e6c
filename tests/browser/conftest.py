"""Real-browser fixtures: the session app served by werkzeug, driven by Debian's chromium.

The browser is Debian's ``chromium`` (``/usr/bin/chromium`` or ``$CHROMIUM_PATH``) launched
through Playwright's ``executable_path``; a downloaded browser is never used. Without a
browser the tests are skipped locally, but fail when ``$CI`` is set: CI must run them.
"""
from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_PASSWORD

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 10_000


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def _chromium_path() -> str | None:
    wanted = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted
    return shutil.which(wanted)


@pytest.fixture(scope="session")
def live_server(app):
    """The session ``app`` served over HTTP in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium():
    """One headless chromium for the whole session."""
    path = _chromium_path()
    if path is None:
        _unavailable("Debian's chromium not found (apt-get install chromium, or set "
                     "CHROMIUM_PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is in the dev requirements
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by a page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self._page = page

    def _console(self, msg):
        where = msg.location.get("url", "")
        # The app has no favicon yet: chromium's own request for it is not the page's error.
        if msg.type == "error" and not where.endswith("/favicon.ico"):
            self.errors.append(f"console: {msg.text} [{where}:{msg.location.get('lineNumber')}]")

    def csp_violations(self) -> list[str]:
        return self._page.evaluate("window.__cspViolations || []")


# Runs before any page script, outside the page's CSP: records what the CSP refused.
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " at " +
                              e.sourceFile + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


@pytest.fixture
def new_page(chromium, live_server):
    """Factory of fresh pages (own cookies) on the live server, e.g.
    ``new_page(java_script_enabled=False)`` or ``new_page(viewport={"width": 320, ...})``;
    ``page.problems`` collects errors.

    Every context is closed at teardown, so no request of the page is still running on
    the server when the autouse fixture of tests/conftest.py empties the tables.
    """
    contexts = []

    def _make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(base_url=live_server, locale="fr-FR", **options)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(RECORD_CSP)
        page = context.new_page()
        page.problems = PageProblems(page)
        return page

    yield _make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page):
    """A fresh page with JavaScript on."""
    return new_page()


@pytest.fixture
def log_in(db):
    """Log a user in through the real login form."""

    def _log_in(page, user, password=TEST_PASSWORD):
        email = user.email
        # The test's own session must not keep a read transaction open while the
        # server writes (SQLite would lock).
        db.session.commit()
        page.goto("/connexion")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(lambda url: "/connexion" not in url)

    return _log_in
