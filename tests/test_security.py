"""Security behaviour an attacker or a user would notice (QUALITY.md G6, G7, G12, G13, G14, G15).

Sections:
  G12  open redirects: ``is_safe_url`` against ~100 payloads, then the sign-in, "already signed
       in", sign-out and language-switch flows end to end; links in e-mails never follow a forged
       Host header (password-reset poisoning);
  G7   session replay after sign-out, password change, deactivation and role change; the
       remember-me cookie; a new session on sign-in;
  G13  security headers on every GET route x role; HSTS and cookie flags in production;
  G14  sign-in rate limit per account and address, not reset by X-Forwarded-For, letter case or
       control characters in the e-mail; the costly anonymous forms are limited too;
  G6   every POST rule refuses a request without a CSRF token and changes nothing (and the same
       request with a token does change something); a GET crawl changes nothing;
  G15  the 500 page and the logs leak nothing; passwords are stored as argon2id only; denied
       access and failed sign-ins leave a trace with user, address and endpoint;
  V6.3.2  the first administrator comes from ``create-admin`` with a generated password.
"""

from __future__ import annotations

import contextvars
import io
import logging
import re
import types
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

import portal.main.queries
from portal import create_app
from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.competency.plans import DevelopmentPlan
from portal.config import PROJECT_ROOT
from portal.db import db as _db
from portal.extensions import limiter
from portal.security import is_safe_url
from tests import factories
from tests.conftest import PortalClient, make_test_config
from tests.factories import PASSWORD

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


# =================================================================================================
# G12: open redirects
# =================================================================================================

BAD_NEXT = [
    # protocol-relative and extra slashes
    "//evil.com",
    "///evil.com",
    "////evil.com",
    "//evil.com/",
    "//evil.com/dashboard",
    "//evil.com:443/",
    "//evil.com?next=/dashboard",
    "//evil.com#/dashboard",
    "//evil.com@localhost",
    "//localhost@evil.com",
    "//localhost.evil.com",
    "//user:pass@evil.com",
    "//127.0.0.1",
    "//2130706433",
    "//0x7f000001",
    "//[::1]/",
    "//xn--e1afmkfd.xn--p1ai",
    "//evil\u3002com",
    "//\uff45\uff56\uff49\uff4c.com",
    "///\\evil.com",
    # backslashes (browsers read them as slashes)
    "\\\\evil.com",
    "\\\\\\evil.com",
    "\\/evil.com",
    "\\//evil.com",
    "/\\evil.com",
    "/\\/evil.com",
    "/\\\\evil.com",
    "\\\\evil.com/dashboard",
    "/\\evil.com/dashboard",
    # control characters that browsers drop (tab, CR, LF) or that split headers
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r/evil.com",
    "/\r\n/evil.com",
    "/\t\\evil.com",
    "/\x00/evil.com",
    "/\x0b/evil.com",
    "/\x0c/evil.com",
    "/\x1f/evil.com",
    "/\x7f/evil.com",
    "/dashboard\r\nLocation: https://evil.com",
    "/dashboard\r\nSet-Cookie: session=attacker",
    # leading and trailing whitespace and control characters (browsers strip them)
    " //evil.com",
    "  //evil.com",
    "\t//evil.com",
    "\n//evil.com",
    "\r\n//evil.com",
    "\x00//evil.com",
    "\x01//evil.com",
    "\x08//evil.com",
    "\x1f//evil.com",
    "\x01http://evil.com",
    "//evil.com ",
    "//evil.com\t",
    "/dashboard\n",
    "/dashboard\x00",
    # absolute URLs and scheme tricks
    "http://evil.com",
    "https://evil.com",
    "HTTPS://EVIL.COM",
    "ftp://evil.com",
    "http:/evil.com",
    "http:evil.com",
    "https:evil.com",
    "https:/evil.com",
    "http:///evil.com",
    "https:////evil.com",
    "http:\\\\evil.com",
    "http:/\\/evil.com",
    "https:\\/evil.com",
    "http:\\/\\/evil.com",
    "http://evil.com\\@localhost",
    "http://localhost\\@evil.com",
    "http://localhost@evil.com",
    "https://localhost.evil.com",
    "https://evil.com/https://localhost/",
    "http:999999999",
    "ftp:9999999999",
    "http://[2001:db8::1]/",
    "http://[2001:db8::1",
    # script, data and other schemes
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript://%0aalert(1)",
    "javascript:/\\/evil.com",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "blob:https://evil.com/0b1c",
    "mailto:someone@evil.com",
    # invisible, bidirectional and look-alike Unicode
    "/\u200b/evil.com",
    "\u200b//evil.com",
    "/\u200e/evil.com",
    "/\u2028/evil.com",
    "/\u2029/evil.com",
    "/\u202e/moc.live",
    "\u202e//evil.com",
    "/\ufeff/evil.com",
    "\ufeff//evil.com",
    "/\u00ad/evil.com",
    "/\u2060/evil.com",
    "/\u0085/evil.com",
    "/\ue000/evil.com",
    "/\u0378/evil.com",
    "/\ud800/evil.com",
    "\uff0f\uff0fevil.com",
    "\uff3c\uff3cevil.com",
    # not a path on this site at all
    "evil.com",
    "evil.com/dashboard",
    "@evil.com",
    "",
    " ",
    "\t",
    "\n",
]

