"""Issue 18 part 2 (points 4, 10b, 10d, 10f) in a real browser:

1. (point 4) A supervisor signs in: her dashboard lists the training registration of her staff
   member that waits for her decision (who, which training, since when, days waiting) with a
   link to decide; it leads to the registration page, where she finds the decision form and its
   hint about the reason.
2. (point 10d) The staff member opens that same registration: the supervisor's hint (the ASN
   reads the reason) is not on her own page.
3. (point 10f) The staff member is enrolled in a training running now: "My trainings" offers
   "Check in now"; she checks in with the session's code, comes back to "My trainings": the
   button is gone and the page says she checked in, with the time.
4. (point 10b) She records development done elsewhere: chooses a PDF, presses "Show the JP
   first", sees the JP and the file she chose kept, then sends it for verification: the record
   has her file as evidence.
5. (point 4, demo data, read only) The demo supervisor ``atasan.dinkes@`` sees on her dashboard
   as many waiting registrations as her staff have waiting, the oldest first, and the panel's
   link leads to her approvals page.

The world (seeded once for the module on the live server) has its own OPD, trainings and
people; expected texts come from the portal's Indonesian catalogue.
"""

from __future__ import annotations

import re
import types
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.auth.models import Role, User
from portal.competency.models import AsnProfile
from portal.curricula.models import CurriculumState
from portal.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import Registration, RegistrationState, TrainingSession
from portal.uploads import StoredFile
from tests.e2e.pages import flash, heading, main, sign_in
from tests.e2e.worlds import Account, account_user
from tests.support.factories import Factories

pytestmark = pytest.mark.e2e

DECLINE_HINT = "Required to decline; the ASN reads it."


@pytest.fixture(scope="module")
def small_world(live_server):
    w = types.SimpleNamespace(
        boss=Account(email="atasan.kecil@pemkomedan.example.go.id", full_name="Rina Atasan Kecil"),
        staff=Account(email="staf.kecil@pemkomedan.example.go.id", full_name="Sari Staf Kecil"),
    )
    app = live_server.app
    with app.app_context():
        make = Factories(db.session)
        opd = make.agency(name="Dinas Uji Kecil", short_name="DUK")
        boss = make.asn_profile(account_user(make, w.boss, Role.ASN, agency=opd, locale="id"))
        staff_user = account_user(make, w.staff, Role.ASN, agency=opd, locale="id")
        staff = make.asn_profile(staff_user, supervisor=boss)
        curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency=opd)
        later = make.trainings.batch(curriculum=curriculum, title="Pelatihan Menunggu Atasan")
        waiting = make.trainings.registration(later, staff, state=RegistrationState.REQUESTED)
        waiting.created_at = utcnow() - timedelta(days=3, hours=1)
        w.waiting_id = waiting.id
        running = make.trainings.batch(
            curriculum=curriculum,
            title="Pelatihan Berjalan Sekarang",
            start=utcnow().replace(microsecond=0) - timedelta(minutes=10),
            hours=3,
        )
        make.trainings.registration(running, staff, state=RegistrationState.ENROLLED)
        w.code = db.session.scalar(
            db.select(TrainingSession.check_in_code).where(TrainingSession.batch_id == running.id)
        )
        w.staff_asn_id = staff.id
        db.session.commit()
        db.session.remove()
    return w


def test_the_supervisor_sees_what_waits_on_her_dashboard_and_decides(
    new_person, texts, small_world
):
    t = texts("id")
    w = small_world
    page = new_person()
    sign_in(page, t, w.boss)
    page.goto("/dashboard")
    panel = page.get_by_role("region", name=t("Training registrations waiting for you"))
    expect(panel).to_contain_text(
        t.n(
            "%(num)d registration waits for your decision.",
            "%(num)d registrations wait for your decision.",
            1,
        )
    )
    row = panel.get_by_role("row", name=re.compile("Sari Staf Kecil"))
    expect(row).to_contain_text("Pelatihan Menunggu Atasan")
    expect(row).to_contain_text(t.n("%(num)d day waiting", "%(num)d days waiting", 3))
    row.get_by_role("link", name=re.compile(t("Decide"))).click()
    expect(page).to_have_url(re.compile(rf"/trainings/registrations/{w.waiting_id}$"))
    expect(page.get_by_role("button", name=t("Decline"))).to_be_visible()
    expect(main(page)).to_contain_text(t(DECLINE_HINT))


def test_the_asn_does_not_read_the_supervisors_hint_on_her_own_registration(
    new_person, texts, small_world
):
    t = texts("id")
    w = small_world
    page = new_person()
    sign_in(page, t, w.staff)
    page.goto(f"/trainings/registrations/{w.waiting_id}")
    expect(heading(page)).to_contain_text("Sari Staf Kecil")
    expect(page.get_by_role("button", name=t("Cancel the registration"))).to_be_visible()
    expect(main(page)).not_to_contain_text(t(DECLINE_HINT))
    expect(main(page)).not_to_contain_text(t("Approve"))


