"""The dashboards of students, mentors, university staff and ASN: the right figures, scoped to
what the user may see, in a fixed number of queries whatever the amount of data."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments.queries import profile
from portal.dashboards import asn as asn_panel
from portal.dashboards import mentor as mentor_panel
from portal.dashboards import student as student_panel
from portal.dashboards import university as university_panel
from portal.db import utcnow
from portal.internships.evaluation.models import MentorEvaluation
from portal.trainings.ledger.queries import ledger_for
from tests.dashboards.people_support import AsnWorld, MentorWorld, StudentWorld, UniversityWorld
from tests.internships.placement_support import entry, today

BUDGET = 12


@pytest.fixture
def imake(make):

    return make.internships


@pytest.fixture
def tmake(make):

    return make.trainings


def _page(client) -> str:
    response = client.get("/dashboard")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _counts(client, count_queries, world, user, login_as, sizes=(2, 10)) -> list[int]:
    login_as(user)
    counts = []
    for n in sizes:
        world.grow(n)
        with count_queries() as counted:
            _page(client)
        counts.append(counted())
    return counts


@pytest.mark.parametrize("kind", ["student", "mentor", "university", "asn"])
def test_each_panel_reads_a_fixed_number_of_queries(client, make, login_as, count_queries, kind):
    world, user = {
        "student": lambda: (w := StudentWorld(make, make.internships), w.student),
        "mentor": lambda: (w := MentorWorld(make, make.internships), w.mentor),
        "university": lambda: (w := UniversityWorld(make, make.internships), w.staff),
        "asn": lambda: (w := AsnWorld(make, make.trainings), w.user),
    }[kind]()
    small, big = _counts(client, count_queries, world, user, login_as)
    assert small == big, f"{kind}: {small} queries with the small world, {big} with the big one"
    assert small <= BUDGET, f"{kind}: {small} queries"


# --- student -----------------------------------------------------------------------------------


def test_student_sees_next_steps_placement_and_notifications(client, make, login_as):
    w = StudentWorld(make, make.internships)
    w.grow(4)  # submitted, endorsed, offered, rejected; approved/returned entries alternate
    login_as(w.student)
    page = _page(client)
    assert 'id="panel-student"' in page and "My internship" in page
    assert "You have 1 offer waiting for your answer." in page
    assert "Waiting for your university to endorse it." in page
    assert "Endorsed: waiting for the OPD's decision." in page
    assert "Today's logbook entry is not written yet." in page
    assert "2 logbook entries were returned for changes." in page
    assert "2 logbook days approved." in page
    assert "15 of 45 hours approved (33%)" in page  # 2 × 7.5 h of 1 SKS × 45 h
    assert "Upload a new version." in page
    assert page.count("Mahasiswa ") == 4 and "/notifications" in page
    panel = student_panel.build(w.student)
    # The placement's own application is the accepted one.
    assert [s.value for s, _n in panel["by_state"]] == [
        "submitted",
        "endorsed",
        "offered",
        "accepted",
        "rejected",
    ]
    assert panel["open_total"] == 3 and panel["open_applications"][0].is_mine_to_act
    w.grow(4)
    assert len(student_panel.build(w.student)["notifications"]) == 5  # at most five


def test_todays_entry_is_noticed(client, make, login_as):
    w = StudentWorld(make, make.internships)
    entry(make.session, w.placement, days_ago=0)
    login_as(w.student)
    assert "Today's logbook entry is written." in _page(client)


# --- mentor ------------------------------------------------------------------------------------


def test_mentor_sees_only_their_mentees_with_the_work_waiting(client, make, login_as):
    w = MentorWorld(make, make.internships)
    w.grow(4)
    ending = w.placements[1]  # ends in 5 days: its evaluation is due
    make.session.add(
        MentorEvaluation(
            placement_id=w.placements[3].id,
            mentor_id=w.mentor.id,
            scores=[],
            total=80.0,
            submitted_at=utcnow(),
        )
    )
    make.session.flush()
    login_as(w.mentor)
    page = _page(client)
    assert "4 interns in running placements" in page
    assert "4 logbook entries wait for your review" in page  # not the other mentor's entry
    assert "4 guidance sessions this month" in page and "2 not confirmed" in page
    assert "1 evaluation due" in page and f"/placements/{ending.id}/evaluate" in page
    assert f"/placements/{w.foreign.id}" not in page
    assert f"month={today():%Y-%m}" in page
    entry(make.session, w.placements[0], days_ago=0)  # a draft is the student's own
    panel = mentor_panel.build(w.mentor)
    assert {m.placement_id for m in panel["mentees"]} == {p.id for p in w.placements}
    assert {m.last_day for m in panel["mentees"]} == {today() - timedelta(days=1)}
    assert [e.placement_id for e in panel["evaluations_due"]] == [ending.id]


# --- university --------------------------------------------------------------------------------


def test_university_figures_are_their_own_only(client, make, login_as):
    w = UniversityWorld(make, make.internships)
    w.grow(4)
    login_as(w.staff)
    page = _page(client)
    assert 'id="panel-university"' in page
    assert "4 students wait for your verification." in page
    assert "2 applications wait for your endorsement." in page
    assert "Dr. Dosen A" in page and "Dr. Dosen B" not in page
    assert "2 running placements have no DPL yet." in page
    assert "2 proposals wait for the university side:" in page and "1 open review comment" in page
    panel = university_panel.build(w.staff)
    apps = {s.value: (n, people) for s, n, people in panel["applications"]}
    assert apps == {"submitted": (2, 2), "shortlisted": (2, 2), "accepted": (4, 4)}
    assert [(s.value, n) for s, n, _p in panel["placements"]] == [("active", 4)]
    assert [(d.name, d.active, d.total) for d in panel["dpl"]] == [("Dr. Dosen A", 2, 2)]
    assert {s.value: n for s, n in panel["proposals_by_state"]} == {
        "changes_requested": 2,
        "published": 2,
    }


def test_university_staff_without_a_university_get_an_explanation(client, make, login_as):
    staff = make.user(Role.UNIVERSITY, locale="en")
    staff.university_id = None
    make.session.flush()
    login_as(staff)
    page = _page(client)
    assert "not linked to a university yet" in page and "Student verification" in page


# --- ASN ---------------------------------------------------------------------------------------


def test_asn_sees_ledger_gaps_recommendations_and_evaluations(client, make, login_as):
    w = AsnWorld(make, make.trainings)
    w.grow(3)
    login_as(w.user)
    page = _page(client)
    ledger = ledger_for(w.asn, w.year, as_of=today())
    assert f"{ledger.total_jp:g} of {ledger.target} JP verified" in page  # the ledger's numbers
    assert f"{ledger.pending_jp:g} JP waiting for verification" in page
    assert "3 competencies are below the standard of your position." in page
    panel = asn_panel.build(w.user)
    gaps = {r.competency_id: r.gap for r in profile(w.asn).rows}
    assert {g.competency_id: g.gap for g in panel["top_gaps"]} == {
        k: v for k, v in gaps.items() if v and v > 0
    }
    titles = [r.title for r in panel["recommendations"]]
    assert titles == ["Angkatan 0", "Angkatan 1", "Angkatan 2"]  # gap 2 first, then start date
    first = panel["recommendations"][0]
    assert f"covers: {first.covers[0].name}" in page and first.covers[0].gap == 2
    pending = panel["pending"]
    assert (len(pending.surveys), len(pending.post_tests), pending.l3_total) == (3, 3, 3)
    assert "Post-test: " in page and "Behaviour form (L3): " in page
    w.grow(4)
    assert len(asn_panel.build(w.user)["recommendations"]) == 5  # at most five


def test_a_registered_batch_is_not_recommended_again(make):
    from portal.trainings.models import RegistrationState, TrainingBatch

    w = AsnWorld(make, make.trainings)
    w.grow(1)
    batch = make.session.scalars(
        sa.select(TrainingBatch).where(TrainingBatch.title == "Angkatan 0")
    ).one()
    make.trainings.registration(batch, w.asn, state=RegistrationState.REQUESTED)
    found = asn_panel.build(w.user)["recommendations"]
    assert [(r.batch_id, r.title) for r in found] == [(None, "Kurikulum 0")]


def test_an_asn_without_a_record_gets_an_explanation(client, make, login_as):
    login_as(make.user(Role.ASN, locale="en"))
    page = _page(client)
    assert "has no ASN record yet" in page and "My JP ledger" in page


# --- languages ---------------------------------------------------------------------------------


def test_the_panels_read_in_indonesian_by_default(client, make, login_as):
    w = StudentWorld(make, make.internships, locale="id")
    login_as(w.student)
    page = _page(client)
    assert "Lamaran saya" in page and "My applications" not in page
    a = AsnWorld(make, make.trainings, locale="id")
    a.grow(1)
    login_as(a.user)
    assert f"JP tahun {a.year}" in _page(client)