GOOD_NEXT = [
    "/",
    "/dashboard",
    "/admin/users?page=2",
    "/admin/users?q=budi%20santoso&role=admin",
    "/a/b#frag",
    "/account/password",
    "/verifications?q=//evil.com",
    "/dashboard?next=http://evil.com",
    "/admin/audit?since=2026-01-01&until=2026-01-31",
]


def _ident(value: str) -> str:
    return ascii(value)


def test_payload_lists_are_large_and_distinct():
    assert len(BAD_NEXT) >= 100
    assert len(set(BAD_NEXT)) == len(BAD_NEXT)


@pytest.mark.parametrize("target", BAD_NEXT, ids=_ident)
def test_is_safe_url_refuses(target):
    assert is_safe_url(target) is False


@pytest.mark.parametrize("target", [None, 42, b"/dashboard", ["/dashboard"], "/" + "a" * 5000])
def test_is_safe_url_refuses_non_text_and_huge_values(target):
    assert is_safe_url(target) is False


@pytest.mark.parametrize("target", GOOD_NEXT, ids=_ident)
def test_is_safe_url_accepts_local_paths(target):
    assert is_safe_url(target) is True


def _browser_resolve(location: str, base: str = "http://localhost/login"):
    """Where a browser would go: C0/space stripped, tab/CR/LF removed, backslash = slash."""
    strip = "".join(chr(c) for c in range(0x21))
    loc = re.sub(r"[\t\n\r]", "", location.strip(strip)).replace("\\", "/")
    return urlsplit(urljoin(base, loc))


def assert_on_site(r, payload=None) -> None:
    what = f"next={payload!r}: " if payload is not None else ""
    assert r.status_code == 302, f"{what}{r.status_code}"
    location = r.headers["Location"]
    parts = urlsplit(location)
    assert parts.scheme == "" and parts.netloc == "", f"{what}off-site Location {location!r}"
    assert location.startswith("/") and not location.startswith("//"), f"{what}{location!r}"
    resolved = _browser_resolve(location)
    assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), f"{what}{location!r}"


def _encodable(values):
    out = []
    for v in values:
        try:
            v.encode("utf-8")
        except UnicodeEncodeError:
            continue
        out.append(v)
    return out


E2E_BAD_NEXT = _encodable(BAD_NEXT)


@pytest.mark.parametrize("target", E2E_BAD_NEXT, ids=_ident)
def test_sign_in_never_redirects_off_site(target, new_client, make):
    user = make.user(Role.ASN, locale=EN)
    r = new_client().post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert_on_site(r)
    assert r.headers["Location"] == "/dashboard"


def test_language_switch_never_redirects_off_site(new_client, make, login_as):
    visitor = new_client()
    member = login_as(make.user(Role.ASN, locale=EN), c=new_client())
    for c in (visitor, member):
        token = c.csrf_token()
        for target in E2E_BAD_NEXT:
            r = c.post("/language", data={"lang": "en", "next": target, "csrf_token": token})
            assert_on_site(r, target)


def test_signed_in_visit_to_sign_in_page_never_redirects_off_site(make, login_as, new_client):
    c = login_as(make.user(Role.ASN, locale=EN), c=new_client())
    for target in E2E_BAD_NEXT:
        assert_on_site(c.get("/login", query_string={"next": target}), target)


def test_sign_out_never_redirects_off_site(make, new_client, db):
    user = make.user(Role.ASN, locale=EN)
    c = new_client()
    for target in ["//evil.com", "/\\evil.com", "https://evil.com", "/\t/evil.com"]:
        sign_in(c, user.email, PASSWORD)
        assert_on_site(c.post("/logout", query_string={"next": target}), target)


