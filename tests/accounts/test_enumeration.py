"""Nobody finds out which e-mail addresses have an account (issue 15.3): registration answers
the same for a used address (and e-mails its owner instead), sign-in checks one password hash
of the same cost whether or not the address has an account, and a forgotten-password request
does the same work either way."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from portal import notify
from portal.auth import passwords
from portal.auth.models import AccountStatus, Role
from tests.accounts.support import (
    NEW_PASSWORD,
    audit_events,
    en,
    link_in,
    registration,
    sign_in,
    users_with_email,
)
from tests.support.factories import PASSWORD
from tests.support.pages import flashes, fresh, visible_text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

OWNER = "ani.siregar@mail.example.com"

# The accounts an address can belong to: each must look like no account at all.
ACCOUNTS = {
    "active": {"roles": (Role.ASN,)},
    "pending-student": {"roles": (Role.STUDENT,), "status": AccountStatus.PENDING},
    "rejected-student": {"roles": (Role.STUDENT,), "status": AccountStatus.REJECTED},
    "deactivated": {"roles": (Role.ASN,), "is_active_flag": False},
    "invited-no-password": {"roles": (Role.UNIVERSITY,), "password": None},
}


def _owner(make, kind: str):
    spec = dict(ACCOUNTS[kind])
    return en(make, *spec.pop("roles"), email=OWNER, full_name="Ani Siregar", **spec)


# --- registration --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ACCOUNTS)
def test_registering_a_used_email_answers_as_for_a_new_one(client, db, make, outbox, kind):
    uni = make.university()
    staff = en(make, Role.UNIVERSITY, university=uni)
    owner = _owner(make, kind)
    before = (owner.full_name, owner.password_hash, owner.status, owner.nim, owner.university_id)

    new = client.post("/register", data=registration(uni, email="baru@mail.example.com"))
    used = client.post("/register", data=registration(uni, email=" ANI.Siregar@Mail.Example.COM"))

    assert used.status_code == new.status_code == 200
    assert used.headers.get("Location") == new.headers.get("Location") is None
    assert flashes(used) == flashes(new) == []
    assert visible_text(used) == visible_text(new)
    assert "Registration received" in visible_text(used)

    # Nothing was created or changed for the used address …
    [same] = users_with_email(db, OWNER)
    assert same.id == owner.id
    after = fresh(db, owner)
    assert (after.full_name, after.password_hash, after.status, after.nim, after.university_id) == (
        before
    )
    assert not audit_events(db, "account.register", target_id=owner.id)
    # … the admins can see that someone tried it (a run of these is someone probing addresses) …
    [attempt] = audit_events(db, "account.register_attempt", target_id=owner.id)
    assert attempt.actor_id is None
    # … the university hears of the new student only, and the owner gets an e-mail.
    assert len(outbox(staff.email)) == 1
    [mail] = outbox(OWNER)
    assert mail.subject == "Someone tried to register with your e-mail address"
    assert "Hello Ani Siregar," in mail.body_text
    assert "no account was created and yours was not changed" in mail.body_text
    assert link_in(mail) == "/login"
    assert "/forgot-password" in mail.body_text and "/forgot-password" in mail.body_html
    assert [m.recipient for m in outbox()] == [staff.email, OWNER]


def test_the_password_typed_at_a_used_email_does_not_open_the_account(client, db, make):
    uni = make.university()
    owner = _owner(make, "active")

    client.post("/register", data=registration(uni, email=OWNER, password_confirm=NEW_PASSWORD))

    assert sign_in(client, OWNER, NEW_PASSWORD).status_code == 200
    assert sign_in(client, owner.email, PASSWORD).status_code == 302


def test_registration_hashes_the_password_for_a_used_email_too(client, db, make, monkeypatch):
    uni = make.university()
    _owner(make, "active")
    hashed = []
    real = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda pw: hashed.append(pw) or real(pw))

    client.post("/register", data=registration(uni, email="baru@mail.example.com"))
    client.post("/register", data=registration(uni, email=OWNER))

    assert hashed == [NEW_PASSWORD, NEW_PASSWORD]


# --- sign-in -------------------------------------------------------------------------------------


@pytest.fixture
def hash_checks(monkeypatch):
    """The argon2 hashes every sign-in compares a password with, in order."""
    checked: list[str] = []
    real = PasswordHasher.verify

    def spy(self, hash, password):
        checked.append(hash if isinstance(hash, str) else hash.decode())
        return real(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return checked


def _cost(argon2_hash: str) -> str:
    """The algorithm, version and parameters of an encoded argon2 hash (not its salt)."""
    return "$".join(argon2_hash.split("$")[:4])


@pytest.mark.parametrize("kind", ["unknown", *ACCOUNTS])
def test_sign_in_checks_one_hash_of_the_same_cost_whatever_the_email(
    client, db, make, hash_checks, kind
):
    known = en(make, Role.ASN)
    email = "nobody.here@mail.example.com" if kind == "unknown" else _owner(make, kind).email

    assert sign_in(client, known.email, "a wrong guess of the password").status_code == 200
    assert sign_in(client, email, "a wrong guess of the password").status_code == 200

    real_check, check = hash_checks
    assert _cost(check) == _cost(real_check) == _cost(known.password_hash)
    assert check.startswith("$argon2id$")


def test_the_stand_in_hash_is_made_once_per_process(client, db, make, hash_checks, monkeypatch):
    sign_in(client, "nobody.here@mail.example.com", "a first guess")
    made = []
    real = PasswordHasher.hash
    monkeypatch.setattr(
        PasswordHasher, "hash", lambda self, pw, **kw: made.append(pw) or real(self, pw, **kw)
    )

    sign_in(client, "nobody.else@mail.example.com", "a second guess")

    first, second = hash_checks
    assert first == second
    assert made == []


# --- forgotten password --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["unknown", "pending-student", "deactivated", "invited-no-password"]
)
def test_forgotten_password_does_the_same_work_without_an_account(
    client, db, make, outbox, count_queries, monkeypatch, kind
):
    known = en(make, Role.ASN)
    email = "nobody.here@mail.example.com" if kind == "unknown" else _owner(make, kind).email
    rendered = []
    real = notify.render_template
    monkeypatch.setattr(
        notify, "render_template", lambda name, **kw: rendered.append(name) or real(name, **kw)
    )
    token = client.csrf_token()

    with count_queries() as known_queries:
        client.post("/forgot-password", data={"email": known.email, "csrf_token": token})
    with count_queries() as other_queries:
        client.post("/forgot-password", data={"email": email, "csrf_token": token})

    assert rendered == ["emails/password_reset.txt", "emails/password_reset.html"] * 2
    # The only difference: the known account's e-mail is written to the outbox.
    assert other_queries() == known_queries() - 1
    assert [m.recipient for m in outbox()] == [known.email]
    assert len(audit_events(db, "password.reset_request")) == 2
