"""Invitations: an admin invites staff, the link sets the password once, follows the password
rules, expires after seven days, refuses forged tokens and deactivated accounts, and can be
sent again."""

from __future__ import annotations

import itsdangerous
import pytest

from portal.auth import passwords
from portal.auth.models import Role
from tests.accounts.support import (
    NEW_PASSWORD,
    audit_events,
    en,
    link_in,
    sign_in,
    users_with_email,
)
from tests.support.pages import field_error, flashes, fresh, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


@pytest.fixture
def invited(client, db, make, login_as, outbox):
    """A city-wide admin invites university staff through the form; returns (user, link path)."""
    uni = make.university()
    admin = en(make, Role.ADMIN, full_name="Putri Rahmadani Harahap")
    login_as(admin)
    r = client.post(
        "/admin/users/new",
        data={
            "email": "Dosen.Baru@Kampus.example.com",
            "full_name": "Dr. Maria Hutabarat",
            "roles": ["university"],
            "university_id": str(uni.id),
            "agency_id": "0",
            "admin_agency_id": "0",
            "locale": "en",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    assert "The invitation to dosen.baru@kampus.example.com is on its way." in flashes(r)
    [user] = users_with_email(db, "dosen.baru@kampus.example.com")
    [mail] = outbox(user.email)
    return user, mail, admin


def test_invitation_creates_an_account_without_password_and_emails_a_link(db, invited):
    user, mail, admin = invited

    assert user.password_hash is None
    assert user.roles == {Role.UNIVERSITY}
    assert mail.subject == "Your invitation to Sinergi"
    assert "Putri Rahmadani Harahap" in mail.body_text and "7 days" in mail.body_text
    assert link_in(mail).startswith("/invitation/")
    [event] = audit_events(db, "account.invite", target_id=user.id)
    assert event.actor_id == admin.id


def test_invitation_link_sets_the_password_once(db, invited, other_client, outbox):
    user, mail, _admin = invited
    link = link_in(mail)

    page = other_client.get(link)
    assert page.status_code == 200
    assert "Dr. Maria Hutabarat" in text(page) and user.email in text(page)

    r = other_client.post(
        link,
        data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        follow_redirects=True,
    )
    assert r.status_code == 200
    assert "Your password is set. You can sign in now." in flashes(r)
    assert passwords.verify_password(fresh(db, user).password_hash, NEW_PASSWORD)
    assert audit_events(db, "account.activate_invitation", target_id=user.id)

    again = other_client.get(link)
    assert again.status_code == 410 and "Link no longer valid" in text(again)
    again = other_client.post(
        link,
        data={"password": "someone else's sentence", "password_confirm": "someone else's sentence"},
    )
    assert again.status_code == 410
    assert passwords.verify_password(fresh(db, user).password_hash, NEW_PASSWORD)

    r = sign_in(other_client, user.email, NEW_PASSWORD)
    assert r.status_code == 302
    assert other_client.get("/verifications").status_code == 200


def test_invitation_password_must_follow_the_rules(db, invited, other_client):
    user, mail, _admin = invited

    r = other_client.post(link_in(mail), data={"password": "short", "password_confirm": "short"})

    assert r.status_code == 200
    assert field_error(r, "password") == "Use at least 8 characters."
    assert fresh(db, user).password_hash is None


def test_invitation_link_expires_after_seven_days(db, invited, other_client, clock):
    user, mail, _admin = invited
    link = link_in(mail)

    clock(6 * 86400)
    assert other_client.get(link).status_code == 200

    clock(7 * 86400 + 60)
    r = other_client.get(link)
    assert r.status_code == 410 and "Link no longer valid" in text(r)
    r = other_client.post(link, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert r.status_code == 410
    assert fresh(db, user).password_hash is None


def test_invitation_link_refused_when_max_age_is_negative(
    app, db, invited, other_client, monkeypatch
):
    _user, mail, _admin = invited
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)

    assert other_client.get(link_in(mail)).status_code == 410


def test_forged_or_mismatched_invitation_tokens_are_refused(app, db, invited, other_client):
    user, mail, _admin = invited
    token = link_in(mail).rsplit("/", 1)[1]

    assert other_client.get("/invitation/forged-token").status_code == 410
    # one character of the signature changed (not the last: its low bits are padding, and an
    # ending that already read "xx", or as good as, left the token valid: 1 run in about 1,000)
    changed = "A" if token[-10] != "A" else "B"
    assert other_client.get(f"/invitation/{token[:-10]}{changed}{token[-9:]}").status_code == 410
    with app.test_request_context():
        reset_token = passwords.make_token(user, "reset")  # right signature, wrong purpose
        forged = itsdangerous.URLSafeTimedSerializer("not-the-secret", salt="portal.invite").dumps(
            {"uid": user.id, "fp": passwords._fingerprint(user)}
        )
    assert other_client.get(f"/invitation/{reset_token}").status_code == 410
    r = other_client.post(
        f"/invitation/{forged}", data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert r.status_code == 410
    assert fresh(db, user).password_hash is None


def test_invitation_of_a_deactivated_account_no_longer_works(client, db, invited, other_client):
    user, mail, _admin = invited
    client.post(f"/admin/users/{user.id}/deactivate")

    assert other_client.get(link_in(mail)).status_code == 410


def test_resent_invitation_works_and_the_old_link_too_until_used(
    client, db, invited, outbox, other_client
):
    user, first, _admin = invited

    r = client.post(f"/admin/users/{user.id}/invitation", follow_redirects=True)
    assert "The invitation is queued: the e-mail goes out within minutes." in flashes(r)
    second = outbox(user.email)[-1]
    assert second.id != first.id

    assert (
        other_client.post(
            link_in(second), data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
        ).status_code
        == 302
    )
    # Once a password is set, every invitation link is spent.
    assert other_client.get(link_in(first)).status_code == 410