@pytest.mark.parametrize("target", GOOD_NEXT, ids=_ident)
def test_sign_in_and_language_switch_follow_a_local_next(target, new_client, make):
    """The control for the tests above: a local ``next`` is honoured, so a refusal is a choice."""
    user = make.user(Role.ASN, locale=EN)
    c = new_client()
    r = c.post("/language", data={"lang": "en", "next": target})
    assert r.headers["Location"] == target
    r = c.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert r.status_code == 302 and r.headers["Location"] == target


def _links(outbox_rows) -> list[str]:
    text = " ".join(f"{m.body_text} {m.body_html or ''}" for m in outbox_rows)
    return re.findall(r"https?://[^\s\"'<>]+", text)


def _post_with_host(c: PortalClient, url: str, data: dict, host: str):
    """A request sent straight to the server with a forged Host header (own session, own token)."""
    html = c.get(url, headers={"Host": host}).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return c.post(
        url, data={**data, "csrf_token": match.group(1)}, headers={"Host": host}, csrf=False
    )


def test_reset_link_in_email_never_points_to_the_host_of_the_request(
    app, world, new_client, outbox
):
    """Password-reset poisoning: an attacker asks a reset for the victim with ``Host: evil``;
    the victim's e-mail must not carry a link (and its token) to the attacker's host."""
    r = _post_with_host(
        new_client(), "/forgot-password", {"email": world.asn.email}, "evil.example"
    )
    mails = outbox(world.asn.email)
    assert r.status_code >= 400 or mails, "the control: a reset e-mail is queued"
    links = _links(mails)
    assert links or r.status_code >= 400
    for link in links:
        assert urlsplit(link).hostname != "evil.example", f"reset e-mail links to {link}"


def test_registration_email_to_staff_never_points_to_the_host_of_the_request(
    world, new_client, outbox
):
    r = _post_with_host(
        new_client(),
        "/register",
        {
            "full_name": "Siti Mahasiswa",
            "email": "siti.host@example.com",
            "university_id": str(world.uni.id),
            "nim": "NIM-999",
            "study_programme": "S1 Hukum",
            "consent": "y",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        "evil.example",
    )
    mails = outbox(world.university.email)
    assert r.status_code >= 400 or mails, "the control: university staff are notified"
    for link in _links(mails):
        assert urlsplit(link).hostname != "evil.example", f"staff e-mail links to {link}"


# =================================================================================================
# G7: sessions end on sign-out, password change, deactivation and role change
# =================================================================================================


def test_session_cookie_is_dead_after_sign_out(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200  # the copy works while signed in

    assert c.post("/logout").status_code == 302
    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))


def test_other_sessions_die_when_the_password_changes(app, new_client, make, db):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    laptop, phone = new_client(), new_client()
    sign_in(laptop, user.email, "S3cret-XYZ-123!")
    sign_in(phone, user.email, "S3cret-XYZ-123!")
    stolen = laptop.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    r = phone.post(
        "/account/password",
        data={
            "current_password": "S3cret-XYZ-123!",
            "password": "Kuda-Lari-Kencang-88",
            "password_confirm": "Kuda-Lari-Kencang-88",
        },
    )
    assert r.status_code == 302
    db.session.refresh(user)
    assert passwords.verify_password(user.password_hash, "Kuda-Lari-Kencang-88")

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(laptop.get("/dashboard"))
    assert phone.get("/dashboard").status_code == 200  # the device that changed it continues


def test_session_dies_when_an_admin_deactivates_the_account(app, new_client, make, login_as, db):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    admin = make.user(Role.ADMIN, locale=EN)
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    admin_client = login_as(admin, c=new_client())
    assert admin_client.post(f"/admin/users/{user.id}/deactivate").status_code == 302
    db.session.refresh(user)
    assert user.is_active_flag is False

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))

    # reactivating the account does not bring the stolen cookie back to life
    assert admin_client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    db.session.refresh(user)
    assert user.is_active
    assert_sent_to_login(replay(app, session=stolen))


def test_session_dies_when_an_admin_changes_the_roles(app, new_client, make, login_as, db):
    agency = make.agency()
    user = make.user(Role.ASN, agency=agency, password="S3cret-XYZ-123!")
    admin = make.user(Role.ADMIN, locale=EN)
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!")
    stolen = c.get_cookie("session").value
    assert replay(app, session=stolen).status_code == 200

    admin_client = login_as(admin, c=new_client())
    r = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "full_name": user.full_name,
            "roles": ["asn", "mentor"],
            "university_id": "0",
            "agency_id": str(agency.id),
            "admin_agency_id": "0",
        },
    )
    assert r.status_code == 302
    db.session.refresh(user)
    assert user.roles == {Role.ASN, Role.MENTOR}

    assert_sent_to_login(replay(app, session=stolen))
    assert_sent_to_login(c.get("/dashboard"))


