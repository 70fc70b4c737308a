"""The evaluation pages: rubric, mentor's scores, academic score, feedback, the summaries, and
the certificate on the placement page (access, 400 with input kept, mass assignment, escaping,
query budgets)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.certificates.models import Certificate
from portal.internships import lifecycle
from portal.internships.evaluation import services as evaluation_services
from portal.internships.evaluation.models import (
    DEFAULT_CRITERIA,
    MentorEvaluation,
    Rubric,
    StudentFeedback,
)
from portal.internships.models import PlacementStatus
from tests.internships import guidance_support
from tests.internships.guidance_support import local_today
from tests.internships.test_guidance_pages import XSS, _partials

gmake = guidance_support.gmake  # the fixture, shared by the guidance and evaluation tests

N = len(DEFAULT_CRITERIA)


def _ending(gmake, **kw):
    """A placement ending in five days; its people read the pages in English."""
    placement = gmake.placement(ends_on=local_today() + timedelta(days=5), **kw)
    for person in (placement.mentor, placement.student, placement.supervisor):
        if person is not None:
            person.locale = "en"
    gmake.session.flush()
    return placement


def _scores(value, **extra):
    return {**{f"score_{i}": str(value) for i in range(N)}, **extra}


def test_rubric_page(client, login_as, make, gmake, db):
    p = gmake.placement()
    staff = make.user(Role.UNIVERSITY, university=p.student.university, locale="en")
    login_as(staff)
    page = client.get("/internships/university/rubric").get_data(as_text=True)
    assert "Attendance and discipline" in page and 'value="60"' in page
    bad = {
        "criteria-0-name": "Kinerja " + XSS,
        "criteria-0-weight": "60",
        "criteria-1-name": "Sikap",
        "criteria-1-weight": "30",
        "mentor_weight": "50",
    }
    r = client.post("/internships/university/rubric", data=bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "add up to 90" in html and XSS not in html
    assert "Kinerja &lt;script&gt;" in html  # kept, escaped
    good = {**bad, "criteria-1-weight": "40", "university_id": "999", "id": "7"}
    assert client.post("/internships/university/rubric", data=good).status_code == 302
    rubric = db.session.scalar(sa.select(Rubric))
    assert (rubric.university_id, rubric.mentor_weight) == (p.university_id, 50)
    assert [(c.name, c.weight) for c in rubric.criteria] == [("Kinerja " + XSS, 60), ("Sikap", 40)]
    for user in (p.mentor, p.student):
        login_as(user)
        assert client.get("/internships/university/rubric").status_code == 403


def test_the_mentor_evaluates_through_the_page(client, login_as, gmake, db):
    p = _ending(gmake)
    url = f"/internships/placements/{p.id}/evaluate"
    login_as(gmake.placement().mentor)
    assert client.get(url).status_code == 404
    login_as(p.mentor)
    assert "Attendance and discipline" in client.get(url + "?lang=en").get_data(as_text=True)
    r = client.post(url, data=_scores(101, comment="Komentar diketik"))
    assert r.status_code == 400 and "Komentar diketik" in r.get_data(as_text=True)
    r = client.post(url, data=_scores("delapan puluh"))
    assert r.status_code == 400
    sneaky = _scores(
        80,
        total="100",
        mentor_id=str(p.student_id),
        placement_id="1",
        scores="[]",
        comment="Baik " + XSS,
    )
    assert client.post(url, data=sneaky).status_code == 302
    ev = db.session.scalar(sa.select(MentorEvaluation))
    assert (ev.total, ev.mentor_id, ev.placement_id, len(ev.scores)) == (80.0, p.mentor_id, p.id, N)
    page = client.get(url).get_data(as_text=True)
    assert 'value="80"' in page and XSS not in page  # prefilled, escaped


def test_evaluating_and_completing_an_early_placement(client, login_as, gmake, db):
    p = gmake.placement()  # the window has not opened
    p.mentor.locale = "en"
    gmake.session.flush()
    url = f"/internships/placements/{p.id}/evaluate"
    login_as(p.mentor)
    r = client.post(url, data=_scores(75))
    assert r.status_code == 400 and "opens on" in r.get_data(as_text=True)
    assert client.post(url, data=_scores(75, complete="y")).status_code == 302
    db.session.expire_all()
    assert p.status == PlacementStatus.COMPLETED


def test_academic_score_page(client, login_as, make, gmake, db):
    p = _ending(gmake)
    url = f"/internships/placements/{p.id}/academic"
    for user in (make.user(Role.UNIVERSITY, university=p.student.university), p.mentor):
        login_as(user)
        assert client.get(url).status_code in (403, 404)
    login_as(p.supervisor)
    assert client.post(url, data={"score": "abc"}).status_code == 400
    r = client.post(url, data={"score": "88", "supervisor_id": str(p.mentor_id)})
    assert r.status_code == 302
    state = evaluation_services.finalise_if_ready(p, actor=p.supervisor)
    assert state is None  # still active: no grade yet


def test_feedback_page_once(client, login_as, gmake, db):
    p = _ending(gmake)
    url = f"/internships/placements/{p.id}/feedback"
    login_as(p.mentor)
    assert client.get(url).status_code == 403
    login_as(p.student)
    r = client.post(
        url, data={"placement_rating": "9", "mentor_rating": "4", "comment": "Komentar diketik"}
    )
    assert r.status_code == 400 and "Komentar diketik" in r.get_data(as_text=True)
    sneaky = {
        "placement_rating": "4",
        "mentor_rating": "5",
        "comment": "Bagus " + XSS,
        "mentor_id": str(p.student_id),
        "agency_id": "999",
        "student_id": "1",
    }
    assert client.post(url, data=sneaky).status_code == 302
    again = client.post(url, data={**sneaky, "placement_rating": "1"})
    assert again.status_code == 400 and "already" in again.get_data(as_text=True)
    fb = db.session.scalar(sa.select(StudentFeedback))
    assert (fb.placement_rating, fb.mentor_id, fb.agency_id, fb.student_id) == (
        4,
        p.mentor_id,
        p.agency_id,
        p.student_id,
    )
    assert "cannot be changed" in client.get(url + "?lang=en").get_data(as_text=True)


def test_mentor_summary_page_from_three_interns(client, login_as, gmake):
    mentor = gmake.placement().mentor
    mentor.locale = "en"
    for rating in (5, 4):
        gmake.feedback(gmake.placement(mentor=mentor), mentor_rating=rating, comment="RAHASIA")
    login_as(mentor)
    page = client.get("/internships/mentor/feedback").get_data(as_text=True)
    assert "Not enough interns" in page and "4.50" not in page
    gmake.feedback(gmake.placement(mentor=mentor), mentor_rating=3)
    page = client.get("/internships/mentor/feedback").get_data(as_text=True)
    assert "4.00" in page and "From 3 interns" in page and "RAHASIA" not in page


def test_feedback_report_scope_escaping_and_queries(client, login_as, make, gmake, count_queries):
    mine = gmake.placement()
    admin = make.internships.opd_admin(mine.position.agency)
    other = gmake.placement()
    gmake.feedback(other, comment="Dinas lain")
    sizes = []
    for n in (1, 6):
        for _ in range(n):
            p = gmake.placement(mentor=mine.mentor)
            gmake.feedback(p, comment="Catatan " + XSS)
            gmake.session_row(p)
        login_as(admin)
        with count_queries() as queries:
            html = client.get("/internships/opd/feedback").get_data(as_text=True)
        sizes.append(queries())
        assert "Catatan &lt;script&gt;" in html and XSS not in html and "Dinas lain" not in html
    assert sizes[0] == sizes[1] and sizes[1] <= 12, sizes
    login_as(make.internships.city_admin())
    assert "Dinas lain" in client.get("/internships/opd/feedback").get_data(as_text=True)
    filtered = client.get(f"/internships/opd/feedback?opd={other.agency_id}")
    assert "Catatan &lt;script&gt;" not in filtered.get_data(
        as_text=True
    )  # (nav says "Catatan JP")
    login_as(mine.mentor)
    assert client.get("/internships/opd/feedback").status_code == 403


def test_the_certificate_on_the_placement_page(app, client, login_as, gmake, db):
    p = _ending(gmake)
    evaluation_services.save_academic_score(p, 80, actor=p.supervisor)
    lifecycle.save_mentor_evaluation(p, [80] * N, actor=p.mentor, complete=True)
    cert = db.session.scalar(sa.select(Certificate))
    student_html = _partials(app, p, p.student)
    assert f"/certificates/{cert.id}.pdf" in student_html and cert.number in student_html
    assert "80.00" in student_html
    mentor_html = _partials(app, p, p.mentor)
    assert f"/certificates/{cert.id}.pdf" not in mentor_html and cert.number in mentor_html
    login_as(p.student)
    r = client.get(f"/certificates/{cert.id}.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["mentor", "supervisor", "student"])
def test_the_partials_show_each_party_its_buttons(app, gmake, who):
    p = _ending(gmake)
    html = _partials(app, p, getattr(p, who))
    wanted = {"mentor": "/evaluate", "supervisor": "/academic", "student": "/feedback"}
    for role, path in wanted.items():
        assert (f"/internships/placements/{p.id}{path}" in html) == (role == who), (role, who)


def test_the_shared_placement_page_carries_both_partials(
    client, login_as, gmake, db, count_queries
):
    p = _ending(gmake)
    url = f"/internships/placements/{p.id}"
    login_as(p.mentor)
    sizes = []
    for n in (1, 9):
        for _ in range(n):
            gmake.session_row(p, private_notes="RAHASIA-MENTOR", actions=["aksi"])
        with count_queries() as queries:
            html = client.get(url + "?lang=en").get_data(as_text=True)
        sizes.append(queries())
        assert "Guidance sessions" in html and "Evaluation" in html
        assert "RAHASIA-MENTOR" not in html
    assert sizes[0] == sizes[1] and sizes[1] <= 12, sizes
    evaluation_services.save_academic_score(p, 80, actor=p.supervisor)
    lifecycle.save_mentor_evaluation(p, [80] * N, actor=p.mentor, complete=True)
    db.session.commit()
    cert = db.session.scalar(sa.select(Certificate))
    login_as(p.student)
    html = client.get(url).get_data(as_text=True)
    assert f"/certificates/{cert.id}.pdf" in html and "80.00" in html
