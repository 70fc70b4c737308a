"""Internship credit the way universities grant it (issue 17 point 5): a semester scheme (at least
16 weeks = 20 SKS), an hours-per-SKS scheme, the PKS, the courses a placement converts into and
the letter grades of the final score; the scheme page's refusals and who may edit it.

One world for the module: university A with a semester scheme (16 weeks = 20 SKS, four courses,
A/AB/B/… scale), university B with 45 hours = 1 SKS (at most 20); a completed 16-week placement at
A with its final grade, a completed 14-week one, and a running placement at B with approved
logbook hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.auth.models import Role
from portal.internships.credit.models import CreditScheme
from portal.internships.credit.rules import letter_for, working_weeks
from portal.internships.credit.services import SchemeInput, save_scheme
from portal.internships.evaluation.models import FinalGrade
from portal.internships.models import PlacementStatus
from portal.internships.placements.models import EntryState
from tests.internships.placement_support import entry, fresh, make_placement, today
from tests.support.worlds import module_world

SCALE = [(85, "A", 4.0), (78, "AB", 3.5), (70, "B", 3.0), (63, "BC", 2.5), (55, "C", 2.0),
         (40, "D", 1.0), (0, "E", 0.0)]  # fmt: skip
COURSES = [("TIF4101", "Magang Instansi Pemerintah", 9), ("TIF4102", "Etika Profesi", 3),
           ("TIF4103", "Proyek Sistem Informasi", 4), ("TIF4104", "Manajemen Proyek", 4)]  # fmt: skip


def _completed(make, imake, w, *, weeks: int, grade: float | None):
    """A placement at A from a Monday to the Friday ``weeks`` weeks later, completed."""
    monday = today() - timedelta(days=today().weekday()) - timedelta(weeks=weeks + 2)
    starts = (monday - today()).days
    p = make_placement(
        make, imake, university=w.uni, agency=w.agency, mentor=w.mentor,
        starts=starts, ends=starts + 7 * weeks - 3, planned_sks=10,
    )  # fmt: skip
    p.status, p.ended_at = PlacementStatus.COMPLETED, datetime.now(UTC)
    if grade is not None:
        imake.session.add(
            FinalGrade(
                placement_id=p.id, mentor_total=grade, academic_score=grade, mentor_weight=60,
                grade=grade, computed_at=datetime.now(UTC),
            )
        )  # fmt: skip
    return p


def build(make):
    imake, w = make.internships, type("World", (), {})()
    w.uni, w.uni_b = make.university(), make.university()
    w.agency = make.agency()
    w.mentor = imake.mentor(w.agency)
    w.staff = make.user(Role.UNIVERSITY, university=w.uni)
    w.staff_b = make.user(Role.UNIVERSITY, university=w.uni_b)
    w.city_admin, w.opd_admin = imake.city_admin(), imake.opd_admin(w.agency)
    w.p16 = _completed(make, imake, w, weeks=16, grade=86.5)
    w.p14 = _completed(make, imake, w, weeks=14, grade=72.0)
    w.hours = make_placement(
        make, imake, university=w.uni_b, agency=w.agency, mentor=w.mentor, planned_sks=20
    )
    for day in range(1, 14):  # 13 days of 8 hours: 104 approved hours
        entry(imake.session, w.hours, days_ago=day, state=EntryState.APPROVED)
    entry(imake.session, w.hours, days_ago=14, state=EntryState.SUBMITTED)
    for user in (w.staff, w.staff_b, w.city_admin, w.opd_admin, w.p16.student, w.hours.student):
        user.locale = "en"
    imake.session.flush()
    save_scheme(
        w.uni.id,
        SchemeInput(
            kind="semester", sks=20, min_weeks=16, pks_number="1587/UN5.1.R/KS/2025",
            pks_signed_on=today() - timedelta(days=400),
            pks_valid_until=today() + timedelta(days=1000), courses=COURSES, bands=SCALE,
        ),
        actor=w.staff,
    )  # fmt: skip
    save_scheme(
        w.uni_b.id,
        SchemeInput(kind="hours", sks=20, hours_per_sks=45, bands=SCALE[:1] + [(0, "E", 0.0)]),
        actor=w.staff_b,
    )
    return w


world = module_world(build)


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r">\s+<", "><", " ".join(response.get_data(as_text=True).split()))


def _credit(client, placement) -> str:
    html = _html(client, f"/internships/placements/{placement.id}")
    start = html.index('id="credit"')
    return html[start : html.index("</section>", start)]


def test_a_16_week_placement_under_a_semester_scheme_earns_20_sks(client, login_as, world):
    login_as(world.p16.student)
    card = _credit(client, world.p16)
    assert (
        "20 SKS recognised: a semester placement of 16 weeks (the university's scheme: at "
        "least 16 weeks = 20 SKS)." in card
    )
    assert "Under PKS 1587/UN5.1.R/KS/2025" in card and "does not cover" not in card
    assert "SKS recognised under your university's scheme: 20" in _html(client, "/dashboard")
    login_as(world.staff)
    assert "No SKS under the university's scheme: the placement ran 14 weeks" in _credit(
        client, world.p14
    )


def test_the_final_score_converts_into_each_course_letter(client, login_as, world):
    login_as(world.staff)
    card = _credit(client, world.p16)
    assert "Final score 86.50: letter A." in card
    for code, name, sks in COURSES:
        assert (
            f'<td>{code}</td><th scope="row">{name}</th><td>{sks}</td><td>yes</td><td>A</td><td>4.00</td>'
            in card
        )
    card = _credit(client, world.p14)  # graded B, but 14 weeks earn no SKS: nothing converts
    assert "Final score 72.00: letter B." in card and "<td>yes</td>" not in card
    bands = fresh_scheme(world.uni.id).bands
    assert [letter_for(s, bands)[0] for s in (100, 85, 84.99, 78, 70, 62.5, 0)] == [
        "A", "A", "AB", "AB", "B", "C", "E",
    ]  # fmt: skip


def fresh_scheme(university_id):
    from portal.db import db
    from portal.internships.credit.queries import scheme_for

    db.session.expire_all()
    return scheme_for(university_id)


def test_an_hours_scheme_counts_approved_hours(client, login_as, world):
    login_as(world.hours.student)
    card = _credit(client, world.hours)
    assert (
        "2 SKS recognised so far: 104 hours approved at 45 hours per SKS (the university's "
        "scheme: at most 20 SKS, 900 hours)." in card
    )
    assert 'aria-valuenow="11"' in card and "8 more hours are waiting" in card
    assert "104 of 900" in _html(client, "/internships/placements")  # the list follows the scheme
    login_as(world.staff)  # a semester scheme counts weeks: the list asks for no hours
    assert " of 900" not in _html(client, "/internships/placements")
    assert working_weeks(world.p16.starts_on, world.p16.ends_on) == 16


def _post(client, university_id, **changes):
    data = {
        "kind": "semester", "sks": "20", "min_weeks": "16", "hours_per_sks": "",
        "pks_number": "PKS/77/2026", "pks_signed_on": "2026-01-05", "pks_valid_until": "2029-01-04",
        "courses-0-code": "ADM101", "courses-0-name": "Praktik Kerja", "courses-0-sks": "12",
        "courses-1-code": "ADM102", "courses-1-name": "Seminar Magang", "courses-1-sks": "8",
        "bands-0-min_score": "80", "bands-0-letter": "A", "bands-0-points": "4",
        "bands-1-min_score": "60", "bands-1-letter": "B", "bands-1-points": "3",
        "bands-2-min_score": "0", "bands-2-letter": "C", "bands-2-points": "2",
    }  # fmt: skip
    data.update(changes)
    return client.post(f"/internships/universities/{university_id}/credit", data=data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"courses-1-sks": "9", "courses-1-name": "Seminar Magang Daerah"},
         "The courses add up to 21 SKS, more than the 20 SKS of the scheme."),
        ({"bands-1-min_score": "85", "bands-1-letter": "AB"},
         "List the letters from the best down, each lower bound below the one before it."),
        ({"bands-2-min_score": "10"}, "The last letter must start at 0"),
        ({"pks_valid_until": "2025-12-31"}, "The PKS cannot end before the day it was signed."),
        ({"kind": "hours", "hours_per_sks": ""}, "The hours per SKS must be a whole number"),
        ({"min_weeks": "53"}, "A whole number from 1 to 52."),
        ({"bands-1-letter": "b!"}, "Each letter is one or two capital letters"),
    ],
)  # fmt: skip
def test_refusals_keep_what_was_typed(client, login_as, world, db, changes, message):
    login_as(world.staff)
    response = _post(client, world.uni.id, **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'value="PKS/77/2026"' in html and 'value="Praktik Kerja"' in html
    for value in changes.values():
        assert f'value="{value}"' in html or f'value="{value}" checked' in html or value == ""
    scheme = fresh(db, CreditScheme, fresh_scheme(world.uni.id).id)
    assert scheme.pks_number == "1587/UN5.1.R/KS/2025" and scheme.sks == 20


def test_staff_save_their_own_scheme_only(client, login_as, world, db):
    login_as(world.staff)
    assert "Magang Instansi Pemerintah" in _html(
        client, f"/internships/universities/{world.uni.id}/credit"
    )
    assert _post(client, world.uni.id).status_code == 302
    scheme = fresh_scheme(world.uni.id)
    assert (scheme.pks_number, [c.code for c in scheme.courses], [b.letter for b in scheme.bands]) == (
        "PKS/77/2026", ["ADM101", "ADM102"], ["A", "B", "C"],
    )  # fmt: skip
    for user, status in ((world.staff_b, 404), (world.opd_admin, 404), (world.p16.student, 403)):
        login_as(user)
        assert client.get(f"/internships/universities/{world.uni.id}/credit").status_code == status
        assert _post(client, world.uni.id, **{"pks_number": "X"}).status_code == status
    assert fresh_scheme(world.uni.id).pks_number == "PKS/77/2026"
    login_as(world.staff_b)  # their own list entry leads to their own scheme
    assert (
        client.get("/internships/universities/credit")
        .headers["Location"]
        .endswith(f"/internships/universities/{world.uni_b.id}/credit")
    )
    login_as(world.city_admin)
    assert world.uni_b.name in _html(client, "/internships/universities/credit")
    assert _post(client, world.uni_b.id, kind="hours", hours_per_sks="40").status_code == 302
    assert fresh_scheme(world.uni_b.id).hours_per_sks == 40
    assert client.get("/internships/universities/999999/credit").status_code == 404