def test_remember_me_cookie_is_dead_after_sign_out(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    sign_in(c, user.email, "S3cret-XYZ-123!", remember=True)
    remembered = c.get_cookie("remember_token")
    assert remembered is not None, "no remember-me cookie after sign-in with remember=y"
    stolen = remembered.value
    assert replay(app, remember_token=stolen).status_code == 200  # alone it signs in

    assert c.post("/logout").status_code == 302
    assert_sent_to_login(replay(app, remember_token=stolen))


def test_sign_in_starts_a_new_session(app, new_client, make):
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()
    c.get("/login")
    before_cookie = c.get_cookie("session").value
    before_csrf = session_data(c)["csrf_token"]

    sign_in(c, user.email, "S3cret-XYZ-123!")
    assert c.get("/dashboard").status_code == 200  # renders forms: a CSRF secret exists again
    after = session_data(c)
    assert c.get_cookie("session").value != before_cookie
    assert after.get("csrf_token") and after["csrf_token"] != before_csrf
    # the cookie from before the sign-in is still only a visitor's
    assert_sent_to_login(replay(app, session=before_cookie))


# =================================================================================================
# G13: security headers
# =================================================================================================


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


# =================================================================================================
# G14: sign-in rate limit
# =================================================================================================


def _try(c, email, password, **kw):
    return c.post("/login", data={"email": email, "password": password}, **kw)


def test_sign_in_is_rate_limited_per_account_and_address(new_client, make):
    victim = make.user(Role.ASN, password="S3cret-XYZ-123!")
    other = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()

    for attempt in range(10):
        r = _try(c, victim.email, f"wrong-guess-{attempt}")
        assert r.status_code == 200, f"attempt {attempt + 1}: {r.status_code}"
        assert "The e-mail or password is not correct." in r.get_data(as_text=True)

    r = _try(c, victim.email, "wrong-guess-11")
    assert r.status_code == 429
    body = r.get_data(as_text=True)
    assert "Too many attempts" in body and "Too Many Requests" not in body
    assert "<html" in body and "Sign in" in body  # the portal's own page with its navigation

    # the right password is refused too, and does not sign in
    r = _try(c, victim.email, "S3cret-XYZ-123!")
    assert r.status_code == 429
    assert_sent_to_login(c.get("/dashboard"))

    # changing the case or padding the e-mail is the same account
    assert _try(c, "  " + victim.email.upper() + " ", "S3cret-XYZ-123!").status_code == 429

    # a forged X-Forwarded-For is not the client address (no ProxyFix configured)
    for spoof in ("203.0.113.7", "10.0.0.1, 203.0.113.7"):
        r = _try(c, victim.email, "S3cret-XYZ-123!", headers={"X-Forwarded-For": spoof})
        assert r.status_code == 429, f"X-Forwarded-For {spoof} reset the counter"

    # another account from the same address is still served
    assert _try(new_client(), other.email, "wrong-guess").status_code == 200
    sign_in(new_client(), other.email, "S3cret-XYZ-123!")

    # the control: the counter is per address, so a different peer address is served
    far = new_client()
    sign_in(far, victim.email, "S3cret-XYZ-123!", environ_base={"REMOTE_ADDR": "198.51.100.23"})


@pytest.mark.parametrize("junk", ["\x00", "\t", "\x7f"], ids=ascii)
def test_control_characters_in_the_email_do_not_reset_the_counter(junk, new_client, make):
    """The form strips control characters before looking the account up, so ``vic<junk>tim@…``
    signs in to ``victim@…``: it must count against the same account, or the per-account limit
    is bypassed with a fresh variant after every tenth guess."""
    victim = make.user(Role.ASN, password="S3cret-XYZ-123!", email="victim@example.com")
    c = new_client()
    for attempt in range(10):
        assert _try(c, victim.email, f"wrong-guess-{attempt}").status_code == 200
    assert _try(c, victim.email, "S3cret-XYZ-123!").status_code == 429

    r = _try(c, f"vic{junk}tim@example.com", "S3cret-XYZ-123!")
    assert r.status_code == 429, (
        f"{junk!r} in the e-mail gave a fresh counter for the locked account ({r.status_code})"
    )


@pytest.mark.parametrize(("url", "limit"), [("/forgot-password", 20), ("/register", 20)])
def test_costly_anonymous_forms_are_rate_limited(url, limit, new_client):
    c = new_client()
    token = c.csrf_token()
    for attempt in range(limit):
        r = c.post(url, data={"csrf_token": token})  # invalid form: re-rendered with errors
        assert r.status_code == 200, f"attempt {attempt + 1}: {r.status_code}"
    r = c.post(url, data={"csrf_token": token})
    assert r.status_code == 429
    assert "Too many attempts" in r.get_data(as_text=True)
    assert_security_headers(r, signed_in=False, url=url)


# =================================================================================================
# G6: CSRF on every POST rule; no state change on GET
# =================================================================================================

NEW_PASSWORD = "Kuda-Lari-Kencang-88"


def _new_pw(w):
    return {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}


def _account(w):
    return {"university_id": "0", "agency_id": str(w.agency.id), "admin_agency_id": "0"}


#: endpoint -> world -> (actor, url, form data that succeeds when sent with a CSRF token)
def _wording():
    data = {"name": "Kompetensi Baru", "definition": "Definisi baru.", "source": ""}
    for n in range(1, 6):
        data[f"level_{n}"] = f"Deskripsi level {n} baru"
        data[f"indicators_{n}"] = ""
    return data


def _roster_token(w) -> str:
    from portal.competency.import_views import sign_upload, stash_upload

    return sign_upload(stash_upload(_roster_csv(w), "csv"), w.admin.id)


def _submitted_then(w, action):
    """A plan in the state where ``action`` applies, and the request that takes it."""
    from portal.competency.plans import PlanState

    plan = _db.session.scalars(
        sa.select(DevelopmentPlan).where(DevelopmentPlan.asn_id == w.report.id)
    ).one()
    if action == "reopen":
        own = _db.session.scalars(
            sa.select(DevelopmentPlan).where(DevelopmentPlan.asn_id == w.asn_record.id)
        ).one()
        own.state = PlanState.APPROVED
        _db.session.flush()
        return ("asn", "/competency/plan/reopen", {})
    plan.state = PlanState.SUBMITTED
    _db.session.flush()
    note = {"note": "Tambahkan pelatihan teknis."} if action == "return" else {}
    return ("asn", f"/competency/asn/{w.report.id}/plan/{action}", note)


POST_CASES = {
    "main.set_language": lambda w: ("admin", "/language", {"lang": "id", "next": "/dashboard"}),
    "auth.login": lambda w: ("anonymous", "/login", {"email": w.asn.email, "password": PASSWORD}),
    "auth.logout": lambda w: ("admin", "/logout", {}),
    "auth.register": lambda w: (
        "anonymous",
        "/register",
        {
            "full_name": "Siti Mahasiswa",
            "email": "siti.baru@example.com",
            "university_id": str(w.uni.id),
            "nim": "NIM-777",
            "study_programme": "S1 Hukum",
            "consent": "y",
            **_new_pw(w),
        },
    ),
    "auth.forgot_password": lambda w: ("anonymous", "/forgot-password", {"email": w.asn.email}),
    "auth.reset_password": lambda w: (
        "anonymous",
        f"/reset-password/{passwords.make_token(w.asn, 'reset')}",
        _new_pw(w),
    ),
    "auth.accept_invitation": lambda w: (
        "anonymous",
        f"/invitation/{passwords.make_token(w.invited, 'invite')}",
        _new_pw(w),
    ),
    "auth.change_password": lambda w: (
        "admin",
        "/account/password",
        {"current_password": PASSWORD, **_new_pw(w)},
    ),
    "auth.profile": lambda w: ("admin", "/account", {"full_name": "Nama Baru Admin", "locale": EN}),
    "auth.verify_student": lambda w: ("university", f"/verifications/{w.pending.id}/verify", {}),
    "auth.reject_student": lambda w: (
        "university",
        f"/verifications/{w.pending.id}/reject",
        {"reason": "NIM tidak terdaftar"},
    ),
    "admin.create_universities": lambda w: (
        "admin",
        "/admin/universities/new",
        {"name": "Universitas Baru Medan", "short_name": "UBM"},
    ),
    "admin.edit_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.uni.id}",
        {"name": "Universitas Ganti Nama", "short_name": "UGN"},
    ),
    "admin.deactivate_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.uni.id}/deactivate",
        {},
    ),
    "admin.reactivate_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.inactive_uni.id}/reactivate",
        {},
    ),
    "admin.create_agencies": lambda w: (
        "admin",
        "/admin/agencies/new",
        {"name": "Dinas Baru", "short_name": "DB", "kind": "dinas"},
    ),
    "admin.edit_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.agency.id}",
        {"name": "Dinas Ganti Nama", "short_name": "DGN", "kind": "badan"},
    ),
    "admin.deactivate_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.agency.id}/deactivate",
        {},
    ),
    "admin.reactivate_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.inactive_agency.id}/reactivate",
        {},
    ),
    "admin.invite_user": lambda w: (
        "admin",
        "/admin/users/new",
        {
            "email": "staf.baru@example.com",
            "full_name": "Staf Baru",
            "roles": ["asn"],
            "locale": "id",
            **_account(w),
        },
    ),
    "admin.edit_user": lambda w: (
        "admin",
        f"/admin/users/{w.asn.id}",
        {"full_name": "Nama Diubah", "roles": ["asn"], **_account(w)},
    ),
    "admin.deactivate_user": lambda w: ("admin", f"/admin/users/{w.asn.id}/deactivate", {}),
    "admin.reactivate_user": lambda w: (
        "admin",
        f"/admin/users/{w.inactive_user.id}/reactivate",
        {},
    ),
    "admin.resend_invitation": lambda w: ("admin", f"/admin/users/{w.invited.id}/invitation", {}),
    "competency_admin.create_competency": lambda w: (
        "admin",
        "/admin/competency/catalogue/new",
        {"code": "T.BARU.01", "type": "teknis", "agency_id": w.agency.id, **_wording()},
    ),
    "competency_admin.edit_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.competency.id}/edit",
        _wording(),
    ),
    "competency_admin.retire_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.competency.id}/retire",
        {},
    ),
    "competency_admin.restore_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.retired_competency.id}/restore",
        {},
    ),
    "competency_admin.create_position": lambda w: (
        "admin",
        "/admin/competency/positions/new",
        {"name": "Pengolah Data", "kind": "pelaksana", "jenjang": "", "agency_id": w.agency.id},
    ),
    "competency_admin.edit_position": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}",
        {
            "name": "Jabatan Ganti Nama",
            "kind": "fungsional",
            "jenjang": "Ahli Muda",
            "agency_id": w.agency.id,
        },
    ),
    "competency_admin.edit_standard": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}/standard",
        {f"level_{w.competency.id}": "4"},
    ),
    "competency_admin.fill_standard": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}/standard/rule-of-thumb",
        {},
    ),
    "competency_admin.create_asn": lambda w: (
        "admin",
        "/admin/competency/asn/new",
        {
            "email": w.inactive_user.email,
            "nip": "199201052019031904",
            "status": "pns",
            "golongan": "III/b",
            "agency_id": w.agency.id,
            "position_id": "0",
            "supervisor_nip": "",
        },
    ),
    "competency_admin.edit_asn": lambda w: (
        "admin",
        f"/admin/competency/asn/{w.report.id}",
        {
            "nip": w.report.nip,
            "status": "pns",
            "golongan": "III/c",
            "agency_id": w.agency.id,
            "position_id": w.position.id,
            "supervisor_nip": "",
        },
    ),
    "competency.add_plan_activity": lambda w: (
        "asn",
        "/competency/plan/activities",
        {
            "competency_id": w.competency.id,
            "form": "coaching",
            "title": "Coaching oleh Kabid",
            "planned_jp": "4",
            "quarter": "3",
        },
    ),
    "competency.remove_plan_activity": lambda w: (
        "asn",
        f"/competency/plan/activities/{w.activity.id}/delete",
        {},
    ),
    "competency.submit_plan": lambda w: ("asn", "/competency/plan/submit", {}),
    "competency.reopen_plan": lambda w: _submitted_then(w, "reopen"),
    "competency.approve_plan": lambda w: _submitted_then(w, "approve"),
    "competency.return_plan": lambda w: _submitted_then(w, "return"),
    "roster.confirm": lambda w: ("admin", "/admin/roster/confirm", {"upload": _roster_token(w)}),
    "competency.record_official_assessment": lambda w: (
        "admin",
        f"/competency/asn/{w.report.id}/assessments/new",
        {
            "assessed_on": date.today().isoformat(),
            "method": "uji_kompetensi",
            "assessor": "UPT Penilaian Kompetensi BKPSDM",
            f"level_{w.competency.id}": "3",
        },
    ),
    "competency.self_assessment": lambda w: (
        "asn",
        "/competency/self-assessment",
        {"assessed_on": date.today().isoformat(), f"level_{w.competency.id}": "2"},
    ),
    "competency.rate_asn": lambda w: (
        "asn",
        f"/competency/asn/{w.report.id}/rating",
        {"assessed_on": date.today().isoformat(), f"level_{w.competency.id}": "3"},
    ),
}


