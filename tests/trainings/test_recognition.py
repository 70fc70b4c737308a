"""Recognition services: proposals from verified data only, idempotent proposing, decisions,
rules, hall of fame consent and award nominations (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.certificates.models import Certificate, CertificateKind
from portal.competency.models import AssessmentMethod
from portal.errors import DomainError, InvalidTransition
from portal.notify import Notification
from portal.trainings.evaluation.models import Respondent
from portal.trainings.recognition import nomination_services
from portal.trainings.recognition import queries as recognition_queries
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.cli import propose_recognitions
from portal.trainings.recognition.models import (
    AwardKind,
    HallOfFameConsent,
    NominationState,
    ProposalState,
    RecognitionKind,
    RecognitionProposal,
    RecognitionRule,
)
from tests.trainings import recognition_support
from tests.trainings.ledger_support import submit, verified
from tests.trainings.recognition_support import YEAR, assess, jpm_rise, l3_form

rworld = recognition_support.rworld


def _proposed(db) -> dict:
    rows = db.session.execute(
        sa.select(
            RecognitionProposal.asn_id, RecognitionRule.kind, RecognitionProposal.evidence
        ).join(RecognitionRule)
    ).all()
    return {(asn_id, kind): evidence for asn_id, kind, evidence in rows}


def _rule(db, kind) -> RecognitionRule:
    return db.session.scalar(sa.select(RecognitionRule).where(RecognitionRule.kind == kind))


def test_each_verified_signal_is_proposed_with_its_evidence(db, rworld):
    created = recognition_services.propose(YEAR)
    found = _proposed(db)
    assert len(created) == 3 == len(found)
    jp = found[(rworld.jp.id, RecognitionKind.JP_TARGET_MET)]
    assert (jp["jp"], jp["target"]) == (20.0, 20)
    jpm = found[(rworld.jpm.id, RecognitionKind.JPM_GAIN)]
    assert (jpm["jpm_before"], jpm["jpm_after"], jpm["gain"]) == (66.7, 100.0, 33.3)
    l3 = found[(rworld.l3.id, RecognitionKind.L3_APPLIES)]
    assert (l3["average"], l3["training"]) == (3.0, "Pelatihan Pelayanan Publik")
    assert all(p.state == ProposalState.PROPOSED and p.period == YEAR for p in created)
    assert {p.agency_id for p in created} == {rworld.opd.id}


def test_unverified_or_estimated_progress_is_not_proposed(db, make, rworld):
    # 20 JP submitted but not verified; a verified 15 JP with 5 more waiting.
    waiting = rworld.asn()
    submit(
        waiting, form="workshop", quantity=4, started_on=date(YEAR, 4, 1), ended_on=date(YEAR, 4, 1)
    )
    short = rworld.asn()
    verified(short, 3, ended_on=date(YEAR, 2, 2))
    submit(
        short, form="workshop", quantity=1, started_on=date(YEAR, 4, 1), ended_on=date(YEAR, 4, 1)
    )
    # A self-assessment (and a supervisor rating) rise after one official assessment.
    selfie = rworld.asn()
    assess(selfie, {rworld.c1: 2, rworld.c2: 2}, on=date(YEAR, 1, 5))
    assess(
        selfie,
        {rworld.c1: 5, rworld.c2: 5},
        on=date(YEAR, 3, 5),
        method=AssessmentMethod.SELF_ASSESSMENT,
    )
    assess(
        selfie,
        {rworld.c1: 5, rworld.c2: 5},
        on=date(YEAR, 3, 6),
        method=AssessmentMethod.SUPERVISOR_RATING,
    )
    # No gain between two official assessments; a gain in an earlier year.
    flat = rworld.asn()
    assess(flat, {rworld.c1: 2, rworld.c2: 3}, on=date(YEAR - 1, 1, 5))
    assess(flat, {rworld.c1: 3, rworld.c2: 2}, on=date(YEAR, 1, 5))
    old = rworld.asn()
    jpm_rise(old, [rworld.c1, rworld.c2], on=date(YEAR - 1, 9, 1))
    # The ASN's own L3 form says "applies"; the supervisor's says it does not.
    own = rworld.asn()
    l3_form(db.session, make.trainings, own, rworld.c1, rating=4, respondent=Respondent.ASN)
    l3_form(db.session, make.trainings, rworld.asn(), rworld.c1, rating=2)

    recognition_services.propose(YEAR)
    assert {asn_id for asn_id, _kind in _proposed(db)} == {
        rworld.jp.id,
        rworld.jpm.id,
        rworld.l3.id,
    }


def test_proposing_twice_creates_nothing_twice(app, db, rworld, outbox):
    first = recognition_services.propose(YEAR)
    rejected = first[0]
    recognition_services.reject(rejected, reason="Data belum lengkap", actor=rworld.city_admin)
    assert recognition_services.propose(YEAR) == []
    assert db.session.scalar(sa.select(sa.func.count(RecognitionProposal.id))) == 3
    # the city admin was told once, by the first run
    told = db.session.scalars(
        sa.select(Notification).where(Notification.message_key == "recognition.proposed")
    ).all()
    assert [(n.user_id, n.params["count"]) for n in told] == [(rworld.city_admin.id, 3)]


def test_the_command_proposes_and_is_safe_to_rerun(app, db, rworld):
    runner = app.test_cli_runner()
    result = runner.invoke(propose_recognitions, ["--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert "3 new recognition proposal(s) for 2025" in result.output
    again = runner.invoke(propose_recognitions, ["--year", str(YEAR)])
    assert "0 new recognition proposal(s)" in again.output
    assert db.session.scalar(sa.select(sa.func.count(RecognitionProposal.id))) == 3


def test_approval_issues_a_certificate_and_a_badge(db, rworld, outbox):
    proposal = next(p for p in recognition_services.propose(YEAR) if p.asn_id == rworld.jp.id)
    recognition_services.approve(proposal, actor=rworld.city_admin)
    certificate = db.session.get(Certificate, proposal.certificate_id)
    assert certificate.kind == CertificateKind.RECOGNITION
    assert (certificate.source_type, certificate.source_id) == ("recognition", proposal.id)
    assert certificate.subject_id == rworld.jp.user_id
    assert certificate.title == "Target 20 JP tercapai (2025)"
    assert [b.id for b in recognition_queries.badges(rworld.jp.id)] == [proposal.id]
    assert proposal.decided_by_id == rworld.city_admin.id and proposal.decided_at is not None
    assert any("was approved" in row.body_text for row in outbox(rworld.jp.user.email))
    with pytest.raises(InvalidTransition):
        recognition_services.approve(proposal, actor=rworld.city_admin)
    actions = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "recognition.decide" in actions and "certificate.issue" in actions


def test_rejection_needs_a_reason_and_only_a_city_admin_decides(db, rworld, outbox):
    proposal = recognition_services.propose(YEAR)[0]
    with pytest.raises(DomainError, match="reason"):
        recognition_services.reject(proposal, reason="  ", actor=rworld.city_admin)
    for admin in (rworld.opd_admin, rworld.other_admin):
        with pytest.raises(recognition_services.NotCityAdmin):
            recognition_services.approve(proposal, actor=admin)
    recognition_services.reject(proposal, reason="Bukti tidak sah", actor=rworld.city_admin)
    assert (proposal.state, proposal.reason, proposal.certificate_id) == (
        ProposalState.REJECTED,
        "Bukti tidak sah",
        None,
    )
    holder = db.session.get(type(rworld.jp), proposal.asn_id).user
    assert any("Bukti tidak sah" in row.body_text for row in outbox(holder.email))
    assert recognition_queries.badges(proposal.asn_id) == []


def test_rules_are_configurable_by_city_admins_only(db, rworld):
    jpm_rule = _rule(db, RecognitionKind.JPM_GAIN)
    with pytest.raises(recognition_services.NotCityAdmin):
        recognition_services.update_rule(
            jpm_rule, title="x", threshold=40, is_active=True, actor=rworld.opd_admin
        )
    with pytest.raises(DomainError, match="threshold"):
        recognition_services.update_rule(
            jpm_rule, title="JPM", threshold=0, is_active=True, actor=rworld.city_admin
        )
    recognition_services.update_rule(
        jpm_rule, title="JPM naik 40 poin", threshold=40, is_active=True, actor=rworld.city_admin
    )
    l3_rule = _rule(db, RecognitionKind.L3_APPLIES)
    recognition_services.update_rule(
        l3_rule, title=l3_rule.title, threshold=3, is_active=False, actor=rworld.city_admin
    )
    recognition_services.propose(YEAR)
    assert set(_proposed(db)) == {(rworld.jp.id, RecognitionKind.JP_TARGET_MET)}
    assert recognition_services.seed_rules() == []  # every kind has its rule already


def _fame_ids(agency_id=None) -> list[int]:
    page = recognition_queries.hall_of_fame(agency_id=agency_id, page=1, per_page=20)
    return [row.asn.id for row in page.items]


def test_consent_puts_in_and_withdrawal_removes_from_the_hall_of_fame_at_once(db, rworld):
    for proposal in recognition_services.propose(YEAR):
        recognition_services.approve(proposal, actor=rworld.city_admin)
    assert _fame_ids() == []  # nobody consented yet
    recognition_services.give_consent(rworld.jp, actor=rworld.jp.user)
    recognition_services.give_consent(rworld.jp, actor=rworld.jp.user)  # a no-op
    recognition_services.give_consent(rworld.l3, actor=rworld.l3.user)
    assert sorted(_fame_ids()) == sorted([rworld.jp.id, rworld.l3.id])
    assert _fame_ids(rworld.other.id) == []
    with pytest.raises(DomainError):
        recognition_services.give_consent(rworld.jpm, actor=rworld.city_admin)
    recognition_services.withdraw_consent(rworld.jp, actor=rworld.jp.user)
    assert _fame_ids() == [rworld.l3.id]
    recognition_services.give_consent(rworld.jp, actor=rworld.jp.user)
    rows = recognition_queries.consent_history(rworld.jp.id)
    assert len(rows) == 2 and rows[1].withdrawn_at is not None and rows[0].withdrawn_at is None
    # consent alone is not enough: an ASN without an approved recognition stays out
    recognition_services.give_consent(rworld.boss, actor=rworld.boss.user)
    assert rworld.boss.id not in _fame_ids()
    assert db.session.scalar(sa.select(sa.func.count(HallOfFameConsent.id))) == 4


def _nominate(asn, actor, **checks):
    return nomination_services.save_nomination(
        None,
        asn=asn,
        award=AwardKind.ANUGERAH_ASN,
        category="PNS Inspiratif",
        year=YEAR,
        justification="JPM naik 33 poin dan target JP tercapai.",
        checks=checks,
        actor=actor,
    )


def test_nomination_is_prepared_then_submitted_never_granted(db, rworld):
    with pytest.raises(recognition_services.NotYourOpd):
        _nominate(rworld.jp, rworld.other_admin)
    nomination = _nominate(rworld.jp, rworld.opd_admin, lhkasn_filed=True)
    assert nomination.state == NominationState.PREPARED and not nomination.is_eligible
    with pytest.raises(DomainError, match="checklist"):
        nomination_services.submit_nomination(
            nomination, submitted_to="Wali Kota Medan", actor=rworld.opd_admin
        )
    checks = dict.fromkeys(
        ("no_disciplinary_sentence", "lhkasn_filed", "no_legal_proceedings"), True
    )
    nomination_services.save_nomination(
        nomination,
        asn=rworld.jp,
        award=AwardKind.SATYALANCANA_10,
        category="",
        year=YEAR,
        justification="Pengabdian 10 tahun.",
        checks=checks,
        actor=rworld.opd_admin,
    )
    with pytest.raises(recognition_services.NotYourOpd):
        nomination_services.submit_nomination(
            nomination, submitted_to="Wali Kota", actor=rworld.other_admin
        )
    nomination_services.submit_nomination(
        nomination, submitted_to="Wali Kota Medan (PPK)", actor=rworld.opd_admin
    )
    assert nomination.state == NominationState.SUBMITTED
    with pytest.raises(InvalidTransition):
        nomination_services.save_nomination(
            nomination,
            asn=rworld.jp,
            award=AwardKind.OTHER,
            category="",
            year=YEAR,
            justification="x",
            checks=checks,
            actor=rworld.city_admin,
        )
    # nothing was granted: no certificate, no recognition
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_service_years_come_from_the_nip(make):
    asn = make.asn_profile(nip="198609262010031001")
    assert nomination_services.service_years(asn, date(2026, 3, 1)) == 16
    assert nomination_services.service_years(asn, date(2026, 2, 28)) == 15
