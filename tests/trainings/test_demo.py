"""``flask demo-data`` loads trainings that tell a story: batches in every phase, pre- and
post-tests with gains, completion with certificates and JP, L1 answers, RTL items, L3 forms half
answered with one competency applied too little, recognition decided and waiting, and pages of
the demo accounts that answer.

The demo is loaded once per session, on a database of its own (tests/support/demo.py)."""

from __future__ import annotations

import contextvars
from collections import Counter

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.competency.models import AsnProfile, Assessment, AssessmentMethod
from portal.curricula.models import Curriculum, CurriculumState
from portal.db import db
from portal.trainings.evaluation import impact_queries
from portal.trainings.evaluation.models import (
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    Respondent,
)
from portal.trainings.ledger import schedule
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.ledger.queries import behind_target, ledger_for
from portal.trainings.models import BatchState, Registration, RegistrationState, TrainingBatch
from portal.trainings.quizzes.models import (
    CompetencyGain,
    QuizAttempt,
    QuizKind,
    QuizQuestion,
    QuizSet,
)
from portal.trainings.recognition.models import (
    AwardNomination,
    HallOfFameConsent,
    NominationState,
    ProposalState,
    RecognitionKind,
    RecognitionProposal,
)
from portal.util import clock
from tests.support.client import PortalClient
from tests.support.db import pinned

R = RegistrationState
DINKES, ATASAN = "asn.dinkes@sinergi.example", "atasan.dinkes@sinergi.example"
KECAMATAN, USU, ADMIN = (
    "asn.kecamatan@sinergi.example",
    "dosen.usu@sinergi.example",
    "admin@sinergi.example",
)


@pytest.fixture
def demo(demo_app):
    """The demo, loaded once per session (tests/support/demo.py); what a test changes in it is
    rolled back after the test."""
    with pinned(demo_app):
        yield demo_app


def _all(model, *where):
    return list(db.session.scalars(sa.select(model).where(*where)))


def _user(email) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _profile(email) -> AsnProfile:
    return db.session.scalar(sa.select(AsnProfile).where(AsnProfile.user_id == _user(email).id))


def _curricula() -> list[Curriculum]:
    return _all(Curriculum, Curriculum.state == CurriculumState.PUBLISHED)


def _batches(curriculum=None) -> dict[str, TrainingBatch]:
    """The batches (of ``curriculum``, default the first published one) by phase."""
    curriculum = curriculum or sorted(_curricula(), key=lambda c: c.id)[0]
    batches = sorted(
        _all(TrainingBatch, TrainingBatch.curriculum_id == curriculum.id), key=lambda b: b.id
    )
    return dict(zip(("past", "recent", "running", "upcoming"), batches, strict=True))


def _client(app, email) -> PortalClient:
    db.session.rollback()
    app.test_client_class = PortalClient
    client = app.test_client()
    with contextvars.Context().run(client.session_transaction) as sess:
        sess["_user_id"] = _user(email).get_id()
        sess["_fresh"] = True
    client._has_user = True
    return client


def _page(client, url) -> str:
    db.session.rollback()  # the page's own session writes (SQLite: one writer at a time)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_counts_printed_and_batches_in_every_phase(demo):
    for part in (
        "8 training batches",
        "training certificates",
        "L1 responses",
        "RTL items",
        "L3 answered",
        "recognition proposals",
        "2 award nominations",
        "1 awards decided",
    ):
        assert part in demo.demo_output
    states = Counter(b.state for b in _all(TrainingBatch))
    assert states == {BatchState.COMPLETED: 4, BatchState.CLOSED: 2, BatchState.OPEN: 2}
    regs = Counter(r.state for r in _all(Registration))
    for state in (R.COMPLETED, R.NOT_COMPLETED, R.ENROLLED, R.REQUESTED, R.DECLINED, R.WAITLISTED):
        assert regs[state] >= 1, state
    assert regs[R.COMPLETED] > 2 * regs[R.NOT_COMPLETED]


