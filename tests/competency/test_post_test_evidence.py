"""A post-training test is evidence of learning (Kirkpatrick L2), never an official level (issue 17,
point 1): only an assessment centre or uji kompetensi sets the current level that the gap, the
JPM, the demand board and the "JPM up" recognition use. The post-test's level is shown beside
the gap on the profile, and the form for official assessments does not offer the method."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments import queries, services
from portal.competency.assessments.forms import assessment_form
from portal.competency.board import queries as board
from portal.competency.models import OFFICIAL_METHODS, Assessment, AssessmentMethod
from portal.trainings.quizzes import queries as quiz_queries
from tests.support.pages import visible_text
from tests.support.worlds import module_world


def build_learner(make) -> SimpleNamespace:
    """One OPD, a one-competency position (level 3) and six ASN holding it (the board shows a
    group from five), an OPD admin; each ASN has passed a post-test recorded at level 3."""
    opd = make.agency()
    comp = make.competency(agency=opd, name="Analisis Data Uji")
    position = make.position(agency=opd, competencies=[comp], level=3)
    admin = make.user(Role.ADMIN, agency=opd, admin_agency=opd, locale="en")
    people = [
        make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"), position=position)
        for _ in range(6)
    ]
    for asn in people:
        services.record_assessment(
            asn,
            actor=admin,
            method=AssessmentMethod.POST_TRAINING_TEST,
            assessed_on=date(2026, 3, 2),
            assessor="Panitia pelatihan",
            levels={comp.id: 3},
        )
    return SimpleNamespace(opd=opd, comp=comp, admin=admin, people=people)


learner = module_world(build_learner)


def test_the_official_methods_are_the_competency_assessments_only():
    assert {AssessmentMethod.ASSESSMENT_CENTER, AssessmentMethod.UJI_KOMPETENSI} == OFFICIAL_METHODS
    assert not AssessmentMethod.POST_TRAINING_TEST.is_official


def test_a_recorded_post_test_is_kept_but_not_official(db, learner):
    rows = db.session.scalars(
        sa.select(Assessment).where(Assessment.asn_id.in_([a.id for a in learner.people]))
    ).all()
    assert len(rows) == 6
    assert {(a.method, a.is_official) for a in rows} == {
        (AssessmentMethod.POST_TRAINING_TEST, False)
    }


def test_the_gap_and_the_jpm_ignore_it_and_show_it_beside(db, learner):
    asn = learner.people[0]
    profile = queries.profile(asn)
    (row,) = profile.rows
    assert (row.current, row.gap, row.post_test_level) == (None, None, 3)
    assert profile.jpm is None and profile.assessed_count == 0
    assert quiz_queries.current_levels(asn.id, [learner.comp.id]) == {}


def test_the_demand_board_does_not_count_it(app, learner):
    with app.test_request_context():
        rows, _hidden = board.clusters(anonymous=False, agency_id=learner.opd.id)
    ours = [r for r in rows if r.competency_id == learner.comp.id]
    assert ours and {(r.total, r.assessed, r.below) for r in ours} == {(6, 0, 0)}


def test_the_profile_page_shows_it_as_evidence(client, login_as, learner):
    login_as(learner.admin)
    text = visible_text(client.get(f"/competency/asn/{learner.people[0].id}"))
    assert "Post-training test (evidence, not official)" in text
    assert "no (evidence of learning)" in text
    assert "No official assessment yet" in text


def test_the_official_assessment_form_does_not_offer_it(app, learner):
    with app.test_request_context():
        form = assessment_form([], official=True)
        offered = {choice.value for choice in form.method.choices} - {""}
    assert AssessmentMethod.POST_TRAINING_TEST.value not in offered
    assert offered == {m.value for m in OFFICIAL_METHODS}
