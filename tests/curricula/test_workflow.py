"""The proposal workflow (QUALITY.md G5): every (state × action × party) through the view, the
reasons a step is refused, the history, the frozen versions and who is told."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumState,
    CurriculumTarget,
    Module,
)
from portal.curricula.proposals import review_services
from portal.curricula.proposals.models import CurriculumEvent, CurriculumVersion, ReviewComment
from portal.curricula.proposals.workflow import TRANSITIONS, CurriculumAction
from portal.errors import InvalidTransition
from portal.notify import Notification
from tests.support.worlds import curricula

S, A = CurriculumState, CurriculumAction

#: The sides each party acts for, written out by hand (not computed by the code under test).
PARTIES = {
    "lead": {"university"},
    "university_co_author": {"university"},
    "colleague_not_author": set(),
    "agency_co_author_asn": {"agency"},
    "partner_opd_admin": {"agency", "admin"},
    "city_admin": {"agency", "admin"},
    "other_opd_admin": set(),
    "other_university": set(),
    "student": set(),
}
NOT_NOW = "is not possible while the proposal is"
SIDE_MESSAGES = {
    "university": "Only a university author of this proposal can do this.",
    "agency": "Only the agency side (an agency co-author or an admin of the partner OPD) can do this.",
    "admin": "Only an admin of the city or of the partner OPD can do this.",
}
#: How a refused party is answered: 409 with the reason when it may see the proposal.
CANNOT_SEE = {"other_opd_admin": 404, "other_university": 404, "student": 403}


proposal_workflow_world = curricula.proposal_workflow_world  # built once for the module


def _state_and_events(db, cur_id):
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur_id)
    events = db.session.scalars(
        sa.select(CurriculumEvent).where(CurriculumEvent.curriculum_id == cur_id)
    ).all()
    return cur.state, [(e.action, e.from_state, e.to_state, e.actor_id, e.note) for e in events]


@pytest.mark.parametrize("state", list(S), ids=str)
def test_only_allowed_transitions_succeed(client, login_as, proposal_workflow_world, db, state):
    """Every action × party in ``state``, each through the view (QUALITY.md G5)."""
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(state)
    token = None
    for action in A:
        step = TRANSITIONS.get((state, action))
        for party, sides in PARTIES.items():
            login_as(users[party])
            token = token or client.csrf_token()  # one browser session: the token stays
            before = _state_and_events(db, cur_id)
            r = client.post(
                f"/curricula/proposals/{cur_id}/transition",
                data={"action": action.value, "note": "Catatan uji", "csrf_token": token},
            )
            after = _state_and_events(db, cur_id)
            case = (state.value, action.value, party, r.status_code)
            if step is not None and step[1] in sides:
                assert r.status_code == 302, case
                assert after[0] == step[0], case
                assert after[1] == [
                    *before[1],
                    (action.value, state, step[0], users[party].id, "Catatan uji"),
                ], case
                cur_id = proposal(state)  # a fresh proposal for the next party
                continue
            assert after == before, case
            if party in CANNOT_SEE:
                assert r.status_code == CANNOT_SEE[party], case
                continue
            assert r.status_code == 409, case
            reason = NOT_NOW if step is None else SIDE_MESSAGES[step[1]]
            assert reason in r.get_data(as_text=True), case


def _event(cur_id, db):
    return db.session.scalars(
        sa.select(CurriculumEvent)
        .where(CurriculumEvent.curriculum_id == cur_id)
        .order_by(CurriculumEvent.id.desc())
    ).first()


def test_the_buttons_are_exactly_the_allowed_actions(client, login_as, proposal_workflow_world, db):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.IN_REVIEW)
    login_as(users["partner_opd_admin"])
    html = client.get(f"/curricula/proposals/{cur_id}").get_data(as_text=True)
    assert 'value="request_changes"' in html and 'value="approve_agency"' in html
    assert 'value="submit"' not in html and 'value="publish"' not in html
    login_as(users["lead"])
    html = client.get(f"/curricula/proposals/{cur_id}").get_data(as_text=True)
    assert 'name="action"' not in html and "There is no step for you to take now." in html


@pytest.mark.parametrize(("remove", "reason"), [
    ("agency", "a partner agency"), ("modules", "at least one module"),
    ("targets", "at least one target competency"), ("outcomes", "at least one learning outcome"),
])  # fmt: skip
def test_an_incomplete_proposal_cannot_be_submitted_and_says_what_is_missing(
    client, login_as, proposal_workflow_world, db, remove, reason
):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.DRAFT)
    cur = db.session.get(Curriculum, cur_id)
    if remove == "agency":
        cur.agency_id = None
    elif remove == "modules":
        db.session.execute(sa.delete(Module).where(Module.curriculum_id == cur_id))
    elif remove == "targets":
        db.session.execute(
            sa.delete(CurriculumTarget).where(CurriculumTarget.curriculum_id == cur_id)
        )
    else:
        cur.learning_outcomes = "  \n "
    db.session.flush()
    login_as(users["lead"])
    html = client.get(f"/curricula/proposals/{cur_id}").get_data(as_text=True)
    assert "Before submitting, the proposal still needs:" in html and reason in html
    r = client.post(
        f"/curricula/proposals/{cur_id}/transition",
        data={"action": "submit", "note": "Catatan yang saya ketik"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "The proposal cannot be submitted yet. It still needs:" in html and reason in html
    assert "Catatan yang saya ketik" in html  # the note is kept
    assert _state_and_events(db, cur_id) == (S.DRAFT, [])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CurriculumVersion)) == 0


def test_requesting_changes_needs_a_note(client, login_as, proposal_workflow_world, db):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.IN_REVIEW)
    login_as(users["partner_opd_admin"])
    r = client.post(
        f"/curricula/proposals/{cur_id}/transition",
        data={"action": "request_changes", "note": "   "},
    )
    assert r.status_code == 409 and "a note is required to request changes" in r.get_data(
        as_text=True
    )
    assert _state_and_events(db, cur_id) == (S.IN_REVIEW, [])


def test_an_over_long_note_is_refused_and_kept(client, login_as, proposal_workflow_world, db):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.IN_REVIEW)
    login_as(users["partner_opd_admin"])
    note = "Perbaiki " + "x" * 2000
    r = client.post(
        f"/curricula/proposals/{cur_id}/transition",
        data={"action": "request_changes", "note": note},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "At most 2000 characters." in html and note in html
    assert _state_and_events(db, cur_id) == (S.IN_REVIEW, [])


def test_open_comments_block_the_agency_approval_and_say_how_many(
    client, login_as, proposal_workflow_world, db
):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.IN_REVIEW)
    for body in ("Perbaiki modul 1", "Tambah studi kasus"):
        db.session.add(
            ReviewComment(curriculum_id=cur_id, author_id=users["city_admin"].id, body=body)
        )
    db.session.flush()
    login_as(users["partner_opd_admin"])
    r = client.post(f"/curricula/proposals/{cur_id}/transition", data={"action": "approve_agency"})
    assert r.status_code == 409
    assert "cannot be approved while review comments are open (2 open)" in r.get_data(as_text=True)
    db.session.execute(
        sa.update(ReviewComment)
        .where(ReviewComment.curriculum_id == cur_id)
        .values(is_resolved=True)
    )
    r = client.post(f"/curricula/proposals/{cur_id}/transition", data={"action": "approve_agency"})
    assert r.status_code == 302 and _state_and_events(db, cur_id)[0] == S.AGENCY_APPROVED


def test_an_unknown_step_is_refused_with_a_message(client, login_as, proposal_workflow_world, db):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.DRAFT)
    login_as(users["lead"])
    r = client.post(f"/curricula/proposals/{cur_id}/transition", data={"action": "teleport"})
    assert r.status_code == 400 and "Choose a step from the list." in r.get_data(as_text=True)
    with pytest.raises(InvalidTransition):
        review_services.transition(
            db.session.get(Curriculum, cur_id), "teleport", actor=users["lead"]
        )


def test_a_full_journey_records_history_versions_and_tells_the_other_side(
    client, login_as, proposal_workflow_world, db, outbox
):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.DRAFT)

    def step(party, action, note=""):
        login_as(users[party])
        r = client.post(
            f"/curricula/proposals/{cur_id}/transition", data={"action": action, "note": note}
        )
        assert r.status_code == 302, (party, action, r.get_data(as_text=True)[:300])

    def told(party):
        return db.session.scalars(
            sa.select(Notification.message_key)
            .where(Notification.user_id == users[party].id)
            .order_by(Notification.id)
        ).all()

    step("lead", "submit")
    assert told("agency_co_author_asn") == ["curricula.proposal_submitted"]
    assert told("partner_opd_admin") == []  # an agency co-author exists: they are told
    step("partner_opd_admin", "start_review")
    step("agency_co_author_asn", "request_changes", "Tambahkan modul praktik.")
    assert told("lead") == told("university_co_author") == ["curricula.proposal_changes_requested"]
    step("university_co_author", "resubmit")
    step("city_admin", "start_review")
    step("partner_opd_admin", "approve_agency")
    step("lead", "approve_university")
    step("partner_opd_admin", "publish")
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur_id)
    assert cur.state == S.PUBLISHED and cur.published_at is not None and cur.version_count == 2
    assert [
        v.number
        for v in db.session.scalars(
            sa.select(CurriculumVersion)
            .where(CurriculumVersion.curriculum_id == cur_id)
            .order_by(CurriculumVersion.number)
        )
    ] == [1, 2]
    assert told("lead") == [
        "curricula.proposal_changes_requested",
        "curricula.proposal_agency_approved",
        "curricula.proposal_published",
    ]
    assert told("agency_co_author_asn")[-1] == "curricula.proposal_published"
    assert told("partner_opd_admin") == []  # it published: nobody tells the actor
    assert any(users["lead"].email == row.recipient for row in outbox())
    history = client.get(f"/curricula/proposals/{cur_id}").get_data(as_text=True)
    assert "Tambahkan modul praktik." in history and "Approve for the agency" in history


def test_without_agency_co_authors_the_partner_admins_are_told(proposal_workflow_world, db, app):
    users, proposal = proposal_workflow_world.users, proposal_workflow_world.proposal
    cur_id = proposal(S.DRAFT)
    db.session.execute(
        sa.delete(CurriculumAuthor).where(
            CurriculumAuthor.curriculum_id == cur_id, CurriculumAuthor.side == AuthorSide.AGENCY
        )
    )
    db.session.expire_all()
    cur = db.session.get(Curriculum, cur_id)
    assert [a.side for a in cur.authors] == [AuthorSide.UNIVERSITY, AuthorSide.UNIVERSITY]
    with app.test_request_context():
        review_services.transition(cur, "submit", actor=users["lead"])
    told = db.session.scalars(
        sa.select(Notification.user_id).where(
            Notification.message_key == "curricula.proposal_submitted"
        )
    ).all()
    assert told == [users["partner_opd_admin"].id]
    assert _event(cur_id, db).to_state == S.SUBMITTED
