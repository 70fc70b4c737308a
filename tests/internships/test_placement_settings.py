"""What is set on a placement and the numbers it drives: credit readiness (approved hours against
the planned SKS), the hours per SKS (the service and the university's settings page), the DPL
and the planned SKS named by university staff, and completing or ending a placement (QUALITY.md
G4). (The page itself: test_placement_page.py.)"""

from __future__ import annotations

import pytest

from portal.errors import DomainError
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements.models import EntryState
from portal.internships.settings import UniversitySettings, set_hours_per_sks
from tests.internships.placement_page_support import listed, page, readiness
from tests.internships.placement_support import entry, fresh, make_placement, placement_world
from tests.support.worlds import internships

S = EntryState


running_placement_world = internships.running_placement_world  # built once for the module


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
    meter = readiness(client, w.placement)
    assert "15.5 of 45 hours approved (34%): 1 SKS at 45 hours per SKS." in meter
    assert 'aria-valuenow="34"' in meter and 'role="progressbar"' in meter
    assert "8 more hours are waiting for the mentor's review" in meter
    assert "15.5 of 45" in listed(client)
    set_hours_per_sks(w.uni.id, 30, actor=w.uni_staff)  # the university's own rule
    meter = readiness(client, w.placement)
    assert "15.5 of 30 hours approved (51%): 1 SKS at 30 hours per SKS." in meter
    csv = client.get("/internships/placements.csv").get_data(as_text=True)
    row = next(line for line in csv.splitlines() if w.student.full_name in line)
    assert row.endswith(";1;15.5;30")
    w.placement.planned_sks = None
    db.session.flush()
    assert "has not set the SKS it plans to recognise yet" in readiness(client, w.placement)
    w.placement.planned_sks = 0
    db.session.flush()
    assert "Enough approved hours for the planned SKS." in readiness(client, w.placement)


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
    html = page(client, w.placement).get_data(as_text=True)
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
    assert "40 hours per SKS" in readiness(client, w.placement)
    for user in (w.mentor, w.opd_admin, w.student):
        login_as(user)
        assert client.post(url, data={"hours_per_sks": "10"}).status_code == 403
    login_as(w.uni_staff)
    assert client.post(url, data={"hours_per_sks": ""}).status_code == 302
    assert fresh(db, UniversitySettings, w.uni.id).hours_per_sks is None
