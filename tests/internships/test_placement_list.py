"""The placement list and its exports: who sees which placements (QUALITY.md G3), filters and an
unknown export format, a lecturer's "only mine", and a fixed number of queries whatever the size
of the list (P4). (The page itself: test_placement_page.py.)"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.internships.models import PlacementStatus
from tests.internships.placement_page_support import listed
from tests.internships.placement_support import make_placement, placement_world
from tests.support.worlds import internships

running_placement_world = internships.running_placement_world  # built once for the module


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
    html = listed(client)
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
    html = listed(client, "/internships/placements?state=completed")
    assert w.other_student.full_name in html and w.student.full_name not in html
    html = listed(client, f"/internships/placements?q={w.student.nim}")
    assert w.student.full_name in html and w.other_student.full_name not in html
    r = client.get("/internships/placements?state=%00&q=%25&page=99999999999")
    assert r.status_code == 200 and "No placements found." in r.get_data(as_text=True)
    assert client.get("/internships/placements.pdf").status_code == 404


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


def test_only_mine_narrows_a_lecturers_list(client, login_as, running_placement_world):
    w = running_placement_world
    login_as(w.dpl)
    html = listed(client, "/internships/placements?mine=1")
    assert w.student.full_name in html and w.other_student.full_name not in html
    csv = client.get("/internships/placements.csv?mine=1").get_data(as_text=True)
    assert w.student.full_name in csv and w.other_student.full_name not in csv
