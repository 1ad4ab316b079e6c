"""Production: the rate limits are counted in a storage every worker shares."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app import create_app
from config import ProductionConfig

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"


def _production(**attrs):
    return type("Config", (ProductionConfig,), attrs)


def test_production_refuses_memory_storage(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("PUBLIC_URL", "https://stages.example")
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI=redis://"):
        create_app(_production(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=True,
                               RATELIMIT_SINGLE_WORKER=False))


def test_memory_storage_only_with_one_worker_said_out_loud(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("PUBLIC_URL", "https://stages.example")
    single = _production(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=True,
                         RATELIMIT_SINGLE_WORKER=True)
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(RuntimeError, match="RATELIMIT_SINGLE_WORKER"):
        single.check()
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    single.check()
    # Limits switched off (the benchmark only): nothing to share
    _production(RATELIMIT_STORAGE_URI="memory://", RATELIMIT_ENABLED=False,
                RATELIMIT_SINGLE_WORKER=False).check()
    _production(RATELIMIT_STORAGE_URI=REDIS, RATELIMIT_ENABLED=True,
                RATELIMIT_SINGLE_WORKER=False).check()


def test_hsts_in_production_only(app, client, monkeypatch):
    assert ProductionConfig.HSTS is True
    assert "Strict-Transport-Security" not in client.get("/connexion").headers
    monkeypatch.setitem(app.config, "HSTS", True)
    assert client.get("/connexion").headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains")


# One instance of the app, in a process of its own, posting wrong logins through its own
# limiter: prints the status codes.
INSTANCE = r"""
import sys
from config import ProductionConfig

class Config(ProductionConfig):
    SQLALCHEMY_DATABASE_URI = sys.argv[1]
    RATELIMIT_STORAGE_URI = sys.argv[2]
    RATELIMIT_KEY_PREFIX = sys.argv[3]
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    SESSION_COOKIE_SECURE = False

from app import create_app
import re
app = create_app(Config)
client = app.test_client()
page = client.get("/connexion").get_data(as_text=True)
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
codes = [client.post("/connexion", data={"email": "personne@test-iut.fr", "password": "x",
                                         "csrf_token": token}).status_code
         for _ in range(int(sys.argv[4]))]
hsts = client.get("/connexion").headers.get("Strict-Transport-Security", "")
print(" ".join(map(str, codes)), "|", hsts)
"""


def _redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def test_two_instances_share_the_login_count_in_redis(database_url):
    if not _redis_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not running at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    import redis

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    env = dict(os.environ, SECRET_KEY="x" * 32, FLASK_CONFIG="production",
               PUBLIC_URL="https://stages.example")
    env.pop("WEB_CONCURRENCY", None)

    def instance(posts: int) -> tuple[list[int], str]:
        out = subprocess.run([sys.executable, "-c", INSTANCE, database_url, REDIS, prefix,
                              str(posts)], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=60)
        assert out.returncode == 0, out.stderr[-2000:]
        codes, _, hsts = out.stdout.strip().rpartition("\n")[2].partition(" | ")
        return [int(c) for c in codes.split()], hsts

    try:
        first, hsts = instance(6)
        second, _ = instance(5)
    finally:
        store = redis.Redis.from_url(REDIS)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)
    assert first == [200] * 6
    assert second == [200] * 4 + [429]  # the eleventh attempt, whichever instance gets it
    assert hsts == "max-age=31536000; includeSubDomains"