def test_tests_gains_and_completion_follow_the_post_test(demo):
    for batch in _all(TrainingBatch):
        for kind in QuizKind:
            quiz_set = db.session.scalar(
                sa.select(QuizSet).where(QuizSet.batch_id == batch.id, QuizSet.kind == kind)
            )
            questions = _all(QuizQuestion, QuizQuestion.set_id == quiz_set.id)
            assert 4 <= len(questions) <= 5
            targets = {t.competency_id for t in batch.curriculum.targets}
            assert {q.competency_id for q in questions} == targets
    attempts = _all(QuizAttempt)
    by_batch = Counter((a.registration.batch.state, a.quiz_set.kind) for a in attempts)
    assert by_batch[(BatchState.CLOSED, QuizKind.PRE)] > 0  # the running batches
    assert by_batch[(BatchState.CLOSED, QuizKind.POST)] == 0
    assert by_batch[(BatchState.OPEN, QuizKind.PRE)] == 0
    post = {a.registration_id: a for a in attempts if a.quiz_set.kind == QuizKind.POST}
    assert any(not a.passed for a in post.values())
    for reg in _all(Registration, Registration.state == R.COMPLETED):
        assert post[reg.id].passed
    for attempt in post.values():
        if not attempt.passed:
            assert attempt.registration.state == R.NOT_COMPLETED
    pre = [a.score for a in attempts if a.quiz_set.kind == QuizKind.PRE]
    assert sum(post[i].score for i in post) / len(post) > sum(pre) / len(pre) + 20
    gains = [g for g in _all(CompetencyGain) if g.gain is not None]
    assert len(gains) >= 2 * len(post) - 2 and sum(g.gain for g in gains) > 0
    recorded = [a for a in attempts if a.assessment_id is not None]
    assert len(recorded) == 1 and recorded[0].passed
    assessment = db.session.get(Assessment, recorded[0].assessment_id)
    assert assessment.method == AssessmentMethod.POST_TRAINING_TEST and not assessment.is_official


def test_completed_asn_have_certificates_and_jp(demo):
    completed = _all(Registration, Registration.state == R.COMPLETED)
    certificates = _all(Certificate, Certificate.source_type == "training_registration")
    assert sorted(c.source_id for c in certificates) == sorted(r.id for r in completed)
    numbers = {c.source_id: c.number for c in certificates}
    credited = _all(LedgerEntry, LedgerEntry.registration_id.is_not(None))
    assert credited and {e.registration_id: e.certificate_number for e in credited} == {
        e.registration_id: numbers[e.registration_id] for e in credited
    }
    year = clock.today().year
    assert behind_target(year, clock.today())  # ledgers behind target …
    dinkes = ledger_for(_profile(DINKES), year)
    assert dinkes.is_met  # … and ahead


def test_no_demo_batch_credits_more_than_its_schedule_earns(demo):
    """Issue 17 point 2: the demo's sessions add up to their curriculum's JP, and what each
    completed registration was credited is what its batch's schedule earns."""
    batches = {b.id: b for b in _all(TrainingBatch)}
    earned = {b.id: schedule.batch_jp(b) for b in batches.values()}
    assert {e.jp for e in earned.values()} and all(
        e.jp == b.curriculum.total_jp and not e.differs
        for b, e in ((batches[k], earned[k]) for k in batches)
    )
    assert {e.form for e in earned.values()} >= {"e_learning", "pelatihan_teknis"}
    by_registration = {r.id: r.batch_id for r in _all(Registration)}
    credited = _all(LedgerEntry, LedgerEntry.registration_id.is_not(None))
    assert credited and all(e.jp == earned[by_registration[e.registration_id]].jp for e in credited)


def test_l1_rtl_and_l3(demo):
    completed = _all(Registration, Registration.state == R.COMPLETED)
    responses = _all(L1Response)
    assert len(responses) >= 0.7 * len(completed)
    assert {r.registration_id for r in responses} <= {r.id for r in completed}
    ratings = Counter(a.rating for a in _all(L1Answer))
    assert set(ratings) <= {2, 3, 4} and ratings[3] + ratings[4] > 4 * ratings[2] > 0
    assert any(r.comment for r in responses)
    statuses = Counter(i.status for i in _all(ActionPlanItem))
    assert len(statuses) >= 3
    forms = _all(L3Form)
    assert {f.registration.batch.state for f in forms} == {BatchState.COMPLETED}
    past = {_batches(c)["past"].id for c in _curricula()}
    assert {f.registration.batch_id for f in forms} == past
    assert {f.respondent for f in forms} == set(Respondent)
    answered = [f for f in forms if f.is_answered]
    assert 0.55 <= len(answered) / len(forms) <= 0.8
    kecamatan = [f for f in forms if f.respondent_user_id == _user(KECAMATAN).id]
    assert kecamatan and not any(f.is_answered for f in kecamatan)


