"""One log line per request (method, path, status, duration), without query strings or URL
tokens; under the test client as under a real gunicorn."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"GET /connexion 200 \d+\.\d ms")


@pytest.fixture
def info_log(app, caplog, monkeypatch):
    # Alembic's logging set-up (the migrations ran in this process) disabled the app's logger
    monkeypatch.setattr(app.logger, "disabled", False)
    caplog.set_level(logging.INFO, logger=app.logger.name)
    return caplog


def test_each_request_is_one_line_without_its_query_string(client, info_log):
    client.get("/connexion?next=/stages&token=s3cr3t-jeton")
    lines = [r.getMessage() for r in info_log.records if "/connexion" in r.getMessage()]
    assert len(lines) == 1 and LINE.fullmatch(lines[0]), lines
    assert "s3cr3t-jeton" not in info_log.text and "next=" not in info_log.text


def test_a_token_in_the_path_is_masked(client, info_log):
    client.get("/evaluations/lien/Zq9-jeton-porteur-tres-secret")
    assert "GET /evaluations/lien/[masqué] " in info_log.text
    assert "jeton-porteur" not in info_log.text
    client.get("/soutenances/calendrier/abcdefjetoncalendrier.ics")
    assert "GET /soutenances/calendrier/[masqué].ics " in info_log.text
    assert "abcdefjetoncalendrier" not in info_log.text


def test_under_gunicorn_each_request_is_logged(tmp_path):
    port = _free_port()
    env = dict(os.environ, FLASK_CONFIG="production", SECRET_KEY="x" * 32,
               PUBLIC_URL="https://stages.example", RATELIMIT_STORAGE_URI="memory://",
               RATELIMIT_SINGLE_WORKER="1", WEB_CONCURRENCY="1", JOBS_IN_PROCESS="0",
               SESSION_COOKIE_SECURE="0", REDIS_URL="",
               DATABASE_URL=f"sqlite:///{tmp_path / 'log.db'}")
    err = tmp_path / "stderr.log"
    with err.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
             "wsgi:app"], cwd=ROOT, env=env, stdout=stderr, stderr=stderr)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/connexion?token=jeton-du-lien", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail(err.read_text())
        finally:
            server.terminate()
            server.wait(10)
    log = err.read_text()
    assert LINE.search(log), log
    assert "jeton-du-lien" not in log
