"""Issue 18 in a real browser, as the people see it:

1. (part 1) A student of a published matching round opens "My preferences" from her
   applications and reads where the match placed her and why not higher — and no other
   applicant's name.
2. (part 2, points 10, 9, 1) A student with an offer and another open application accepts: the
   page first says which application the acceptance withdraws; she confirms; her new
   placement says when its logbook opens (no "Add an entry" before that day); another position
   of the same period shows why she cannot apply, without an Apply button.
3. (point 7) A visitor's list of internship positions says "Posisi magang", not "Jabatan".

The world (seeded once for the module on the live server) has its own university, OPD,
periods and people; expected texts come from the portal's Indonesian catalogue.
"""

from __future__ import annotations

import re
import types
from datetime import timedelta

import pytest
from flask_babel import force_locale, format_date
from playwright.sync_api import expect

from portal.auth.models import Role
from portal.db import db
from portal.internships.applications.models import ApplicationState
from portal.internships.matching import services as matching
from portal.internships.models import IntakeMode
from portal.util import clock
from tests.e2e.pages import heading, main, region, sign_in
from tests.e2e.worlds import Account, account_user
from tests.support.factories import Factories

S = ApplicationState


@pytest.fixture(scope="module")
def round_world(live_server):
    w = types.SimpleNamespace(
        rahmat=Account(email="rahmat.nst@students.uma.example.com", full_name="Rahmat Nasution"),
        lestari=Account(email="lestari.pane@students.uma.example.com", full_name="Lestari Pane"),
        wulan=Account(email="wulan.sari@students.uma.example.com", full_name="Wulan Sari Tanjung"),
    )
    app = live_server.app
    with app.app_context():
        make = Factories(db.session)
        imake = make.internships
        today = clock.today()
        university = make.university(name="Universitas Medan Area Uji", short_name="UMAU")
        agency = make.agency(name="Dinas Lingkungan Hidup Uji", short_name="DLHU")
        people = {
            key: account_user(make, getattr(w, key), Role.STUDENT, university=university)
            for key in ("rahmat", "lestari", "wulan")
        }
        city = make.user(Role.ADMIN)
        # 1. A matching round whose preferences closed yesterday.
        period = imake.period(name="Magang Pencocokan Uji Peramban")
        period.intake_mode = IntakeMode.MATCHING
        period.preferences_close_on = today - timedelta(days=1)
        w.air = imake.position(agency, period=period, quota=1, title="Analis Kualitas Udara")
        w.waste = imake.position(agency, period=period, quota=2, title="Pengelola Data Bank Sampah")
        for key, wishes in {
            "rahmat": [(w.air, 40), (w.waste, 50)],
            "lestari": [(w.air, 90)],
        }.items():
            for rank, (position, score) in enumerate(wishes, start=1):
                a = imake.application(position, student=people[key], state=S.ENDORSED, rank=rank)
                a.opd_score = score
        db.session.flush()
        matching.publish_match(matching.preview_match(period, actor=city, seed=9), actor=city)
        w.round_id = period.id
        w.air_title, w.waste_title = w.air.title, w.waste.title
        # 2. A rolling period: Wulan's offer starts in ten days; she has another open
        # application; a third position of the period is open.
        rolling = imake.period(name="Magang Bergulir Uji Peramban")
        starts = today + timedelta(days=10)
        offered = imake.position(
            agency, period=rolling, title="Penyuluh Pilah Sampah", starts_on=starts
        )
        other = imake.position(agency, period=rolling, title="Pendata Taman Kota")
        third = imake.position(agency, period=rolling, title="Pemantau Sungai Deli")
        imake.application(offered, student=people["wulan"], state=S.OFFERED, rank=1)
        imake.application(other, student=people["wulan"], state=S.ENDORSED, rank=2)
        w.offered_title, w.other_title, w.third_id, w.third_title = (
            offered.title,
            other.title,
            third.id,
            third.title,
        )
        with app.test_request_context(), force_locale("id"):
            w.starts_text = format_date(starts, "long")
        db.session.commit()
        db.session.remove()
    return w


def test_a_student_reads_why_the_match_placed_her_there(new_person, texts, round_world):
    t = texts("id")
    w = round_world
    page = new_person()
    sign_in(page, t, w.rahmat)
    page.goto("/internships/applications/mine")
    main(page).get_by_role("link", name=t("My preferences and the result")).click()
    expect(heading(page)).to_have_text(
        t("My preferences: %(name)s", name="Magang Pencocokan Uji Peramban")
    )
    reason = t("Choice %(n)d was filled by applicants the OPD ranked higher.", n=1)
    expect(page.locator("#match-summary")).to_have_text(
        t("The match placed you at your choice %(n)d. %(reasons)s", n=2, reasons=reason)
    )
    expect(main(page)).to_contain_text(w.waste_title)
    expect(main(page)).not_to_contain_text(w.lestari.full_name)


def test_accepting_asks_first_then_the_logbook_says_when_it_opens(new_person, texts, round_world):
    t = texts("id")
    w = round_world
    page = new_person()
    sign_in(page, t, w.wulan)
    page.goto("/internships/applications/mine")
    row = main(page).get_by_role("row").filter(has_text=w.offered_title)
    row.get_by_role("button", name=re.compile("^" + re.escape(t("Accept the offer")))).click()
    expect(heading(page)).to_have_text(
        t("Accept the offer for “%(title)s”?", title=w.offered_title)
    )
    expect(page.locator("#to-withdraw")).to_contain_text(w.other_title)
    page.get_by_role(
        "button",
        name=t.n(
            "Accept and withdraw %(num)d other application",
            "Accept and withdraw %(num)d other applications",
            1,
        ),
    ).click()
    expect(page).to_have_url(re.compile(r"/internships/placements/\d+$"))
    logbook = region(page, t("Logbook"))
    expect(page.locator("#logbook-opens")).to_contain_text(w.starts_text)
    expect(logbook.get_by_role("link", name=t("Add an entry"))).to_have_count(0)
    # Point 1: another position of the same period: why not, and no Apply button.
    page.goto(f"/internships/positions/{w.third_id}")
    applying = region(page, t("Applying"))
    expect(applying).to_contain_text(
        t(
            "You already have a placement in the period “%(period)s”: a student has one "
            "placement per period, so you cannot apply for another position in it.",
            period="Magang Bergulir Uji Peramban",
        )
    )
    expect(applying.get_by_role("link", name=t("Apply"), exact=True)).to_have_count(0)


def test_internship_positions_are_posisi_magang(new_person, texts, round_world):
    t = texts("id")
    page = new_person()
    page.goto("/internships/positions")
    headers = main(page).get_by_role("columnheader")
    expect(headers.first).to_have_text("Posisi magang")
    expect(main(page).get_by_role("columnheader", name="Jabatan", exact=True)).to_have_count(0)
    assert t("Internship positions") == "Posisi magang"
