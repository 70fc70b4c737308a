"""The guidance pages: who reads what (private notes only for the mentor, in no export), bad
input kept and refused with 400, mass assignment, escaping, and query budgets at two sizes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import render_template

from portal.auth.models import Role
from portal.internships.guidance.models import GuidanceSession, SessionState
from portal.internships.placements import extras as placement_extras
from tests.internships import guidance_support
from tests.internships.guidance_support import local_today
from tests.internships.test_guidance import form_data

gmake = guidance_support.gmake  # the fixture, shared by the guidance and evaluation tests

S = SessionState
SECRET = "RAHASIA-MENTOR-42"
XSS = "<script>alert('x')</script>"


@pytest.fixture
def setup(gmake):
    p = gmake.placement()
    s = gmake.session_row(
        p, private_notes=SECRET, topics="Topik " + XSS, shared_notes="Untuk mahasiswa " + XSS
    )
    return p, s


def _partials(app, placement, user):
    extra = placement_extras.collect(placement, user)
    with app.test_request_context("/?lang=en"):
        return "".join(
            render_template(
                f"internships/_placement_{name}.html",
                placement=placement,
                current_user=user,
                extra=extra,
            )
            for name in ("sessions", "evaluation")
        )


def test_private_notes_only_for_the_mentor(app, client, login_as, setup, db):
    p, s = setup
    url = f"/internships/sessions/{s.id}"
    login_as(p.mentor)
    assert SECRET in client.get(url).get_data(as_text=True)
    for fmt in ("csv", "xlsx"):
        export = client.get(f"/internships/sessions.{fmt}")
        assert export.status_code == 200 and "attachment" in export.headers["Content-Disposition"]
        assert SECRET.encode() not in export.data
    for user in (p.student, p.supervisor):
        login_as(user)
        page = client.get(url)
        assert page.status_code == 200 and "Untuk mahasiswa" in page.get_data(as_text=True)
        assert SECRET not in page.get_data(as_text=True)
        assert SECRET not in _partials(app, p, user)
    assert SECRET not in _partials(app, p, p.mentor)  # the partial never shows them


def test_outsiders_get_404_and_other_roles_403(client, login_as, setup, gmake, make):
    p, s = setup
    other = gmake.placement()
    url = f"/internships/sessions/{s.id}"
    for user in (other.mentor, other.student, other.supervisor):
        login_as(user)
        assert client.get(url).status_code == 404
        assert client.get(f"/internships/sessions/{s.id}/edit").status_code in (403, 404)
    for user in (make.internships.opd_admin(p.position.agency), make.user(Role.ASN)):
        login_as(user)
        assert client.get(url).status_code == 403
    login_as(other.mentor)
    assert client.get(f"/internships/placements/{p.id}/sessions/new").status_code == 404
    assert client.get("/internships/sessions.pdf").status_code == 404


def test_mentor_list_filters_and_shows_only_own_sessions(client, login_as, gmake, db):
    p = gmake.placement()
    second = gmake.placement(mentor=p.mentor)
    gmake.session_row(p, held_on=date(2026, 1, 5), topics="Januari pertama")
    gmake.session_row(second, held_on=date(2026, 2, 5), topics="Februari kedua")
    gmake.session_row(gmake.placement(), held_on=date(2026, 2, 6), topics="Milik mentor lain")
    login_as(p.mentor)
    page = client.get("/internships/sessions").get_data(as_text=True)
    assert "Januari pertama" in page and "Februari kedua" in page
    assert "Milik mentor lain" not in page
    only_feb = client.get("/internships/sessions?month=2026-02").get_data(as_text=True)
    assert "Februari kedua" in only_feb and "Januari pertama" not in only_feb
    mentee = client.get(f"/internships/sessions?mentee={p.id}").get_data(as_text=True)
    assert "Januari pertama" in mentee and "Februari kedua" not in mentee
    for odd in ("?month=2026-13", "?month=%00", "?mentee=abc", "?mentee=99999999999", "?page=-3"):
        assert client.get("/internships/sessions" + odd).status_code == 200
    csv = client.get("/internships/sessions.csv?month=2026-01").get_data(as_text=True)
    assert "Januari pertama" in csv and "Februari kedua" not in csv


def test_bad_input_is_refused_with_400_and_kept(client, login_as, gmake, db):
    p = gmake.placement()
    login_as(p.mentor)
    url = f"/internships/placements/{p.id}/sessions/new"
    cases = [
        {"duration_minutes": "enam puluh"},
        {"held_on": "2026-13-45"},
        {"mode": "telepati"},
        {"topics": ""},
        {"held_on": (local_today() + timedelta(days=2)).isoformat()},
        {"duration_minutes": "99999999999999999999"},
        {"topics": "x" * 2001},
        {"actions-0-due_on": "kemarin"},
        {"held_on": "0001-01-01"},
        {"next_meeting_on": (local_today() + timedelta(days=900)).isoformat()},
    ]
    for case in cases:
        response = client.post(
            url, data=form_data(**{"competencies": "Kompetensi diketik"}, **case)
        )
        assert response.status_code == 400, case
        assert "Kompetensi diketik" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(GuidanceSession.id))) == 0


def test_mass_assignment_on_the_session_forms(client, login_as, gmake, db):
    p, elsewhere = gmake.placement(), gmake.placement()
    login_as(p.mentor)
    sneaky = {
        "state": "confirmed",
        "mentor_id": str(elsewhere.mentor_id),
        "placement_id": str(elsewhere.id),
        "confirmed_at": "2026-01-01",
        "student_comment": "sudah dikonfirmasi",
        "id": "999",
    }
    r = client.post(f"/internships/placements/{p.id}/sessions/new", data=form_data(**sneaky))
    assert r.status_code == 302
    s = db.session.scalar(sa.select(GuidanceSession))
    assert (s.state, s.mentor_id, s.placement_id, s.student_comment, s.confirmed_at) == (
        S.LOGGED,
        p.mentor_id,
        p.id,
        None,
        None,
    )
    client.post(f"/internships/sessions/{s.id}/edit", data=form_data(**sneaky))
    login_as(p.student)
    client.post(
        f"/internships/sessions/{s.id}/action",
        data={
            "action": "confirm",
            "topics": "diubah mahasiswa",
            "private_notes": "x",
            "mentor_id": str(p.student_id),
        },
    )
    db.session.expire_all()
    s = db.session.get(GuidanceSession, s.id)
    assert (s.state, s.mentor_id, s.topics, s.private_notes) == (
        S.CONFIRMED,
        p.mentor_id,
        "Review rancangan dashboard",
        "RAHASIA-MENTOR",
    )


def test_text_is_escaped_everywhere(app, client, login_as, setup):
    p, s = setup
    login_as(p.mentor)
    pages = [
        client.get(f"/internships/sessions/{s.id}").get_data(as_text=True),
        client.get("/internships/sessions").get_data(as_text=True),
        client.get(f"/internships/sessions/{s.id}/edit").get_data(as_text=True),
        _partials(app, p, p.mentor),
    ]
    for html in pages:
        assert XSS not in html
    assert "&lt;script&gt;" in pages[0]


def _sessions(gmake, placements, n):
    for i in range(n):
        gmake.session_row(
            placements[i % len(placements)],
            actions=["aksi"],
            held_on=date(2026, 1 + i % 6, 1 + i % 20),
            state=list(S)[i % 3],
        )


@pytest.mark.parametrize("sizes", [(2, 14)])
def test_query_counts_do_not_grow_with_the_data(app, client, login_as, gmake, count_queries, sizes):
    p = gmake.placement()
    second = gmake.placement(mentor=p.mentor)
    login_as(p.mentor)
    counts = {"list": [], "session": [], "extras": []}
    first = None
    for n in sizes:
        _sessions(gmake, [p, second], n)
        first = first or gmake.session_row(p, actions=["a", "b"])
        with count_queries() as list_queries:
            assert client.get("/internships/sessions").status_code == 200
        with count_queries() as session_queries:
            assert client.get(f"/internships/sessions/{first.id}").status_code == 200
        with count_queries() as extra_queries:
            _partials(app, p, p.mentor)
        counts["list"].append(list_queries())
        counts["session"].append(session_queries())
        counts["extras"].append(extra_queries())
    for name, (small, large) in counts.items():
        assert small == large, (name, counts)
        assert large <= 12, (name, counts)
    assert counts["extras"][0] <= 4
