"""Open redirects (G12): ``is_safe_url`` against ~100 payloads, the sign-in, sign-out and
language flows end to end, and links in e-mails that never follow a forged Host header."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from portal.auth.models import Role
from portal.security import is_safe_url
from tests.support.client import PortalClient
from tests.support.factories import PASSWORD
from tests.support.security import (
    EN,
    NEW_PASSWORD,
    sign_in,
)

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
            "notice_read": "y",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        "evil.example",
    )
    mails = outbox(world.university.email)
    assert r.status_code >= 400 or mails, "the control: university staff are notified"
    for link in _links(mails):
        assert urlsplit(link).hostname != "evil.example", f"staff e-mail links to {link}"
