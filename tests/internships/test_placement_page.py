"""The shared placement page: who sees it (QUALITY.md G3), the weekly summary with the student's
private drafts, the logbook paging through older entries, a fixed number of queries whatever the
size of the logbook (P4), and exactly their own buttons for each reader. (The list:
test_placement_list.py; credit readiness and the settings and status forms:
test_placement_settings.py.)"""

from __future__ import annotations

from datetime import timedelta

from portal.auth.models import Role
from portal.internships.placements.models import EntryState
from tests.internships.placement_page_support import page
from tests.internships.placement_support import entry, placement_world, today
from tests.support.worlds import internships

S = EntryState


running_placement_world = internships.running_placement_world  # built once for the module


def test_the_page_is_shared_by_its_people_only(client, login_as, running_placement_world, make):
    w = running_placement_world
    for who in ("student", "mentor", "dpl", "uni_staff", "opd_admin", "city_admin"):
        login_as(getattr(w, who))
        assert page(client, w.placement).status_code == 200, who
    for who in ("other_student", "other_mentor", "other_opd_admin", "other_uni_staff"):
        login_as(getattr(w, who))
        assert page(client, w.placement).status_code == 404, who
    login_as(make.user(Role.ASN, agency=w.agency))
    assert page(client, w.placement).status_code == 403
    assert client.get("/internships/placements/999999").status_code == 403
    login_as(w.mentor)
    assert client.get("/internships/placements/999999").status_code == 404


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
    html = page(client, w.placement).get_data(as_text=True)
    assert f"Week {week.week}, {week.year}</th>" in html and "Kegiatan draft" in html
    row = html[html.index(f"Week {week.week}, {week.year}</th>") :].split("</tr>", 1)[0]
    assert "<td>2</td><td>15</td><td>8</td>" in row.replace("\n", "").replace(" ", "")
    login_as(w.mentor)
    html = page(client, w.placement).get_data(as_text=True)
    assert "Kegiatan draft" not in html and "Kegiatan submitted" in html


def test_the_logbook_pages_through_older_entries(client, login_as, running_placement_world, db):
    w = running_placement_world
    for n in range(1, 13):
        entry(db.session, w.placement, days_ago=n, activities=f"Hari ke-{n} lalu")
    login_as(w.student)
    first = page(client, w.placement).get_data(as_text=True)
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
                assert page(client, world.placement).status_code == 200
            counts.append(n())
        assert counts[0] == counts[1] <= 12, (role, counts)


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
        html = page(client, w.placement).get_data(as_text=True)
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
