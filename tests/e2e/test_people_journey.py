"""Issue 18 (points 8 and 10c) in a real browser, as the people see it:

1. (point 8) An OPD admin imports a roster of two ASN: the import's page says the truth (no
   invitation sent yet, nothing e-mailed by the import) and invites both with one click; the
   page says "2 invitations queued" and each person's status becomes "Invitation queued".
2. (point 8) The admin filters the account list to the invitations that failed, sees why one
   failed, confirms "1 e-mail will go out" and sends it.
3. (point 10c) An author follows a problem report to upload the corrected version, comes back
   to the report with the new version chosen and marks the report fixed in it.

The world (seeded once for the module on the live server) has its own OPD, university and
people; expected texts come from the portal's Indonesian catalogue.
"""

from __future__ import annotations

import re
import types
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.db import db
from portal.notify import OutboxEmail, OutboxStatus
from tests.competency.roster_support import csv_bytes, nip, person
from tests.e2e.pages import flash, heading, main, sign_in
from tests.e2e.worlds import Account, account_user
from tests.support.factories import Factories


@pytest.fixture(scope="module")
def people_world(live_server):
    w = types.SimpleNamespace(
        admin=Account(email="admin.undangan@pemkomedan.example.go.id", full_name="Rina Admin OPD"),
        author=Account(email="dosen.perbaikan@univ.example.ac.id", full_name="Dosen Perbaikan"),
    )
    app = live_server.app
    with app.app_context():
        make = Factories(db.session)
        opd = make.agency(name="Dinas Undangan Uji", short_name="DUU")
        make.position(agency=opd, name="Pranata Komputer")
        account_user(make, w.admin, Role.ADMIN, admin_agency=opd)
        failed = make.user(
            Role.ASN, agency=opd, password=None, full_name="Yusuf Gagal Kirim", locale="id"
        )
        failed.invitation_email = OutboxEmail(
            recipient=failed.email,
            subject="Undangan",
            body_text="-",
            status=OutboxStatus.FAILED,
            attempts=5,
            last_error="550 mailbox unavailable",
        )
        failed.invited_at = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
        w.failed_name = failed.full_name
        # 3. a published curriculum whose text material a learner reported
        uni = make.university(name="Universitas Perbaikan Uji", short_name="UPU")
        author = account_user(make, w.author, Role.UNIVERSITY, university=uni)
        cur = make.curriculum(uni, author=author, state=CurriculumState.PUBLISHED)
        material = make.material(cur.modules[0], kind="text", title="Materi Tata Naskah")
        learner = make.user(Role.ASN, agency=opd)
        w.flag_id = make.flag(material, learner, description="Paragraf 2: 'anggran'.").id
        db.session.commit()
        db.session.remove()
    w.roster = csv_bytes(
        [
            person(901, opd="DUU", nama="Sari Impor Satu", email="sari.impor@duu.example.go.id"),
            person(902, opd="DUU", nama="Tono Impor Dua", email="tono.impor@duu.example.go.id"),
        ]
    )
    assert nip(901) != nip(902)
    return w


