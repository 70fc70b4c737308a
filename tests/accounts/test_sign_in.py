"""Signing in: active accounts reach the dashboard; pending, rejected, deactivated and
invited-only accounts, a wrong password and an unknown address are refused with a clear (or
deliberately vague) message."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from portal.auth.models import AccountStatus, Role
from tests.accounts.support import audit_events, en, sign_in
from tests.support.factories import PASSWORD
from tests.support.pages import flashes, fresh, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def test_active_user_signs_in_and_reaches_the_dashboard(client, db, make):
    user = en(make, Role.ASN, email="asn.siregar@example.com")

    r = sign_in(client, "ASN.Siregar@Example.com ", PASSWORD)

    assert r.status_code == 302
    assert urlsplit(r.headers["Location"]).path == "/dashboard"
    page = text(client.get("/dashboard"))
    assert user.full_name in page and "Sign out" in page
    assert fresh(db, user).last_login_at is not None
    assert audit_events(db, "login.success", actor_id=user.id)


@pytest.mark.parametrize(
    ("status", "active", "expected"),
    [
        (
            AccountStatus.PENDING,
            True,
            "Your account is waiting for verification by your university.",
        ),
        (
            AccountStatus.REJECTED,
            True,
            "Your registration was not accepted by your university: NIM tidak terdaftar",
        ),
        (
            AccountStatus.ACTIVE,
            False,
            "This account has been deactivated. Contact your administrator.",
        ),
    ],
    ids=["pending", "rejected", "deactivated"],
)
def test_accounts_that_may_not_sign_in_get_a_clear_message(
    client, db, make, status, active, expected
):
    user = en(
        make,
        Role.STUDENT,
        status=status,
        is_active_flag=active,
        rejection_reason="NIM tidak terdaftar" if status == AccountStatus.REJECTED else None,
    )

    r = sign_in(client, user.email, PASSWORD)

    assert r.status_code == 200
    assert any(expected in f for f in flashes(r)), flashes(r)
    assert client.get("/dashboard").status_code == 302  # still anonymous
    assert audit_events(db, "login.failure", actor_id=user.id)


def test_wrong_password_and_unknown_email_look_the_same(client, db, make):
    user = en(make, Role.ASN)

    wrong = sign_in(client, user.email, "not the right password")
    unknown = sign_in(client, "nobody.here@example.com", "not the right password")

    assert wrong.status_code == unknown.status_code == 200
    assert flashes(wrong) == flashes(unknown) == ["The e-mail or password is not correct."]
    assert client.get("/dashboard").status_code == 302
    [failure] = audit_events(db, "login.failure", target_label="nobody.here@example.com")
    assert failure.actor_id is None


def test_invited_user_without_password_cannot_sign_in(client, db, make):
    user = en(make, Role.ASN, password=None)

    r = sign_in(client, user.email, "")
    assert r.status_code == 200
    r = sign_in(client, user.email, "anything at all")
    assert flashes(r) == ["The e-mail or password is not correct."]
