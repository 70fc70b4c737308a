"""Passwords after registration: the forgotten-password link (same message for every address,
one use, two hours) and changing the password from the account page."""

from __future__ import annotations

import pytest

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role
from tests.accounts.support import NEW_PASSWORD, audit_events, en, link_in, sign_in
from tests.support.factories import PASSWORD
from tests.support.pages import field_error, flashes, fresh, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


# --- forgotten password ---------------------------------------------------------------------------


def _forgot(client, email):
    return client.post("/forgot-password", data={"email": email}, follow_redirects=True)


def test_forgotten_password_same_message_link_only_for_known_accounts(client, db, make, outbox):
    user = en(make, Role.ASN, email="lupa.sandi@example.com")

    unknown = _forgot(client, "tidak.ada@example.com")
    known = _forgot(client, "Lupa.Sandi@Example.com")

    assert unknown.status_code == known.status_code == 200
    assert flashes(unknown) == flashes(known)
    assert "If an account with that e-mail exists" in flashes(known)[0]
    assert outbox("tidak.ada@example.com") == []
    [mail] = outbox()
    assert mail.recipient == user.email
    assert link_in(mail).startswith("/reset-password/")
    assert "2 hours" in mail.body_text


def test_no_reset_link_for_pending_or_deactivated_accounts(client, db, make, outbox):
    pending = en(make, Role.STUDENT, status=AccountStatus.PENDING)
    gone = en(make, Role.ASN, is_active_flag=False)

    _forgot(client, pending.email)
    _forgot(client, gone.email)

    assert outbox() == []


def test_reset_link_works_once_and_the_old_password_stops_working(
    client, db, make, outbox, other_client
):
    user = en(make, Role.ASN)
    _forgot(client, user.email)
    link = link_in(outbox(user.email)[0])

    assert client.get(link).status_code == 200
    r = client.post(
        link,
        data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert "Your password has been changed. Please sign in with the new one." in flashes(r)
    assert audit_events(db, "password.reset", target_id=user.id)

    again = client.post(
        link,
        data={"password": "another fine sentence", "password_confirm": "another fine sentence"},
    )
    assert again.status_code == 410 and "Link no longer valid" in text(again)

    assert flashes(sign_in(other_client, user.email, PASSWORD)) == [
        "The e-mail or password is not correct."
    ]
    assert sign_in(other_client, user.email, NEW_PASSWORD).status_code == 302


def test_reset_link_expires_after_two_hours(client, db, make, outbox, clock):
    user = en(make, Role.ASN)
    _forgot(client, user.email)
    link = link_in(outbox(user.email)[0])

    clock(2 * 3600 + 60)
    r = client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})

    assert r.status_code == 410
    assert passwords.verify_password(fresh(db, user).password_hash, PASSWORD)


def test_reset_link_of_an_account_deactivated_meanwhile_is_refused(client, db, make, outbox):
    user = en(make, Role.ASN)
    _forgot(client, user.email)
    link = link_in(outbox(user.email)[0])
    user.is_active_flag = False
    db.session.flush()

    assert client.get(link).status_code == 410


# --- change password ------------------------------------------------------------------------------


def test_change_password_needs_the_current_one(client, db, make, login_as):
    user = en(make, Role.ASN)
    login_as(user)
    before = user.password_hash

    r = client.post(
        "/account/password",
        data={
            "current_password": "this is not it",
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )

    assert r.status_code == 200
    assert field_error(r, "current_password") == "The current password is not correct."
    assert fresh(db, user).password_hash == before
    assert audit_events(db, "password.change", target_id=user.id) == []


def test_change_password_with_the_current_one(client, db, make, login_as, other_client):
    user = en(make, Role.ASN)
    login_as(user)

    r = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
        follow_redirects=True,
    )

    assert r.status_code == 200
    assert "Your password has been changed." in flashes(r)
    assert client.get("/dashboard").status_code == 200  # this session goes on
    assert sign_in(other_client, user.email, PASSWORD).status_code == 200
    assert sign_in(other_client, user.email, NEW_PASSWORD).status_code == 302


def test_change_password_applies_the_rules(client, db, make, login_as):
    user = en(make, Role.ASN)
    login_as(user)

    r = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "password": "password123",
            "password_confirm": "password123",
        },
    )

    assert field_error(r, "password") == (
        "This password is too common and easy to guess. Choose another one."
    )
    assert passwords.verify_password(fresh(db, user).password_hash, PASSWORD)