def test_one_competency_is_applied_too_little(demo):
    first, second = sorted(_curricula(), key=lambda c: c.id)
    admin = _user(ADMIN)
    with demo.test_request_context("/"):
        rows = impact_queries.competency_impact(
            impact_queries.curriculum_for_impact(first.id), admin
        )
        others = impact_queries.competency_impact(
            impact_queries.curriculum_for_impact(second.id), admin
        )
    low = [r for r in rows if r.is_low]
    assert len(low) == 1 and low[0].supervisor_avg < 2.5 and low[0].suggestion_url
    assert all(r.gain and r.gain > 0 for r in rows)
    assert not any(r.is_low for r in others)
    page = _page(_client(demo, ADMIN), f"/trainings/curricula/{first.id}/impact")
    assert f"Tindak lanjut: menerapkan {low[0].name}" in page  # the admin reads Indonesian
    assert "/trainings/batches/new?" in page


def test_recognition_decided_and_waiting(demo):
    proposals = _all(RecognitionProposal)
    states = Counter(p.state for p in proposals)
    assert states[ProposalState.APPROVED] == 3 and states[ProposalState.REJECTED] == 1
    assert states[ProposalState.PROPOSED] >= 3
    for p in proposals:
        assert (p.certificate_id is not None) == (p.state == ProposalState.APPROVED)
        assert (p.reason is not None) == (p.state == ProposalState.REJECTED)
    approved = [p for p in proposals if p.state == ProposalState.APPROVED]
    assert len({p.agency_id for p in approved}) == 3
    consents = _all(HallOfFameConsent, HallOfFameConsent.withdrawn_at.is_(None))
    agencies = {db.session.get(AsnProfile, c.asn_id).agency_id for c in consents}
    assert len(consents) == 2 and len(agencies) == 2
    prepared, awarded = sorted(_all(AwardNomination), key=lambda n: n.state != "prepared")
    diskominfo = _user("admin.diskominfo@sinergi.example")
    for nomination in (prepared, awarded):
        assert nomination.prepared_by_id == diskominfo.id
        assert nomination.agency_id == diskominfo.admin_agency_id
    assert prepared.state == NominationState.PREPARED
    assert awarded.state == NominationState.AWARDED and awarded.year == prepared.year - 1
    assert awarded.decision_number and awarded.decision_date.year == awarded.year
    page = _page(
        _client(demo, "admin.diskominfo@sinergi.example"),
        f"/trainings/recognition/nominations/{awarded.id}",
    )
    assert awarded.decision_number in page


def test_meeting_the_jp_target_is_thanked_not_recognised(demo):
    """Issue 17, point 8: the JP-target rule is off in the demo as on a fresh portal; the Dinkes
    ASN who met the target reads the appreciation on their recognition page."""
    kinds = {p.evidence.get("kind") for p in _all(RecognitionProposal)}
    assert RecognitionKind.JP_TARGET_MET.value not in kinds
    page = _page(_client(demo, DINKES), "/trainings/recognition/mine")
    assert "you reached your yearly target" in page or "mencapai target tahunan" in page


def test_the_demo_accounts_tell_their_story(demo):
    dinkes, atasan = _profile(DINKES), _profile(ATASAN)
    assert dinkes.supervisor_id == atasan.id
    recent = _batches()["recent"]
    (done,) = _all(
        Registration, Registration.asn_id == dinkes.id, Registration.batch_id == recent.id
    )
    assert done.state == R.COMPLETED
    assert _all(
        Certificate,
        Certificate.source_id == done.id,
        Certificate.source_type == "training_registration",
    )
    assert _all(L1Response, L1Response.registration_id == done.id)
    assert len(_all(ActionPlanItem, ActionPlanItem.registration_id == done.id)) == 3
    waiting = _all(
        Registration, Registration.asn_id == dinkes.id, Registration.state == R.REQUESTED
    )
    assert len(waiting) == 1 and waiting[0].batch.state == BatchState.OPEN

    asn = _client(demo, DINKES)
    assert recent.title in _page(asn, "/trainings/mine")
    assert _page(asn, "/trainings/ledger")
    approvals = _page(_client(demo, ATASAN), "/trainings/approvals")
    assert _user(DINKES).full_name in approvals
    kecamatan = _client(demo, KECAMATAN)
    assert "/trainings/l3/" in _page(kecamatan, "/trainings/l3")
    usu = _client(demo, USU)
    for batch in _batches().values():
        if batch.state == BatchState.COMPLETED:
            assert _page(usu, f"/trainings/batches/{batch.id}/l1-results")
            assert _page(usu, f"/trainings/batches/{batch.id}/tests/results")
    admin = _client(demo, ADMIN)
    for url in (
        "/trainings/ledger/verifications",
        "/trainings/ledger/compliance",
        "/trainings/recognition/proposals",
        "/trainings/recognition/hall-of-fame",
        "/trainings/recognition/nominations",
    ):
        assert _page(admin, url)
    assert _page(
        _client(demo, "admin.diskominfo@sinergi.example"), "/trainings/recognition/nominations"
    )
