"""The HTML is valid: the Nu HTML Checker (npm's vnu-jar, on the machine's Java) reports no
error on the pages of every role of the demo department, run once over all of them."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.accounts.models import User
from app.demo import DEMO_PASSWORD
from tests.conftest import Browser, login

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / \
    "vnu.jar"
PAGES = {
    "etudiant@demo-iut.fr": ["/", "/offres/", "/organismes/", "/stages/", "/retours/",
                             "/evaluations/", "/bourses/", "/notifications/",
                             "/soutenances/mes-soutenances", "/etranger/guides"],
    "alternant@demo-iut.fr": ["/", "/offres/"],
    "enseignant@demo-iut.fr": ["/", "/stages/suivi", "/tutorat/mes-tutores", "/conventions/",
                               "/evaluations/", "/soutenances/", "/statistiques/",
                               "/retours/moderation"],
    "secretariat@demo-iut.fr": ["/", "/conventions/", "/candidatures", "/stages/suivi",
                                "/statistiques/", "/bourses/", "/bourses/programmes/nouveau",
                                "/annees/", "/etranger/pays", "/soutenances/",
                                "/offres/nouvelle", "/organismes/nouveau",
                                "/offres/?q=archives"],
    "admin@demo-iut.fr": ["/admin/utilisateurs", "/admin/taches/"],
}


def _checker():
    java = shutil.which("java")
    if java and VNU.is_file():
        return java
    reason = "the Nu HTML Checker needs java and node_modules/vnu-jar (make assets)"
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI is set: it must run)", pytrace=False)
    pytest.skip(reason)


def _as(app, email) -> Browser:
    user = User.query.filter_by(email=email).one()
    client = app.test_client()
    login(client, user, DEMO_PASSWORD)
    return Browser(client, user)


def test_every_role_s_pages_are_valid_html(app, db, tmp_path):
    java = _checker()
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    files = []
    for email, paths in PAGES.items():
        browser = _as(app, email)
        # the records' own pages, found from the lists
        if email == "secretariat@demo-iut.fr":
            queue = browser.get("/conventions/?status=all").get_data(as_text=True)
            paths = paths + re.findall(r'href="(/conventions/\d+)"', queue)[:2]
            cohort = browser.get("/stages/suivi").get_data(as_text=True)
            paths = paths + re.findall(r'href="(/stages/\d+)"', cohort)[:2]
            offers = browser.get("/offres/").get_data(as_text=True)
            paths = paths + re.findall(r'href="(/offres/\d+)"', offers)[:1]
        for path in paths:
            resp = browser.get(path, follow_redirects=True)
            assert resp.status_code == 200, (email, path, resp.status_code)
            name = re.sub(r"\W+", "_", f"{email.split('@')[0]}{path}") + ".html"
            (tmp_path / name).write_bytes(resp.data)
            files.append(str(tmp_path / name))
        # a form with errors, as its user sees it
        if email == "secretariat@demo-iut.fr":
            resp = browser.post("/bourses/programmes/nouveau", {"name": ""})
            (tmp_path / "secretariat_form_errors.html").write_bytes(resp.data)
            files.append(str(tmp_path / "secretariat_form_errors.html"))
    run = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=180)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages if m.get("type") == "error"]
    assert len(files) >= 40
    assert errors == []
