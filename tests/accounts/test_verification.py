"""Verification of registered students by their university: the waiting list and its search,
verifying, rejecting with a reason, and students of other universities kept out of reach."""

from __future__ import annotations

import pytest

from portal.auth.models import AccountStatus, Role
from tests.accounts.support import audit_events, en, link_in, sign_in
from tests.support.factories import PASSWORD
from tests.support.pages import field_error, flashes, fresh, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


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
