"""Security headers on every GET route x role (G13); HSTS and cookie flags in production."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest

import portal.main.queries
from portal import create_app
from portal.auth.models import Role
from portal.db import db as _db
from portal.extensions import limiter
from tests import factories
from tests.conftest import PortalClient, make_test_config
from tests.security_world import (
    ROLES,
    assert_security_headers,
    get_urls,
    sign_in,
)

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


@contextmanager
def _isolated(app):
    """The ``db`` fixture's trick for a second app: one outer transaction, rolled back."""
    with app.app_context():
        saved = []
        for key, engine in list(_db.engines.items()):
            connection = engine.connect()
            saved.append((key, engine, connection, connection.begin()))
            _db.engines[key] = connection
        try:
            limiter.reset()
            yield
        finally:
            _db.session.remove()
            for key, engine, connection, transaction in saved:
                if transaction.is_active:
                    transaction.rollback()
                connection.close()
                _db.engines[key] = engine
                engine.dispose()


@pytest.fixture
def production_app(app, monkeypatch, tmp_path):
    """An app started as a deployment starts it: ``PORTAL_ENV=production``.

    Uses the test database inside a rolled-back transaction. Do not combine with the ``db``
    fixture (two writers on one SQLite file would wait on each other).
    """
    monkeypatch.setenv("PORTAL_ENV", "production")
    prod = create_app(
        make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], UPLOAD_FOLDER=str(tmp_path))
    )
    monkeypatch.delenv("PORTAL_ENV")
    prod.test_client_class = PortalClient
    with _isolated(prod):
        yield prod
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
