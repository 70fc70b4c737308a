"""Shared pieces of the security suites: a world with one object of every kind, clients signed in
as each role, URL filling for every rule, database snapshots."""

from __future__ import annotations

import contextvars
import types
from datetime import date
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from tests.conftest import PortalClient

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
    """Every row of every table, as comparable values (detects inserts, updates and deletes)."""
    db.session.expire_all()
    return {
        table.name: sorted((tuple(row) for row in db.session.execute(sa.select(table))), key=repr)
        for table in db.metadata.sorted_tables
    }


def users_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


@pytest.fixture
def world(make):
    """One object of every kind, so every URL rule can be filled with a real id."""
    uni = make.university()
    agency = make.agency()
    w = types.SimpleNamespace(uni=uni, agency=agency)
    w.admin = make.user(Role.ADMIN, locale=EN)
    w.university = make.user(Role.UNIVERSITY, university=uni, locale=EN)
    w.student = make.user(Role.STUDENT, university=uni, locale=EN)
    w.mentor = make.user(Role.MENTOR, agency=agency, locale=EN)
    w.asn = make.user(Role.ASN, agency=agency, locale=EN, email="budi.asn@example.com")
    w.pending = make.user(Role.STUDENT, university=uni, status=AccountStatus.PENDING)
    w.invited = make.user(Role.MENTOR, agency=agency, password=None)
    w.inactive_user = make.user(Role.ASN, agency=agency, is_active_flag=False)
    w.inactive_uni = make.university(is_active=False)
    w.inactive_agency = make.agency(is_active=False)
    w.competency = make.competency(agency=agency)
    w.retired_competency = make.competency(agency=agency, is_retired=True)
    w.position = make.position(agency=agency, competencies=[w.competency])
    w.asn_record = make.asn_profile(w.asn, position=w.position)
    w.report = make.asn_profile(
        make.user(Role.ASN, agency=agency), position=w.position, supervisor=w.asn_record
    )
    w.assessment = make.assessment_with_report(w.report, w.competency)
    w.activity = make.plan_activity(w.asn_record, w.competency, year=date.today().year)
    w.report_activity = make.plan_activity(w.report, w.competency, year=date.today().year)
    return w


ROLES = ("anonymous", "admin", "university", "student", "mentor", "asn")


@pytest.fixture
def client_as(world, new_client, login_as):
    def _as(role: str) -> PortalClient:
        c = new_client()
        return c if role == "anonymous" else login_as(getattr(world, role), c=c)

    return _as


def url_values(w, rule) -> dict:
    values = {}
    for arg in rule.arguments:
        if arg == "obj_id":
            values[arg] = w.uni.id if "universit" in rule.endpoint else w.agency.id
        elif arg == "user_id":
            values[arg] = w.pending.id if rule.endpoint.startswith("auth.") else w.asn.id
        elif arg == "assessment_id":
            values[arg] = w.assessment.id
        elif arg == "activity_id":
            values[arg] = w.activity.id
        elif arg == "fmt":
            values[arg] = "csv"
        elif arg == "asn_id":
            values[arg] = w.report.id
        elif arg == "competency_id":
            values[arg] = w.competency.id
        elif arg == "position_id":
            values[arg] = w.position.id
        elif arg == "token":
            values[arg] = (
                passwords.make_token(w.asn, "reset")
                if rule.endpoint == "auth.reset_password"
                else passwords.make_token(w.invited, "invite")
            )
        elif arg == "filename":
            values[arg] = (
                "css/portal.css"
                if rule.endpoint == "static"
                else "bootstrap5/css/bootstrap.min.css"
            )
        else:
            raise AssertionError(f"no test value for <{arg}> of {rule.rule}: add one to url_values")
    return values


def get_urls(app, w) -> list[str]:
    adapter = app.url_map.bind("localhost")
    return [
        adapter.build(rule.endpoint, url_values(w, rule))
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