def test_an_admin_imports_sees_the_truth_and_invites_the_import(
    new_person, texts, people_world, tmp_path
):
    t = texts("id")
    w = people_world
    page = new_person()
    sign_in(page, t, w.admin)
    page.goto("/admin/roster/")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(w.roster)
    page.get_by_label(t("Roster file (.xlsx or .csv)")).set_input_files(str(roster))
    page.get_by_role("button", name=t("Check the file")).click()
    page.get_by_role(
        "button", name=t.n("Confirm: import %(num)d row", "Confirm: import %(num)d rows", 2)
    ).click()
    expect(page).to_have_url(re.compile(r"/admin/roster/imports/\d+$"))
    body = main(page)
    expect(body).to_contain_text(
        t(
            "The import itself sends no e-mail. This is what has happened to each person's invitation so far:"
        )
    )
    for name in ("Sari Impor Satu", "Tono Impor Dua"):
        row = body.get_by_role("row").filter(has_text=name)
        expect(row).to_contain_text(t("No invitation sent yet"))
    expect(body).to_contain_text(
        t.n(
            "%(num)d e-mail will go out (people never invited, or whose invitation failed).",
            "%(num)d e-mails will go out (people never invited, or whose invitation failed).",
            2,
        )
    )
    body.get_by_role(
        "button",
        name=t.n(
            "Invite the %(num)d person of this import",
            "Invite the %(num)d people of this import",
            2,
        ),
    ).click()
    expect(flash(page)).to_contain_text(
        t.n(
            "%(num)d invitation queued: the e-mail goes out within minutes.",
            "%(num)d invitations queued: the e-mails go out within minutes.",
            2,
        )
    )
    for name in ("Sari Impor Satu", "Tono Impor Dua"):
        row = main(page).get_by_role("row").filter(has_text=name)
        queued = t("Invitation queued on %(date)s", date="@").split("@")[0]
        expect(row).to_contain_text(queued)
    expect(main(page)).to_contain_text(t("Nobody of this import is waiting for an invitation."))


def test_an_admin_filters_the_failed_invitations_and_sends_them_again(
    new_person, texts, people_world
):
    t = texts("id")
    w = people_world
    page = new_person()
    sign_in(page, t, w.admin)
    page.goto("/admin/users")
    page.get_by_label(t("Invitation")).select_option(label=t("Sending failed"))
    page.get_by_role("button", name=t("Search")).click()
    row = main(page).get_by_role("row").filter(has_text=w.failed_name)
    expect(row).to_contain_text(t("Sending failed: %(error)s", error="550 mailbox unavailable"))
    main(page).get_by_role(
        "link",
        name=t.n(
            "Invite the %(num)d person of this list not invited yet",
            "Invite the %(num)d people of this list not invited yet",
            1,
        ),
    ).click()
    expect(heading(page)).to_have_text(t("Invite the people of this list"))
    expect(main(page)).to_contain_text(
        t.n(
            "%(num)d e-mail will go out: people never invited, or whose invitation failed.",
            "%(num)d e-mails will go out: people never invited, or whose invitation failed.",
            1,
        )
    )
    main(page).get_by_role(
        "button", name=t.n("Send %(num)d invitation", "Send %(num)d invitations", 1)
    ).click()
    expect(page).to_have_url(re.compile(r"/admin/users\?"))
    expect(flash(page)).to_contain_text(
        t.n(
            "%(num)d invitation queued: the e-mail goes out within minutes.",
            "%(num)d invitations queued: the e-mails go out within minutes.",
            1,
        )
    )


def test_an_author_fixes_a_reported_material_and_returns_to_the_report(
    new_person, texts, people_world
):
    t = texts("id")
    w = people_world
    page = new_person()
    sign_in(page, t, w.author)
    page.goto(f"/curricula/flags/{w.flag_id}")
    main(page).get_by_role("link", name=t("Upload a new version")).click()
    expect(page).to_have_url(re.compile(rf"/revise\?flag={w.flag_id}$"))
    page.get_by_label(t("Text (Markdown)")).fill("Isi materi dengan anggaran yang benar.")
    page.get_by_label(t("What changed")).fill("Salah ketik di paragraf 2 diperbaiki.")
    page.get_by_role("button", name=t("Save the new version")).click()
    expect(page).to_have_url(re.compile(rf"/curricula/flags/{w.flag_id}#handle$"))
    expect(flash(page)).to_contain_text(t("Version %(number)d was saved.", number=2))
    version = main(page).get_by_label(t("Corrected version"))
    expect(version).to_have_value(re.compile(r"\d+"))
    expect(version.locator("option:checked")).to_have_text(t("Version %(number)d", number=2))
    main(page).get_by_label(t("Note")).fill("Salah ketik diperbaiki di versi 2.")
    main(page).get_by_role("button", name=t("Mark as fixed")).click()
    expect(flash(page)).to_contain_text(t("The report is now: %(state)s.", state=t("Fixed")))
