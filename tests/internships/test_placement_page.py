"""The shared placement page and the list: who sees what (QUALITY.md G3), the credit-readiness
numbers, the weekly summary, the settings and status forms (G4), and a fixed number of queries
whatever the size of the logbook or the list (P4)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.errors import DomainError
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.models import EntryState
from portal.internships.settings import UniversitySettings, set_hours_per_sks
from tests.internships.placement_support import (
    entry,
    fresh,
    make_placement,
    placement_world,
    today,
)
from tests.support.worlds import internships

S = EntryState


running_placement_world = internships.running_placement_world  # built once for the module


def _page(client, placement):
    return client.get(f"/internships/placements/{placement.id}")


def test_the_page_is_shared_by_its_people_only(client, login_as, running_placement_world, make):
    w = running_placement_world
    for who in ("student", "mentor", "dpl", "uni_staff", "opd_admin", "city_admin"):
        login_as(getattr(w, who))
        assert _page(client, w.placement).status_code == 200, who
    for who in ("other_student", "other_mentor", "other_opd_admin", "other_uni_staff"):
        login_as(getattr(w, who))
        assert _page(client, w.placement).status_code == 404, who
    login_as(make.user(Role.ASN, agency=w.agency))
    assert _page(client, w.placement).status_code == 403
    assert client.get("/internships/placements/999999").status_code == 403
    login_as(w.mentor)
    assert client.get("/internships/placements/999999").status_code == 404


def _listed(client, url="/internships/placements"):
    return client.get(url).get_data(as_text=True)


def _names(w):
    return {
        "own": w.student.full_name,
        "other": w.other_student.full_name,
        "foreign": w.foreign_placement.id,
    }


@pytest.mark.parametrize(("who", "sees"), [
    ("student", {"own"}), ("other_student", {"other"}), ("mentor", {"own"}),
    ("other_mentor", {"other"}), ("dpl", {"own", "other"}), ("uni_staff", {"own", "other"}),
    ("opd_admin", {"own", "other"}), ("other_opd_admin", {"foreign"}),
    ("other_uni_staff", {"foreign"}), ("city_admin", {"own", "other", "foreign"}),
])  # fmt: skip
def test_lists_and_exports_hold_only_the_placements_one_may_see(
    client, login_as, running_placement_world, db, who, sees
):
    w = running_placement_world
    people = {"own": w.placement, "other": w.other_placement, "foreign": w.foreign_placement}
    login_as(getattr(w, who))
    html = _listed(client)
    csv = client.get("/internships/placements.csv").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get("/internships/placements.xlsx").data))
    xlsx = "\n".join(str(c.value) for row in book.active.iter_rows() for c in row)
    for key, placement in people.items():
        db.session.refresh(placement)
        student = db.session.get(type(w.student), placement.student_id)
        link = f'href="/internships/placements/{placement.id}"'
        assert (link in html) == (key in sees), (who, key)
        assert (student.full_name in csv) == (key in sees), (who, key, "csv")
        assert (student.full_name in xlsx) == (key in sees), (who, key, "xlsx")
    assert len(csv.strip().splitlines()) == 1 + len(sees)


def test_list_filters_and_an_unknown_export_format(client, login_as, running_placement_world, db):
    w = running_placement_world
    w.other_placement.status = PlacementStatus.COMPLETED
    db.session.flush()
    login_as(w.uni_staff)
    html = _listed(client, "/internships/placements?state=completed")
    assert w.other_student.full_name in html and w.student.full_name not in html
    html = _listed(client, f"/internships/placements?q={w.student.nim}")
    assert w.student.full_name in html and w.other_student.full_name not in html
    r = client.get("/internships/placements?state=%00&q=%25&page=99999999999")
    assert r.status_code == 200 and "No placements found." in r.get_data(as_text=True)
    assert client.get("/internships/placements.pdf").status_code == 404


def _readiness(client, placement):
    html = _page(client, placement).get_data(as_text=True)
    start = html.index('id="readiness"')
    return html[start : html.index("</section>", start)]


def test_credit_readiness_counts_approved_hours_only(
    client, login_as, running_placement_world, db, make
):
    w = running_placement_world
    w.placement.planned_sks = 1
    for days_ago, state, minutes in [
        (1, S.APPROVED, 480),
        (2, S.APPROVED, 450),
        (3, S.SUBMITTED, 480),
        (4, S.RETURNED, 240),
        (5, S.DRAFT, 600),
    ]:
        entry(db.session, w.placement, days_ago=days_ago, state=state, minutes=minutes)
    login_as(w.mentor)
    meter = _readiness(client, w.placement)
    assert "15.5 of 45 hours approved (34%): 1 SKS at 45 hours per SKS." in meter
    assert 'aria-valuenow="34"' in meter and 'role="progressbar"' in meter
    assert "8 more hours are waiting for the mentor's review" in meter
    assert "15.5 of 45" in _listed(client)
    set_hours_per_sks(w.uni.id, 30, actor=w.uni_staff)  # the university's own rule
    meter = _readiness(client, w.placement)
    assert "15.5 of 30 hours approved (51%): 1 SKS at 30 hours per SKS." in meter
    csv = client.get("/internships/placements.csv").get_data(as_text=True)
    row = next(line for line in csv.splitlines() if w.student.full_name in line)
    assert row.endswith(";1;15.5;30")
    w.placement.planned_sks = None
    db.session.flush()
    assert "has not set the SKS it plans to recognise yet" in _readiness(client, w.placement)
    w.placement.planned_sks = 0
    db.session.flush()
    assert "Enough approved hours for the planned SKS." in _readiness(client, w.placement)


def test_only_university_staff_set_the_hours_per_sks(running_placement_world, db):
    w = running_placement_world
    for user in (w.other_uni_staff, w.student, w.city_admin):
        with pytest.raises(DomainError):
            set_hours_per_sks(w.uni.id, 30, actor=user)
    for value in (0, 201, 4.5, True):
        with pytest.raises(DomainError):
            set_hours_per_sks(w.uni.id, value, actor=w.uni_staff)
    set_hours_per_sks(w.uni.id, 40, actor=w.uni_staff)
    set_hours_per_sks(w.uni.id, None, actor=w.uni_staff)  # back to the portal's default
    assert fresh(db, UniversitySettings, w.uni.id).hours_per_sks is None


def test_weekly_summary_and_private_drafts(client, login_as, running_placement_world, db):
    w = running_placement_world
    monday = today() - timedelta(days=today().weekday() + 7)  # last week's Monday
    for day, state, minutes in [
        (monday, S.APPROVED, 480),
        (monday + timedelta(days=1), S.SUBMITTED, 420),
        (monday + timedelta(days=7), S.DRAFT, 300),
    ]:
        if w.placement.starts_on <= day <= today():
            entry(
                db.session,
                w.placement,
                day=day,
                state=state,
                minutes=minutes,
                activities=f"Kegiatan {state.value}",
            )
    week = monday.isocalendar()
    login_as(w.student)
    html = _page(client, w.placement).get_data(as_text=True)
    assert f"Week {week.week}, {week.year}</th>" in html and "Kegiatan draft" in html
    row = html[html.index(f"Week {week.week}, {week.year}</th>") :].split("</tr>", 1)[0]
    assert "<td>2</td><td>15</td><td>8</td>" in row.replace("\n", "").replace(" ", "")
    login_as(w.mentor)
    html = _page(client, w.placement).get_data(as_text=True)
    assert "Kegiatan draft" not in html and "Kegiatan submitted" in html


def test_the_logbook_pages_through_older_entries(client, login_as, running_placement_world, db):
    w = running_placement_world
    for n in range(1, 13):
        entry(db.session, w.placement, days_ago=n, activities=f"Hari ke-{n} lalu")
    login_as(w.student)
    first = _page(client, w.placement).get_data(as_text=True)
    second = client.get(f"/internships/placements/{w.placement.id}?page=2").get_data(as_text=True)
    assert "Hari ke-1 lalu" in first and "Hari ke-11 lalu" not in first
    assert "Hari ke-11 lalu" in second and "Hari ke-1 lalu<" not in second


def _fill(db, placement, n):
    for i in range(n):
        entry(
            db.session,
            placement,
            days_ago=i + 1,
            state=[S.SUBMITTED, S.APPROVED, S.RETURNED][i % 3],
        )


def test_the_page_costs_the_same_at_3_and_60_entries(client, login_as, make, db, count_queries):
    small = placement_world(make, make.internships)
    big = placement_world(make, make.internships)
    _fill(db, small.placement, 3)
    _fill(db, big.placement, 60)
    for role in ("mentor", "student", "dpl", "opd_admin"):
        counts = []
        for world in (small, big):
            login_as(getattr(world, role))
            with count_queries() as n:
                assert _page(client, world.placement).status_code == 200
            counts.append(n())
        assert counts[0] == counts[1] <= 12, (role, counts)


def test_the_list_costs_the_same_at_3_and_30_placements(client, login_as, make, db, count_queries):
    w = placement_world(make, make.internships)
    counts = []
    for extra in (0, 27):
        for _ in range(extra):
            make_placement(
                make,
                make.internships,
                university=w.uni,
                agency=w.agency,
                mentor=w.mentor,
                supervisor=w.dpl,
                planned_sks=20,
            )
        login_as(w.city_admin)
        with count_queries() as n:
            assert client.get("/internships/placements").status_code == 200
        with count_queries() as m:
            assert client.get("/internships/placements.csv").status_code == 200
        counts.append((n(), m()))
    assert counts[0] == counts[1] and max(counts[0]) <= 12, counts


def test_university_staff_name_the_dpl_and_the_sks(client, login_as, make, db):
    w = placement_world(make, make.internships, supervised=False, planned_sks=None)
    login_as(w.uni_staff)
    form = client.get(f"/internships/placements/{w.placement.id}/settings").get_data(as_text=True)
    assert w.dpl.full_name in form and w.other_uni_staff.full_name not in form
    hostile = {
        "student_id": w.other_student.id,
        "university_id": w.other_uni.id,
        "mentor_id": w.other_mentor.id,
        "status": "completed",
        "agency_id": 1,
        "starts_on": "2020-01-01",
        "position_id": w.other_placement.position_id,
    }
    r = client.post(
        f"/internships/placements/{w.placement.id}/settings",
        data={**hostile, "supervisor_id": w.dpl.id, "planned_sks": 20},
    )
    assert r.status_code == 302
    p = fresh(db, Placement, w.placement.id)
    assert (
        p.supervisor_id,
        p.planned_sks,
        p.student_id,
        p.university_id,
        p.mentor_id,
        p.status,
        p.position_id,
    ) == (
        w.dpl.id,
        20,
        w.student.id,
        w.uni.id,
        w.mentor.id,
        PlacementStatus.ACTIVE,
        w.placement.position_id,
    )
    for data, message in [
        ({"supervisor_id": w.other_uni_staff.id}, "Not a valid choice."),
        ({"supervisor_id": w.dpl.id, "planned_sks": 41}, "between 0 and 40"),
        ({"supervisor_id": w.dpl.id, "planned_sks": "dua"}, "Not a valid integer value."),
    ]:
        r = client.post(f"/internships/placements/{w.placement.id}/settings", data=data)
        assert r.status_code == 400 and message in r.get_data(as_text=True)
    assert fresh(db, Placement, w.placement.id).supervisor_id == w.dpl.id
    for user, status in ((w.mentor, 403), (w.student, 403), (w.other_uni_staff, 404)):
        login_as(user)
        r = client.post(
            f"/internships/placements/{w.placement.id}/settings",
            data={"supervisor_id": w.other_uni_staff.id, "planned_sks": 3},
        )
        assert r.status_code == status
    assert fresh(db, Placement, w.placement.id).planned_sks == 20


def test_completing_and_ending_a_placement(client, login_as, running_placement_world, db, make):
    w = running_placement_world
    url = f"/internships/placements/{w.placement.id}/status"
    for user, status in ((w.student, 403), (w.other_mentor, 404), (w.other_opd_admin, 404)):
        login_as(user)
        assert client.post(url, data={"action": "complete"}).status_code == status
    login_as(w.uni_staff)
    r = client.post(url, data={"action": "complete"})
    assert r.status_code == 409 and "Only the mentor or an admin of the OPD" in r.get_data(
        as_text=True
    )
    r = client.post(url, data={"action": "terminate", "end_reason": " "})
    assert r.status_code == 409 and "Give a reason for ending the placement early." in (
        r.get_data(as_text=True)
    )
    r = client.post(url, data={"action": "terminate", "end_reason": "Mengundurkan <b>diri</b>"})
    assert r.status_code == 302
    p = fresh(db, Placement, w.placement.id)
    assert (p.status, p.end_reason) == (PlacementStatus.TERMINATED, "Mengundurkan <b>diri</b>")
    login_as(w.student)
    html = _page(client, w.placement).get_data(as_text=True)
    assert "Mengundurkan &lt;b&gt;diri&lt;/b&gt;" in html and "Add an entry" not in html
    login_as(w.mentor)
    r = client.post(
        f"/internships/placements/{w.other_placement.id}/status", data={"action": "complete"}
    )
    assert r.status_code == 404
    other = make_placement(
        make, make.internships, university=w.uni, agency=w.agency, mentor=w.mentor
    )
    r = client.post(f"/internships/placements/{other.id}/status", data={"action": "complete"})
    assert r.status_code == 302 and fresh(db, Placement, other.id).status == "completed"


def test_only_mine_narrows_a_lecturers_list(client, login_as, running_placement_world):
    w = running_placement_world
    login_as(w.dpl)
    html = _listed(client, "/internships/placements?mine=1")
    assert w.student.full_name in html and w.other_student.full_name not in html
    csv = client.get("/internships/placements.csv?mine=1").get_data(as_text=True)
    assert w.student.full_name in csv and w.other_student.full_name not in csv


def test_a_university_sets_its_hours_per_sks(client, login_as, running_placement_world, db):
    w = running_placement_world
    url = "/internships/university/settings"
    login_as(w.uni_staff)
    assert "the portal&#39;s default" in client.get(url).get_data(as_text=True)
    for value in ("0", "201", "empat", "1e3"):
        r = client.post(url, data={"hours_per_sks": value, "university_id": w.other_uni.id})
        assert r.status_code == 400 and value in r.get_data(as_text=True)
    assert db.session.get(UniversitySettings, w.other_uni.id) is None
    r = client.post(url, data={"hours_per_sks": "40", "university_id": w.other_uni.id})
    assert r.status_code == 302
    assert fresh(db, UniversitySettings, w.uni.id).hours_per_sks == 40
    assert db.session.get(UniversitySettings, w.other_uni.id) is None
    login_as(w.student)
    assert "40 hours per SKS" in _readiness(client, w.placement)
    for user in (w.mentor, w.opd_admin, w.student):
        login_as(user)
        assert client.post(url, data={"hours_per_sks": "10"}).status_code == 403
    login_as(w.uni_staff)
    assert client.post(url, data={"hours_per_sks": ""}).status_code == 302
    assert fresh(db, UniversitySettings, w.uni.id).hours_per_sks is None


def test_each_reader_gets_exactly_their_buttons_and_unique_ids(
    client, login_as, running_placement_world, db, make
):
    w = running_placement_world
    import re

    from tests.internships.placement_support import report

    submitted = entry(db.session, w.placement, days_ago=1, state=S.SUBMITTED)
    draft = entry(db.session, w.placement, days_ago=2, state=S.DRAFT)
    report(db.session, make.internships, w.placement)
    expected = {
        "mentor": {
            f"/internships/logbook/{submitted.id}/action",
            'value="approve"',
            'value="return"',
            "/status",
            "/reports/",
        },
        "student": {f"/internships/logbook/{draft.id}/edit", 'value="submit"', "/logbook/new"},
        "dpl": {"/settings", "/status"},
        "opd_admin": {"/status"},
        "uni_staff": {"/settings", "/status"},
    }
    markers = set().union(*expected.values())
    for who, mine in expected.items():
        login_as(getattr(w, who))
        html = _page(client, w.placement).get_data(as_text=True)
        main = html.split("<main", 1)[1]  # not the navigation (the account menu has /settings)
        forms = (
            " ".join(re.findall(r'<form[^>]*action="([^"]+)"', main))
            + " "
            + " ".join(re.findall(r'(?:href="[^"]*/(?:edit|new|settings)"|value="\w+")', main))
        )
        for marker in markers:
            assert (marker in forms) == (marker in mine), (who, marker)
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), (who, sorted(i for i in ids if ids.count(i) > 1))
