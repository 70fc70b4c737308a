"""The student journey in a real browser: register, wait, get verified by the university, sign in,
switch to English, sign out. Every page on the way is checked with axe-core.

Expected texts come from the portal's own catalogue (``texts("id")``), so the test reads what an
Indonesian visitor reads; after the switch it reads English.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from portal.db import db
from portal.notify import OutboxEmail
from tests.e2e.a11y import assert_accessible
from tests.e2e.pages import flash, navbar, submit_sign_in

pytestmark = pytest.mark.e2e

STUDENT = {
    "full_name": "Siti Aisyah Lubis",
    "email": "siti.lubis@example.com",
    "nim": "221402077",
    "study_programme": "S1 Teknologi Informasi",
    "password": "Kopi-Toba-pagi-2026",
}


def sign_out(page: Page, t) -> None:
    navbar(page).get_by_role("button", name=t("Sign out")).click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(flash(page)).to_have_text(t("You have signed out."))
    nav = navbar(page)
    expect(nav.get_by_role("link", name=t("Sign in"), exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=t("Register"), exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name=t("Sign out"))).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Sinergi: learning and internships for Medan")
    )


def outbox_subjects(live_server, recipient: str) -> list[str]:
    with live_server.app.app_context():
        subjects = list(
            db.session.scalars(
                sa.select(OutboxEmail.subject).where(OutboxEmail.recipient == recipient)
            )
        )
        db.session.remove()
    return subjects


def test_student_registers_is_verified_signs_in_and_switches_to_english(
    live_server, new_person, texts
):
    t = texts("id")
    en = texts("en")
    university = f"{live_server.university_name} ({live_server.university_short_name})"
    staff = live_server.staff

    # --- A student registers (an Indonesian visitor on her own computer) ---------------------
    student = new_person()
    student.goto("/")
    expect(student.locator("html")).to_have_attribute("lang", "id")
    # Spelled out once: with an empty or uncompiled catalogue every ``t(...)`` would be English.
    expect(
        navbar(student).get_by_role("link", name="Masuk", exact=True),
        "the menu is not in Indonesian: is the catalogue compiled (make translations)?",
    ).to_be_visible()
    expect(navbar(student).get_by_role("link", name="Daftar", exact=True)).to_be_visible()
    expect(student.get_by_role("heading", level=1)).to_have_text(
        t("Sinergi: learning and internships for Medan")
    )
    assert_accessible(student, "the home page (visitor)")

    student.get_by_role("link", name=t("Register as a student")).click()
    expect(student).to_have_url(re.compile(r"/register$"))
    expect(student.get_by_role("heading", level=1)).to_have_text(t("Student registration"))
    assert_accessible(student, "the registration form")

    student.get_by_label(t("Full name"), exact=True).fill(STUDENT["full_name"])
    student.get_by_label(t("E-mail"), exact=True).fill(STUDENT["email"])
    student.get_by_label(t("University"), exact=True).select_option(label=university)
    student.get_by_label(t("Student number (NIM)"), exact=True).fill(STUDENT["nim"])
    student.get_by_label(t("Study programme"), exact=True).fill(STUDENT["study_programme"])
    student.get_by_label(t("New password"), exact=True).fill(STUDENT["password"])
    student.get_by_label(t("Repeat the new password"), exact=True).fill(STUDENT["password"])
    student.get_by_label(
        t("I have read the privacy notice."),
        exact=True,
    ).check()
    student.get_by_role("main").get_by_role("button", name=t("Register")).click()

    expect(student.get_by_role("heading", level=1)).to_have_text(t("Registration received"))
    expect(
        student.get_by_text(
            t(
                "Thank you. %(university)s will verify your account; you will receive an e-mail when "
                "you can sign in.",
                university=live_server.university_name,
            )
        )
    ).to_be_visible()
    assert_accessible(student, "the 'registration received' page")

    # Before the university has verified her, she cannot sign in yet, and is told why.
    submit_sign_in(student, t, STUDENT["email"], STUDENT["password"])
    expect(flash(student)).to_have_text(
        t("Your account is waiting for verification by your university. You will get an e-mail.")
    )
    expect(student.get_by_role("heading", level=1)).to_have_text(t("Sign in"))
    assert_accessible(student, "the sign-in page with the 'waiting for verification' message")

    # --- The university staff member verifies her (another person, another computer) ---------
    assert t("A student waits for verification") in outbox_subjects(live_server, staff.email)
    desk = new_person()
    submit_sign_in(desk, t, staff.email, staff.password)
    expect(desk).to_have_url(re.compile(r"/dashboard$"))
    expect(flash(desk)).to_have_text(t("Welcome, %(name)s.", name=staff.full_name))
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        t("Hello, %(name)s", name=staff.full_name)
    )
    expect(
        desk.get_by_text(
            t.n(
                "%(num)d student waits for your verification.",
                "%(num)d students wait for your verification.",
                1,
            )
        )
    ).to_be_visible()
    assert_accessible(desk, "the university staff dashboard")

    navbar(desk).get_by_role("button", name=t("Internship work"), exact=True).click()
    navbar(desk).get_by_role("link", name=t("Student verification")).click()
    expect(desk).to_have_url(re.compile(r"/verifications$"))
    expect(desk.get_by_role("heading", level=1)).to_have_text(t("Student verification"))
    row = desk.get_by_role("row").filter(has_text=STUDENT["email"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(STUDENT["full_name"])
    expect(row).to_contain_text(STUDENT["nim"])
    expect(row).to_contain_text(STUDENT["study_programme"])
    assert_accessible(desk, "the student verification list")

    row.get_by_role("button", name=t("Verify")).click()
    expect(flash(desk)).to_have_text(
        t("%(name)s is verified and can sign in now.", name=STUDENT["full_name"])
    )
    expect(desk.get_by_text(t("No student is waiting for verification."))).to_be_visible()
    expect(desk.get_by_role("row").filter(has_text=STUDENT["email"])).to_have_count(0)
    assert_accessible(desk, "the verification list after verifying")

    sign_out(desk, t)
    assert_accessible(desk, "the home page after the staff member signed out")

    # --- The student signs in, reaches her dashboard and switches to English ------------------
    assert t("Your Sinergi account is verified") in outbox_subjects(live_server, STUDENT["email"])
    submit_sign_in(student, t, STUDENT["email"], STUDENT["password"])
    expect(student).to_have_url(re.compile(r"/dashboard$"))
    expect(flash(student)).to_have_text(t("Welcome, %(name)s.", name=STUDENT["full_name"]))
    expect(student.get_by_role("heading", level=1)).to_have_text(
        t("Hello, %(name)s", name=STUDENT["full_name"])
    )
    expect(
        student.get_by_text(
            t(
                "Find an internship position, follow your applications and keep the logbook of "
                "your placement."
            )
        )
    ).to_be_visible()
    expect(student.get_by_text(live_server.university_name)).to_be_visible()
    expect(navbar(student).get_by_role("button", name="Keluar")).to_be_visible()
    assert_accessible(student, "the student dashboard (Indonesian)")

    navbar(student).get_by_role("button", name="English").click()
    expect(student.locator("html")).to_have_attribute("lang", "en")
    expect(student).to_have_url(re.compile(r"/dashboard$"))
    expect(navbar(student).get_by_role("button", name="Sign out")).to_be_visible()
    expect(navbar(student).get_by_role("button", name="Keluar")).to_have_count(0)
    expect(navbar(student).get_by_role("button", name="Bahasa Indonesia")).to_be_visible()
    expect(navbar(student).get_by_role("link", name="Dashboard")).to_be_visible()
    expect(student.get_by_role("heading", level=1)).to_have_text(
        en("Hello, %(name)s", name=STUDENT["full_name"])
    )
    expect(
        student.get_by_text(
            "Find an internship position, follow your applications and keep the logbook of "
            "your placement."
        )
    ).to_be_visible()
    assert_accessible(student, "the student dashboard (English)")

    # --- She signs out and is a visitor on the home page again (still in English) -------------
    sign_out(student, en)
    expect(student.locator("html")).to_have_attribute("lang", "en")
    expect(navbar(student).get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert_accessible(student, "the home page after the student signed out (English)")
