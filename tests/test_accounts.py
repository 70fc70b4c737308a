"""Accounts as a user meets them: registration, sign-in, verification, invitations, passwords,
profile and language.

Pages are asked for in English (``Accept-Language: en``, users with ``locale="en"``) so the
assertions on text hold whatever the Indonesian catalogue says; the language tests at the end
check Indonesian on purpose.
"""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import itsdangerous.timed
import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from tests.factories import PASSWORD
from tests.pages import field_error, flashes, fresh, input_value, select_options, text

NEW_PASSWORD = "a brand new sentence for Sinergi"
_ALERT_RE = re.compile(r'<div class="alert alert-(\w+)">(.*?)</div>', re.S)
_LINK_RE = re.compile(r"https?://[^\s\"<>]+")


# --- helpers --------------------------------------------------------------------------------------


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(mail) -> str:
    links = _LINK_RE.findall(mail.body_text)
    assert links, f"no link in the e-mail: {mail.body_text!r}"
    return path_of(links[0])


def sign_in(client, email: str, password: str):
    response = client.post("/login", data={"email": email, "password": password})
    if response.status_code == 302:
        client._has_user = True
    return response


def audit_events(db, action: str, **where) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def users_with_email(db, email: str) -> list[User]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    )


@pytest.fixture(autouse=True)
def english(client):
    """Anonymous pages in English unless a test says otherwise."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def other_client(app, client):
    """A second browser (``client`` fixture sets the PortalClient class first)."""
    c = app.test_client()
    c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return c


_emails = itertools.count(1)


def en(make, *roles, **kw):
    """A user who reads English, with an address the e-mail forms accept (not ``.test``)."""
    kw.setdefault("locale", "en")
    kw.setdefault("email", f"pengguna{next(_emails)}@mail.example.com")
    return make.user(*roles, **kw)


# --- registration ---------------------------------------------------------------------------------


def registration(university, **changes) -> dict:
    data = {
        "full_name": "Siti Aminah Lubis",
        "email": "siti.aminah@student.example.com",
        "university_id": str(university.id),
        "nim": "211402123",
        "study_programme": "S1 Ilmu Komputer",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "consent": "y",
    }
    data.update(changes)
    return data


def test_registration_creates_pending_student_and_tells_the_university(client, db, make, outbox):
    uni, other_uni = make.university(), make.university()
    staff = en(make, Role.UNIVERSITY, university=uni)
    other_staff = en(make, Role.UNIVERSITY, university=other_uni)
    inactive_staff = en(make, Role.UNIVERSITY, university=uni, is_active_flag=False)
    admin = en(make, Role.ADMIN)

    r = client.post("/register", data=registration(uni))

    assert r.status_code == 200
    page = text(r)
    assert "Registration received" in page
    assert f"{uni.name} will verify your account" in page
    [student] = users_with_email(db, "siti.aminah@student.example.com")
    assert student.status == AccountStatus.PENDING
    assert student.roles == {Role.STUDENT}
    assert student.university_id == uni.id
    assert (student.nim, student.study_programme) == ("211402123", "S1 Ilmu Komputer")
    assert passwords.verify_password(student.password_hash, NEW_PASSWORD)
    assert student.locale == "en"

    mails = outbox()
    assert [m.recipient for m in mails] == [staff.email]
    assert "Siti Aminah Lubis" in mails[0].body_text and "211402123" in mails[0].body_text
    assert "/verifications" in mails[0].body_text
    assert not outbox(other_staff.email) and not outbox(inactive_staff.email)
    assert not outbox(admin.email) and not outbox(student.email)

    [event] = audit_events(db, "account.register", target_id=student.id)
    assert event.actor_id == student.id


def test_registered_student_cannot_sign_in_before_verification(client, db, make):
    uni = make.university()
    client.post("/register", data=registration(uni))

    r = sign_in(client, "siti.aminah@student.example.com", NEW_PASSWORD)

    assert r.status_code == 200
    assert any("waiting for verification" in f for f in flashes(r))


def test_mismatched_passwords_keep_what_was_typed_and_store_nothing(client, db, make, outbox):
    uni = make.university()
    en(make, Role.UNIVERSITY, university=uni)

    r = client.post("/register", data=registration(uni, password_confirm=NEW_PASSWORD + "x"))

    assert r.status_code == 200
    assert field_error(r, "password_confirm") == "The two passwords do not match."
    assert input_value(r, "full_name") == "Siti Aminah Lubis"
    assert input_value(r, "email") == "siti.aminah@student.example.com"
    assert input_value(r, "nim") == "211402123"
    assert input_value(r, "study_programme") == "S1 Ilmu Komputer"
    assert re.search(
        rf'<option[^>]*selected[^>]*value="{uni.id}"|<option[^>]*value="{uni.id}"[^>]*selected',
        r.get_data(as_text=True),
    ), "the chosen university is no longer selected"
    # Passwords are never sent back to the browser.
    assert NEW_PASSWORD not in r.get_data(as_text=True)
    assert users_with_email(db, "siti.aminah@student.example.com") == []
    assert outbox() == []


def test_registration_without_consent_is_refused(client, db, make):
    uni = make.university()
    data = registration(uni)
    del data["consent"]

    r = client.post("/register", data=data)

    assert r.status_code == 200
    assert field_error(r, "consent") == "This field is required."
    assert users_with_email(db, data["email"]) == []


@pytest.mark.parametrize(
    ("password", "accepted", "message"),
    [
        ("abcdefg", False, "Use at least 8 characters."),
        ("kopisusu", True, None),
        ("k" * 30 + "-Medan-" + "x" * 27, True, None),  # 64
        ("Sinergi " * 16, True, None),  # 128
        ("Sinergi " * 16 + "!", False, "Use at most 128 characters."),  # 129
        ("kata sandi rahasia – Danau Toba 湖 🌋", True, None),
        (
            "password123",
            False,
            "This password is too common and easy to guess. Choose another one.",
        ),
        (
            "PassWord123",
            False,
            "This password is too common and easy to guess. Choose another one.",
        ),
    ],
    ids=[
        "7-chars",
        "8-chars",
        "64-chars",
        "128-chars",
        "129-chars",
        "unicode",
        "common",
        "common-other-case",
    ],
)
def test_password_rules_on_registration(client, db, make, password, accepted, message):
    uni = make.university()
    email = "rules@student.example.com"

    r = client.post(
        "/register",
        data=registration(uni, email=email, password=password, password_confirm=password),
    )

    stored = users_with_email(db, email)
    if accepted:
        assert r.status_code == 200 and "Registration received" in text(r)
        assert len(stored) == 1
        assert passwords.verify_password(stored[0].password_hash, password)
    else:
        assert "Registration received" not in text(r)
        assert field_error(r, "password") == message
        assert stored == []


def test_password_equal_to_the_email_is_refused(client, db, make):
    uni = make.university()
    email = "same.as.password@student.example.com"

    r = client.post(
        "/register",
        data=registration(uni, email=email, password=email.upper(), password_confirm=email.upper()),
    )

    assert field_error(r, "password") == "Do not use your e-mail address as your password."
    assert users_with_email(db, email) == []


def test_email_already_used_in_another_case_is_refused(client, db, make, outbox):
    uni = make.university()
    existing = en(make, Role.STUDENT, university=uni, email="ani.siregar@student.example.com")
    en(make, Role.UNIVERSITY, university=uni)

    r = client.post("/register", data=registration(uni, email="ANI.Siregar@Student.Example.COM"))

    assert r.status_code == 200
    assert "An account with this e-mail address already exists." in flashes(r)
    assert input_value(r, "full_name") == "Siti Aminah Lubis"
    assert [u.id for u in users_with_email(db, existing.email)] == [existing.id]
    assert outbox() == []


def test_email_is_stored_lower_case(client, db, make):
    uni = make.university()

    client.post("/register", data=registration(uni, email="Budi.Santoso@Student.Example.COM"))

    [student] = users_with_email(db, "budi.santoso@student.example.com")
    assert student.email == "budi.santoso@student.example.com"


def test_inactive_university_cannot_be_chosen(client, db, make):
    active = make.university(name="Universitas Aktif", short_name="UAKT")
    closed = make.university(name="Universitas Tutup", short_name="UTTP", is_active=False)

    options = select_options(client.get("/register"), "university_id")
    assert str(active.id) in options
    assert str(closed.id) not in options
    assert all("Universitas Tutup" not in title for title in options.values())

    r = client.post("/register", data=registration(closed))

    assert "Registration received" not in text(r)
    assert field_error(r, "university_id")
    assert users_with_email(db, "siti.aminah@student.example.com") == []


def test_no_university_chosen_is_refused(client, db, make):
    uni = make.university()

    r = client.post("/register", data=registration(uni, university_id="0"))

    assert field_error(r, "university_id") == "This field is required."
    assert users_with_email(db, "siti.aminah@student.example.com") == []


# --- sign-in --------------------------------------------------------------------------------------


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


# --- verification by the university ---------------------------------------------------------------


@pytest.fixture
def campus(make):
    uni, other = make.university(), make.university()
    staff = en(make, Role.UNIVERSITY, university=uni)
    return {
        "uni": uni,
        "staff": staff,
        "pending": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.PENDING,
            full_name="Rizky Pratama Sitompul",
            nim="1903090904",
        ),
        "pending2": en(
            make,
            Role.STUDENT,
            university=uni,
            status=AccountStatus.PENDING,
            full_name="Dinda Aulia Putri",
            nim="2114029010",
        ),
        "verified": en(make, Role.STUDENT, university=uni, full_name="Grace Natalia Simbolon"),
        "foreign": en(
            make,
            Role.STUDENT,
            university=other,
            status=AccountStatus.PENDING,
            full_name="Kevin Tanoto",
        ),
    }


def test_university_sees_only_its_own_pending_students(client, login_as, campus):
    login_as(campus["staff"])

    page = text(client.get("/verifications"))

    assert "Rizky Pratama Sitompul" in page and "Dinda Aulia Putri" in page
    assert "Grace Natalia Simbolon" not in page  # already verified
    assert "Kevin Tanoto" not in page  # another university


def test_verification_search_by_name_email_and_nim(client, login_as, campus):
    login_as(campus["staff"])

    by_name = text(client.get("/verifications?q=rizky"))
    assert "Rizky Pratama Sitompul" in by_name and "Dinda Aulia Putri" not in by_name

    by_email = text(client.get(f"/verifications?q={campus['pending2'].email.upper()}"))
    assert "Dinda Aulia Putri" in by_email and "Rizky Pratama Sitompul" not in by_email

    by_nim = text(client.get("/verifications?q=19030909"))
    assert "Rizky Pratama Sitompul" in by_nim and "Dinda Aulia Putri" not in by_nim

    nothing = text(client.get("/verifications?q=Kevin"))
    assert "No student is waiting for verification." in nothing


def test_verification_search_finds_a_nim_with_letters_as_printed(client, login_as, make, campus):
    """Some universities print NIMs with letters (F1A021045). Typed as printed, it must be
    found on every database (SQLite's LIKE ignores case, PostgreSQL's does not)."""
    en(
        make,
        Role.STUDENT,
        university=campus["uni"],
        status=AccountStatus.PENDING,
        full_name="Yohana Br Ginting",
        nim="F1A021045",
    )
    login_as(campus["staff"])

    page = text(client.get("/verifications?q=F1A021"))

    assert "Yohana Br Ginting" in page


def test_verification_search_treats_wildcards_literally(client, login_as, campus):
    login_as(campus["staff"])

    page = text(client.get("/verifications?q=%25"))  # a lone "%"

    assert "Rizky Pratama Sitompul" not in page
    assert "No student is waiting for verification." in page


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "page=99999999999999999999", "page=-1"])
def test_verification_list_survives_odd_query_arguments(client, login_as, campus, query):
    login_as(campus["staff"])

    assert client.get(f"/verifications?{query}").status_code == 200


def test_verify_student_lets_them_sign_in_and_emails_them(
    client, db, login_as, outbox, campus, other_client
):
    student, staff = campus["pending"], campus["staff"]
    login_as(staff)

    r = client.post(f"/verifications/{student.id}/verify", follow_redirects=True)

    assert r.status_code == 200
    assert "Rizky Pratama Sitompul is verified and can sign in now." in flashes(r)
    assert "<td>Rizky Pratama Sitompul</td>" not in text(r)  # no longer in the waiting list
    student = fresh(db, student)
    assert student.status == AccountStatus.ACTIVE
    assert student.verified_by_id == staff.id and student.verified_at is not None
    [mail] = outbox(student.email)
    assert link_in(mail) == "/login"
    assert audit_events(db, "account.verify", actor_id=staff.id, target_id=student.id)

    assert sign_in(other_client, student.email, PASSWORD).status_code == 302


def test_student_of_another_university_cannot_be_verified_or_rejected(
    client, db, login_as, outbox, campus
):
    foreign = campus["foreign"]
    login_as(campus["staff"])

    assert client.post(f"/verifications/{foreign.id}/verify").status_code == 404
    assert client.get(f"/verifications/{foreign.id}/reject").status_code == 404
    assert (
        client.post(
            f"/verifications/{foreign.id}/reject", data={"reason": "bukan mahasiswa kami"}
        ).status_code
        == 404
    )
    assert fresh(db, foreign).status == AccountStatus.PENDING
    assert outbox(foreign.email) == []


def test_already_verified_student_cannot_be_verified_again(client, login_as, campus):
    login_as(campus["staff"])

    assert client.post(f"/verifications/{campus['verified'].id}/verify").status_code == 404


def test_reject_requires_a_reason(client, db, login_as, outbox, campus):
    student = campus["pending"]
    login_as(campus["staff"])

    form = client.get(f"/verifications/{student.id}/reject")
    assert form.status_code == 200 and "Rizky Pratama Sitompul" in text(form)

    r = client.post(f"/verifications/{student.id}/reject", data={"reason": "   "})

    assert r.status_code == 200
    assert field_error(r, "reason") == "This field is required."
    assert fresh(db, student).status == AccountStatus.PENDING
    assert outbox(student.email) == []


def test_reject_emails_the_reason_and_the_student_sees_it_at_sign_in(
    client, db, login_as, outbox, campus, other_client
):
    student, staff = campus["pending"], campus["staff"]
    login_as(staff)
    reason = "NIM 1903090904 tidak terdaftar di PDDikti."

    r = client.post(
        f"/verifications/{student.id}/reject", data={"reason": reason}, follow_redirects=True
    )

    assert "The registration of Rizky Pratama Sitompul was rejected." in flashes(r)
    student = fresh(db, student)
    assert student.status == AccountStatus.REJECTED
    assert student.rejection_reason == reason
    [mail] = outbox(student.email)
    assert reason in mail.body_text
    [event] = audit_events(db, "account.reject", target_id=student.id)
    assert event.actor_id == staff.id

    r = sign_in(other_client, student.email, PASSWORD)
    assert r.status_code == 200
    assert any(reason in f for f in flashes(r))


def test_only_university_staff_open_the_verification_list(client, make, login_as):
    login_as(en(make, Role.STUDENT))

    assert client.get("/verifications").status_code == 403


# --- invitations ----------------------------------------------------------------------------------


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


@pytest.fixture
def clock(monkeypatch):
    """Move the clock of signed links (itsdangerous) forward by some seconds."""

    def shift(seconds: int):
        monkeypatch.setattr(
            itsdangerous.timed.TimestampSigner,
            "get_timestamp",
            lambda self: int(time.time()) + seconds,
        )

    return shift


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
    assert other_client.get(f"/invitation/{token[:-2]}xx").status_code == 410
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
    assert "The invitation has been sent again." in flashes(r)
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


# --- profile and language -------------------------------------------------------------------------


def test_profile_saves_name_and_language(client, db, make, login_as):
    user = make.user(Role.ASN, full_name="Yusuf Ginting")  # Indonesian, the default
    login_as(user)

    r = client.post(
        "/account",
        data={"full_name": "Yusuf Ginting, A.Md.", "locale": "en"},
        follow_redirects=True,
    )

    assert r.status_code == 200
    assert "Your profile has been saved." in flashes(r)
    user = fresh(db, user)
    assert (user.full_name, user.locale) == ("Yusuf Ginting, A.Md.", "en")
    page = text(client.get("/dashboard", headers={"Accept-Language": "id"}))
    assert "Sign out" in page and "Yusuf Ginting, A.Md." in page


def test_profile_refuses_an_unknown_language_and_an_empty_name(client, db, make, login_as):
    user = en(make, Role.ASN, full_name="Yusuf Ginting")
    login_as(user)

    r = client.post("/account", data={"full_name": " ", "locale": "fr"})

    assert r.status_code == 200
    assert field_error(r, "full_name") == "This field is required."
    assert field_error(r, "locale")
    user = fresh(db, user)
    assert (user.full_name, user.locale) == ("Yusuf Ginting", "en")


def test_profile_ignores_fields_that_are_not_on_the_form(client, db, make, login_as):
    uni = make.university()
    user = en(make, Role.STUDENT, university=uni, full_name="Dinda Aulia Putri")
    login_as(user)
    before = {
        k: getattr(user, k)
        for k in (
            "email",
            "password_hash",
            "status",
            "is_active_flag",
            "session_token",
            "university_id",
            "nim",
            "admin_agency_id",
            "rejection_reason",
            "verified_by_id",
        )
    }

    r = client.post(
        "/account",
        data={
            "full_name": "Dinda A. Putri",
            "locale": "en",
            "email": "attacker@example.com",
            "password_hash": "x",
            "status": "rejected",
            "is_active": "0",
            "is_active_flag": "",
            "session_token": "chosen-by-attacker",
            "university_id": str(make.university().id),
            "nim": "000",
            "roles": "admin",
            "admin_agency_id": "1",
            "rejection_reason": "x",
            "verified_by_id": "1",
        },
    )

    assert r.status_code == 302
    user = fresh(db, user)
    assert user.full_name == "Dinda A. Putri"
    assert {k: getattr(user, k) for k in before} == before
    assert user.roles == {Role.STUDENT}


@pytest.fixture
def compiled_catalogues(app, tmp_path_factory, monkeypatch):
    """The committed .po catalogues compiled (as ``make translations`` does) into a temporary
    folder, so the language tests do not depend on a build step having run."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = Path(__file__).resolve().parent.parent / "translations"
    target = tmp_path_factory.mktemp("translations")
    for po in source.glob("*/LC_MESSAGES/messages.po"):
        out = target / po.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True)
        with po.open("rb") as f:
            catalogue = read_po(f)
        with out.open("wb") as f:
            write_mo(f, catalogue)
    babel_cfg = app.extensions["babel"]
    domain = babel_cfg.instance.domain_instance
    monkeypatch.setattr(babel_cfg, "translation_directories", [str(target)])
    domain.cache.clear()
    yield
    domain.cache.clear()


