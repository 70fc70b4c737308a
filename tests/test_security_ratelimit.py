"""Sign-in rate limit per account and address (G14), not reset by X-Forwarded-For, letter case
or control characters; the costly anonymous forms are limited too."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.support.security import (
    assert_security_headers,
    assert_sent_to_login,
    sign_in,
    try_sign_in,
)

# =================================================================================================
# G14: sign-in rate limit
# =================================================================================================


def test_sign_in_is_rate_limited_per_account_and_address(new_client, make):
    victim = make.user(Role.ASN, password="S3cret-XYZ-123!")
    other = make.user(Role.ASN, password="S3cret-XYZ-123!")
    c = new_client()

    for attempt in range(10):
        r = try_sign_in(c, victim.email, f"wrong-guess-{attempt}")
        assert r.status_code == 200, f"attempt {attempt + 1}: {r.status_code}"
        assert "The e-mail or password is not correct." in r.get_data(as_text=True)

    r = try_sign_in(c, victim.email, "wrong-guess-11")
    assert r.status_code == 429
    body = r.get_data(as_text=True)
    assert "Too many attempts" in body and "Too Many Requests" not in body
    assert "<html" in body and "Sign in" in body  # the portal's own page with its navigation

    # the right password is refused too, and does not sign in
    r = try_sign_in(c, victim.email, "S3cret-XYZ-123!")
    assert r.status_code == 429
    assert_sent_to_login(c.get("/dashboard"))

    # changing the case or padding the e-mail is the same account
    assert try_sign_in(c, "  " + victim.email.upper() + " ", "S3cret-XYZ-123!").status_code == 429

    # a forged X-Forwarded-For is not the client address (no ProxyFix configured)
    for spoof in ("203.0.113.7", "10.0.0.1, 203.0.113.7"):
        r = try_sign_in(c, victim.email, "S3cret-XYZ-123!", headers={"X-Forwarded-For": spoof})
        assert r.status_code == 429, f"X-Forwarded-For {spoof} reset the counter"

    # another account from the same address is still served
    assert try_sign_in(new_client(), other.email, "wrong-guess").status_code == 200
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
        assert try_sign_in(c, victim.email, f"wrong-guess-{attempt}").status_code == 200
    assert try_sign_in(c, victim.email, "S3cret-XYZ-123!").status_code == 429

    r = try_sign_in(c, f"vic{junk}tim@example.com", "S3cret-XYZ-123!")
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
