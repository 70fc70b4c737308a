"""Set-up for the recognition tests: ASN with verified progress of each kind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.competency.assessments import services as competency_services
from portal.competency.models import AssessmentMethod
from portal.trainings.evaluation.models import L3Form, L3Rating, Respondent
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.recognition import services as recognition_services
from tests.trainings.ledger_support import verified

YEAR = 2025


def assess(asn, levels: dict, *, on: date, method=AssessmentMethod.UJI_KOMPETENSI):
    return competency_services.record_assessment(
        asn,
        actor=None,
        method=method,
        assessed_on=on,
        assessor="UPT Penilaian",
        levels={c.id: level for c, level in levels.items()},
    )


def jpm_rise(asn, competencies, *, before=2, after=3, on=date(YEAR, 6, 2)):
    """Two official assessments: every competency at ``before``, then at ``after``."""
    assess(asn, dict.fromkeys(competencies, before), on=date(YEAR - 1, 5, 3))
    assess(asn, dict.fromkeys(competencies, after), on=on)


def l3_form(
    session,
    tmake,
    asn,
    competency,
    *,
    rating=3,
    respondent=Respondent.SUPERVISOR,
    answered=datetime(YEAR, 8, 1, 3, tzinfo=UTC),
):
    """A completed registration of ``asn`` with an answered L3 form rating ``competency``."""
    batch = tmake.batch(state=BatchState.COMPLETED, title="Pelatihan Pelayanan Publik")
    reg = tmake.registration(batch, asn, state=RegistrationState.COMPLETED)
    form = L3Form(
        registration_id=reg.id,
        respondent=respondent,
        respondent_user_id=asn.user_id,
        sent_on=date(YEAR, 7, 1),
        due_on=date(YEAR, 7, 15),
        answered_at=answered,
        ratings=[L3Rating(competency_id=competency.id, rating=rating)],
    )
    session.add(form)
    session.flush()
    return form


@pytest.fixture
def rworld(make, db):
    """Two OPD; in the first a supervisor and three ASN (JP met, JPM up, L3 applies), a city
    admin and admins of each OPD; the default rules, with the JP rule turned on (off by default:
    tests/trainings/test_recognition_appreciation.py) so that every signal is proposed."""
    opd, other = make.agency(), make.agency()
    c1, c2 = make.competency(), make.competency()
    position = make.position(agency=opd, competencies=[c1, c2], level=3)
    boss = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"))

    def asn(agency=opd):
        user = make.user(Role.ASN, agency=agency, locale="en")
        return make.asn_profile(user, supervisor=boss, position=position)

    w = SimpleNamespace(
        opd=opd,
        other=other,
        c1=c1,
        c2=c2,
        position=position,
        boss=boss,
        asn=asn,
        jp=asn(),
        jpm=asn(),
        l3=asn(),
        city_admin=make.user(Role.ADMIN, locale="en"),
        opd_admin=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
        other_admin=make.user(Role.ADMIN, admin_agency=other, locale="en"),
    )
    for rule in recognition_services.seed_rules():
        rule.is_active = True
    verified(w.jp, 4, ended_on=date(YEAR, 3, 11))  # 20 JP, verified
    jpm_rise(w.jpm, [c1, c2])  # 66.7 -> 100
    l3_form(db.session, make.trainings, w.l3, c1, rating=3)
    return w