#: POST routes with a dedicated CSRF test below (their request cannot be replayed from a dict).
SPECIAL_POST = {"roster.upload"}


def test_every_post_rule_has_a_csrf_case(app):
    """A new POST route fails here until it is added to ``POST_CASES`` (or ``SPECIAL_POST``)."""
    posting = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert posting == set(POST_CASES) | SPECIAL_POST


def _roster_csv(w) -> bytes:
    return (
        "nip,nama,email,status,opd\n"
        f"198609262015051001,Pegawai Baru,pegawai.baru@example.com,PNS,{w.agency.short_name}\n"
    ).encode()


def test_roster_upload_without_csrf_token_is_refused_and_stores_nothing(app, world, client_as):
    imports = Path(app.config["UPLOAD_FOLDER"]) / "imports"
    before = set(imports.glob("*")) if imports.exists() else set()
    c = client_as("admin")
    r = c.post("/admin/roster/", data={"roster": (io.BytesIO(_roster_csv(world)), "r.csv")},
               content_type="multipart/form-data", csrf=False)  # fmt: skip
    assert r.status_code == 400 and CSRF_MESSAGE in r.get_data(as_text=True)
    assert (set(imports.glob("*")) if imports.exists() else set()) == before
    # the control: with the token the preview appears
    r = c.post("/admin/roster/", data={"roster": (io.BytesIO(_roster_csv(world)), "r.csv")},
               content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 200 and "Pegawai Baru" in r.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(POST_CASES))
