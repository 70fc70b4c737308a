"""No approval of one's own record (issue 15): an admin who is also an ASN does not verify their
own JP record, decide on their own recognition, nominate themself for an award, record their own
post-test as an official assessment or mark their own attendance; nobody approves a registration
or answers a follow-up evaluation as their own supervisor. Each service refuses, saying why, and
the predicate the pages ask says no, so the button is not offered."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.models import Assessment
from portal.curricula.models import CurriculumState
from portal.errors import InvalidTransition
from portal.own_record import OwnRecord
from portal.trainings.attendance import services as attendance_services
from portal.trainings.evaluation import l3_services
from portal.trainings.evaluation import services as evaluation_services
from portal.trainings.evaluation.models import L3Form, Respondent
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.models import EntryState
from portal.trainings.models import Attendance, RegistrationState
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import QuizKind
from portal.trainings.recognition import nomination_services
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import ProposalState, RecognitionProposal, RecognitionRule
from portal.trainings.registrations import workflow
from portal.trainings.registrations.workflow import RegistrationAction
from portal.util import clock
from tests.support.pages import flashes, text, visible_text
from tests.support.worlds import module_world
from tests.trainings.evaluation_support import past_batch
from tests.trainings.ledger_support import submit
from tests.trainings.quiz_support import answers, quiz, running_batch

S = RegistrationState


def build_office(make) -> SimpleNamespace:
    """One OPD with ``me``, an ASN who is also the OPD's admin, ``city_me``, an ASN who is also a
    city admin, ``loop``, a record that is its own supervisor (data from before the check), and
    ``peer``; ``colleague`` (another admin of the OPD) and ``city_admin``. A training of the OPD
    runs now (both tests open) with ``me`` and ``peer`` enrolled; the recognition rules."""
    tmake = make.trainings
    opd = make.agency()

    def asn(*roles, **kw):
        return make.asn_profile(make.user(*roles, agency=opd, locale="en", **kw))

    w = SimpleNamespace(
        opd=opd,
        me=asn(Role.ASN, Role.ADMIN, admin_agency=opd),
        city_me=asn(Role.ASN, Role.ADMIN),
        loop=asn(Role.ASN),
        peer=asn(Role.ASN),
        colleague=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
        city_admin=make.user(Role.ADMIN, locale="en"),
    )
    w.loop.supervisor_id = w.loop.id
    curriculum = make.curriculum(agency=opd, state=CurriculumState.PUBLISHED)
    w.batch = running_batch(tmake, curriculum=curriculum)
    w.own_reg = tmake.registration(w.batch, w.me, state=S.ENROLLED)
    w.peer_reg = tmake.registration(w.batch, w.peer, state=S.ENROLLED)
    recognition_services.seed_rules()
    make.session.flush()
    return w


office = module_world(build_office)


# --- JP ledger ------------------------------------------------------------------------------------

OWN_ENTRY = "You cannot verify or reject your own record: another administrator must do it."


def test_an_admin_never_verifies_or_rejects_their_own_jp_record(office):
    w = office
    entry = submit(w.me)
    with pytest.raises(OwnRecord, match=OWN_ENTRY):
        ledger_services.verify_external(entry, actor=w.me.user)
    with pytest.raises(OwnRecord, match=OWN_ENTRY):
        ledger_services.reject_external(entry, actor=w.me.user, reason="Tidak terbaca")
    assert entry.state == EntryState.SUBMITTED and not entry.can_verify(w.me.user)
    ledger_services.verify_external(entry, actor=w.colleague)  # another admin of the OPD does
    assert entry.state == EntryState.VERIFIED


def test_the_record_page_says_why_the_admin_cannot_verify_their_own(client, login_as, db, office):
    w = office
    entry = submit(w.me)
    login_as(w.me.user)
    url = f"/trainings/ledger/entries/{entry.id}"
    assert "Verify or reject" not in visible_text(client.get(url))
    r = client.post(f"{url}/verify")
    assert r.status_code == 403 and OWN_ENTRY in visible_text(r)
    db.session.expire_all()
    assert db.session.get(type(entry), entry.id).state == EntryState.SUBMITTED


# --- recognition and award nominations -------------------------------------------------------------

OWN_RECOGNITION = "You cannot decide on your own recognition: another city administrator must"


def _proposal(db, asn) -> RecognitionProposal:
    rule = db.session.scalars(sa.select(RecognitionRule).order_by(RecognitionRule.id)).first()
    proposal = RecognitionProposal(
        asn_id=asn.id,
        agency_id=asn.agency_id,
        rule_id=rule.id,
        period=2025,
        title=rule.title,
        evidence={},
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def test_a_city_admin_never_decides_on_their_own_recognition(db, office):
    w = office
    proposal = _proposal(db, w.city_me)
    assert not proposal.can_decide(w.city_me.user) and proposal.can_decide(w.city_admin)
    with pytest.raises(OwnRecord, match=OWN_RECOGNITION):
        recognition_services.approve(proposal, actor=w.city_me.user)
    with pytest.raises(OwnRecord, match=OWN_RECOGNITION):
        recognition_services.reject(proposal, reason="Belum layak", actor=w.city_me.user)
    assert proposal.state == ProposalState.PROPOSED and proposal.certificate_id is None
    recognition_services.approve(proposal, actor=w.city_admin)  # another city admin does
    assert proposal.state == ProposalState.APPROVED


def test_the_queue_offers_no_decision_on_ones_own_recognition(client, login_as, db, office):
    w = office
    own, peer = _proposal(db, w.city_me), _proposal(db, w.peer)
    approve = "/trainings/recognition/proposals/{}/approve"
    login_as(w.city_me.user)
    html = client.get("/trainings/recognition/proposals").get_data(as_text=True)
    assert approve.format(peer.id) in html and approve.format(own.id) not in html
    assert "Your own recognition: another city administrator decides on it." in html
    r = client.post(approve.format(own.id), follow_redirects=True)
    assert any(OWN_RECOGNITION in f for f in flashes(r))
    db.session.expire_all()
    assert db.session.get(RecognitionProposal, own.id).state == ProposalState.PROPOSED


def test_an_admin_never_nominates_themself_for_an_award(db, office):
    w = office
    dossier = {
        "award": "pegawai_teladan",
        "category": None,
        "year": 2026,
        "justification": "Kinerja sangat baik.",
        "checks": dict.fromkeys(
            ("no_disciplinary_sentence", "lhkasn_filed", "no_legal_proceedings"), True
        ),
    }
    with pytest.raises(OwnRecord, match="You cannot nominate yourself for an award"):
        nomination_services.save_nomination(None, asn=w.me, actor=w.me.user, **dossier)
    nomination = nomination_services.save_nomination(None, asn=w.me, actor=w.colleague, **dossier)
    assert nomination.can_change(w.colleague) and not nomination.can_change(w.me.user)
    with pytest.raises(OwnRecord, match="another administrator prepares and submits"):
        nomination_services.submit_nomination(
            nomination, submitted_to="Wali Kota Medan", actor=w.me.user
        )
    with pytest.raises(OwnRecord):
        nomination_services.save_nomination(nomination, asn=w.me, actor=w.me.user, **dossier)


# --- post-test as an official assessment ----------------------------------------------------------


def test_an_admin_never_records_their_own_post_test_as_an_assessment(db, office):
    w = office
    target = w.batch.curriculum.targets[0].competency_id
    post = quiz(db.session, w.batch, QuizKind.POST, [target, target])
    attempt = quiz_services.submit_attempt(
        post, w.batch, w.own_reg, actor=w.me.user, answers=answers(post, {0, 1})
    )
    assert attempt.passed
    assert not quiz_services.can_record_assessment(w.own_reg, w.me.user)
    assert quiz_services.can_record_assessment(w.own_reg, w.colleague)
    mine = [a.id for a in quiz_queries.to_record_export(w.me.user)]
    assert attempt.id not in mine and attempt.id in [
        a.id for a in quiz_queries.to_record_export(w.colleague)
    ]
    with pytest.raises(OwnRecord, match="You cannot assess your own competencies"):
        quiz_services.record_assessment(
            w.own_reg,
            attempt,
            actor=w.me.user,
            asn=w.me,
            levels={target: 3},
            assessed_on=clock.today(),
            assessor="Panitia",
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


# --- attendance -------------------------------------------------------------------------------------

OWN_ATTENDANCE = "You cannot mark your own attendance: check in with the session's code"


def test_an_admin_never_marks_their_own_attendance(db, office):
    w = office
    session = w.batch.sessions[0]
    assert attendance_services.can_mark_attendance(w.batch, w.me.user)
    with pytest.raises(OwnRecord, match=OWN_ATTENDANCE):
        attendance_services.mark_attendance(session, w.own_reg, actor=w.me.user)
    row = attendance_services.mark_attendance(session, w.peer_reg, actor=w.me.user)
    assert row.present
    assert (
        db.session.scalars(
            sa.select(Attendance).where(Attendance.registration_id == w.own_reg.id)
        ).first()
        is None
    )


def test_the_sheet_offers_no_mark_for_ones_own_attendance(client, login_as, db, office):
    w = office
    login_as(w.me.user)
    url = f"/trainings/sessions/{w.batch.sessions[0].id}/attendance"
    page = client.get(url)
    assert "Your own attendance: check in with the session's code." in visible_text(page)
    radios = {
        reg_id: re.findall(rf'<input[^>]*name="present-{reg_id}"[^>]*>', text(page))
        for reg_id in (w.own_reg.id, w.peer_reg.id)
    }
    assert len(radios[w.own_reg.id]) == 2 and all("disabled" in r for r in radios[w.own_reg.id])
    assert len(radios[w.peer_reg.id]) == 2 and not any(
        "disabled" in r for r in radios[w.peer_reg.id]
    )
    r = client.post(
        url, data={f"present-{w.own_reg.id}": "present", f"present-{w.peer_reg.id}": "present"}
    )
    assert r.status_code == 403 and OWN_ATTENDANCE in visible_text(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


# --- the ASN's own supervisor -----------------------------------------------------------------------


def test_nobody_approves_their_own_registration_as_their_own_supervisor(db, make, office):
    w = office
    reg = make.trainings.registration(w.batch, w.loop)
    assert RegistrationAction.APPROVE not in workflow.allowed_actions(reg, w.loop.user)
    assert RegistrationAction.CANCEL in workflow.allowed_actions(reg, w.loop.user)
    with pytest.raises(InvalidTransition, match="Only the ASN's supervisor"):
        workflow.check(reg, RegistrationAction.APPROVE, w.loop.user)


def test_nobody_answers_the_follow_up_evaluation_as_their_own_supervisor(app, db, make, office):
    w = office
    batch = past_batch(make.trainings, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
    reg = make.trainings.registration(batch, w.loop, state=S.COMPLETED)
    assert l3_services.send_due_forms(clock.today()) == 1  # the ASN's form only
    forms = db.session.scalars(sa.select(L3Form).where(L3Form.registration_id == reg.id)).all()
    assert [f.respondent for f in forms] == [Respondent.ASN]

    today = clock.today()  # a supervisor form about oneself, sent before the check
    legacy = L3Form(
        registration_id=reg.id,
        respondent=Respondent.SUPERVISOR,
        respondent_user_id=w.loop.user_id,
        sent_on=today,
        due_on=today + timedelta(days=30),
    )
    db.session.add(legacy)
    db.session.flush()
    assert not evaluation_services.can_answer_l3(legacy, w.loop.user)
    assert evaluation_services.can_answer_l3(forms[0], w.loop.user)
    targets = [t.competency_id for t in batch.curriculum.targets]
    with pytest.raises(OwnRecord, match="You cannot answer the follow-up evaluation as your own"):
        evaluation_services.answer_l3(
            legacy, dict.fromkeys(targets, 4), actor=w.loop.user, competency_ids=targets
        )
    assert legacy.answered_at is None
