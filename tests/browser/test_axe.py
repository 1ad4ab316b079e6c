"""axe-core (npm) in Debian's chromium over the pages of every role of the demo department and
key htmx states (a search typed, a form sent with errors): no violation of WCAG 2.0/2.1 A
and AA (RGAA)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from tests.browser.test_html_valid import PAGES

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _violations(page) -> list[str]:
    found = page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => v.id + ": " + v.help + " — "
            + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""", TAGS)
    return [f"{page.url}: {v}" for v in found]


def test_no_wcag_violation_on_any_role_s_pages(app, db, new_page, log_in):
    if not AXE.is_file():
        reason = "axe-core is installed by make assets (npm)"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    source = AXE.read_text(encoding="utf-8")
    problems = []
    for email, paths in PAGES.items():
        page = new_page(bypass_csp=True)  # axe is injected into the page
        log_in(page, User.query.filter_by(email=email).one(), DEMO_PASSWORD)
        for path in paths:
            page.goto(path)
            page.evaluate(source)
            problems += _violations(page)
        if email == "etudiant@demo-iut.fr":  # a search typed: the list swapped by htmx
            page.goto("/offres/")
            page.fill("input[name=q]", "archives")
            page.wait_for_timeout(800)
            page.evaluate(source)
            problems += _violations(page)
        if email == "secretariat@demo-iut.fr":  # a form sent with errors
            page.goto("/bourses/programmes/nouveau")
            page.get_by_role("button", name="Enregistrer").click()
            page.wait_for_load_state()
            page.evaluate(source)
            problems += _violations(page)
    assert problems == []
    # the checker checks: a page with an image without text fails it
    page = new_page(bypass_csp=True)
    page.set_content('<html lang="fr"><head><title>T</title></head><body><main>'
                     '<img src="/static/favicon.svg"></main></body></html>')
    page.evaluate(source)
    assert any("image-alt" in v for v in _violations(page))


def test_every_role_s_pages_reflow_at_320_px(app, db, new_page, log_in):
    """WCAG 1.4.10 / RGAA 10.11: at 320 CSS px (400 % zoom) nothing scrolls sideways but the
    wide tables inside their own box."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    wide = []
    for email, paths in PAGES.items():
        page = new_page(viewport={"width": 320, "height": 700})
        log_in(page, User.query.filter_by(email=email).one(), DEMO_PASSWORD)
        for path in paths:
            page.goto(path)
            over = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if over > 0:
                wide.append(f"{path} ({email}): {over} px too wide")
    assert wide == []