def test_post_without_csrf_token_is_refused_and_changes_nothing(
    endpoint, app, world, client_as, db
):
    actor, url, data = POST_CASES[endpoint](world)
    before = snapshot(db)

    for who in dict.fromkeys((actor, "admin")):
        c = client_as(who)
        r = c.post(url, data=data, csrf=False)
        assert r.status_code == 400, f"{who}: {r.status_code}"
        assert CSRF_MESSAGE in r.get_data(as_text=True)
        assert snapshot(db) == before, f"{who}: the refused request changed the database"

    # a token from somebody else's session is refused as well
    foreign = client_as("admin").csrf_token()
    r = client_as(actor).post(url, data={**data, "csrf_token": foreign})
    assert r.status_code == 400
    assert snapshot(db) == before

    # the control: the same request with the actor's own token does change something
    r = client_as(actor).post(url, data=data)
    assert r.status_code in (200, 302), r.status_code
    assert snapshot(db) != before, "the control request changed nothing: fix the case data"


@pytest.mark.parametrize("role", ROLES)
def test_get_requests_change_nothing(role, app, world, client_as, db):
    c = client_as(role)
    before = snapshot(db)
    for url in get_urls(app, world):
        r = c.get(url, query_string={"lang": "en", "next": "/dashboard", "page": "2", "q": "x"})
        try:
            assert r.status_code < 500, f"{url}: {r.status_code}"
        finally:
            r.close()
    assert snapshot(db) == before


