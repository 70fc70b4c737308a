"""Two gunicorn workers share the sign-in rate limit through Redis, and sessions and CSRF tokens
made by one worker are accepted by the other (QUALITY.md G14, pitfall 3).

Runs when PORTAL_TEST_REDIS_URL is set (CI sets it); Redis is not needed on a user's machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from scripts.serving import ROOT, Browser, Gunicorn, flask_cli, portal_env

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
pytestmark = [
    pytest.mark.skipif(not REDIS_URL, reason="set PORTAL_TEST_REDIS_URL to run"),
    # its own SQLite file whatever PORTAL_TEST_DATABASE_URI says: one run proves it
    pytest.mark.db_independent,
]
PASSWORD = "Kata-sandi-uji-2026"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    prefix = f"sinergi-test-{uuid.uuid4().hex[:8]}"
    env = portal_env(
        SECRET_KEY="two-workers-share-this-secret",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp / 'w.sqlite3'}",
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        UPLOAD_FOLDER=str(tmp / "uploads"),
    )
    flask_cli("db", "upgrade", env=env)
    code = (
        "from portal import create_app; from portal.db import db; "
        "from portal.auth import passwords; from portal.auth.models import User, Role; "
        "app = create_app()\nwith app.app_context():\n"
        "    for email in ('asn@example.com', 'asn2@example.com'):\n"
        f"        u = User(email=email, full_name='ASN Uji', "
        f"password_hash=passwords.hash_password('{PASSWORD}'))\n"
        "        u.set_roles([Role.ASN]); db.session.add(u)\n"
        "    db.session.commit()"
    )
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)
    # With a log, start() also waits until both workers have booted.
    with Gunicorn(env, workers=2, log=tmp / "gunicorn.log") as gunicorn:
        yield gunicorn.base, prefix


def test_sign_in_limit_is_shared_by_both_workers(server):
    import redis

    base, prefix = server
    browser = Browser(base)
    statuses = []
    for _ in range(11):
        statuses.append(
            browser.post(
                "/login",
                {
                    "email": "asn@example.com",
                    "password": "salah-sandi-123",
                    "csrf_token": browser.token(),
                },
            ).status
        )
    # Two workers with per-process memory would allow about 20 failures; Redis allows 10.
    assert statuses[:10] == [200] * 10, statuses
    assert statuses[10] == 429, statuses
    # The counters live in Redis, where every worker and instance sees them.
    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert client.keys(f"*{prefix}*"), "no rate-limit counter in Redis"
    finally:
        client.close()


def test_sessions_and_csrf_tokens_work_on_either_worker(server):
    browser = Browser(server[0])
    status = browser.sign_in("asn2@example.com", PASSWORD).status
    # Another account from the same address is not blocked by the previous test's limit.
    assert status == 302, status
    # Many requests: whichever worker answers, the session and its CSRF token are valid.
    for _ in range(20):
        reply = browser.get("/dashboard")
        assert reply.status == 200 and "ASN Uji" in reply.text
    for _ in range(10):
        status = browser.post(
            "/language",
            {"lang": "id", "next": "/dashboard", "csrf_token": browser.token("/dashboard")},
        ).status
        assert status == 302, status
