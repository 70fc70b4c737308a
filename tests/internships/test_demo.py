"""``flask demo-data`` loads internships in every state: a dozen open positions, applications in
every state with histories the workflow allows, active and completed placements with logbooks,
sessions, reports, evaluations and certificates, and counters that match the rows."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.certificates.models import Certificate
from portal.db import utcnow
from portal.internships.applications import workflow
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationEvent
from portal.internships.applications.models import ApplicationState as S
from portal.internships.evaluation.models import (
    AcademicScore,
    FinalGrade,
    MentorEvaluation,
    StudentFeedback,
    final_grade,
    weighted_total,
)
from portal.internships.evaluation.services import CERTIFICATE_SOURCE, rubric_for
from portal.internships.guidance.models import GuidanceSession, SessionState
from portal.internships.matching import algorithm
from portal.internships.matching.models import MatchingRun
from portal.internships.models import (
    IntakeMode,
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
    PositionMentor,
    PositionState,
)
from portal.internships.placements.models import (
    EntryAction,
    EntryState,
    FinalReport,
    LogbookEntry,
    LogbookEvent,
    ReportState,
)
from portal.internships.placements.workflow import ENTRY_TRANSITIONS
from portal.notify import Notification
from portal.util import clock

DINDA, ANDI = "mahasiswa.usu@sinergi.example", "mentor.diskominfo@sinergi.example"
USU_STAFF = "dosen.usu@sinergi.example"


@pytest.fixture(scope="module")
def app(demo_app):
    """The demo, loaded once per session (tests/support/demo.py)."""
    return demo_app


@pytest.fixture
def demo(app, db):
    assert "28 internship positions" in app.demo_output
    return {u.email: u for u in db.session.scalars(sa.select(User))}


def _all(db, model, *where):
    return list(db.session.scalars(sa.select(model).where(*where)))


def _by(rows, attr):
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attr)].append(row)
    return grouped


def test_every_application_state_with_a_history_the_workflow_allows(db, demo):
    applications = _all(db, Application)
    assert {a.state for a in applications} == set(S)
    events = _by(_all(db, ApplicationEvent), "application_id")
    positions = {p.id: p for p in _all(db, InternshipPosition)}
    users = {u.id: u for u in demo.values()}
    accepted_at = {
        (e.actor_id, a.period_id): e.at
        for a in applications
        for e in events[a.id]
        if e.action == "accept"
    }
    now = utcnow()
    for app_ in applications:
        history = sorted(events[app_.id], key=lambda e: (e.at, e.id))
        first = history[0]
        assert (first.action, first.from_state, first.to_state) == (
            workflow.APPLY,
            None,
            S.SUBMITTED,
        )
        assert first.actor_id == app_.student_id
        position = positions[app_.position_id]
        assert clock.local_time(first.at).date() <= position.application_deadline
        assert position.published_at <= first.at and history[-1].at <= now
        state = S.SUBMITTED
        for event in history[1:]:
            assert event.from_state == state
            if event.action == workflow.AUTO_WITHDRAW:
                assert event.to_state == S.WITHDRAWN and event.actor_id == app_.student_id
                assert accepted_at[(app_.student_id, app_.period_id)] == event.at
            elif event.action == workflow.MATCH_CLOSED:  # the published match, by BKPSDM
                assert event.to_state == S.REJECTED and users[event.actor_id].is_city_admin
                assert app_.match_outcome not in (None, algorithm.MATCHED)
            else:
                target, party = workflow.TRANSITIONS[
                    (state, workflow.ApplicationAction(event.action))
                ]
                assert event.to_state == target
                actor = users.get(event.actor_id)
                if party == workflow.SYSTEM:
                    assert actor is None
                else:
                    assert party in workflow.parties_of(app_, actor), (event.action, actor)
            state = event.to_state
        assert state == app_.state
        assert (app_.rank is None) == (app_.state not in OPEN_STATES)
        assert (app_.endorsed_at is not None) == any(e.action == "endorse" for e in history)
        assert (app_.decided_at is None) == (app_.state in OPEN_STATES)
        if app_.state in (S.DECLINED_BY_UNIVERSITY, S.REJECTED):
            assert app_.decision_reason or app_.match_outcome  # the match's outcome says why
        if app_.state == S.OFFERED:
            assert app_.offer_expires_at > now  # still open: the daily job has nothing to do
        assert db.session.get(type(app_.cv_file), app_.cv_file_id).mimetype == "application/pdf"
    # At most three open applications per student and period (a round: its own number), each
    # with its own rank.
    open_ranks = Counter((a.student_id, a.period_id, a.rank) for a in applications if a.rank)
    limits = {  # a matching round takes its own number of preferences
        p.id: p.preference_limit if p.intake_mode == IntakeMode.MATCHING else 3
        for p in _all(db, InternshipPeriod)
    }
    assert max(open_ranks.values()) == 1
    assert all(rank <= limits[period] for (_s, period, rank) in open_ranks)


def test_a_dozen_open_positions_with_mentors_of_their_opd(db, demo):
    positions = _all(db, InternshipPosition)
    published = [p for p in positions if p.state == PositionState.PUBLISHED]
    assert len(published) >= 12
    assert all(p.application_deadline >= clock.today() for p in published)
    assert len({p.agency_id for p in published}) >= 8
    today = clock.today()
    rolling = [p for p in _all(db, InternshipPeriod) if p.intake_mode == IntakeMode.ROLLING]
    running, finished = sorted(rolling, key=lambda p: p.starts_on)[::-1]
    assert running.starts_on <= today <= running.ends_on and finished.ends_on < today
    assert {p.period_id for p in published} == {running.id}
    assert {p.state for p in positions if p.period_id == finished.id} == {PositionState.CLOSED}
    for position in positions:
        mentors = _all(db, PositionMentor, PositionMentor.position_id == position.id)
        assert mentors, position.title
        for row in mentors:
            mentor = db.session.get(User, row.mentor_id)
            assert Role.MENTOR in mentor.roles and mentor.agency_id == position.agency_id
        assert position.unit and position.tasks and position.wanted_majors
        assert position.application_deadline <= position.starts_on <= position.ends_on


def test_counters_match_the_rows(db, demo):
    placements = _all(db, Placement)
    per_position = Counter(p.position_id for p in placements)
    for position in _all(db, InternshipPosition):
        assert position.seats_taken == per_position[position.id] <= position.quota
    active = Counter(p.mentor_id for p in placements if p.status == PlacementStatus.ACTIVE)
    capacities = {c.user_id: c for c in _all(db, MentorCapacity)}
    assert set(active) <= set(capacities)
    for mentor_id, capacity in capacities.items():
        assert capacity.active_mentees == active[mentor_id] <= capacity.mentee_limit
    for placement in placements:
        named = {
            m.mentor_id
            for m in _all(db, PositionMentor, PositionMentor.position_id == placement.position_id)
        }
        assert placement.mentor_id in named
        app_ = db.session.get(Application, placement.application_id)
        assert app_.state == S.ACCEPTED and app_.student_id == placement.student_id
        supervisor = db.session.get(User, placement.supervisor_id)
        assert Role.UNIVERSITY in supervisor.roles
        assert supervisor.university_id == placement.university_id
        assert placement.planned_sks


def _check_entry_history(db, entry, placement):
    events = sorted(
        _all(db, LogbookEvent, LogbookEvent.entry_id == entry.id), key=lambda e: (e.at, e.id)
    )
    state = EntryState.DRAFT
    for event in events:
        found = ENTRY_TRANSITIONS[(state, EntryAction(event.action))]
        target, (party,) = found.to, found.parties
        assert event.from_state == state and event.to_state == target
        who = placement.student_id if party == "student" else placement.mentor_id
        assert event.actor_id == who
        state = target
    assert state == entry.state
    if entry.state != EntryState.DRAFT:
        assert entry.submitted_at is not None
    if entry.state in (EntryState.APPROVED, EntryState.RETURNED):
        assert entry.reviewed_by_id == placement.mentor_id and entry.reviewed_at


def test_active_placements_have_logbooks_sessions_and_a_report_waiting(db, demo):
    active = _all(db, Placement, Placement.status == PlacementStatus.ACTIVE)
    assert len(active) >= 6
    states = set()
    for placement in active:
        entries = _all(db, LogbookEntry, LogbookEntry.placement_id == placement.id)
        assert len(entries) >= 5, placement.id
        assert all(placement.starts_on <= e.day < clock.today() for e in entries)
        assert all(e.day.weekday() < 5 and e.minutes % 30 == 0 for e in entries)
        weeks = {e.day.isocalendar()[:2] for e in entries}
        assert 2 <= len(weeks) <= 7
        for entry in entries:
            _check_entry_history(db, entry, placement)
        states |= {e.state for e in entries}
        assert _all(db, GuidanceSession, GuidanceSession.placement_id == placement.id)
    assert states == set(EntryState)
    waiting = [r for p in active for r in _all(db, FinalReport, FinalReport.placement_id == p.id)]
    assert [r.state for r in waiting] == [ReportState.SUBMITTED]
    sessions = [
        s for p in active for s in _all(db, GuidanceSession, GuidanceSession.placement_id == p.id)
    ]
    assert {s.state for s in sessions} == set(SessionState)


def test_completed_placements_are_graded_and_certified(client, db, demo):
    completed = _all(db, Placement, Placement.status == PlacementStatus.COMPLETED)
    assert len(completed) >= 4
    for placement in completed:
        entries = _all(db, LogbookEntry, LogbookEntry.placement_id == placement.id)
        assert len(entries) >= 40 and {e.state for e in entries} == {EntryState.APPROVED}
        for entry in entries[:10]:
            _check_entry_history(db, entry, placement)
        reports = sorted(
            _all(db, FinalReport, FinalReport.placement_id == placement.id), key=lambda r: r.version
        )
        assert reports[-1].state == ReportState.APPROVED
        assert reports[-1].dpl_decided_by_id == placement.supervisor_id
        assert all(r.state == ReportState.RETURNED for r in reports[:-1])
        assert _all(db, GuidanceSession, GuidanceSession.placement_id == placement.id)
        (mentor,) = _all(db, MentorEvaluation, MentorEvaluation.placement_id == placement.id)
        (academic,) = _all(db, AcademicScore, AcademicScore.placement_id == placement.id)
        (grade,) = _all(db, FinalGrade, FinalGrade.placement_id == placement.id)
        assert _all(db, StudentFeedback, StudentFeedback.placement_id == placement.id)
        rubric = rubric_for(placement.university_id)
        assert [row["weight"] for row in mentor.scores] == [c.weight for c in rubric.criteria]
        assert mentor.total == weighted_total([(r["score"], r["weight"]) for r in mentor.scores])
        assert grade.mentor_weight == rubric.mentor_weight
        assert grade.grade == final_grade(mentor.total, academic.score, grade.mentor_weight)
        (certificate,) = _all(
            db,
            Certificate,
            Certificate.source_type == CERTIFICATE_SOURCE,
            Certificate.source_id == placement.id,
        )
        assert certificate.is_valid and certificate.subject_id == placement.student_id
    assert {r.mentor_weight for r in _all(db, FinalGrade)} == {60, 70}  # UNIMED's own split
    sessions = [
        s
        for p in completed
        for s in _all(db, GuidanceSession, GuidanceSession.placement_id == p.id)
    ]
    assert {s.state for s in sessions} == {SessionState.CONFIRMED, SessionState.DISPUTED}
    (ended,) = _all(db, Placement, Placement.status == PlacementStatus.TERMINATED)
    assert ended.end_reason and not _all(db, FinalGrade, FinalGrade.placement_id == ended.id)
    # The public check page of a certificate (no sign-in).
    certificate = _all(db, Certificate)[0]
    page = client.get(f"/certificates/verify/{certificate.number}")
    assert page.status_code == 200
    assert certificate.holder_name in page.get_data(as_text=True)


def test_demo_accounts_have_something_to_do(app, client, db, demo, login_as):
    dinda = demo[DINDA]
    (placement,) = _all(db, Placement, Placement.student_id == dinda.id)
    assert placement.status == PlacementStatus.ACTIVE
    assert _all(db, LogbookEntry, LogbookEntry.placement_id == placement.id)
    mine = {a.state for a in _all(db, Application, Application.student_id == dinda.id)}
    assert S.ACCEPTED in mine and len(mine) >= 3
    unread = _all(
        db, Notification, Notification.user_id == dinda.id, Notification.read_at.is_(None)
    )
    assert {n.message_key for n in unread} >= {
        "internships.entry_returned",
        "internships.session_logged",
    }
    student = login_as(dinda)
    assert student.get(f"/internships/placements/{placement.id}").status_code == 200
    assert student.get("/internships/applications/mine").status_code == 200
    app_ = _all(db, Application, Application.student_id == dinda.id)[0]
    cv = student.get(f"/internships/applications/{app_.id}/cv")
    assert cv.status_code == 200 and cv.get_data().startswith(b"%PDF-")
    cv.close()
    # The demo mentor's mentees have entries waiting for review.
    andi = demo[ANDI]
    mentees = _all(
        db, Placement, Placement.mentor_id == andi.id, Placement.status == PlacementStatus.ACTIVE
    )
    waiting = [
        e
        for p in mentees
        for e in _all(db, LogbookEntry, LogbookEntry.placement_id == p.id)
        if e.state == EntryState.SUBMITTED
    ]
    assert len(mentees) >= 2 and waiting
    mentor = login_as(andi, app.test_client())
    assert mentor.get(f"/internships/placements/{mentees[0].id}").status_code == 200
    assert mentor.get("/internships/sessions").status_code == 200
    # The demo university account has applications to endorse.
    usu = demo[USU_STAFF]
    to_endorse = _all(
        db,
        Application,
        Application.university_id == usu.university_id,
        Application.state == S.SUBMITTED,
    )
    assert len(to_endorse) >= 2
    staff = login_as(usu, app.test_client())
    page = staff.get("/internships/university/applications").get_data(as_text=True)
    assert all(db.session.get(User, a.student_id).full_name in page for a in to_endorse)
    # Anyone sees the open positions.
    assert app.test_client().get("/internships/positions").status_code == 200


def test_demo_data_if_empty_a_second_time_adds_nothing(app, db, demo):
    tables = list(db.metadata.sorted_tables)
    before = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables}
    result = app.test_cli_runner().invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0 and "not loaded" in result.output
    db.session.expire_all()
    after = {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables}
    assert after == before
    assert before["internship_applications"] >= 40 and before["certificates"] >= 4


def test_a_matching_round_was_published_with_its_reasons(client, db, demo):
    """Issue 18: one period in matching mode, its preferences, and the published result."""
    (period,) = _all(db, InternshipPeriod, InternshipPeriod.intake_mode == IntakeMode.MATCHING)
    assert period.matched_at is not None and period.preferences_close_on < clock.today()
    (run,) = _all(db, MatchingRun, MatchingRun.period_id == period.id)
    assert run.published_at == period.matched_at and run.seed
    preferences = _all(db, Application, Application.period_id == period.id)
    assert {str(a.id) for a in preferences} == set(run.result)
    placed = [a for a in preferences if a.match_outcome == algorithm.MATCHED]
    assert len(placed) == run.figures["placed"] > 0 and run.figures["unplaced"] > 0
    assert all(a.state == S.OFFERED and a.matched_mentor_id for a in placed)
    assert {a.match_outcome for a in preferences} >= {
        algorithm.MATCHED,
        algorithm.FILLED,
        algorithm.UNACCEPTABLE,
        algorithm.NOT_REACHED,
    }
    seats = Counter(a.position_id for a in placed)
    for position in _all(db, InternshipPosition, InternshipPosition.period_id == period.id):
        assert seats[position.id] <= position.quota
    # The demo student reads where the match placed her and why (signed in as Dinda).
    from tests.support.client import sign_in_as

    dinda = demo[DINDA]
    dinda.locale = "en"
    db.session.flush()
    sign_in_as(client, dinda)
    page = client.get(f"/internships/matching/{period.id}").get_data(as_text=True)
    assert "The match placed you at your first choice." in page