def test_sign_out_by_get_is_refused(client_as):
    c = client_as("asn")
    assert c.get("/logout").status_code == 405
    assert c.get("/dashboard").status_code == 200


# =================================================================================================
# G15: errors and logs leak nothing
# =================================================================================================


def test_500_page_shows_an_error_id_and_nothing_internal(client_as, monkeypatch, caplog):
    secret_sql = "SELECT password_hash FROM users WHERE email = 'x@example.test'"
    source = str(PROJECT_ROOT / "portal" / "main" / "queries.py")

    def boom():
        raise RuntimeError(f"{secret_sql} -- {source}")

    monkeypatch.setattr(portal.main.queries, "public_stats", boom)
    caplog.set_level(logging.DEBUG)
    r = client_as("anonymous").get("/")

    assert r.status_code == 500
    body = r.get_data(as_text=True)
    logged = [rec for rec in caplog.records if rec.getMessage().startswith("unhandled error")]
    assert len(logged) == 1 and logged[0].exc_info, "the error and its traceback are logged"
    error_id = logged[0].args[0]
    assert re.fullmatch(r"[0-9a-f]{8,}", error_id)
    assert error_id in body
    assert "Something went wrong" in body
    for leak in (
        "Traceback",
        'File "',
        "RuntimeError",
        "SELECT",
        "password_hash",
        source,
        str(PROJECT_ROOT),
        "site-packages",
        ".py",
    ):
        assert leak not in body, f"the 500 page shows {leak!r}"


