"""Two gunicorn workers share the sign-in rate limit through Redis, and sessions and CSRF tokens
made by one worker are accepted by the other (QUALITY.md G14, pitfall 3).

Runs when PORTAL_TEST_REDIS_URL is set (CI sets it); Redis is not needed on a user's machine.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="set PORTAL_TEST_REDIS_URL to run")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Kata-sandi-uji-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workers")
    prefix = f"sinergi-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "PORTAL_SECRET_KEY": "two-workers-share-this-secret",
        "PORTAL_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'w.sqlite3'}",
        "PORTAL_RATELIMIT_STORAGE_URI": REDIS_URL,
        "PORTAL_RATELIMIT_KEY_PREFIX": prefix,
        "PORTAL_UPLOAD_FOLDER": str(tmp / "uploads"),
    }
    bin_dir = Path(sys.executable).parent
    flask = [str(bin_dir / "flask"), "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
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
    port = _free_port()
    proc = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--no-control-socket",
         "wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/login", timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield base, prefix
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)


class Browser:
    """A tiny cookie-keeping client that does not follow redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect
        )

    def get(self, path: str):
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode(data).encode()
        return self._open(urllib.request.Request(self.base + path, data=body, method="POST"))

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=10) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), dict(e.headers)

    def token(self, page: str = "/login") -> str:
        _status, html, _headers = self.get(page)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_sign_in_limit_is_shared_by_both_workers(server):
    import redis

    base, prefix = server
    browser = Browser(base)
    statuses = []
    for _ in range(11):
        statuses.append(browser.post("/login", {"email": "asn@example.com",
                                                "password": "salah-sandi-123",
                                                "csrf_token": browser.token()})[0])  # fmt: skip
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
    status, _html, headers = browser.post(
        "/login", {"email": "asn2@example.com", "password": PASSWORD, "csrf_token": browser.token()}
    )
    # Another account from the same address is not blocked by the previous test's limit.
    assert status == 302, status
    # Many requests: whichever worker answers, the session and its CSRF token are valid.
    for _ in range(20):
        status, html, _h = browser.get("/dashboard")
        assert status == 200 and "ASN Uji" in html
    for _ in range(10):
        status, _html, headers = browser.post("/language", {"lang": "id", "next": "/dashboard",
                                                            "csrf_token": browser.token("/dashboard")})  # fmt: skip
        assert status == 302, status
