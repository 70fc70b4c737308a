"""Security headers on every GET route x role (G13); HSTS and cookie flags in production."""

from __future__ import annotations

import re

import pytest

import portal.main.queries
from portal import create_app
from portal.auth.models import Role
from portal.db import db as _db
from portal.extensions import limiter
from tests.support import factories
from tests.support.app import make_test_config, scratch_database
from tests.support.client import PortalClient
from tests.support.db import pinned
from tests.support.security import (
    ROLES,
    assert_security_headers,
    get_urls,
    sign_in,
)

#: The verdict cannot depend on the database: SQLite only, unless PORTAL_TEST_ALL_DATABASES=1
#: (tests/support/lanes.py).
pytestmark = pytest.mark.db_independent

# =================================================================================================
# G13: security headers
# =================================================================================================


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_carries_the_security_headers(role, app, world, client_as):
    c = client_as(role)
    urls = [*get_urls(app, world), "/no-such-page", "/logout"]  # plus a 404 and a 405
    for url in urls:
        r = c.get(url)
        try:
            assert_security_headers(r, signed_in=role != "anonymous", url=url)
        finally:
            r.close()


def test_error_pages_carry_the_security_headers(client_as, monkeypatch):
    c = client_as("student")
    assert_security_headers(c.get("/admin/users"), signed_in=True, url="/admin/users")  # 403

    def boom():
        raise RuntimeError("boom")

    monkeypatch.setattr(portal.main.queries, "public_stats", boom)
    r = client_as("anonymous").get("/")
    assert r.status_code == 500
    assert_security_headers(r, signed_in=False, url="/")


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    """An app started as a deployment starts it: ``PORTAL_ENV=production``, on a scratch
    database of its own (the module's world holds the test database's write lock)."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    with scratch_database(tmp_path, "portal_prod") as uri:
        prod = create_app(make_test_config(uri, UPLOAD_FOLDER=str(tmp_path)))
        monkeypatch.delenv("PORTAL_ENV")
        prod.test_client_class = PortalClient
        with prod.app_context():
            _db.create_all()
        with pinned(prod):
            yield prod
        with prod.app_context():
            _db.engine.dispose()
    limiter.reset()


def _set_cookie(r, name: str) -> dict[str, str | None]:
    for header in r.headers.getlist("Set-Cookie"):
        key, _, rest = header.partition("=")
        if key.strip() == name:
            attrs = {}
            for item in rest.split(";")[1:]:
                k, sep, v = item.strip().partition("=")
                attrs[k.lower()] = v if sep else None
            return attrs
    raise AssertionError(f"no Set-Cookie for {name}: {r.headers.getlist('Set-Cookie')}")


def test_production_sends_hsts_and_secure_cookies(production_app):
    make = factories.Factories(_db.session)
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    _db.session.commit()
    c = production_app.test_client()

    r = c.get("/")
    hsts = r.headers.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    assert match and int(match.group(1)) >= 31536000, hsts
    assert "includesubdomains" in hsts.lower(), hsts

    # Over HTTPS Flask-WTF also checks that the form was sent from this site (Referer).
    r = sign_in(
        c,
        user.email,
        "S3cret-XYZ-123!",
        remember=True,
        headers={"Referer": "https://localhost/login"},
    )
    for name in ("session", "remember_token"):
        attrs = _set_cookie(r, name)
        assert "secure" in attrs, f"{name} cookie without Secure"
        assert "httponly" in attrs, f"{name} cookie without HttpOnly"
        assert (attrs.get("samesite") or "").lower() == "lax", f"{name} cookie SameSite {attrs}"
    assert "no-store" in c.get("/dashboard").headers.get("Cache-Control", "")