def test_passwords_never_reach_logs_or_database(new_client, make, db, caplog):
    caplog.set_level(logging.DEBUG)
    secrets_used = ["S3cret-XYZ-123!", "Wr0ng-S3cret-987!", "N3w-S3cret-456?", "R3g-S3cret-789#"]
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    uni = make.university()

    c = new_client()
    assert _try(c, user.email, "Wr0ng-S3cret-987!").status_code == 200
    sign_in(c, user.email, "S3cret-XYZ-123!")
    r = c.post(
        "/account/password",
        data={
            "current_password": "S3cret-XYZ-123!",
            "password": "N3w-S3cret-456?",
            "password_confirm": "N3w-S3cret-456?",
        },
    )
    assert r.status_code == 302
    r = new_client().post(
        "/register",
        data={
            "full_name": "Rina Mahasiswa",
            "email": "rina@example.com",
            "university_id": str(uni.id),
            "nim": "NIM-4242",
            "study_programme": "S1 Hukum",
            "consent": "y",
            "password": "R3g-S3cret-789#",
            "password_confirm": "R3g-S3cret-789#",
        },
    )
    assert r.status_code == 200 and users_count(db) >= 2

    logged = "\n".join(f"{rec.getMessage()} {rec.__dict__!r}" for rec in caplog.records)
    assert caplog.records, "nothing was logged: the check below would be empty"
    dump = repr(snapshot(db))
    for secret in secrets_used:
        assert secret not in logged, f"a password reached the log: {secret}"
        assert secret not in dump, f"a password is stored in plain text: {secret}"

    audits = db.session.scalar(sa.text("SELECT count(*) FROM audit_events"))
    assert audits >= 3  # failure, success, password change (the audit table was checked above)

    hashes = db.session.scalars(
        sa.select(User.password_hash).where(User.email.in_([user.email, "rina@example.com"]))
    ).all()
    assert len(hashes) == 2
    for h in hashes:
        assert h.startswith("$argon2id$"), h[:20]


def test_denied_access_is_logged_with_user_address_and_endpoint(world, client_as, caplog):
    caplog.set_level(logging.DEBUG)
    assert client_as("student").get("/admin/users").status_code == 403
    denied = [rec for rec in caplog.records if getattr(rec, "access", None)]
    assert len(denied) == 1 and denied[0].levelno >= logging.WARNING
    assert denied[0].access == {
        "endpoint": "admin.users",
        "status": 403,
        "user_id": world.student.id,
        "ip": "127.0.0.1",
    }


def test_failed_sign_in_is_audited_with_address_and_utc_time(world, new_client, db):
    assert _try(new_client(), world.asn.email, "Wr0ng-S3cret-987!").status_code == 200
    row = db.session.execute(
        sa.text("SELECT action, actor_id, ip, at FROM audit_events ORDER BY id DESC")
    ).first()
    assert row is not None
    assert (row.action, row.actor_id, row.ip) == ("login.failure", world.asn.id, "127.0.0.1")
    assert row.at is not None


# =================================================================================================
# V6.3.2: no default accounts; the first administrator comes from the CLI
# =================================================================================================


def test_fresh_database_has_no_accounts_to_guess(new_client, db):
    assert users_count(db) == 0
    c = new_client()
    for email, password in [
        ("admin", "admin"),
        ("admin@sinergi.test", "admin"),
        ("admin@localhost", "password"),
        ("root@localhost", "root"),
    ]:
        assert _try(c, email, password).status_code == 200
    assert_sent_to_login(c.get("/dashboard"))


def _cli_password(output: str) -> str:
    match = re.search(r"Password[^:\n]*:\s*(\S+)\s*$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_create_admin_prints_a_generated_password_that_works(app, new_client, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "x@y.test"])
    assert result.exit_code == 0, result.output
    password = _cli_password(result.output)
    assert len(password) >= 16
    assert password.lower() not in {"admin", "password", "administrator", "changeme", "sinergi"}

    admin = db.session.scalars(sa.select(User).where(User.email == "x@y.test")).one()
    assert admin.roles == {Role.ADMIN} and admin.is_city_admin and admin.is_active
    assert admin.password_hash.startswith("$argon2id$")
    assert password not in admin.password_hash

    c = new_client()
    sign_in(c, "x@y.test", password)
    assert c.get("/admin/universities").status_code == 200  # city-wide screens

    # the password is generated each time, not a built-in default
    second = runner.invoke(args=["create-admin", "--email", "z@y.test"])
    assert second.exit_code == 0, second.output
    assert _cli_password(second.output) != password

    # an existing e-mail is refused and keeps its password
    again = runner.invoke(args=["create-admin", "--email", "X@Y.test"])
    assert again.exit_code != 0
    db.session.refresh(admin)
    assert passwords.verify_password(admin.password_hash, password)