def test_pages_are_indonesian_by_default(client, make, login_as, compiled_catalogues):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    anonymous = text(client.get("/login"))
    assert 'lang="id"' in anonymous
    assert "Masuk" in anonymous

    login_as(make.user(Role.ASN))  # locale "id" (the default)
    page = text(client.get("/dashboard"))
    assert "Keluar" in page and "Sign out" not in page


def test_english_choice_renders_pages_in_english(client, make, login_as, compiled_catalogues):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    user = make.user(Role.ASN)
    login_as(user)

    client.post("/account", data={"full_name": user.full_name, "locale": "en"})

    page = text(client.get("/dashboard", headers={"Accept-Language": "id"}))
    assert 'lang="en"' in page
    assert "Sign out" in page and "Keluar" not in page


def test_emails_are_written_in_the_recipients_language(
    client, db, make, outbox, compiled_catalogues
):
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parent.parent / "translations/id/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        indonesian = read_po(f)["A student waits for verification"].string
    uni = make.university()
    staff_id = make.user(Role.UNIVERSITY, university=uni)  # Indonesian (the default)
    staff_en = en(make, Role.UNIVERSITY, university=uni)

    client.post("/register", data=registration(uni))  # the student's own pages are English

    assert indonesian and indonesian != "A student waits for verification"
    assert outbox(staff_id.email)[0].subject == indonesian
    assert outbox(staff_en.email)[0].subject == "A student waits for verification"
