"""Student registration: the pending account and the e-mail to the university, the password
rules, consent, and the choice of university. (An e-mail address already used gets the same
answer as a new one: tests/accounts/test_enumeration.py.)"""

from __future__ import annotations

import re

import pytest

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role
from tests.accounts.support import (
    NEW_PASSWORD,
    audit_events,
    en,
    registration,
    sign_in,
    users_with_email,
)
from tests.support.pages import field_error, flashes, input_value, select_options, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


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


def test_registration_without_reading_the_notice_is_refused(client, db, make):
    # Reading the notice is acknowledged (the account rests on the internship agreement and
    # the city's public task, UU PDP Pasal 20(2)(b), (e)), not consented to.
    uni = make.university()
    data = registration(uni)
    del data["notice_read"]

    r = client.post("/register", data=data)

    assert r.status_code == 200
    assert field_error(r, "notice_read") == "This field is required."
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