def test_after_checking_in_my_trainings_says_so_instead_of_offering_it(
    new_person, texts, small_world
):
    t = texts("id")
    w = small_world
    page = new_person()
    sign_in(page, t, w.staff)
    page.goto("/trainings/mine")
    row = page.get_by_role("row", name=re.compile("Pelatihan Berjalan Sekarang"))
    row.get_by_role("link", name=t("Check in now")).click()
    page.get_by_label(t("Check-in code")).fill(w.code)
    page.get_by_role("button", name=t("Check in")).click()
    expect(page).to_have_url(re.compile(r"/trainings/mine$"))
    expect(flash(page)).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Pelatihan Berjalan Sekarang"))
    expect(row.get_by_role("link", name=t("Check in now"))).to_have_count(0)
    expect(row).to_contain_text(re.compile(re.escape(t("Checked in at %(time)s", time="")) + r"\d"))


def test_the_chosen_evidence_survives_the_jp_preview(
    new_person, texts, small_world, tmp_path, live_server
):
    t = texts("id")
    w = small_world
    proof = tmp_path / "sertifikat-seminar.pdf"
    proof.write_bytes(b"%PDF-1.7\n%uji bukti\n")
    page = new_person()
    sign_in(page, t, w.staff)
    page.goto("/trainings/ledger/submit")
    page.get_by_label(t("Form of development")).select_option("seminar")
    page.get_by_label(t("Name of the activity")).fill("Seminar Kota Cerdas Kecil")
    page.get_by_label(t("Organiser")).fill("Kemendagri")
    page.get_by_label(t("First day")).fill("2025-03-10")
    page.get_by_label(t("Last day")).fill("2025-03-11")
    page.get_by_label(t("Duration")).fill("2")
    page.get_by_label(t("Certificate or other proof")).set_input_files(str(proof))
    page.get_by_role("button", name=t("Show the JP first")).click()
    expect(page.get_by_role("status")).to_contain_text("JP")
    expect(main(page)).to_contain_text("sertifikat-seminar.pdf")
    page.get_by_role("button", name=t("Send for verification")).click()
    expect(page).to_have_url(re.compile(r"/trainings/ledger/entries/\d+$"))
    entry_id = int(page.url.rsplit("/", 1)[1])
    expect(main(page)).to_contain_text("sertifikat-seminar.pdf")
    with live_server.app.app_context():
        entry = db.session.get(LedgerEntry, entry_id)
        assert entry.asn_id == w.staff_asn_id
        evidence = db.session.get(StoredFile, entry.evidence_file_id)
        assert evidence.original_name == "sertifikat-seminar.pdf"
        db.session.remove()


DEMO_SUPERVISOR = "atasan.dinkes@sinergi.example"


def test_the_demo_supervisor_sees_her_waiting_registrations(demo_server, new_person, texts):
    t = texts("id")
    app = demo_server.app
    with app.app_context():
        boss = db.session.scalar(
            sa.select(AsnProfile)
            .join(User, User.id == AsnProfile.user_id)
            .where(User.email == DEMO_SUPERVISOR)
        )
        waiting = db.session.scalar(
            sa.select(sa.func.count(Registration.id))
            .join(AsnProfile, AsnProfile.id == Registration.asn_id)
            .where(
                AsnProfile.supervisor_id == boss.id,
                Registration.state == RegistrationState.REQUESTED,
                Registration.user_id != boss.user_id,
            )
        )
        db.session.remove()
    assert waiting > 0, "the demo supervisor has registrations to decide"
    page = new_person()
    page.goto(demo_server.url + "/login")
    page.get_by_label(t("E-mail"), exact=True).fill(DEMO_SUPERVISOR)
    page.get_by_label(t("Password"), exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t("Sign in")).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    panel = page.get_by_role("region", name=t("Training registrations waiting for you"))
    expect(panel).to_contain_text(
        t.n(
            "%(num)d registration waits for your decision.",
            "%(num)d registrations wait for your decision.",
            waiting,
        )
    )
    rows = panel.locator("tbody tr")
    expect(rows).to_have_count(min(waiting, 5))
    days = [
        int(re.search(r"\d+", text).group())
        for text in rows.locator("td:nth-child(4)").all_inner_texts()
    ]
    assert days == sorted(days, reverse=True), days  # the oldest first
    panel.get_by_role("link", name=t("Training approvals")).click()
    expect(page).to_have_url(re.compile(r"/trainings/approvals$"))
