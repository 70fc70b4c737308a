"""Co-signed guidance sessions: the workflow (state × action × who), logging and editing rules,
private notes, counts per mentor and month, mass assignment, escaping and query budgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.errors import DomainError, InvalidTransition
from portal.internships.guidance import queries as guidance_queries
from portal.internships.guidance import services as guidance_services
from portal.internships.guidance.models import GuidanceAction, GuidanceSession, SessionState
from portal.internships.guidance.services import ActionData, SessionData
from portal.internships.models import PlacementStatus
from portal.notify import Notification
from tests.internships import guidance_support
from tests.internships.guidance_support import local_today

gmake = guidance_support.gmake  # the fixture, shared by the guidance and evaluation tests

S = SessionState


def form_data(**over):
    today = local_today()  # read when called: a run may cross midnight in Medan
    data = {
        "held_on": (today - timedelta(days=1)).isoformat(),
        "duration_minutes": "60",
        "mode": "online",
        "topics": "Review rancangan dashboard",
        "competencies": "Integritas, Komunikasi",
        "shared_notes": "Revisi filter.",
        "private_notes": "RAHASIA-MENTOR",
        "next_meeting_on": "",
        "actions-0-text": "revisi filter per kecamatan",
        "actions-0-due_on": (today + timedelta(days=7)).isoformat(),
        "actions-1-text": "",
        "actions-2-text": "",
    }
    data.update(over)
    return data


def data(**over) -> SessionData:
    values = {
        "held_on": local_today() - timedelta(days=1),
        "duration_minutes": 60,
        "mode": "on_site",
        "topics": "Review",
        "actions": [ActionData("anonimisasi NIK")],
    }
    values.update(over)
    return SessionData(**values)


@pytest.fixture
def cast(gmake, make):
    """A placement with its mentor, student and DPL, plus outsiders of each kind."""
    p = gmake.placement()
    other = gmake.placement()
    for person in (
        p.mentor,
        p.student,
        p.supervisor,
        other.mentor,
        other.student,
        other.supervisor,
    ):  # the pages are read in English here
        person.locale = "en"
    return {
        "placement": p,
        "mentor": p.mentor,
        "student": p.student,
        "dpl": p.supervisor,
        "other mentor": other.mentor,
        "other student": other.student,
        "other dpl": other.supervisor,
    }


# --- services --------------------------------------------------------------------------------


def test_the_mentor_logs_a_session_and_the_student_is_asked(db, cast, outbox):
    p = cast["placement"]
    s = guidance_services.log_session(p, data(), actor=cast["mentor"])
    assert (s.state, s.mentor_id, s.placement_id) == (S.LOGGED, p.mentor_id, p.id)
    assert [a.text for a in s.actions] == ["anonimisasi NIK"]
    keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.user_id == p.student_id)
    ).all()
    assert keys == ["internships.session_logged"]
    assert outbox(cast["student"].email)


def _days(n: int) -> date:
    return local_today() + timedelta(days=n)


# Dates are built when the test runs, not when it is collected (a run may cross midnight in Medan).
@pytest.mark.parametrize(
    ("over", "field"),
    [
        pytest.param(lambda: {"held_on": _days(1)}, "held_on", id="held tomorrow"),
        pytest.param(lambda: {"held_on": _days(-400)}, "held_on", id="held 400 days ago"),
        pytest.param(lambda: {"duration_minutes": 4}, "duration_minutes", id="4 minutes"),
        pytest.param(lambda: {"duration_minutes": 601}, "duration_minutes", id="601 minutes"),
        pytest.param(lambda: {"mode": "carrier pigeon"}, "mode", id="unknown mode"),
        pytest.param(lambda: {"topics": "  "}, "topics", id="blank topics"),
        pytest.param(
            lambda: {"next_meeting_on": _days(-5)}, "next_meeting_on", id="next meeting past"
        ),
        pytest.param(
            lambda: {"actions": [ActionData("x", due_on=_days(-30))]},
            "actions",
            id="action overdue",
        ),
        pytest.param(
            lambda: {"actions": [ActionData(f"a{i}") for i in range(11)]},
            "actions",
            id="11 actions",
        ),
    ],
)
def test_impossible_sessions_are_refused_beside_their_field(db, cast, over, field):
    with pytest.raises(DomainError) as caught:
        guidance_services.log_session(cast["placement"], data(**over()), actor=cast["mentor"])
    assert caught.value.field == field


def test_only_the_mentor_of_an_active_placement_logs(db, cast, gmake):
    for who in ("student", "dpl", "other mentor"):
        with pytest.raises(InvalidTransition):
            guidance_services.log_session(cast["placement"], data(), actor=cast[who])
    done = gmake.placement(status=PlacementStatus.COMPLETED)
    with pytest.raises(InvalidTransition):
        guidance_services.log_session(done, data(), actor=done.mentor)


ACTORS = ["mentor", "other mentor", "student", "other student", "dpl"]
ALLOWED = {
    (S.LOGGED, "edit", "mentor"): S.LOGGED,
    (S.DISPUTED, "edit", "mentor"): S.LOGGED,
    (S.LOGGED, "confirm", "student"): S.CONFIRMED,
    (S.LOGGED, "dispute", "student"): S.DISPUTED,
}


@pytest.mark.parametrize("who", ACTORS)
@pytest.mark.parametrize("action", ["edit", "confirm", "dispute"])
@pytest.mark.parametrize("state", list(S))
def test_workflow_triples_through_the_pages(db, client, login_as, cast, gmake, state, action, who):
    s = gmake.session_row(cast["placement"], state=state, topics="Topik lama")
    login_as(cast[who])
    if action == "edit":
        r = client.post(f"/internships/sessions/{s.id}/edit", data=form_data(topics="Topik baru"))
    else:
        r = client.post(
            f"/internships/sessions/{s.id}/action",
            data={"action": action, "comment": "Durasinya 30 menit."},
        )
    db.session.expire_all()
    after = db.session.get(GuidanceSession, s.id)
    expected = ALLOWED.get((state, action, who))
    if expected is not None:
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        assert after.state == expected
        assert after.topics == ("Topik baru" if action == "edit" else "Topik lama")
    else:
        assert r.status_code in (302, 400, 403, 404)
        assert (after.state, after.topics) == (state, "Topik lama")
        participant = who == ("mentor" if action == "edit" else "student")
        assert r.status_code != 404 or not participant  # a participant is told why, not 404


def test_confirming_and_disputing(db, client, login_as, cast, gmake):
    logged, other = gmake.session_row(cast["placement"]), gmake.session_row(cast["placement"])
    login_as(cast["student"])
    r = client.post(f"/internships/sessions/{logged.id}/action", data={"action": "dispute"})
    assert r.status_code == 400 and "Say what is wrong" in r.get_data(as_text=True)
    r = client.post(
        f"/internships/sessions/{logged.id}/action",
        data={"action": "dispute", "comment": "Sesi hanya 30 menit."},
    )
    assert r.status_code == 302
    client.post(f"/internships/sessions/{other.id}/action", data={"action": "confirm"})
    db.session.expire_all()
    assert logged.state == S.DISPUTED and logged.student_comment == "Sesi hanya 30 menit."
    assert other.state == S.CONFIRMED and other.confirmed_at is not None
    mentor_keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.user_id == cast["mentor"].id)
    ).all()
    assert sorted(mentor_keys) == ["internships.session_confirmed", "internships.session_disputed"]


def test_an_edited_dispute_goes_back_to_the_student(db, cast, gmake):
    s = gmake.session_row(cast["placement"], state=S.DISPUTED, student_comment="Salah tanggal")
    guidance_services.edit_session(s, data(topics="Diperbaiki"), actor=cast["mentor"])
    assert s.state == S.LOGGED and s.topics == "Diperbaiki"
    assert [a.text for a in s.actions] == ["anonimisasi NIK"]


def test_edit_is_refused_after_confirmation(db, client, login_as, cast, gmake):
    s = gmake.session_row(cast["placement"], state=S.CONFIRMED, topics="Asli")
    with pytest.raises(InvalidTransition, match="confirmed"):
        guidance_services.edit_session(s, data(topics="Palsu"), actor=cast["mentor"])
    login_as(cast["mentor"])
    r = client.get(f"/internships/sessions/{s.id}/edit", follow_redirects=True)
    assert "can no longer change" in r.get_data(as_text=True)
    client.post(f"/internships/sessions/{s.id}/edit", data=form_data(topics="Palsu"))
    db.session.expire_all()
    assert db.session.get(GuidanceSession, s.id).topics == "Asli"


def test_actions_of_earlier_sessions_are_ticked_at_the_next_one(db, client, login_as, cast, gmake):
    first = gmake.session_row(cast["placement"], actions=["revisi filter", "anonimisasi NIK"])
    foreign = gmake.session_row(gmake.placement(), actions=["bukan milik saya"])
    ids = [a.id for a in first.actions]
    login_as(cast["mentor"])
    url = f"/internships/placements/{cast['placement'].id}/sessions/new"
    page = client.get(url).get_data(as_text=True)
    assert "revisi filter" in page and "bukan milik saya" not in page
    bad = client.post(url, data=form_data(done_actions=[str(foreign.actions[0].id)]))
    assert bad.status_code == 400
    assert client.post(url, data=form_data(done_actions=[str(ids[0])])).status_code == 302
    done = dict(db.session.execute(sa.select(GuidanceAction.id, GuidanceAction.is_done)).all())
    assert done[ids[0]] is True and done[ids[1]] is False
    assert done[foreign.actions[0].id] is False


# --- counts per mentor and month ---------------------------------------------------------------


def test_counts_per_mentor_per_month(db, cast, gmake):
    p, mentor = cast["placement"], cast["mentor"]
    jan, feb = date(2026, 1, 10), date(2026, 2, 3)
    gmake.session_row(p, held_on=jan, minutes=60, state=S.CONFIRMED)
    gmake.session_row(p, held_on=jan.replace(day=20), minutes=30, state=S.DISPUTED)
    gmake.session_row(p, held_on=feb, minutes=45)
    second = gmake.placement(mentor=mentor)
    gmake.session_row(second, held_on=feb, minutes=90, state=S.CONFIRMED)
    gmake.session_row(gmake.placement(), held_on=feb)  # another mentor: not counted
    rows = guidance_queries.monthly_counts(mentor_id=mentor.id)
    got = [(r.key, r.sessions, r.confirmed, r.disputed, r.minutes) for r in rows]
    assert got == [("2026-02", 2, 1, 0, 135), ("2026-01", 2, 1, 1, 90)]
    per_mentee = guidance_queries.monthly_counts(mentor_id=mentor.id, placement_id=second.id)
    assert [(r.key, r.sessions) for r in per_mentee] == [("2026-02", 1)]
    city = guidance_queries.monthly_counts(agency_id=p.agency_id)
    assert {r.mentor_id for r in city} == {mentor.id}  # the other mentor is at another OPD


def test_the_edit_form_keeps_the_actions_and_offers_one_more_row(client, login_as, cast, gmake):
    s = gmake.session_row(cast["placement"], actions=["satu", "dua", "tiga"])
    login_as(cast["mentor"])
    html = client.get(f"/internships/sessions/{s.id}/edit").get_data(as_text=True)
    assert 'value="tiga"' in html and 'name="actions-3-text"' in html
    assert 'name="actions-4-text"' not in html
