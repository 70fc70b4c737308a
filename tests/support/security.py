"""Shared pieces of the security suites: clients signed in as each role of the world
(tests/support/worlds/crawl.py, whose users read English here), every GET URL, database snapshots."""

from __future__ import annotations

import contextvars
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from tests.support.client import PortalClient
from tests.support.worlds.crawl_urls import url_for_rule

EN = "en"
CSRF_MESSAGE = "Your form has expired or was sent from elsewhere"


# --- helpers --------------------------------------------------------------------------------------


@pytest.fixture
def new_client(app, client):
    """Another browser: a fresh PortalClient that asks for English pages."""

    def _new() -> PortalClient:
        c = app.test_client()
        c.environ_base["HTTP_ACCEPT_LANGUAGE"] = EN
        return c

    return _new


def sign_in(c: PortalClient, email: str, password: str, *, remember: bool = False, **kw):
    """Sign in through the real form (CSRF token, password check, new session)."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    c._has_user = False  # the CSRF token comes from the sign-in page
    r = c.post("/login", data=data, **kw)
    assert r.status_code == 302, f"sign-in failed with {r.status_code}"
    c._has_user = True
    return r


def session_data(c: PortalClient) -> dict:
    with contextvars.Context().run(c.session_transaction) as sess:
        return dict(sess)


def replay(app, **cookies):
    """GET /dashboard from a brand-new client carrying only the given cookies."""
    c = app.test_client()
    for name, value in cookies.items():
        c.set_cookie(name, value)
    return c.get("/dashboard")


def assert_sent_to_login(r) -> None:
    assert r.status_code == 302, r.status_code
    assert urlsplit(r.location).path == "/login", r.location


def snapshot(db) -> dict:
    """Every row of every table, as comparable values (detects inserts, updates and deletes),
    except the log of who viewed personal records: reading one is what it records (UU PDP)."""
    db.session.expire_all()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(sa.select(table))), key=repr)
        for table in db.metadata.sorted_tables
        if table.name not in READS_LOGGED
    }


#: Tables a GET request writes to by design.
READS_LOGGED = {"personal_data_views"}


def users_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


ROLES = ("anonymous", "admin", "university", "student", "mentor", "asn")


@pytest.fixture
def client_as(world, new_client, login_as):
    def _as(role: str) -> PortalClient:
        c = new_client()
        return c if role == "anonymous" else login_as(getattr(world, role), c=c)

    return _as


def get_urls(app, w) -> list[str]:
    """Every GET rule, filled from the world (own objects, working reset and invitation links)."""
    return [
        url_for_rule(app, rule, w, real_tokens=True)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
    ]


def csp_directives(value: str) -> dict[str, list[str]]:
    out = {}
    for part in value.split(";"):
        tokens = part.split()
        if tokens:
            out[tokens[0].lower()] = tokens[1:]
    return out


def assert_security_headers(r, *, signed_in: bool, url: str) -> None:
    h = r.headers
    where = f"{url} ({r.status_code})"
    csp = h.get("Content-Security-Policy")
    assert csp, f"no CSP on {where}"
    d = csp_directives(csp)
    assert "'self'" in d.get("default-src", []) and "*" not in d["default-src"], where
    assert d.get("object-src") == ["'none'"], where
    assert d.get("frame-ancestors") in (["'none'"], ["'self'"]), where
    scripts = d.get("script-src", d["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
    assert h.get("X-Content-Type-Options") == "nosniff", where
    assert h.get("Referrer-Policy") in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }, where
    if signed_in:
        assert "no-store" in h.get("Cache-Control", ""), f"cacheable signed-in page {where}"


def try_sign_in(c, email, password, **kw):
    return c.post("/login", data={"email": email, "password": password}, **kw)


NEW_PASSWORD = "Kuda-Lari-Kencang-88"


def refused_without_token(endpoint: str, case, world, client_as, db) -> None:
    """G6 for one POST case (``case(world) -> (actor, url, data)``): without a CSRF token, or
    with another session's, the request is refused and changes nothing; with its own it works."""
    actor, url, data = case(world)
    before = snapshot(db)

    for who in dict.fromkeys((actor, "admin")):
        c = client_as(who)
        r = c.post(url, data=data, csrf=False)
        assert r.status_code == 400, f"{endpoint} as {who}: {r.status_code}"
        assert CSRF_MESSAGE in r.get_data(as_text=True), endpoint
        assert snapshot(db) == before, (
            f"{endpoint} as {who}: the refused request changed the database"
        )

    # a token from somebody else's session is refused as well
    foreign = client_as("admin").csrf_token()
    r = client_as(actor).post(url, data={**data, "csrf_token": foreign})
    assert r.status_code == 400, endpoint
    assert snapshot(db) == before, endpoint

    # the control: the same request with the actor's own token does change something
    r = client_as(actor).post(url, data=data)
    assert r.status_code in (200, 302), f"{endpoint}: {r.status_code}"
    assert snapshot(db) != before, (
        f"{endpoint}: the control request changed nothing: fix the case data"
    )
