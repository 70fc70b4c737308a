"""Issue 18 part 2 (points 2 and 3) in a real browser:

1. (point 2) A BKPSDM admin schedules a training for one position: on the batch form the
   positions are grouped by OPD, each naming its OPD; she types "bappeda" in the search box, sees
   only Bappeda's "Analis Kebijakan", ticks it with the keyboard (Down arrow, Space), saves, and
   the batch is saved for that position (its edit page shows it ticked).
2. (point 3) The admin reschedules a session of an open training that an ASN registered for
   (new time, new place): the page says one registered ASN was told; the ASN opens her
   notifications and reads what changed, old → new.

The world (seeded once for the module on the live server) has its own OPD, curriculum, batch
and people; expected texts come from the portal's Indonesian catalogue.
"""

from __future__ import annotations

import re
import types
from datetime import time, timedelta

import pytest
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.db import db
from portal.trainings.models import RegistrationState, TrainingBatch
from portal.util import clock
from tests.e2e.pages import flash, heading, main, notification, open_notifications, sign_in
from tests.e2e.worlds import Account, account_user
from tests.support.factories import Factories

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def batches_world(live_server):
    w = types.SimpleNamespace(
        admin=Account(email="admin.jadwal@pemkomedan.example.go.id", full_name="Dewi Admin BKPSDM"),
        asn=Account(email="asn.jadwal@pemkomedan.example.go.id", full_name="Lina Peserta Jadwal"),
    )
    app = live_server.app
    with app.app_context():
        make = Factories(db.session)
        bkpsdm = make.agency(name="BKPSDM Jadwal Uji", short_name="BJU")
        bappeda = make.agency(name="Bappeda Jadwal Uji", short_name="BPJ")
        make.position(agency=bkpsdm, name="Analis Kebijakan")
        w.bappeda_position = make.position(agency=bappeda, name="Analis Kebijakan").id
        account_user(make, w.admin, Role.ADMIN, locale="id")
        asn = account_user(make, w.asn, Role.ASN, agency=bappeda, locale="id")
        supervisor = make.asn_profile(make.user(Role.ASN, agency=bappeda))
        profile = make.asn_profile(asn, supervisor=supervisor)
        curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency=bkpsdm)
        w.curriculum_id = curriculum.id
        w.day = clock.today() + timedelta(days=30)
        batch = make.trainings.batch(
            curriculum=curriculum,
            sessions=2,
            start=clock.local_moment(w.day, time(8, 0)),
            hours=4,
            title="Pelatihan Jadwal Ulang",
        )
        w.batch_id = batch.id
        make.trainings.registration(batch, profile, state=RegistrationState.ENROLLED)
        db.session.commit()
        db.session.remove()
    return w


def test_an_admin_finds_a_position_by_its_opd_and_picks_it_with_the_keyboard(
    new_person, texts, batches_world, live_server
):
    t = texts("id")
    w = batches_world
    page = new_person()
    sign_in(page, t, w.admin)
    page.goto(f"/trainings/batches/new?curriculum_id={w.curriculum_id}")
    positions = page.get_by_role("group", name=t("For these positions only"))
    options = positions.get_by_role("checkbox", name=re.compile("Analis Kebijakan"))
    expect(options).to_have_count(2)  # the same jabatan in two OPD, each naming its OPD
    expect(positions.get_by_role("group", name="Bappeda Jadwal Uji")).to_be_visible()
    search = page.get_by_label(t("Search by position or OPD"))
    search.fill("analis bappeda")
    shown = positions.get_by_role("checkbox", name=re.compile("Analis Kebijakan"))
    expect(shown).to_have_count(1)
    expect(shown).to_have_accessible_name(re.compile("Bappeda Jadwal Uji"))
    search.press("ArrowDown")
    expect(shown).to_be_focused()
    page.keyboard.press("Space")
    expect(shown).to_be_checked()
    page.get_by_label(t("Capacity (participants)")).fill("25")
    page.get_by_role("button", name=t("Schedule as a draft")).click()
    expect(page).to_have_url(re.compile(r"/trainings/batches/\d+$"))
    batch_id = int(page.url.rsplit("/", 1)[1])
    with live_server.app.app_context():
        batch = db.session.get(TrainingBatch, batch_id)
        assert [p.id for p in batch.target_positions] == [w.bappeda_position]
        db.session.remove()
    page.goto(f"/trainings/batches/{batch_id}/edit")
    ticked = page.get_by_role("checkbox", name=re.compile("Bappeda Jadwal Uji"))
    expect(ticked).to_be_checked()


def test_an_admin_reschedules_a_session_and_the_registered_asn_reads_what_changed(
    new_person, texts, batches_world
):
    t = texts("id")
    w = batches_world
    admin = new_person()
    sign_in(admin, t, w.admin)
    admin.goto(f"/trainings/batches/{w.batch_id}")
    admin.get_by_role("link", name=re.compile(t("Change or remove"))).first.click()
    expect(heading(admin)).to_have_text(t("Change a session"))
    expect(main(admin)).to_contain_text("JP")
    admin.get_by_label(t("Starts (WIB)")).fill("09:00")
    admin.get_by_label(t("Ends (WIB)")).fill("15:00")
    admin.get_by_label(t("Place")).fill("Gedung Serbaguna")
    admin.get_by_role("button", name=t("Save the change")).click()
    expect(admin).to_have_url(re.compile(rf"/trainings/batches/{w.batch_id}"))
    expect(flash(admin)).to_contain_text(
        t.n(
            "%(num)d registered ASN was told what changed.",
            "%(num)d registered ASN were told what changed.",
            1,
        )
    )
    expect(main(admin)).to_contain_text("Gedung Serbaguna")

    asn = new_person()
    sign_in(asn, t, w.asn)
    open_notifications(asn, t)
    notice = notification(asn, "Pelatihan Jadwal Ulang")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Aula BKPSDM")  # the old place
    expect(notice).to_contain_text("Gedung Serbaguna")  # the new one
