"""Rate limits of the anonymous account forms that make accounts or set passwords (issue 15.5):
registration and invitation POSTs per address, and invitation or reset links that are not
valid (a token guess), each configurable and answered with the portal's 429 page."""

from __future__ import annotations

import pytest

from portal.auth import passwords
from portal.auth.models import Role
from tests.accounts.support import NEW_PASSWORD, en, registration, users_with_email
from tests.support.security import assert_security_headers

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

FAR = {"REMOTE_ADDR": "198.51.100.23"}  # another client address


def _assert_too_many(r, url: str) -> None:
    assert r.status_code == 429, r.status_code
    body = r.get_data(as_text=True)
    assert "Too many attempts" in body and "Too Many Requests" not in body
    assert_security_headers(r, signed_in=False, url=url)


def _invitation_link(app, make) -> str:
    invited = en(make, Role.UNIVERSITY, password=None)
    with app.test_request_context():
        return f"/invitation/{passwords.make_token(invited, 'invite')}"


@pytest.mark.parametrize("limit", [None, 3], ids=["default-20", "configured-3"])
def test_registration_posts_are_limited_per_address(app, db, make, new_client, monkeypatch, limit):
    if limit:
        monkeypatch.setitem(app.config, "REGISTRATION_LIMIT", f"{limit} per hour")
    limit = limit or 20
    uni = make.university()
    c = new_client()

    for n in range(limit):
        r = c.post("/register", data=registration(uni, email=f"mhs{n}@student.example.com"))
        assert r.status_code == 200 and "Registration received" in r.get_data(as_text=True), n

    r = c.post("/register", data=registration(uni, email="one.more@student.example.com"))
    _assert_too_many(r, "/register")
    assert users_with_email(db, "one.more@student.example.com") == []
    # A forged X-Forwarded-For is not another address; a real other address is served.
    r = c.post(
        "/register",
        data=registration(uni, email="one.more@student.example.com"),
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert r.status_code == 429
    r = new_client().post(
        "/register",
        data=registration(uni, email="one.more@student.example.com"),
        environ_base=FAR,
    )
    assert r.status_code == 200
    # Reading the form is not limited.
    assert c.get("/register").status_code == 200


@pytest.mark.parametrize("limit", [None, 3], ids=["default-20", "configured-3"])
def test_invitation_posts_are_limited_per_address(app, db, make, new_client, monkeypatch, limit):
    if limit:
        monkeypatch.setitem(app.config, "INVITATION_LIMIT", f"{limit} per hour")
    limit = limit or 20
    link = _invitation_link(app, make)
    c = new_client()

    for n in range(limit):
        r = c.post(link, data={"password": "short", "password_confirm": "short"})
        assert r.status_code == 200, n  # refused by the password rules, form shown again

    r = c.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    _assert_too_many(r, link)
    r = new_client().post(
        link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, environ_base=FAR
    )
    assert r.status_code == 302


def test_invalid_invitation_and_reset_links_count_together(app, db, make, new_client, monkeypatch):
    monkeypatch.setitem(app.config, "LINK_GUESS_LIMIT", "4 per hour")
    link = _invitation_link(app, make)
    c = new_client()

    # Valid links do not count: a user may open theirs as often as they like.
    for _ in range(6):
        assert c.get(link).status_code == 200

    assert c.get("/invitation/guess-1").status_code == 410
    assert c.get("/reset-password/guess-2").status_code == 410
    assert c.post("/invitation/guess-3", data={"password": "x"}).status_code == 410
    assert c.get("/reset-password/guess-4").status_code == 410

    _assert_too_many(c.get("/invitation/guess-5"), "/invitation/guess-5")
    _assert_too_many(c.get("/reset-password/guess-6"), "/reset-password/guess-6")
    assert c.get(link).status_code == 429  # this address now waits, even with a good link
    assert new_client().get(link, environ_base=FAR).status_code == 200


def test_default_limit_on_invalid_links(db, new_client):
    c = new_client()
    for n in range(20):
        assert c.get(f"/invitation/guess-{n}").status_code == 410, n
    _assert_too_many(c.get("/invitation/guess-20"), "/invitation/guess-20")
